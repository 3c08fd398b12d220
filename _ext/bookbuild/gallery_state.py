"""A clean slate before each gallery script (sphinx-gallery's ``reset_modules``)."""

from __future__ import annotations

import sys


def reset_gallery_state(gallery_conf: dict, fname: str) -> None:
    """Before each gallery script: forget the previous script's Keras models.

    The scripts run in one process; each seeds its own generators, and this
    makes sure no TensorFlow graph state leaks from one script into the next.
    """
    if "tensorflow" in sys.modules:
        sys.modules["tensorflow"].keras.backend.clear_session()
