"""People and systems in the Korean edition: Hangul first, with the Latin name in parentheses.

``book/names.csv`` fixes, for each person or system the story is about, the Hangul form
(after the National Institute of Korean Language's loanword rules, 외래어 표기법), the Latin
form, the short forms the chapters use (Hinton, 힌턴) and the other spellings Korean writers use
(힌튼, 로젠블라트), which the search maps to the main form and the glossary lists. At its first
mention in each Korean chapter a name reads "제프리 힌턴(Geoffrey Hinton)"; citation-style author
lists (the map's table, "Deng, Dong, Socher, Li, Li, Fei-Fei") may stay Latin (CONTRIBUTING.md).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NAMES = ROOT / "book" / "names.csv"
KO_CHAPTERS = sorted((ROOT / "book" / "ko").glob("[0-9][0-9]-*.md"))
HANGUL = "\uac00-\ud7a3"


def names() -> list[dict[str, str]]:
    with NAMES.open(encoding="utf-8") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def other_spellings(row: dict[str, str]) -> list[str]:
    return [s.strip() for s in row["Other spellings / 다른 표기"].split(";") if s.strip()]


def prose(text: str) -> str:
    """The chapter with everything that is not running prose blanked (same length, same lines):
    code, inline code, roles, math, quotations, headings, directive options and tables."""
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "

    for m in re.finditer(r"(?ms)^(`{3,}).*?^\1[ \t]*$", text):
        blank(*m.span())
    for m in re.finditer(r'\{[a-z:]+\}`[^`]*`|`[^`\n]*`|\$[^$\n]+\$|"[^"\n]*"', text):
        blank(*m.span())
    for m in re.finditer(r"(?m)^(#.*|\s*:[\w-]+:.*|\|.*|>.*|\(.*\)=)$", text):
        blank(*m.span())
    return "".join(chars)


def reading(hangul: str) -> str:
    """V if the last syllable ends in a vowel, L in ㄹ, C in another consonant."""
    final = (ord(hangul[-1]) - 0xAC00) % 28
    return "V" if final == 0 else "L" if final == 8 else "C"


WRONG_AFTER = {"V": r"은|을|과|이|으로", "C": r"는|를|와|가|로", "L": r"는|를|와|가|으로"}


NAME_LIST = re.compile(r"(?:[A-Z][\w\u00C0-\u024F-]*,\s+){2,}[A-Z][\w\u00C0-\u024F-]*")


def citation_style(text: str, start: int, end: int) -> bool:
    """A Latin name that may stay Latin: in a list of three or more authors ("Bahdanau, Cho,
    Bengio"), or an eponym (Glorot 초기화, the LeCun scheme in bold)."""
    if any(m.start() <= start < m.end() for m in NAME_LIST.finditer(text)):
        return True
    return bool(re.match(r"\s*초기화|\*\*|, ReLU에는|의 (?:크기|스케일)", text[end:end + 10])) or text[start - 2:start] == "**"


def test_the_names_table_is_well_formed():
    rows = names()
    assert len(rows) >= 20
    mains = [row["한국어"] for row in rows]
    assert len(set(mains)) == len(mains), "two rows share a Hangul form"
    for row in rows:
        assert re.fullmatch(f"[{HANGUL} ]+", row["한국어"]), row
        assert row["짧게"] in row["한국어"].split() or row["짧게"] == row["한국어"], row
        assert row["Short"] in row["Latin"], row
        assert row["Who"].endswith(".") and row["설명"].endswith("니다."), row
        for other in other_spellings(row):
            assert re.search(f"[{HANGUL}]", other), other
            assert other not in mains and other != row["짧게"], f"{other!r} is a main form"


@pytest.mark.parametrize("chapter", KO_CHAPTERS, ids=lambda p: p.name)
def test_a_name_is_introduced_in_hangul_with_its_latin_form(chapter):
    """The first mention of a name in the chapter's prose, in either script, is 한국어(Latin);
    a chapter that names a person in Latin outside a citation-style list introduces them so."""
    text = chapter.read_text(encoding="utf-8")
    visible = prose(text)
    problems = []
    for row in names():
        introduced = f"{row['한국어']}({row['Latin']})"
        hangul = [m.start() for m in re.finditer(f"(?<![{HANGUL}]){re.escape(row['짧게'])}", visible)]
        latin = [m.start() for m in re.finditer(rf"(?<![A-Za-z(-]){re.escape(row['Short'])}(?![A-Za-z])", visible)
                 if not citation_style(text, m.start(), m.start() + len(row["Short"]))]
        if not hangul and not latin:
            continue
        first = min(hangul + latin)
        where = text.find(introduced)
        if where < 0:
            problems.append(f"{row['Latin']}: never introduced as {introduced!r}")
        elif where > first and not text.startswith(row["한국어"], first):
            line = text.count("\n", 0, first) + 1
            problems.append(f"{row['Latin']}: line {line} names them before {introduced!r}")
    assert not problems, f"{chapter.name}: " + "; ".join(problems)


@pytest.mark.parametrize("chapter", KO_CHAPTERS, ids=lambda p: p.name)
def test_the_particle_after_an_introduced_name_follows_its_hangul_reading(chapter):
    text = chapter.read_text(encoding="utf-8")
    found = []
    for row in names():
        pattern = re.escape(f"{row['한국어']}({row['Latin']})") + f"({WRONG_AFTER[reading(row['한국어'])]})(?![{HANGUL}])"
        found += [m.group(0) for m in re.finditer(pattern, text)]
    assert not found, f"{chapter.name}: " + "; ".join(found)


def test_the_rules_catch_what_they_are_for():
    assert reading("매컬러") == "V" and reading("힌턴") == "C" and reading("허블") == "L"
    assert re.match(WRONG_AFTER[reading("매컬러")], "과")
    text = "Deng, Dong, Socher, Li, Li,\nFei-Fei는 이미지넷을 만들었습니다. Hinton은 말했습니다."
    assert citation_style(text, text.index("Fei-Fei"), text.index("Fei-Fei") + 7)
    assert not citation_style(text, text.index("Hinton"), text.index("Hinton") + 6)
    assert citation_style("Glorot 초기화를 씁니다", 0, 6)


def test_the_glossary_names_section_lists_both_forms_and_the_other_spellings():
    from backmatter import names_lines, read_names  # the extension lives in _ext, on the path (conftest)

    rows = read_names(NAMES)
    ko, en = "\n".join(names_lines(rows, "ko")), "\n".join(names_lines(rows, "en"))
    for row in rows:
        assert f"\n{row['Latin']}\n" in f"\n{ko}\n" and f"{row['한국어']} : " in ko, row["Latin"]
        assert f"Korean: {row['한국어']}." in en, row["Latin"]
        for other in other_spellings(row):
            assert other in ko and other in en, other
    hinton = ko[ko.index("제프리 힌턴 : ㅈ"):]
    assert hinton.splitlines()[1] == "Geoffrey Hinton" and "다른 표기: 힌튼, 힌톤." in hinton.split("\n\n")[1]
