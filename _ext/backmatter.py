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
Korean dictionary, rather than one heading per syllable. Each entry gives the term's
one-sentence definition in the edition's language and links the chapter that teaches it
(the table's ``Chapter``, ``Definition`` and ``정의`` columns).

**Names.** ``csv-names PATH`` (the glossary page's last section) lists the people and
systems of ``book/names.csv`` the same way: in Korean under the Hangul form, with the Latin
form, who they are and the other spellings Korean writers use (the Korean search maps those to
the Hangul form: ``bookbuild.search``).

**Links from the chapters.** :class:`LinkFirstUses` finds the glossary's terms in each
chapter's prose (:func:`find_terms`: the longest form first, whole English words with their
plurals, abbreviations in their own case, Korean terms at the start of a word with their
particles) and links the first use of each to its entry, as ``{term}`` would; no chapter
has to be edited by hand. The index points into the chapters: at the heading that names a
term, or else at its first use, a main (bold) entry in the chapter that teaches the term
and a plain one in the others, beside the glossary's own entry.

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
import hashlib
import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import Glossary
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

from bookbuild.editions import edition

ENGLISH, KOREAN, NOT_USED = "English", "한국어", "Not used / 쓰지 않는 말"
CHAPTER, ALSO_WRITTEN, DEFINITION, DEFINITION_KO = "Chapter", "Also written", "Definition", "정의"
GLOSSARY_CSV = Path(__file__).resolve().parents[1] / "book" / "glossary.csv"
NAMES_CSV = Path(__file__).resolve().parents[1] / "book" / "names.csv"
LATIN, HANGUL_NAME, OTHER_SPELLINGS, WHO, WHO_KO = "Latin", "한국어", "Other spellings / 다른 표기", "Who", "설명"


def read_glossary(path: Path = GLOSSARY_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return [
            {key: (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(f)
            if row.get(ENGLISH, "").strip()
        ]


# ------------------------------------------------------------------ finding a term in prose
HANGUL = "\uac00-\ud7a3"
_NAME_AND_ALIAS = re.compile(r"^(.*?)\s*\((.*)\)$")
#: English terms that are also verbs (to return, to state, to sample...): linked only as nouns,
#: after an article or a possessive ("the return", "a sample", "its state").
ALSO_A_VERB = {"return", "state", "recall", "sample", "label", "filter", "weight", "action", "rank", "reward"}
#: Words the chapters also use in another sense than the glossary's (float precision, an RBF
#: kernel, the unit square, an HMM's states): a use that one of these patterns covers is not the term.
OTHER_SENSES = re.compile("|".join([
    r"\b(?:single|double|half|float\d*|machine|numerical)[\s-]+precision",
    r"\b(?:RBF|Gaussian|polynomial)\s+kernel",
    r"\bunit\s+(?:square|circle|ball|variance|vector|interval|length)",
    r"\bspeech\s+units?",
    r"\bsample\s+(?:variance|mean|points?|rate)",
    r"\b(?:IoU|overlap)\s+threshold",
    r"\b(?:HMM|hidden Markov model|Gaussian mixture model)\b[^.]*?\bstates?\b",
    r"source[–-]filter", r"\bfilter\s+banks?", r"\bkernel\s+(?:methods?|machines?)",
    r"필터\s*뱅크", r"커널\s*방법",
    r"음원[–-]?필터", r"RBF\s*커널", r"(?:기계|float\d*)\s*정밀도", r"특성을?\s*탐지",
    r"배치(?:되|하|한|해|돼|된)", r"(?:물체|위치)와\s*배치",  # 배치 also means deployment, arrangement
]))
#: Everyday words (state, action, 상태, 행동...) that name the idea of reinforcement learning only
#: from the chapter that teaches it: before it, they are not linked.
LINKED_FROM_ITS_CHAPTER = {"state", "action", "environment", "agent", "reward", "return", "policy",
                           "episode", "exploration"}
_DETERMINERS = {"the", "a", "an", "its", "their", "each", "every", "this", "that", "one", "our", "whose"}


def _names(term: str) -> tuple[str, str | None]:
    """``"rectified linear unit (ReLU)"`` -> ``("rectified linear unit", "ReLU")``."""
    match = _NAME_AND_ALIAS.match(term)
    return (match.group(1), match.group(2)) if match else (term, None)


def term_forms(rows: list[dict[str, str]], language: str) -> dict[str, str]:
    """Every written form of every term in one edition's prose -> the glossary term it links to.

    A term's form is its name; a one-word name in parentheses is a second form (ReLU, XOR,
    sigmoid) unless it names another term (the "(CTC)" of "blank (CTC)") or qualifies the name
    (the "(of neural network research)" of "winter"); the column "Also written" adds the other
    ways the English chapters write it (unit step, sub-sampling). The Korean edition writes the
    Korean term, and the Latin abbreviations (ReLU, IoU) that the English forms include.
    """
    forms: dict[str, str] = {}
    primary = {_names(row[ENGLISH])[0].casefold() for row in rows} | {_names(row[KOREAN])[0] for row in rows}
    # an abbreviation in parentheses belongs to the longest name that carries it: CTC is
    # connectionist temporal classification, and only qualifies blank (CTC)
    owner: dict[str, str] = {}
    for row in rows:
        name, alias = _names(row[ENGLISH])
        if alias and len(name) > len(_names(owner.get(alias, ""))[0]):
            owner[alias] = row[ENGLISH]
    for row in rows:
        english, alias = _names(row[ENGLISH])
        korean, korean_alias = _names(row[KOREAN])
        aliases = [a for a in (alias, korean_alias) if a and " " not in a and a.casefold() not in primary
                   and a not in primary and owner.get(a, row[ENGLISH]) == row[ENGLISH]]
        aliases += [a.strip() for a in row.get(ALSO_WRITTEN, "").split(";") if a.strip()]
        if language == "ko":
            names = [korean] + [a for a in aliases if re.search(f"[{HANGUL}]", a) or _is_acronym(a)]
            target = row[KOREAN]
        else:
            names = [english] + [a for a in aliases if not re.search(f"[{HANGUL}]", a)]
            target = row[ENGLISH]
        for name in names:
            forms.setdefault(name, target)
    return forms


def _is_acronym(form: str) -> bool:
    return len(re.findall("[A-Z]", form)) >= 2 and len(form) <= 5


def form_pattern(forms: dict[str, str]) -> re.Pattern:
    """One pattern for all forms, the longest first, so that "gradient descent" wins over "gradient".

    English forms match whole words (and their plurals) in any case, except acronyms (ReLU, CTC),
    which keep their case; a Korean form starts a word and may carry a particle (수용 영역은).
    """
    alternatives = []
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        escaped = re.escape(form).replace("\\ ", r"\s+")
        if re.search(f"[{HANGUL}]", form):
            alternatives.append(f"(?<![{HANGUL}]){escaped}")
        elif _is_acronym(form):
            alternatives.append(f"(?<![A-Za-z0-9_-])(?-i:{escaped})(?:s)?(?![A-Za-z0-9_-])")
        else:
            alternatives.append(f"(?<![A-Za-z0-9_-]){escaped}(?:s|es)?(?![A-Za-z0-9_-])")
    return re.compile("|".join(f"({a})" for a in alternatives), re.IGNORECASE)


def find_terms(text: str, forms: dict[str, str], pattern: re.Pattern | None = None):
    """Yield ``(start, end, term)`` for each use of a glossary term in ``text``, left to right."""
    pattern = pattern or form_pattern(forms)
    ordered = sorted(forms, key=lambda f: (-len(f), f))
    for match in pattern.finditer(text):
        form = ordered[match.lastindex - 1]
        if form.casefold() in ALSO_A_VERB:
            before = re.findall(r"[A-Za-z]+", text[: match.start()][-20:])
            if not before or before[-1].casefold() not in _DETERMINERS:
                continue
        stop = text.rfind(". ", 0, match.start())
        sentence_start = 0 if stop < 0 else stop + 2
        if any(other.start() <= match.start() and match.end() <= other.end()
               for other in OTHER_SENSES.finditer(text, sentence_start, match.end() + 12)):
            continue
        yield match.start(), match.end(), forms[form]


_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_FOLD = {"ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ"}  # a dictionary files ㄲ under ㄱ


def index_group(term: str) -> str:
    """The index heading a term is filed under: its first consonant for Hangul (활성화 -> ㅎ), else ''."""
    first = term[:1]
    if "\uac00" <= first <= "\ud7a3":
        initial = _INITIALS[(ord(first) - 0xAC00) // 588]
        return _FOLD.get(initial, initial)
    return ""


def chapter_number(chapter: str) -> int:
    """``"05-convolutional-networks"`` -> 5."""
    return int(chapter.split("-", 1)[0])


def glossary_lines(rows: list[dict[str, str]], language: str) -> list[str]:
    """The body of a ``glossary`` directive: term line(s), then an indented definition.

    An entry says what the term means (one sentence, written for each edition), which chapter
    teaches it (a link), the other edition's term and the words the book does not use.
    """
    lines = []
    key = KOREAN if language == "ko" else ENGLISH
    for row in sorted(rows, key=lambda r: r[key].strip().casefold()):
        english, korean = row[ENGLISH].strip(), row[KOREAN].strip()
        not_used = [v.strip() for v in (row.get(NOT_USED) or "").split(";") if v.strip()]
        chapter = row.get(CHAPTER, "")
        if language == "ko":
            group = index_group(korean)
            lines.append(f"{korean} : {group}" if group else korean)  # " : key" files it under ㄱ, ㄴ, ...
            if english.casefold() != korean.casefold():
                lines.append(english)
            where = f"{{doc}}`{chapter_number(chapter)}장 <{chapter}>`에서 다룹니다. " if chapter else ""
            notes = where + f"영어: {english}." + (f" 쓰지 않는 말: {', '.join(not_used)}." if not_used else "")
            definition = row.get(DEFINITION_KO, "")
        else:
            lines.append(english)
            where = f"Taught in {{doc}}`chapter {chapter_number(chapter)} <{chapter}>`. " if chapter else ""
            notes = where + f"Korean: {korean}." + (f" Not used: {', '.join(not_used)}." if not_used else "")
            definition = row.get(DEFINITION, "")
        if definition:
            lines += [f"   {definition}", ""]
        lines += [f"   {notes}", ""]
    return lines


class CsvGlossary(SphinxDirective):
    """``csv-glossary PATH``: Sphinx's glossary, one entry per row of the CSV at PATH (relative to the page)."""

    required_arguments = 1
    has_content = False

    def entries(self, path: Path, language: str) -> list[str]:
        """The glossary directive's body for the CSV at ``path``."""
        return glossary_lines(read_glossary(path), language)

    def run(self):
        relative, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(relative)
        lines = self.entries(Path(path), edition(self.config.language).code)
        glossary = Glossary(
            "glossary", [], {"sorted": True}, StringList(lines, source=path), self.lineno,
            self.content_offset, self.block_text, self.state, self.state_machine,
        )
        return glossary.run()


def read_names(path: Path = NAMES_CSV) -> list[dict[str, str]]:
    """The people and systems of ``book/names.csv``: Hangul and Latin forms, other spellings."""
    with path.open(encoding="utf-8") as f:
        return [{key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(f)
                if (row.get(LATIN) or "").strip()]


def names_lines(rows: list[dict[str, str]], language: str) -> list[str]:
    """The body of a ``glossary`` directive for the names section: one entry per person or system.

    The Korean edition files each under its Hangul form (with the Latin as a second heading), says
    who they are and lists the other spellings Korean writers use; the English edition files them
    under the Latin form and gives the Hangul one.
    """
    lines = []
    key = HANGUL_NAME if language == "ko" else LATIN
    for row in sorted(rows, key=lambda r: r[key].casefold()):
        latin, hangul = row[LATIN], row[HANGUL_NAME]
        others = [s.strip() for s in row.get(OTHER_SPELLINGS, "").split(";") if s.strip()]
        if language == "ko":
            group = index_group(hangul)
            lines += [f"{hangul} : {group}" if group else hangul, latin]
            notes = f"로마자: {latin}." + (f" 다른 표기: {', '.join(others)}." if others else "")
            who = row.get(WHO_KO, "")
        else:
            lines.append(latin)
            notes = f"Korean: {hangul}." + (f" Other Korean spellings: {', '.join(others)}." if others else "")
            who = row.get(WHO, "")
        lines += ([f"   {who}", ""] if who else []) + [f"   {notes}", ""]
    return lines


class CsvNames(CsvGlossary):
    """``csv-names PATH``: the glossary's names section, one entry per row of ``book/names.csv``."""

    def entries(self, path: Path, language: str) -> list[str]:
        return names_lines(read_names(path), language)


_CHAPTER = re.compile(r"book/[a-z]+/(\d\d-[\w-]+)")
#: Where a term is not linked: code, math, headings, captions, quotations, links and notes.
_NOT_PROSE = (
    nodes.literal_block, nodes.literal, nodes.math, nodes.math_block, nodes.raw, nodes.comment,
    nodes.title, nodes.subtitle, nodes.rubric, nodes.caption, nodes.legend, nodes.figure, nodes.image,
    nodes.reference, nodes.target, nodes.block_quote, nodes.footnote, nodes.citation, nodes.field_list,
    addnodes.pending_xref, addnodes.index, addnodes.toctree,
)


def _in_prose(node: nodes.Node) -> bool:
    parent, paragraph = node.parent, False
    while parent is not None:
        if isinstance(parent, _NOT_PROSE) or "cell_output" in parent.get("classes", []):
            return False
        paragraph = paragraph or isinstance(parent, nodes.paragraph)
        parent = parent.parent
    return paragraph


def _section_title(node: nodes.Node) -> nodes.title | None:
    """The section title that ``node`` is the text of (not code inside it), or None."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.title):
        if isinstance(parent, _NOT_PROSE):
            return None
        parent = parent.parent
    return parent if parent is not None and isinstance(parent.parent, nodes.section) else None


def _join_adjacent_text(document: nodes.document) -> None:
    """One Text node per run of text: MyST gives each source line its own, and a term may be
    broken over two lines ("weight\nsharing")."""
    for element in document.findall(nodes.TextElement):
        children, i = element.children, 0
        while i + 1 < len(children):
            if isinstance(children[i], nodes.Text) and isinstance(children[i + 1], nodes.Text):
                joined = nodes.Text(str(children[i]) + str(children[i + 1]))
                joined.parent = element
                children[i] = joined
                del children[i + 1]
            else:
                i += 1


class LinkFirstUses(SphinxTransform):
    """In a chapter, the first use of each glossary term links to its entry and enters the index.

    The entry in the index points at the term's first appearance: a section heading that names
    it ("Exploding gradients"), else its first use in prose; in the chapter that teaches the term
    (the glossary's "Chapter") it is a main entry, beside the glossary's own, in the other
    chapters a plain one. Headings, code, math, captions and quotations are never linked.
    Runs before Sphinx collects the page's index entries (850).
    """

    default_priority = 800

    def apply(self, **kwargs) -> None:
        docname = self.env.current_document.docname
        match = _CHAPTER.fullmatch(docname)
        if not match:
            return
        chapter, language = match.group(1), edition(self.config.language).code
        table = Path(self.env.srcdir) / self.config.book_glossary
        self.env.note_dependency(str(table))
        rows = read_glossary(table)
        by_target = {row[KOREAN if language == "ko" else ENGLISH]: row for row in rows}
        forms = term_forms(rows, language)
        pattern = form_pattern(forms)
        _join_adjacent_text(self.document)
        linked: set[str] = set()
        indexed: set[str] = set()
        for text in list(self.document.findall(nodes.Text)):
            title = _section_title(text)
            if title is not None:
                section = title.parent
                for _, _, term in find_terms(str(text), forms, pattern):
                    row = by_target[term]
                    if term not in indexed and not (row[ENGLISH] in LINKED_FROM_ITS_CHAPTER and chapter < row[CHAPTER]):
                        indexed.add(term)
                        position = next(i for i, child in enumerate(section.children) if child is title) + 1
                        section[position:position] = self._index_entry(by_target[term], chapter, language, title)
                continue
            if not _in_prose(text):
                continue
            value, pieces, done = str(text), [], 0
            for start, end, term in find_terms(value, forms, pattern):
                row = by_target[term]
                if term in linked or (row[ENGLISH] in LINKED_FROM_ITS_CHAPTER and chapter < row[CHAPTER]):
                    continue
                linked.add(term)
                pieces += [nodes.Text(value[done:start])] if start > done else []
                if term not in indexed:
                    indexed.add(term)
                    pieces += self._index_entry(by_target[term], chapter, language, text.parent)
                pieces.append(self._link(value[start:end], by_target[term], language, text.parent))
                done = end
            if pieces:
                pieces += [nodes.Text(value[done:])] if done < len(value) else []
                parent = text.parent
                index = next(i for i, child in enumerate(parent.children) if child is text)  # Text == its string
                parent[index : index + 1] = pieces

    def _index_entry(self, row: dict[str, str], chapter: str, language: str, near: nodes.Element) -> list:
        """An index entry for the term, and the anchor it points at (placed where it is inserted)."""
        english, korean = row[ENGLISH], row[KOREAN]
        anchor = "term-use-" + nodes.make_id(english)
        main = "main" if row.get(CHAPTER) == chapter else ""
        entries = [("single", english, anchor, main, None)]
        if language == "ko":
            entries.insert(0, ("single", korean, anchor, main, index_group(korean) or None))
        index = addnodes.index(entries=entries)
        index.source, index.line = near.source, near.line
        return [index, nodes.target("", "", ids=[anchor])]

    def _link(self, written: str, row: dict[str, str], language: str, near: nodes.Element) -> addnodes.pending_xref:
        """``written`` as a link to the term's glossary entry (what the ``{term}`` role makes)."""
        xref = addnodes.pending_xref(
            "", nodes.inline(written, written, classes=["xref", "std", "std-term"]),
            refdomain="std", reftype="term", reftarget=row[KOREAN if language == "ko" else ENGLISH],
            refexplicit=True, refwarn=True, refdoc=self.env.current_document.docname,
        )
        xref.source, xref.line = near.source, near.line
        return xref


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
    app.add_directive("csv-names", CsvNames)
    app.add_transform(LinkFirstUses)
    app.add_config_value("book_glossary", "book/glossary.csv", "env")  # the table the chapters link from
    # changes whenever this module does, so that a new rule re-reads (and re-links) every page
    app.add_config_value("book_glossary_rules", hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16], "env")
    app.connect("source-read", fill_in_cited_keys)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
