"""Gallery workers last: a script that grows its worker by more than loky's 300 MB does not replace it.

sphinx-gallery runs each folder's scripts in joblib's loky workers, which restart
themselves after a task that grew them by more than 300 MB. A TensorFlow import
alone does that, and every restart made the next script import TensorFlow again.
``bookbuild.gallery_state`` (imported in the worker as the ``reset_modules`` hook)
raises the limit; these tests check the limit and a real worker.
"""

import os
import time

import numpy as np
import pytest
from joblib.externals.loky import get_reusable_executor, process_executor

# (bookbuild is imported inside the tests only: the workers import this module too, and the
# control below needs a worker where it was never imported)
_KEPT = []  # in the worker: what the tasks allocated, held so that the worker stays grown


def _task(megabytes, *, hook):
    if hook:
        import bookbuild.gallery_state  # noqa: F401  (what sphinx-gallery's reset hook does in a worker)
    _KEPT.append(np.ones(megabytes * 2**20 // 8))
    time.sleep(1.2)  # loky checks a worker's memory at most once a second
    return os.getpid()


def _worker_pids(hook):
    executor = get_reusable_executor(max_workers=1, timeout=60, reuse=False)
    try:
        return [executor.submit(_task, megabytes, hook=hook).result() for megabytes in (0, 400, 0)]
    finally:
        executor.shutdown(wait=True)


def test_the_limit_is_raised_where_the_module_is_imported():
    from bookbuild import gallery_state

    assert process_executor._MAX_MEMORY_LEAK_SIZE >= gallery_state.WORKER_MEMORY_GROWTH > 300 * 2**20


@pytest.mark.slow  # spawns worker processes (a few seconds)
def test_a_worker_that_grows_by_400_mb_is_kept():
    pids = _worker_pids(hook=True)
    assert len(set(pids)) == 1, pids


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:A worker stopped")  # loky says so when it replaces a worker
def test_without_the_hook_loky_replaces_that_worker():
    """The control: loky's own limit, unpatched in a fresh worker, does replace it."""
    pids = _worker_pids(hook=False)
    assert pids[0] == pids[1] != pids[2], pids
