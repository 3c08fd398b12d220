"""Caches that never lie: what ran before runs again when the ann_lib code it imports changed.

myst-nb's execution cache (jupyter-cache) keys a chapter on its code cells, and
sphinx-gallery re-runs a script only when the script's own md5 changed; neither
sees a change in ``ann_lib``. This module folds a fingerprint of the ann_lib files
each chapter and script imports (:mod:`bookbuild.ann_lib_deps`) into both keys.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from bookbuild.ann_lib_deps import dependencies, digest, fingerprint
from bookbuild.cells import code_cells
from bookbuild.layout import BOOK, GALLERY_OUTPUT, GALLERY_SOURCE, package_dir

logger = logging.getLogger(__name__)

STAMP_SUFFIX = ".ann_lib.sha256"
#: The hidden cell that carries a chapter's fingerprint. Its wording is part of every
#: chapter's cache key: changing it re-executes the whole book once.
FINGERPRINT_CELL = (
    "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n\n"
    "# ann_lib fingerprint, added by _ext/bookbuild.py: {digest}\n```\n"
)


#: The code that saves every gallery figure (and its Korean twin): a change to it re-draws them all.
SCRAPER = Path(__file__).with_name("figures_korean.py")


def invalidate_stale_gallery(app: Sphinx) -> None:
    """Delete sphinx-gallery's md5 of every script whose ann_lib dependencies, or the scraper
    that saves its figures (:mod:`bookbuild.figures_korean`), changed.

    Connected to ``builder-inited`` before sphinx-gallery's own handler, which
    then re-runs exactly those scripts (it skips a script only when its md5 file
    matches). The fingerprint of the ann_lib files each script depends on, and the
    scraper's, are kept beside the md5 file, one per line.
    """
    root = Path(app.confdir)
    package = package_dir(root)
    scraper = hashlib.sha256(SCRAPER.read_bytes()).hexdigest()
    for script in sorted((root / GALLERY_SOURCE).rglob("*.py")):
        relative = script.relative_to(root / GALLERY_SOURCE)
        target = root / GALLERY_OUTPUT / relative
        stamp = target.with_name(target.name + STAMP_SUFFIX)
        current = [fingerprint([script.read_text(encoding="utf-8")], package), scraper]
        previous = stamp.read_text().split("\n") if stamp.exists() else None
        if current == previous:
            continue
        md5 = target.with_name(target.name + ".md5")
        if md5.exists():
            if previous is None or current[0] != previous[0]:
                logger.info(f"[bookbuild] ann_lib changed under {relative}: it will run again")
            else:
                logger.info(f"[bookbuild] the figure scraper changed: {relative} will run again")
            md5.unlink()
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text("\n".join(current))


def create_execution_cache(app: Sphinx) -> None:
    """Create jupyter-cache's database before a parallel read (``-j 2``) starts.

    Otherwise two processes that execute their first chapters at the same time
    both try to create its tables.
    """
    if app.config.nb_execution_mode == "cache" and app.config.nb_execution_cache_path:
        from jupyter_cache import get_cache

        get_cache(app.config.nb_execution_cache_path).list_cache_records()


def fingerprint_chapter(app: Sphinx, docname: str, source: list[str]) -> None:
    """Fold the chapter's ann_lib dependencies into its execution-cache key.

    jupyter-cache hashes a notebook's code cells, so the fingerprint goes in as a
    hidden (``remove-cell``) code cell: when an imported ann_lib module changes,
    the hash changes and the chapter is executed again. Each dependency is also
    noted with Sphinx, so that an edit to it marks the chapter outdated.
    """
    if not docname.startswith(BOOK + "/"):
        return
    text = source[0]
    cells = code_cells(text)
    if not cells:
        return
    package = package_dir(Path(app.confdir))
    files = dependencies(cells, package)
    for path in files:
        app.env.note_dependency(str(path))
    if files:
        source[0] = text.rstrip("\n") + FINGERPRINT_CELL.replace("{digest}", digest(files, package))
