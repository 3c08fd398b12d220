"""Each chapter as a Jupyter notebook: the executed ``.ipynb`` in the chapter's download menu.

myst-nb writes every executed chapter, outputs included, to ``OUT/../jupyter_execute/``.
For a page that has one, this copies it beside the page's source
(``OUT/_sources/<page>.ipynb``) and tells sphinx-book-theme, whose download menu then
offers ``.ipynb`` next to the MyST source.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx


def offer_notebook(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if doctree is None or not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"
