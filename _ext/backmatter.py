"""The book's back matter: a glossary and index fed from ``book/glossary.csv``, and a bibliography of the works cited.

**Glossary.** In a glossary page::

    ```{csv-glossary} ../glossary.csv
    ```

builds a sorted ``glossary`` (Sphinx's own directive, so every term gets an
entry in the generated index and can be linked with ``{term}``). The English
edition lists the English terms, each with its Korean term and the words the
book does not use; the Korean edition lists the Korean terms, each followed by
its English term as a second heading, so that the index holds both; the Korean
terms are filed in the index under their first consonant (ㄱ, ㄴ, ㄷ, ...), as in a
Korean dictionary, rather than one heading per syllable.

**Bibliography.** The chapters cite with ``{footcite}``, which sphinxcontrib-bibtex
does not count as "cited" for a global bibliography. In a bibliography page::

    ```{bibliography}
    :filter: cited_in_book
    ```

lists exactly the entries that some page of the edition cites: before the page is
read, ``cited_in_book`` becomes ``key in {...}`` with every key cited in
``book/<language>/*.md``, and the page is re-read whenever one of those changes.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.domains.std import Glossary
from sphinx.util.docutils import SphinxDirective

from bookbuild.editions import edition

ENGLISH, KOREAN, NOT_USED = "English", "한국어", "Not used / 쓰지 않는 말"


def read_glossary(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return [row for row in csv.DictReader(f) if row.get(ENGLISH, "").strip()]


_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_FOLD = {"ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ"}  # a dictionary files ㄲ under ㄱ


def index_group(term: str) -> str:
    """The index heading a term is filed under: its first consonant for Hangul (활성화 -> ㅎ), else ''."""
    first = term[:1]
    if "\uac00" <= first <= "\ud7a3":
        initial = _INITIALS[(ord(first) - 0xAC00) // 588]
        return _FOLD.get(initial, initial)
    return ""


def glossary_lines(rows: list[dict[str, str]], language: str) -> list[str]:
    """The body of a ``glossary`` directive: term line(s), then an indented definition."""
    lines = []
    key = KOREAN if language == "ko" else ENGLISH
    for row in sorted(rows, key=lambda r: r[key].strip().casefold()):
        english, korean = row[ENGLISH].strip(), row[KOREAN].strip()
        not_used = [v.strip() for v in (row.get(NOT_USED) or "").split(";") if v.strip()]
        if language == "ko":
            group = index_group(korean)
            lines.append(f"{korean} : {group}" if group else korean)  # " : key" files it under ㄱ, ㄴ, ...
            if english.casefold() != korean.casefold():
                lines.append(english)
            definition = f"영어: {english}." + (f" 쓰지 않는 말: {', '.join(not_used)}." if not_used else "")
        else:
            lines.append(english)
            definition = f"Korean: {korean}." + (f" Not used: {', '.join(not_used)}." if not_used else "")
        lines += [f"   {definition}", ""]
    return lines


class CsvGlossary(SphinxDirective):
    """``csv-glossary PATH``: Sphinx's glossary, one entry per row of the CSV at PATH (relative to the page)."""

    required_arguments = 1
    has_content = False

    def run(self):
        relative, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(relative)
        lines = glossary_lines(read_glossary(Path(path)), edition(self.config.language).code)
        glossary = Glossary(
            "glossary", [], {"sorted": True}, StringList(lines, source=path), self.lineno,
            self.content_offset, self.block_text, self.state, self.state_machine,
        )
        return glossary.run()


_FOOTCITE = re.compile(r"\{footcite(?::[pt])?\}`([^`]+)`")
CITED_MARKER = ":filter: cited_in_book"


def cited_keys(pages: list[Path]) -> set[str]:
    """Every citation key that a ``{footcite}`` (``:p``, ``:t``) in ``pages`` names."""
    keys = set()
    for page in pages:
        for match in _FOOTCITE.finditer(page.read_text(encoding="utf-8")):
            keys.update(key.strip() for key in match.group(1).split(",") if key.strip())
    return keys


def fill_in_cited_keys(app: Sphinx, docname: str, source: list[str]) -> None:
    """Replace ``:filter: cited_in_book`` by the keys the edition's pages cite."""
    if CITED_MARKER not in source[0]:
        return
    page = Path(app.env.doc2path(docname))
    pages = sorted(p for p in page.parent.glob("*.md") if p != page)
    for other in pages:
        app.env.note_dependency(str(other))
    keys = ", ".join(f'"{key}"' for key in sorted(cited_keys(pages))) or '""'
    source[0] = source[0].replace(CITED_MARKER, f":filter: key in {{{keys}}}")


def setup(app: Sphinx) -> dict:
    app.add_directive("csv-glossary", CsvGlossary)
    app.connect("source-read", fill_in_cited_keys)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
