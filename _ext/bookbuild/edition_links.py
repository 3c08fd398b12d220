"""Links between the editions: the language switch on every page, and ``OUT/index.html``.

The editions are built side by side, ``OUT/en/`` and ``OUT/ko/``, and a page's
name differs between them only in its ``book/<lang>/`` prefix.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from sphinx.application import Sphinx

from bookbuild.editions import edition, other_editions
from bookbuild.layout import BOOK


def add_language_switch(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Give ``_templates/lang-switch.html`` this edition and the same page in the other one."""
    this = edition(app.config.language)
    other = other_editions(this.code)[0]
    other_page = re.sub(rf"^{BOOK}/{this.code}/", f"{BOOK}/{other.code}/", pagename)
    up = "../" * (pagename.count("/") + 1)
    context["book_this_language"] = {"code": this.code, "label": this.label, "language_word": this.language_word}
    context["book_other_language"] = {
        "code": other.code,
        "label": other.label,
        "url": f"{up}{other.code}/{other_page}.html",
    }
    context["book_edition_root"] = f"{BOOK}/{this.code}/index"


def write_edition_redirect(app: Sphinx, exception) -> None:
    """``OUT/index.html`` sends a reader to the edition's first page."""
    if exception is not None or app.builder.format != "html":
        return
    this = edition(app.config.language)
    target = f"{BOOK}/{this.code}/index.html"
    title = html.escape(this.title)
    (Path(app.outdir) / "index.html").write_text(
        "<!DOCTYPE html>\n"
        f'<html lang="{this.code}"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={target}">'
        f"<title>{title}</title>"
        '<link rel="icon" href="_static/favicon.svg" type="image/svg+xml"></head>'
        f'<body><a href="{target}">{title}</a></body></html>\n',
        encoding="utf-8",
    )
