"""The sidebar's link to the book's downloads: the PDF, the EPUB, the notebooks, one archive.

Every page's sidebar gets ``_templates/book-downloads.html`` (after the language switch),
which links to the downloads section of the front page, ``OUT/../index.html#downloads-<lang>``
(``tools/frontpage.py``). The link never depends on an archive: the front page always exists
after ``make html``, and lists the archive, PDF and EPUB only once ``make dist`` (``tools/dist.py``)
has made them; before that it says how to make them. Inside a download archive the same link
opens the archive's own front page, which lists the files beside it.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from bookbuild.editions import edition

LABEL = {"en": "Downloads", "ko": "내려받기"}
WHAT = {"en": "PDF, EPUB, notebooks, the whole book in one archive", "ko": "PDF, EPUB, 노트북, 책 전체를 담은 압축 파일"}
TEMPLATE = "book-downloads.html"


def add_downloads_link(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    this = edition(app.config.language)
    up = "../" * (pagename.count("/") + 1)  # from the page to OUT/.., where the front page is
    context["book_downloads"] = {
        "url": f"{up}index.html#downloads-{this.code}",
        "label": LABEL[this.code],
        "what": WHAT[this.code],
    }
    sidebars = context.get("sidebars")
    if isinstance(sidebars, list) and TEMPLATE not in sidebars:
        position = sidebars.index("lang-switch.html") + 1 if "lang-switch.html" in sidebars else len(sidebars)
        context["sidebars"] = [*sidebars[:position], TEMPLATE, *sidebars[position:]]
