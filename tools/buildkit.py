"""Build the book's two editions from a copy of the tree: for tests and benchmarks.

    python tools/buildkit.py landing _build/html    # write the landing page
    python tools/buildkit.py times [ROOT]           # the execution-time table (make html prints it)
    python tools/buildkit.py expected [ROOT]        # the last build's seconds per job become the
                                                    # scheduler's table (_ext/bookbuild/expected_seconds.json)

The build test (tests/test_build.py) and the build benchmark
(benchmarks/build.py) copy the tree to a scratch folder, so that they start
from nothing (no _build, no _gallery, no execution cache) and never touch
the caches of the work tree they run in.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, ROOT / "_ext"):  # `python tools/buildkit.py` as well as `from tools import buildkit`
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from bookbuild.editions import EDITIONS, LANGUAGES  # noqa: E402  (the one table of editions)

#: Sphinx processes: chapters execute in parallel (myst-nb), as do gallery scripts (conf.py).
JOBS = os.environ.get("BOOK_JOBS", "2")
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "_build", "_gallery", "__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info", "build"
)


def copy_tree(destination: Path) -> Path:
    """Copy what the build reads (sources, library, configuration) into ``destination``."""
    shutil.copytree(ROOT, destination, ignore=IGNORED, symlinks=True)
    return destination


#: A chapter executed: up front (bookbuild.schedule) or, after a failure there, by myst-nb while reading.
_EXECUTED = re.compile(r"^\[bookbuild\] executed (\S+\.md) up front|^(\S+\.md): Executing notebook using", re.MULTILINE)


@dataclass
class BuildResult:
    language: str
    seconds: float  #: wall time
    cpu_seconds: float  #: CPU time of sphinx-build and everything it started (kernels, workers)
    returncode: int
    log: str

    @property
    def executed_chapters(self) -> set[str]:
        """The chapters myst-nb executed (rather than took from its cache), as ``book/<lang>/NN-x.md``."""
        found = [m.group(1) or m.group(2) for m in _EXECUTED.finditer(self.log)]
        return {re.sub(r"^.*?(?=book/)", "", path) for path in found}

    @property
    def executed_notebooks(self) -> int:
        """How many chapters were executed (up front by bookbuild.schedule, or by myst-nb while reading)."""
        return len(_EXECUTED.findall(self.log))

    @property
    def rerun_gallery_scripts(self) -> set[str]:
        """The gallery scripts re-run because an ann_lib module they import changed (``NN_x/plot_y.py``)."""
        return set(re.findall(r"\[bookbuild\] ann_lib changed under (\S+): it will run again", self.log))

    @property
    def executed_gallery_scripts(self) -> int:
        match = re.search(r"Sphinx-Gallery successfully executed (\d+) out of", self.log)
        return int(match.group(1)) if match else 0

    def check(self) -> BuildResult:
        if self.returncode != 0:
            raise AssertionError(f"the {self.language} build failed ({self.returncode}):\n{self.log[-6000:]}")
        return self


#: How much lower a build in the background runs than the tests (``os.nice``): the tests in the
#: foreground are the session's critical path; a background build only has to be done by the time
#: its own tests, the last ones, ask for it, and it takes whatever CPU they leave.
BACKGROUND_NICENESS = 10


def _lower_priority() -> None:
    os.nice(BACKGROUND_NICENESS)


class Running:
    """A ``sphinx-build`` of one edition, started in ``tree``; :meth:`finish` waits for it."""

    def __init__(self, tree: Path, language: str, extra: tuple[str, ...] = (), builder: str = "html",
                 background: bool = False):
        # English is the configuration's default: build it exactly as a plain
        # `sphinx-build -b html . OUT` would, so that the default path is tested too.
        choose = [] if language == "en" else ["-D", f"language={language}"]
        command = [
            sys.executable, "-m", "sphinx", "-b", builder, "-W", "--keep-going", "-n", "-j", JOBS,
            *choose, *extra, ".", f"_build/{builder}/{language}",
        ]
        self.language, self.lines = language, []
        self.executing = threading.Event()  #: set once the build holds the execution lock (or has ended)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env=dict(os.environ, PYTHONUNBUFFERED="1"),  # each line as it is logged
                                        preexec_fn=_lower_priority if background else None)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)
            if "[bookbuild] _build/.execution.lock taken" in line:
                self.executing.set()
        self.executing.set()

    def stop(self) -> None:
        """End the build if it is still running: the session that started it ended first."""
        if not hasattr(self, "result"):
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGTERM)  # not Popen.terminate: it would reap the process
            self.finish()

    def finish(self) -> BuildResult:
        if hasattr(self, "result"):
            return self.result
        self.reader.join()
        _, status, usage = os.wait4(self.process.pid, 0)  # its CPU, with the kernels and workers it waited for
        self.process.returncode = os.waitstatus_to_exitcode(status)
        self.result = BuildResult(self.language, time.perf_counter() - self.started, usage.ru_utime + usage.ru_stime,
                                  self.process.returncode, "".join(self.lines))
        return self.result


class Printing:
    """``make pdf epub`` in a copy of a built tree (``pristine``), running in the background.

    The venv is the one running this Python: the copy's make never sets up or reinstalls it.
    """

    def __init__(self, pristine: Path, tree: Path):
        shutil.copytree(pristine, tree, symlinks=True)
        venv = Path(sys.prefix)
        self.tree = tree
        self.output = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self.process = subprocess.Popen(
            ["make", "-C", str(tree), "pdf", "epub", f"VENV={venv}", f"PYTHON={sys.executable}", "SETUP="],
            stdout=self.output, stderr=subprocess.STDOUT, text=True, preexec_fn=_lower_priority,
        )

    def finish(self, timeout: float = 3600) -> tuple[int, str]:
        """Wait for make and return its exit status and everything it printed."""
        returncode = self.process.wait(timeout=timeout)
        self.output.seek(0)
        return returncode, self.output.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait()


def build(tree: Path, language: str, *, extra: tuple[str, ...] = ()) -> BuildResult:
    """``sphinx-build -b html -W --keep-going -n -j 2 [-D language=ko] . _build/html/<language>`` in ``tree``."""
    return Running(tree, language, extra).finish()


def build_both(tree: Path) -> dict[str, BuildResult]:
    """Both editions at once, as ``make html`` builds them: English takes the execution lock first and
    executes what is stale; Korean waits for it, then reads the shared caches while English writes."""
    first = Running(tree, LANGUAGES[0])
    first.executing.wait()
    others = [Running(tree, language) for language in LANGUAGES[1:]]
    return {running.language: running.finish().check() for running in [first, *others]}


def write_landing_page(html_dir: Path) -> Path:
    """``_build/html/index.html``: both titles, both editions' chapters, the downloads (tools/frontpage.py)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from frontpage import write_front_page

    titles = {code: e.title for code, e in EDITIONS.items()}
    return write_front_page(html_dir, titles, ROOT / "_static" / "favicon.svg", ROOT)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "landing":
        print(write_landing_page(Path(sys.argv[2])).resolve())
    elif len(sys.argv) in (2, 3) and sys.argv[1] == "times":
        from tools import buildtimes

        print(buildtimes.table(Path(sys.argv[2]) if len(sys.argv) == 3 else ROOT))
    elif len(sys.argv) in (2, 3) and sys.argv[1] == "expected":
        import json

        from bookbuild import schedule

        measured = Path(sys.argv[2] if len(sys.argv) == 3 else ROOT) / schedule.MEASURED
        table = json.loads(measured.read_text(encoding="utf-8"))
        schedule.EXPECTED.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{schedule.EXPECTED}: {len(table)} jobs")
    else:
        sys.exit(__doc__)
