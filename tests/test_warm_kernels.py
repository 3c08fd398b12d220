"""Chapter kernels forked from a warm process (bookbuild.warm_kernels) are the kernels Jupyter would start.

The build executes each chapter in a kernel forked from one process that has already
imported TensorFlow. These tests hold such a kernel against a plain one (``python -m
ipykernel_launcher``, what myst-nb starts): the same interpreter state, fresh seeds in each,
and no kernel left behind when Jupyter kills one. That every chapter prints the same in both is
``tests/test_notebooks_dist.py``'s ``test_english_notebooks_run_as_downloaded``: it runs each
chapter again in a plain kernel and compares every output with the build's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import nbformat
import pytest

pytestmark = pytest.mark.slow  # each test starts TensorFlow in a warm process

from bookbuild import schedule, warm_kernels  # noqa: E402
from notebook_outputs import comparable  # noqa: E402

#: What a kernel can tell about how it was started.
STATE = """
import os, signal, sys, threading
print(sys.path, os.getcwd(), sys.argv[0], sys.executable, sys.flags)
print(sorted((k, v) for k, v in os.environ.items() if k not in ('JPY_PARENT_PID', 'JPY_SESSION_NAME')))
print([str(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD)], threading.active_count())
import matplotlib; print(matplotlib.get_backend())
"""
SEEDS = ("import random; print(random.random())", "import numpy; print(numpy.random.random())")


def notebook(*sources: str):
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    book.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return book


def execute(book, cwd, warm=None):
    """Run ``book`` as the build runs a chapter (``schedule._run_notebook``), in a warm kernel or a plain one;
    each cell's outputs as :func:`notebook_outputs.comparable` reads them (how a kernel cuts its prints
    into messages depends on timing, and the pages merge them: ``nb_merge_streams``)."""
    executed, _, failure = schedule._run_notebook(book, str(cwd), 300, False, warm and warm.socket)
    assert failure is None, failure
    return [comparable(cell.outputs) for cell in executed.cells]


@pytest.fixture(scope="module")
def warm():
    with warm_kernels.WarmKernels() as process:
        yield process


def test_the_warm_process_has_one_thread_when_it_forks(warm):
    """Forking is safe only from a process with one thread: importing numpy and TensorFlow must start none."""
    for _ in range(1200):  # it listens once its imports are done
        if os.path.exists(warm.socket):
            break
        time.sleep(0.05)
    assert os.path.exists(warm.socket), "the warm process never listened"
    assert len(os.listdir(f"/proc/{warm.process.pid}/task")) == 1


def test_a_warm_kernel_starts_as_a_plain_one(warm, tmp_path):
    forked, plain = execute(notebook(STATE), tmp_path, warm), execute(notebook(STATE), tmp_path)
    assert forked == plain
    (kind, name, text), = forked[0]  # one cell, all of it printed on stdout
    assert (kind, name) == ("stream", "stdout") and str(tmp_path) in text  # it runs in the chapter's folder


def test_each_warm_kernel_draws_its_own_seeds(warm, tmp_path):
    """A new interpreter seeds ``random`` and numpy's global generator from the OS; forked children must not share one."""
    first, second = execute(notebook(*SEEDS), tmp_path, warm), execute(notebook(*SEEDS), tmp_path, warm)
    assert first[0] != second[0], "random"
    assert first[1] != second[1], "numpy.random"


def test_a_killed_launcher_takes_its_kernel_with_it(warm, tmp_path):
    """Jupyter kills a kernel that does not shut down by killing its process, the launcher: the forked
    kernel must not live on."""
    connection_file = tmp_path / "kernel.json"
    from jupyter_client.connect import write_connection_file

    write_connection_file(str(connection_file))
    launcher = subprocess.Popen([sys.executable, warm_kernels.LAUNCHER, "launch", warm.socket, "-f", str(connection_file)],
                                cwd=tmp_path)
    kernel = None
    for _ in range(200):  # the warm process forks the kernel as soon as the launcher connects
        found = subprocess.run(["pgrep", "-P", str(warm.process.pid)], capture_output=True, text=True).stdout.split()
        if found:
            kernel = int(found[0])
            break
        time.sleep(0.05)
    assert kernel is not None, "no kernel was forked"
    launcher.send_signal(signal.SIGKILL)
    launcher.wait()
    for _ in range(100):
        if not os.path.exists(f"/proc/{kernel}") or open(f"/proc/{kernel}/stat").read().split()[2] == "Z":
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the kernel {kernel} outlived its killed launcher")


def test_the_build_runs_its_chapters_in_warm_kernels(clean_build):
    """The session's clean build started the warm process and no chapter fell back to a plain kernel."""
    log = clean_build.results["en"].log
    assert "chapters run in kernels forked from a warm process" in log
    assert "chapters run in plain kernels" not in log and "warm kernel process stopped" not in log
