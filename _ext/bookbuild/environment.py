"""The environment every chapter and gallery script runs in: the build's and the tests' alike.

``conf.py`` sets it before Sphinx starts any kernel or gallery worker (they inherit
it), and ``tests/conftest.py`` sets it before a test imports TensorFlow, so that a
test that runs a script computes what the build computed.
"""

from __future__ import annotations

import os

#: Name -> value. Two jobs run at a time on the book's two cores (bookbuild.schedule),
#: so each gets one thread: two threads per job would make four on two cores, and
#: oneDNN's and OpenMP's waiting threads spin, which made one script cost several
#: times its CPU (benchmarks/build.py). oneDNN is on: it runs the book's TensorFlow
#: scripts several times faster on this CPU; its one notice at import is let through
#: (``bookbuild.schedule.ONEDNN_NOTICE``).
EXECUTION = {
    "PYTHONHASHSEED": "0",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MPLBACKEND": "agg",
}


def apply(*, override: bool = True) -> None:
    """Put :data:`EXECUTION` into ``os.environ`` (``override=False`` keeps what is already set)."""
    for name, value in EXECUTION.items():
        if override or name not in os.environ:
            os.environ[name] = value
