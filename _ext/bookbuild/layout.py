"""Where the build finds its sources and keeps its caches, relative to the book's root.

``conf.py``, the extension and the tools (``tools/``) all read these names from here.
"""

from __future__ import annotations

from pathlib import Path

BOOK = "book"  #: book/<language>/*.md, the chapters of each edition
GALLERY_SOURCE = "gallery"  #: gallery/NN_topic/plot_*.py, the scripts
GALLERY_OUTPUT = "_gallery"  #: what sphinx-gallery generates, shared by both editions
PACKAGE = "ann_lib"  #: the library whose changes re-run the chapters and scripts that import it
BUILD = "_build"
EXECUTION_CACHE = f"{BUILD}/.jupyter_cache"  #: myst-nb's executed cells, shared by both editions


def package_dir(root: Path) -> Path:
    return Path(root) / PACKAGE
