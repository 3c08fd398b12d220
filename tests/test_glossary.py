"""The glossary is one term per concept, and the Korean chapters keep to it."""

import csv
import functools
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "book" / "glossary.csv"
#: every Korean page a reader sees: chapters, preface, front page, bibliography and the glossary page
#: (its entries come from glossary.csv, whose definitions are checked below)
KO_CHAPTERS = sorted((ROOT / "book" / "ko").glob("*.md"))
#: the Korean text of every gallery script and header (narrative, comments and figure text)
GALLERY = sorted([*(ROOT / "gallery").glob("[0-9][0-9]_*/*.py"), *(ROOT / "gallery").glob("**/GALLERY_HEADER.rst")])
#: scripts another change is rewriting (issue 25 splits them): a finding there is fixed there
PENDING: set[str] = set()


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


def gallery_korean(path: Path) -> str:
    """The Korean a reader of a gallery page sees: the script's lines that hold Hangul."""
    return "\n".join(line for line in path.read_text(encoding="utf-8").split("\n") if re.search("[\uac00-\ud7a3]", line))


def banned_in(text: str) -> list[str]:
    return [f"{variant!r} (the glossary says {row['한국어']!r} for {row['English']!r})"
            for row in rows() for variant in variants(row) if variant in text]


@pytest.mark.parametrize("script", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason="issue 25 is rewriting this script: fix it there"))
    if p.name in PENDING else p for p in GALLERY], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_gallery_korean_uses_the_glossary_terms(script):
    found = banned_in(re.sub(r"``[^`]*``|`[^`]*`", "", gallery_korean(script)))
    assert not found, f"{script.name}: " + "; ".join(found)


def test_the_gallery_check_reads_comments_and_narrative(tmp_path):
    script = tmp_path / "plot_x.py"
    script.write_text('"""\nTitle\n=====\n\n.. only:: ko\n\n   소리의 특징을 봅니다.\n"""\n# %%\n#    특징 맵\nx = 1  # feature\n',
                      encoding="utf-8")
    assert [f for f in banned_in(gallery_korean(script)) if f.startswith("'특징'")]
    assert "x = 1" not in gallery_korean(script)


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


# ------------------------------------------------------------------ definitions and chapters
from backmatter import (  # noqa: E402  (the extension lives in _ext, which conftest puts on the path)
    ALSO_A_VERB, find_terms, glossary_lines, read_glossary, term_forms,
)

CHAPTERS = {p.stem for p in (ROOT / "book" / "en").glob("[0-9][0-9]-*.md")}


def chapter_prose(text: str) -> str:
    """What a chapter's reader reads as prose: no code cells, inline code, math or directive options."""
    text = re.sub(r"^(`{3,})\{code-cell\}.*?^\1[ \t]*$", "", text, flags=re.MULTILINE | re.DOTALL)
    text = re.sub(r"^\s*:[\w-]+:.*$", "", text, flags=re.MULTILINE)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.DOTALL)
    text = re.sub(r"\$[^$\n]+\$", "", text)
    return re.sub(r"`[^`]*`", "", text)


@functools.cache
def uses(chapter: str, language: str) -> frozenset[str]:
    """The glossary terms (as the edition's glossary names them) that a chapter's prose uses."""
    text = chapter_prose((ROOT / "book" / language / f"{chapter}.md").read_text(encoding="utf-8"))
    return frozenset(term for _, _, term in find_terms(text, term_forms(read_glossary(), language)))


@pytest.mark.parametrize("row", read_glossary(), ids=lambda r: r["English"])
def test_every_term_is_defined_in_both_languages_in_one_sentence(row):
    english, korean = row["Definition"], row["정의"]
    assert english and korean, "a definition is missing"
    assert english[0].isupper() and english.endswith("."), english
    assert len(re.findall(r"[.!?](?:\s|$)", english)) == 1, f"not one sentence: {english}"
    assert re.search(r"[\uac00-\ud7a3]", korean) and not re.search(r"[\uac00-\ud7a3]", english)
    # 합니다체, one sentence
    assert korean.endswith("니다.") and korean.count("다.") == 1, f"not one 합니다체 sentence: {korean}"
    banned = [v for r in rows() for v in variants(r) if v in korean]
    assert not banned, f"{row['English']}: the definition uses {banned}, which the glossary rules out"
    assert english.casefold() != row["English"].casefold()  # a definition, not the name again


@pytest.mark.parametrize("row", read_glossary(), ids=lambda r: r["English"])
def test_the_chapter_that_teaches_a_term_exists_and_uses_it_in_both_editions(row):
    chapter = row["Chapter"]
    assert chapter in CHAPTERS, f"{row['English']}: no chapter {chapter!r}"
    assert row["English"] in uses(chapter, "en"), f"the English {chapter} never writes {row['English']!r}"
    assert row["한국어"] in uses(chapter, "ko"), f"the Korean {chapter} never writes {row['한국어']!r}"


def test_a_form_links_to_the_same_term_whatever_the_order_of_the_table():
    """A form (a name, an abbreviation, another spelling) names one entry, chosen by a rule, not by
    which row comes first: CTC is connectionist temporal classification, not blank (CTC)."""
    table = read_glossary()
    for language in ("en", "ko"):
        assert term_forms(table, language) == term_forms(table[::-1], language), language
    assert term_forms(table, "en")["CTC"] == "connectionist temporal classification (CTC)"
    blank_first = sorted(table, key=lambda row: row["English"] != "blank (CTC)")
    assert term_forms(blank_first, "en")["CTC"] == "connectionist temporal classification (CTC)"


def test_the_longest_term_wins_and_words_are_whole():
    forms = term_forms(read_glossary(), "en")
    text = "Gradient descent follows the gradient; greedy layer-wise pre-training stacks hidden layers."
    terms = [term for _, _, term in find_terms(text, forms)]
    assert terms == ["gradient descent", "gradient", "greedy layer-wise pre-training", "hidden layer"]


def test_abbreviations_keep_their_case_and_english_plurals_count():
    forms = term_forms(read_glossary(), "en")
    terms = [term for _, _, term in find_terms("Two ReLUs, but relu is code; XOR and LSTMs.", forms)]
    assert terms == ["rectified linear unit (ReLU)", "exclusive or (XOR)", "long short-term memory (LSTM)"]


def test_a_verb_is_not_mistaken_for_the_term():
    forms = term_forms(read_glossary(), "en")
    assert "return" in ALSO_A_VERB
    found = [(text[s:e], term) for text in ["The function will return a number, then the return grows."]
             for s, e, term in find_terms(text, forms)]
    assert found == [("return", "return")]
    start = next(s for s, _, t in find_terms("The function will return a number, then the return grows.", forms))
    assert start == len("The function will return a number, then the ")


@pytest.mark.parametrize("text, other", [
    ("Everything is in float64, so that the comparison is not blurred by single precision.", "precision"),
    ("RBF kernel SVMs do better.", "kernel"),
    ("the four corners of the unit square", "unit"),
    ("scores for speech units", "unit"),
    ("compares its sample variance with the formula", "sample"),
    ("names the IoU threshold", "threshold"),
    ("a filter bank of triangles", "filter"),
    ("kernel methods were simply the better tool", "kernel"),
    ("A hidden Markov model scored how well each frame fits each state.", "state"),
    ("BLEU rewards leaving out what one is unsure of.", "reward"),
])
def test_a_word_in_another_sense_is_not_the_term(text, other):
    forms = term_forms(read_glossary(), "en")
    assert other not in [term for _, _, term in find_terms(text, forms)]
    # the same word in the glossary's sense still is
    same = {"precision": "Precision is the fraction of detections that were right.",
            "kernel": "The kernel slides over the image.", "unit": "Each unit fires.",
            "sample": "Each sample is a row.", "threshold": "The threshold must be exceeded.",
            "state": "The agent observes the state.", "reward": "The reward is 1."}
    if other in same:
        assert other in [term for _, _, term in find_terms(same[other], forms)]


@pytest.mark.parametrize("text, other", [
    ("이 시스템은 상업적으로 배치되어 수표를 읽었습니다.", "배치"),
    ("물체와 배치를 말해야 합니다.", "배치"),
    ("scikit-learn의 RBF 커널 SVM입니다.", "커널"),
    ("float32 정밀도로 같습니다.", "정밀도"),
    ("모음은 음원-필터(source–filter) 모델로 설명됩니다.", "필터"),
    ("멜 필터 뱅크를 씁니다.", "필터"),
    ("커널 방법이 더 나은 도구입니다.", "커널"),
])
def test_a_korean_word_in_another_sense_is_not_the_term(text, other):
    forms = term_forms(read_glossary(), "ko")
    assert other not in [term for _, _, term in find_terms(text, forms)]
    assert other in [term for _, _, term in find_terms(f"{other}를 봅니다.", forms)]


def test_korean_terms_start_a_word_and_carry_particles():
    forms = term_forms(read_glossary(), "ko")
    text = "은닉층의 크기와 층을 바꾸고, 수용 영역은 넓어집니다. 배치 정규화도 ReLU를 씁니다."
    assert [(text[s:e], term) for s, e, term in find_terms(text, forms)] == [
        ("은닉층", "은닉층"), ("층", "층"), ("수용 영역", "수용 영역"), ("배치 정규화", "배치 정규화"),
        ("ReLU", "정류 선형 유닛(ReLU)"),
    ]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_each_entry_shows_its_definition_and_links_its_chapter(language):
    table = read_glossary()
    body = "\n".join(glossary_lines(table, language))
    for row in table:
        definition = row["정의" if language == "ko" else "Definition"]
        assert f"   {definition}\n" in body + "\n"
        number = int(row["Chapter"][:2])
        link = f"{number}장 <{row['Chapter']}>" if language == "ko" else f"chapter {number} <{row['Chapter']}>"
        assert link in body, row["English"]


# ------------------------------------------------------------------ links from the chapters
def _small_book(tmp_path: Path, language: str, chapters: dict[str, str]) -> Path:
    """A two-chapter book with the real glossary table, built by Sphinx with the book's extension."""
    from sphinx.cmd.build import build_main

    source = tmp_path / "src"
    pages = source / "book" / language
    pages.mkdir(parents=True)
    with GLOSSARY.open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        table = [row for row in reader if row["Chapter"] in chapters]
    with (source / "book" / "glossary.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=reader.fieldnames)
        writer.writeheader()
        writer.writerows(table)
    (source / "conf.py").write_text(
        "import sys\n"
        f"sys.path[:0] = [{str(ROOT / '_ext')!r}]\n"
        "extensions = ['myst_parser', 'backmatter']\n"
        f"root_doc = 'book/{language}/index'\n"
        "suppress_warnings = ['toc.not_included']\n",
        encoding="utf-8",
    )
    (pages / "index.md").write_text("# Book\n\n```{toctree}\n" + "\n".join([*chapters, "glossary"]) + "\n```\n",
                                    encoding="utf-8")
    (pages / "glossary.md").write_text("# Glossary\n\n```{csv-glossary} ../glossary.csv\n```\n", encoding="utf-8")
    for name, text in chapters.items():
        (pages / f"{name}.md").write_text(text, encoding="utf-8")
    out = tmp_path / "html"
    code = build_main(["-b", "html", "-q", "-W", "-n", "-D", f"language={language}", str(source), str(out)])
    assert code == 0, "the small book does not build"
    return out / "book" / language


def _links_to_glossary(html: str) -> list[str]:
    return re.findall(r'<a class="reference internal" href="glossary.html#[^"]*"><span class="xref std std-term">([^<]*)</span>', html)


def test_the_first_use_in_each_chapter_links_to_the_glossary_and_the_index_points_there(tmp_path):
    out = _small_book(tmp_path, "en", {
        "01-neural-networks": "# One\n\nA neuron adds its inputs. Every neuron has a bias.\n\n"
                              "## The neuron\n\nThe `neuron` in code and the weighted\nsum in prose.\n",
        "02-activation-functions": "# Two\n\nEach Neuron sums.\n\n## Activation functions\n\n"
                                   "It applies an activation function to its weighted sum.\n",
    })
    first = (out / "01-neural-networks.html").read_text(encoding="utf-8")
    second = (out / "02-activation-functions.html").read_text(encoding="utf-8")
    # once per chapter, in prose only (not the heading, not the code)
    assert _links_to_glossary(first) == ["neuron", "bias", "weighted\nsum"]  # a term over two lines too
    assert _links_to_glossary(second) == ["Neuron", "activation function", "weighted sum"]
    # a heading that names a term is where the index points (the heading itself is not a link)
    assert re.search(r'Activation functions<a class="headerlink"[^>]*>[^<]*</a></h2>\s*'
                     r'<span class="target" id="term-use-activation-function">',
                     second)
    assert "term-use-activation-function" not in second[second.index("It applies"):]
    entry = _index_entry(out, "neuron")
    # the teaching chapter's first use (a main entry, in bold), the glossary's entry, chapter 2's use
    assert '<a href="book/en/01-neural-networks.html#term-use-neuron"><strong>neuron</strong></a>' in entry
    assert '<a href="book/en/glossary.html#term-neuron"><strong>' in entry
    assert re.search(r'<a href="book/en/02-activation-functions.html#term-use-neuron">\[\d\]</a>', entry)


def _index_entry(out: Path, name: str) -> str:
    """The ``<li>`` of the generated index whose entry is ``name``."""
    index = (out.parents[1] / "genindex.html").read_text(encoding="utf-8")
    entries = [li for li in re.findall(r"<li>(.*?)</li>", index, re.DOTALL) if f"<strong>{name}</strong>" in li]
    assert len(entries) == 1, f"{name}: {entries}"
    return entries[0]


def test_the_korean_edition_links_korean_terms_and_indexes_both_names(tmp_path):
    out = _small_book(tmp_path, "ko", {
        "01-neural-networks": "# 하나\n\n뉴런(neuron)은 가중합을 구합니다. 뉴런마다 편향이 있습니다.\n",
        "02-activation-functions": "# 둘\n\n활성화 함수(activation function)는 ReLU처럼 생겼습니다.\n",
    })
    assert _links_to_glossary((out / "01-neural-networks.html").read_text(encoding="utf-8")) == ["뉴런", "가중합", "편향"]
    assert _links_to_glossary((out / "02-activation-functions.html").read_text(encoding="utf-8")) == ["활성화 함수", "ReLU"]
    for name in ("뉴런", "neuron"):  # both names of the term, as in the glossary
        entry = _index_entry(out, name)
        assert f'<a href="book/ko/01-neural-networks.html#term-use-neuron"><strong>{name}</strong></a>' in entry
        assert '<a href="book/ko/glossary.html#term-' in entry


def test_an_everyday_word_links_to_reinforcement_learning_only_from_its_chapter_on(tmp_path):
    out = _small_book(tmp_path, "en", {
        "10-speech-recognition": "# Ten\n\nThe state of the art moved; the action of the filter.\n",
        "11-reinforcement-learning": "# Eleven\n\nThe agent observes the state and takes an action.\n",
    })
    assert _links_to_glossary((out / "10-speech-recognition.html").read_text(encoding="utf-8")) == []
    assert _links_to_glossary((out / "11-reinforcement-learning.html").read_text(encoding="utf-8")) == [
        "agent", "state", "action"]


def test_an_incremental_build_keeps_the_index_entries_of_the_pages_it_does_not_write(tmp_path):
    """Sphinx reloads searchindex.js without its index entries; bookbuild.search puts them back."""
    import json

    from sphinx.cmd.build import build_main

    chapters = {"01-neural-networks": "# One\n\nA neuron adds.\n", "02-activation-functions": "# Two\n\nA softmax.\n"}
    out = _small_book(tmp_path, "en", chapters).parents[1]
    source = tmp_path / "src"
    conf = source / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + (
        "from bookbuild.search import keep_index_entries\n"
        "def setup(app):\n    app.connect('html-page-context', keep_index_entries, priority=100)\n"
    ), encoding="utf-8")

    def entries() -> dict:
        text = (out / "searchindex.js").read_text(encoding="utf-8")
        return json.loads(text[text.index("(") + 1 : text.rindex(")")])["indexentries"]

    def build() -> None:
        assert build_main(["-b", "html", "-q", "-D", "language=en", str(source), str(out)]) == 0

    build()  # the new conf.py: every page is written
    assert "neuron" in entries() and "softmax" in entries()
    chapter = source / "book" / "en" / "02-activation-functions.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nAnother softmax.\n", encoding="utf-8")
    build()  # only chapter 2 is written again
    found = entries()
    assert "softmax" in found
    assert "neuron" in found, "chapter 1's entry was lost when only chapter 2 was written"
