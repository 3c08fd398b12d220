"""What each gallery script computed, kept beside its figures, so that tests read it instead of training again.

The build runs every script once (:mod:`bookbuild.schedule`). When a script
finishes, the values it left in its namespace that are plain data (numbers,
strings, numpy arrays, and lists, tuples, dicts and ann_lib's dataclasses of
them) are pickled to ``_gallery/NN_topic/plot_x.py.results.pkl``; models,
functions, modules and figures are left out (inside a list or dict, a
:class:`NotKept` stands in their place). A test then asserts on the numbers the book
shows, from the run that drew them (``tests/conftest.py``'s ``gallery_results``),
and each model trains once per build.

sphinx-gallery hands its ``reset_argv`` hook the script's variables before the
script runs, including the dictionary that becomes its globals;
:func:`remember_script` keeps a reference to it (and gives the script no
command-line arguments, as the default hook does).
"""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path
from typing import Any

import numpy as np

SUFFIX = ".results.pkl"
#: A single array larger than this is left out (a training set): a test regenerates it from its seed.
LARGEST_ARRAY = 8 * 2**20

_current: dict[str, Any] = {}


def remember_script(gallery_conf: dict, script_vars: dict) -> list[str]:
    """sphinx-gallery's ``reset_argv`` hook: remember the running script's variables; no arguments."""
    _current.clear()
    _current.update(script_vars=script_vars)
    return []


@dataclasses.dataclass(frozen=True)
class NotKept:
    """Stands where a script's container held something that is not plain data (a model, a function)."""

    type_name: str


def _keep(value: Any, depth: int = 0) -> Any:
    """``value`` if it is plain data a test can read back without the script's code or TensorFlow; a
    container rebuilt with :class:`NotKept` in place of what is not; else a :class:`NotKept`."""
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes, np.generic)):
        return value
    not_kept = NotKept(type(value).__name__)
    if depth > 5:
        return not_kept
    if isinstance(value, np.ndarray):
        return value if value.dtype != object and value.nbytes <= LARGEST_ARRAY else not_kept
    if type(value) in (list, tuple):
        return type(value)(_keep(item, depth + 1) for item in value)
    if type(value) is dict:
        return {_keep(k, depth + 1): _keep(v, depth + 1) for k, v in value.items()}
    if type(value).__module__.startswith("ann_lib") and (
        _namedtuple(value) or dataclasses.is_dataclass(value) and not isinstance(value, type)
    ):
        fields = value if _namedtuple(value) else [getattr(value, f.name) for f in dataclasses.fields(value)]
        return value if not any(isinstance(_keep(v, depth + 1), NotKept) for v in fields) else not_kept
    return not_kept


def _namedtuple(value: Any) -> bool:
    return isinstance(value, tuple) and hasattr(value, "_fields")


def save_results() -> Path | None:
    """Pickle the data the script that just ran left in its globals; return the file (None if none ran)."""
    script_vars = _current.pop("script_vars", None)
    if not script_vars or not script_vars.get("passing"):
        return None
    found = script_vars.get("example_globals", {})
    kept = {name: _keep(value) for name, value in found.items() if not name.startswith("_")}
    kept = {name: value for name, value in kept.items() if not isinstance(value, NotKept)}
    path = Path(script_vars["target_file"] + SUFFIX)
    with path.open("wb") as file:
        pickle.dump(kept, file, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def load_results(gallery_output: Path, folder: str, script: str) -> dict[str, Any]:
    """What ``gallery/<folder>/<script>`` computed in the build whose output is ``gallery_output`` (``_gallery``)."""
    path = Path(gallery_output) / folder / (script + SUFFIX)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: the build did not run {folder}/{script}")
    with path.open("rb") as file:
        return pickle.load(file)
