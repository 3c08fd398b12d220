"""The glossary is one term per concept, and the Korean chapters keep to it."""

import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "book" / "glossary.csv"
KO_CHAPTERS = sorted(p for p in (ROOT / "book" / "ko").glob("*.md") if p.name != "glossary.md")


def rows():
    with GLOSSARY.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def korean_prose(text: str) -> str:
    """The text a Korean reader reads as prose: no code, no quotations of the lecture."""
    text = re.sub(r"^(`{3,}).*?^\1[ \t]*$", "", text, flags=re.MULTILINE | re.DOTALL)
    text = re.sub(r"`[^`]*`", "", text)
    return re.sub(r"^>.*$", "", text, flags=re.MULTILINE)


def test_glossary_is_well_formed():
    table = rows()
    assert len(table) >= 40
    english = [r["English"] for r in table]
    korean = [r["한국어"] for r in table]
    assert len(set(english)) == len(english), "an English term is listed twice"
    assert len(set(korean)) == len(korean), "two English terms share one Korean term"
    for row in table:
        assert re.search(r"[\uac00-\ud7a3]", row["한국어"]), row
        for variant in filter(None, (v.strip() for v in row["Not used / 쓰지 않는 말"].split(";"))):
            assert variant not in korean, f"{variant!r} is both a term and a variant"


@pytest.mark.parametrize("chapter", KO_CHAPTERS, ids=lambda p: p.name)
def test_korean_chapters_use_the_glossary_terms(chapter):
    prose = korean_prose(chapter.read_text(encoding="utf-8"))
    found = []
    for row in rows():
        for variant in filter(None, (v.strip() for v in row["Not used / 쓰지 않는 말"].split(";"))):
            if variant in prose:
                found.append(f"{variant!r} (the glossary says {row['한국어']!r} for {row['English']!r})")
    assert not found, f"{chapter.name}: " + "; ".join(found)
