"""Shared test settings.

Hypothesis runs derandomized (the same examples on every run, so CI is
repeatable) and without deadlines (TensorFlow's first call in a process is slow).
"""

import ast
import contextlib
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


def pytest_collection_modifyitems(config, items):
    """A test that reads the clean build (directly or through ``gallery_results``) is a ``build`` test."""
    for item in items:
        if {"clean_build", "gallery_results"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.build)


@pytest.fixture(scope="session")
def gallery_results(clean_build):
    """``gallery_results(folder, script)``: what the script computed in the session's clean build.

    The build keeps the plain data each gallery script leaves in its namespace
    (``bookbuild.results``): a test asserts on the numbers of the run that drew the
    book's figures, and no model is trained twice in one test session.
    """
    from bookbuild.layout import GALLERY_OUTPUT
    from bookbuild.results import load_results

    return lambda folder, script: load_results(clean_build.pristine / GALLERY_OUTPUT, folder, script)


@contextlib.contextmanager
def as_in_the_build(tmp_path, monkeypatch):
    """Matplotlib off screen with ``plt.show`` doing nothing, the working folder empty, Keras in float32."""
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
        yield
    finally:
        plt.close("all")
        if saved is not None:
            tf.keras.backend.set_floatx(saved[0])
            tf.keras.config.set_dtype_policy(saved[1])


@pytest.fixture
def run_gallery_script(tmp_path, monkeypatch):
    """Run ``gallery/<folder>/<name>`` top to bottom as the build does and return its globals.

    Matplotlib draws off screen, ``plt.show`` does nothing, and the script runs in an
    empty folder, so anything it writes (chapter 10's WAV files) lands there. To read
    what a script computed, ``gallery_results`` is cheaper: it reads the build's run.
    """

    def run(folder: str, name: str) -> dict:
        with as_in_the_build(tmp_path, monkeypatch):
            return runpy.run_path(str(ROOT / "gallery" / folder / name))

    return run


@pytest.fixture
def gallery_definitions(tmp_path, monkeypatch):
    """``gallery_definitions(folder, name)``: a script's imports, functions, classes and data, not its experiments.

    Runs the script's top-level imports, ``def`` and ``class`` statements, and the
    assignments that call none of the script's own functions (its data, its constants),
    one by one, skipping an assignment that reads what a skipped statement would have
    made; skips everything else (the training, the loops, the printing and plotting). A test
    that calls the script's functions with other arguments (other seeds) then trains
    only what it asks for.
    """

    def load(folder: str, name: str) -> dict:
        path = ROOT / "gallery" / folder / name
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}

        def calls_own(node: ast.AST) -> bool:
            return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in own
                       for n in ast.walk(node))

        kept = [node for node in tree.body
                if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef))
                or isinstance(node, ast.Assign) and not calls_own(node)]
        namespace = {"__name__": "__gallery_definitions__", "__file__": str(path)}
        with as_in_the_build(tmp_path, monkeypatch):
            for node in kept:
                try:
                    exec(compile(ast.Module(body=[node], type_ignores=[]), str(path), "exec"), namespace)
                except NameError:  # it reads what a skipped statement (the experiment) would have made
                    continue
        return namespace

    return load
