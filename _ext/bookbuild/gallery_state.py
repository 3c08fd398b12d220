"""A clean slate before each gallery script (sphinx-gallery's ``reset_modules``), in workers that last.

sphinx-gallery runs the scripts of a gallery folder in joblib's loky worker
processes, and this module is imported in each worker (it holds the
``reset_modules`` hook). After every task a loky worker compares its memory with
what it used after its first task and restarts itself when it has grown by more
than 300 MB, taking the growth for a leak. Importing TensorFlow alone grows a
process by more than that, so a worker whose first script did not use TensorFlow
was replaced after its first one that did, and the next script paid for a new
interpreter and a new TensorFlow import. The scripts do not leak (each starts with
:func:`reset_gallery_state`), so on import this module raises loky's limit in the
worker to :data:`WORKER_MEMORY_GROWTH` bytes.
"""

from __future__ import annotations

import sys

from joblib.externals.loky import process_executor

#: How much a gallery worker may grow before loky replaces it (loky's own default is 300 MB).
WORKER_MEMORY_GROWTH = 6 * 2**30


def keep_gallery_workers() -> None:
    """Let loky workers keep TensorFlow imported between scripts (see the module's docstring)."""
    if not hasattr(process_executor, "_MAX_MEMORY_LEAK_SIZE"):
        raise RuntimeError("joblib's loky no longer has _MAX_MEMORY_LEAK_SIZE; see bookbuild/gallery_state.py")
    process_executor._MAX_MEMORY_LEAK_SIZE = max(process_executor._MAX_MEMORY_LEAK_SIZE, WORKER_MEMORY_GROWTH)


keep_gallery_workers()


def reset_gallery_state(gallery_conf: dict, fname: str) -> None:
    """Before each gallery script: forget the previous script's Keras models.

    The scripts run in one process; each seeds its own generators, and this
    makes sure no TensorFlow graph state leaks from one script into the next.
    """
    if "tensorflow" in sys.modules:
        sys.modules["tensorflow"].keras.backend.clear_session()
