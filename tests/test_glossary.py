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


def variants(row: dict) -> list[str]:
    """The banned variants of a row. A variant may carry a note in parentheses, saying why it
    is not used (e.g. a standard term that the book still spells another way); the note is
    shown in the glossary and ignored here."""
    cell = row["Not used / 쓰지 않는 말"]
    return [v for v in (re.sub(r"\s*\(.*?\)\s*$", "", part).strip() for part in cell.split(";")) if v]


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
        for variant in variants(row):
            assert variant not in korean, f"{variant!r} is both a term and a variant"
            assert variant != row["한국어"] and "(" not in variant, row


@pytest.mark.parametrize("chapter", KO_CHAPTERS, ids=lambda p: p.name)
def test_korean_chapters_use_the_glossary_terms(chapter):
    prose = korean_prose(chapter.read_text(encoding="utf-8"))
    found = []
    for row in rows():
        for variant in variants(row):
            if variant in prose:
                found.append(f"{variant!r} (the glossary says {row['한국어']!r} for {row['English']!r})")
    assert not found, f"{chapter.name}: " + "; ".join(found)


def test_a_note_explains_a_variant_without_unbanning_it():
    row = {"Not used / 쓰지 않는 말": "과적합 (널리 쓰지만 과대적합으로 씁니다); 오버피팅"}
    assert variants(row) == ["과적합", "오버피팅"]


def test_the_terms_the_editors_asked_for_are_fixed():
    """One Korean term each for the English terms issue 14 found drifting (and two kept bans)."""
    table = {r["English"]: r for r in rows()}
    expected = {
        "feature": ("특성", "특징"), "training set": ("훈련 세트", "학습 세트"),
        "optimizer": ("옵티마이저", "최적화기"), "machine learning": ("머신러닝", "기계 학습"),
        "unit": ("유닛", None), "dense layer": ("완전 연결 층", None), "saturation": ("포화", None),
        "pre-training": ("사전 학습", "사전 훈련"), "fine-tuning": ("미세 조정", "미세조정"),
        "overfitting": ("과대적합", "과적합"), "detection": ("탐지", "검출"),
    }
    for english, (korean, banned) in expected.items():
        assert english in table, english
        assert table[english]["한국어"] == korean, english
        if banned:
            assert banned in variants(table[english]), english
    # a kept ban says why, in the glossary itself
    for english in ["overfitting", "detection"]:
        assert "(" in table[english]["Not used / 쓰지 않는 말"], english
