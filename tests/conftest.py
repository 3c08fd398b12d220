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
import threading
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


#: The test that compares the figures of two executions of the gallery (tests/test_build.py).
SECOND_EXECUTION_TEST = "test_two_clean_builds_draw_identical_figures"
#: What makes a test need the session's clean build (a ``build`` test).
BUILD_FIXTURES = {"clean_build", "gallery_results"}
#: The fixture of tests/test_pdf_epub.py that reads ``make pdf epub``, made in a copy of the clean build.
PRINTED_FIXTURE = "built"


@dataclass
class CleanBuild:
    tree: Path  #: where builds run (restored from pristine before each test that edits it)
    pristine: Path  #: the tree as the clean build left it: read, never built in
    results: dict
    #: the gallery executed a second time from nothing, in its own copy (``rerun``), started in the
    #: background as soon as the clean build ends; None when the session does not compare the two
    second_execution: object | None = None
    rerun: Path | None = None
    #: ``make pdf epub`` in its own copy (``buildkit.Printing``), started in the background when the clean build ends
    printed: object | None = None

    def second_gallery_execution(self):
        """Wait for the second execution of the gallery and return its build result."""
        if self.second_execution is None:
            raise RuntimeError(f"the second execution starts only in a session that runs {SECOND_EXECUTION_TEST}")
        return self.second_execution.finish()


def start_second_execution(pristine: Path, rerun: Path):
    """Execute every gallery script again, from nothing, in a copy of the clean build.

    Only the gallery runs again: the copy keeps the chapters' execution cache, and the dummy
    builder writes no pages.
    """
    from bookbuild.layout import GALLERY_OUTPUT
    from tools import buildkit

    shutil.copytree(pristine, rerun, symlinks=True,
                    ignore=lambda folder, names: [n for n in names if Path(folder, n) == pristine / GALLERY_OUTPUT])
    return buildkit.Running(rerun, buildkit.LANGUAGES[0], builder="dummy", background=True)


class SessionBuild:
    """The session's clean build, made in the background while the tests that do not need it run.

    Building the book takes minutes of both cores, and most tests never read it. So the build
    starts as soon as the tests are collected, those tests run first (``pytest_collection_modifyitems``
    puts the build tests last, each group in its own order), and the first test that needs the
    build waits for it. Once it is done, the second execution of the gallery starts in the
    background in turn, beside the tests that only read the build.
    """

    def __init__(self, base: Path, second_execution: bool, printed: bool = False):
        from tools import buildkit

        self.base, self.second, self.value, self.error = base, second_execution, None, None
        self.printed = printed
        self.tree = buildkit.copy_tree(base / "tree")
        self.thread = threading.Thread(target=self._build, name="clean book build", daemon=True)
        self.thread.start()

    def _build(self) -> None:
        from tools import buildkit

        try:
            results = buildkit.build_both(self.tree)
            buildkit.write_landing_page(self.tree / "_build" / "html")
            pristine = self.base / "pristine"
            shutil.copytree(self.tree, pristine, symlinks=True)  # copies keep their mtimes: Sphinx sees nothing new
            build = CleanBuild(self.tree, pristine, results)
            if self.second:
                build.rerun = self.base / "rerun"
                build.second_execution = start_second_execution(pristine, build.rerun)
            if self.printed:
                build.printed = buildkit.Printing(pristine, self.base / "printed")
            self.value = build
        except BaseException as error:  # raised again in each test that asks for the build
            self.error = error

    def wait(self) -> CleanBuild:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.value

    def stop(self) -> None:
        """At the end of the session: a second execution still running (a session cut short) is ended."""
        self.thread.join()
        if self.value is not None and self.value.second_execution is not None:
            self.value.second_execution.stop()
        if self.value is not None and self.value.printed is not None:
            self.value.printed.stop()


SESSION_BUILD = pytest.StashKey[SessionBuild]()


def needs_build(item) -> bool:
    """Whether the test reads the clean build: through its fixtures, or, when no built site is given
    in ``$BOOK_HTML``, as a test marked ``build`` (which may ask for it with
    ``request.getfixturevalue``) or a browser test (tests/browser/conftest.py's ``site``)."""
    fixtures = set(getattr(item, "fixturenames", ()))
    given = bool(os.environ.get("BOOK_HTML"))
    return bool(BUILD_FIXTURES & fixtures) or not given and (
        item.get_closest_marker("build") is not None or "site" in fixtures)


def pytest_collection_modifyitems(config, items):
    """A test that reads the clean build (directly or through ``gallery_results``) is a ``build`` test.
    The tests that read the build run after every test that does not (see :class:`SessionBuild`)."""
    for item in items:
        if BUILD_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.build)
    # a stable sort: each group keeps its order; the comparison of two executions comes last, so that
    # the second execution has the whole of the build tests to run beside
    items.sort(key=lambda item: (needs_build(item), getattr(item, "originalname", None) == SECOND_EXECUTION_TEST))


def pytest_collection_finish(session):
    """Start the clean build now if a selected test will read it."""
    if session.config.option.collectonly or not any(needs_build(item) for item in session.items):
        return
    second = any(getattr(item, "originalname", None) == SECOND_EXECUTION_TEST for item in session.items)
    printed = any(reads_printed_editions(item) for item in session.items)
    session.config.stash[SESSION_BUILD] = SessionBuild(book_folder(session.config), second, printed)


def reads_printed_editions(item) -> bool:
    """A test of tests/test_pdf_epub.py that reads ``make pdf epub``, on a machine that can make them."""
    if PRINTED_FIXTURE not in getattr(item, "fixturenames", ()) or item.module.__name__.rpartition(".")[2] != "test_pdf_epub":
        return False
    import printed_needs

    return printed_needs.hint("tests") is None


def pytest_terminal_summary(terminalreporter, config):
    """How long the session's clean build took (its wall time counts the tests that ran beside it)."""
    build = config.stash.get(SESSION_BUILD, None)
    if build is not None and build.value is not None:
        for language, result in build.value.results.items():
            terminalreporter.write_line(f"clean build, {language}: {result.seconds:.1f} s wall, {result.cpu_seconds:.1f} s CPU")


def pytest_sessionfinish(session):
    build = session.config.stash.get(SESSION_BUILD, None)
    if build is not None:
        build.stop()


def book_folder(config) -> Path:
    # the tmp_path_factory fixture is this object (a hook cannot request a fixture)
    return config._tmp_path_factory.mktemp("book")


@pytest.fixture(scope="session")
def clean_build(request) -> CleanBuild:
    """One clean build of both editions and the landing page, in a copy of the tree.

    Made once per session, in the background (:class:`SessionBuild`): the build tests
    (tests/test_build.py) and the browser tests (tests/browser/) read its copy ``pristine``;
    only the former edit ``tree``.
    """
    build = request.config.stash.get(SESSION_BUILD, None)
    if build is None:  # not started at collection: start it now
        build = request.config.stash[SESSION_BUILD] = SessionBuild(book_folder(request.config), False)
    return build.wait()


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
