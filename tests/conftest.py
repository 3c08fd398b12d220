"""Shared test settings.

Hypothesis runs derandomized (the same examples on every run, so CI is
repeatable) and without deadlines (TensorFlow's first call in a process is slow).
"""

import os
import runpy
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "_ext")]
from bookbuild import environment  # noqa: E402

environment.apply(override=False)  # what the build's chapters and scripts run with

settings.register_profile(
    "book",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "book"))


@dataclass
class CleanBuild:
    tree: Path  #: where builds run (restored from pristine before each test that edits it)
    pristine: Path  #: the tree as the clean build left it: read, never built in
    results: dict


@pytest.fixture(scope="session")
def clean_build(tmp_path_factory) -> CleanBuild:
    """One clean build of both editions and the landing page, in a copy of the tree.

    Made once per session: the build tests (tests/test_build.py) and the browser
    tests (tests/browser/) read its copy ``pristine``; only the former edit ``tree``.
    """
    from tools import buildkit

    base = tmp_path_factory.mktemp("book")
    tree = buildkit.copy_tree(base / "tree")
    results = buildkit.build_both(tree)
    buildkit.write_landing_page(tree / "_build" / "html")
    pristine = base / "pristine"
    shutil.copytree(tree, pristine, symlinks=True)  # copies keep their mtimes: Sphinx sees nothing new
    return CleanBuild(tree, pristine, results)


@pytest.fixture
def run_gallery_script(tmp_path, monkeypatch):
    """Run ``gallery/<folder>/<name>`` top to bottom as the build does and return its globals.

    Matplotlib draws off screen, ``plt.show`` does nothing, and the script runs in an
    empty folder, so anything it writes (chapter 10's WAV files) lands there.
    """

    def run(folder: str, name: str) -> dict:
        import matplotlib

        matplotlib.use("agg")
        import matplotlib.pyplot as plt

        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(plt, "show", lambda *args, **kwargs: None)
        # Keras as a fresh process has it (the build runs scripts so): float32, whatever
        # an earlier test set (tests/tf's float64 fixture sets both floatx and the policy)
        tf = sys.modules.get("tensorflow")
        saved = (tf.keras.backend.floatx(), tf.keras.config.dtype_policy()) if tf is not None else None
        if tf is not None:
            tf.keras.backend.set_floatx("float32")
            tf.keras.config.set_dtype_policy("float32")
        try:
            return runpy.run_path(str(ROOT / "gallery" / folder / name))
        finally:
            plt.close("all")
            if saved is not None:
                tf.keras.backend.set_floatx(saved[0])
                tf.keras.config.set_dtype_policy(saved[1])

    return run
