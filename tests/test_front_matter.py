"""The front and back matter: preface, glossary (and so the index), bibliography, in both editions."""

import csv
import re
from pathlib import Path

import pytest

from backmatter import CITED_MARKER, ENGLISH, KOREAN, cited_keys, glossary_lines, index_group, read_glossary

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
EDITIONS = ["en", "ko"]


def bib_keys() -> set[str]:
    return set(re.findall(r"^@\w+\{([^,\s]+),", (BOOK / "references.bib").read_text(encoding="utf-8"), re.MULTILINE))


@pytest.mark.parametrize("language", EDITIONS)
def test_glossary_lists_every_row_of_the_table(language):
    rows = read_glossary(BOOK / "glossary.csv")
    with (BOOK / "glossary.csv").open(encoding="utf-8") as f:
        assert len(rows) == sum(1 for _ in csv.DictReader(f))
    lines = glossary_lines(rows, language)
    terms = [line.split(" : ")[0] for line in lines if line and not line.startswith(" ")]
    definitions = [line for line in lines if line.startswith("   ")]
    assert len(definitions) == 2 * len(rows)  # per row: the definition, then its chapter and names
    for row in rows:
        if language == "en":
            assert row[ENGLISH] in terms and f"Korean: {row[KOREAN]}." in "\n".join(definitions)
        else:  # the Korean glossary, and so the Korean index, holds both names
            assert row[KOREAN] in terms and row[ENGLISH] in terms
    sort_key = KOREAN if language == "ko" else ENGLISH
    firsts = [line.split(" : ")[0] for line, previous in zip(lines, [""] + lines)
              if line and not line.startswith(" ") and previous == ""]
    assert firsts == sorted((r[sort_key] for r in rows), key=str.casefold)


@pytest.mark.parametrize("language", EDITIONS)
def test_glossary_and_bibliography_pages_use_the_generated_lists(language):
    glossary = (BOOK / language / "glossary.md").read_text(encoding="utf-8")
    assert "```{csv-glossary} ../glossary.csv" in glossary
    bibliography = (BOOK / language / "bibliography.md").read_text(encoding="utf-8")
    assert "```{bibliography}" in bibliography and CITED_MARKER in bibliography
    index = (BOOK / language / "index.md").read_text(encoding="utf-8")
    for entry in ["preface", "glossary", "bibliography", "</genindex>"]:
        assert re.search(rf"^(.* )?{re.escape(entry)}$", index, re.MULTILINE), entry


@pytest.mark.parametrize("language", EDITIONS)
def test_every_cited_work_is_in_the_bibliography_file(language):
    pages = sorted((BOOK / language).glob("*.md"))
    cited = cited_keys(pages)
    assert "kim_lecture6" in cited and len(cited) >= 30
    assert cited <= bib_keys(), sorted(cited - bib_keys())


def test_cited_keys_reads_all_footcite_forms(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("{footcite:p}`a, b` and {footcite:t}`c` and {footcite}`d`; not `e`", encoding="utf-8")
    assert cited_keys([page]) == {"a", "b", "c", "d"}


@pytest.mark.parametrize("language", EDITIONS)
def test_preface_covers_what_the_issue_asks(language):
    preface = (BOOK / language / "preface.md").read_text(encoding="utf-8")
    for needle in ["make html", "make test", "pip install -e .", "python plot_", "{ref}`sec-timeline`",
                   "{footbibliography}"]:
        assert needle in preface, needle
    chapters = sorted(p.stem for p in (BOOK / language).glob("[0-9][0-9]-*.md"))
    labels = set(re.findall(r"\{ref\}`(?:[^`<]*<)?(ch-[\w-]+)>?`", preface))  # bare, or "7장 <ch-...>"
    chapter_labels = {re.search(r"^\((ch-[\w-]+)\)=", (BOOK / language / f"{c}.md").read_text(encoding="utf-8"),
                                re.MULTILINE).group(1) for c in chapters}
    assert chapter_labels <= labels  # the lecture-to-chapter table names every chapter


def test_korean_terms_are_filed_under_their_first_consonant():
    assert index_group("활성화 함수") == "ㅎ" and index_group("가중치") == "ㄱ" and index_group("까치") == "ㄱ"
    assert index_group("Q 값") == "" and index_group("") == ""
    lines = glossary_lines([{ENGLISH: "weight", KOREAN: "가중치", "Not used / 쓰지 않는 말": ""}], "ko")
    assert lines[:2] == ["가중치 : ㄱ", "weight"]
