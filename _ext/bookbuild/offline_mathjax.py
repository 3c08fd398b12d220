"""Serve MathJax from ``_static/mathjax``: the pages make no third-party request."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset


def copy_mathjax(app: Sphinx, exception) -> None:
    """Copy MathJax 3 (with its fonts) into the edition's ``_static/mathjax``.

    The files come from the sphinx-mathjax-offline package; it is used as a
    source of files only, because as an extension it does not declare itself
    safe for parallel builds. ``conf.py`` points ``mathjax_path`` there.
    """
    if exception is not None or app.builder.format != "html":
        return
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        raise RuntimeError("sphinx-mathjax-offline is not installed: pip install -e '.[book]'")
    copy_asset(Path(spec.origin).parent / "static" / "mathjax", Path(app.outdir) / "_static" / "mathjax")
