"""The book's editions: the one table of what differs between English and Korean.

Everything that names an edition reads it from here: ``conf.py`` (through
:func:`configure_edition`), the language switch and the redirect
(:mod:`bookbuild.edition_links`), and the landing page and the build tools
(``tools/buildkit.py``). This module imports nothing from Sphinx, so that the
tools can read the table without starting Sphinx.

    sphinx-build -b html . OUT                  # the default edition (English)
    sphinx-build -b html -D language=ko . OUT   # the Korean edition
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bookbuild.layout import BOOK, GALLERY_OUTPUT

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


@dataclass(frozen=True)
class Edition:
    code: str  #: the Sphinx ``language`` and the folder ``book/<code>/``
    title: str  #: the book's title, page titles and the landing page
    label: str  #: the edition's name in its own language (the language switch)
    author: str  #: the copyright line
    search: str  #: the search box's placeholder (the theme does not translate it)
    language_word: str  #: "Language" in the edition's language (the switch's aria-label)


EDITIONS: dict[str, Edition] = {
    edition.code: edition
    for edition in (
        Edition(
            code="en",
            title="Deep Learning with TensorFlow, from the Ground Up",
            label="English",
            author="the authors of the book",
            search="Search...",
            language_word="Language",
        ),
        Edition(
            code="ko",
            title="TensorFlow로 밑바닥부터 쌓는 딥러닝",
            label="한국어",
            author="이 책의 저자들",
            search="검색...",
            language_word="언어",
        ),
    )
}
#: Build order: the first edition executes the chapters and the gallery, the others
#: take every output from the shared caches. It is also what a plain ``sphinx-build`` builds.
LANGUAGES: tuple[str, ...] = tuple(EDITIONS)
DEFAULT = LANGUAGES[0]
COPYRIGHT_YEAR = 2026


def edition(language: str | None) -> Edition:
    """The edition for a Sphinx ``language`` (``None`` is the default edition)."""
    code = language or DEFAULT
    if code not in EDITIONS:
        raise ValueError(f"language must be one of {sorted(EDITIONS)}, got {code!r}")
    return EDITIONS[code]


def other_editions(language: str) -> list[Edition]:
    return [e for code, e in EDITIONS.items() if code != language]


def configure_edition(app: Sphinx, config: Config) -> None:
    """Set the edition's sources, titles and ``only`` tag, once ``-D language=`` is applied.

    Connected to ``config-inited``: ``conf.py`` sets none of these itself. After
    this, ``config.language`` is the edition's code, the one place the rest of
    the extension reads it from.
    """
    this = edition(config.language)
    config.language = this.code
    config.root_doc = f"{BOOK}/{this.code}/index"
    config.include_patterns = [f"{BOOK}/{this.code}/**", f"{GALLERY_OUTPUT}/**"]
    config.project = config.html_title = this.title
    config.author = this.author
    config.copyright = f"{COPYRIGHT_YEAR}, {this.author}"
    config.html_theme_options = {**config.html_theme_options, "search_bar_text": this.search}
    app.tags.add(this.code)
    for other in other_editions(this.code):
        if app.tags.has(other.code):
            app.tags.remove(other.code)
