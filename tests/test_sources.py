"""What the book says about its sources is true: primary sources wherever they could be found, and
the few works that are not primary sources are marked as such (issue 21, the historian's F-1/F-2).
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
BIB = BOOK / "references.bib"

#: Works the book cites that are not primary sources; each must say what it is in its entry's note.
NOT_PRIMARY = ["kim_lecture6", "raschka2015", "kim_ml_lec10", "tesauro1995", "gigaom2014"]


def entry(key: str) -> str:
    text = BIB.read_text(encoding="utf-8")
    match = re.search(r"^@\w+\{" + re.escape(key) + r",(.*?)^\}", text, re.MULTILINE | re.DOTALL)
    assert match, f"{key} is not in references.bib"
    return match.group(1)


def test_no_page_claims_primary_sources_only():
    pages = sorted(BOOK.glob("*/*.md")) + [BIB, ROOT / "CONTRIBUTING.md"]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"primary sources only|1차 출처만", text), page


@pytest.mark.parametrize("key", NOT_PRIMARY)
def test_each_work_that_is_not_a_primary_source_says_what_it_is(key):
    assert re.search(r"^\s*note = \{.+\}", entry(key), re.MULTILINE), f"{key} needs a note saying what it is"


@pytest.mark.parametrize("language, kinds", [
    ("en", ["lecture", "textbook", "slides", "retrospective", "news article"]),
    ("ko", ["강의", "교과서", "슬라이드", "회고", "뉴스 기사"]),
])
def test_the_bibliography_page_names_the_exceptions(language, kinds):
    text = (BOOK / language / "bibliography.md").read_text(encoding="utf-8")
    assert len(kinds) == len(NOT_PRIMARY)
    for kind in kinds:
        assert kind in text, f"{language}: the bibliography page does not mention the {kind}"
