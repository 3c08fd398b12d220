"""The two editions never drift: same chapters, code, figures, labels, exercises, sources.

These tests read the MyST sources; tests/test_build.py checks the built HTML.
"""

import re
from pathlib import Path

import pytest

from ann_lib.activations import ACTIVATIONS
from bookbuild.cells import read_code_cells

ROOT = Path(__file__).resolve().parents[1]
EN, KO = ROOT / "book" / "en", ROOT / "book" / "ko"
CHAPTERS = sorted(p.name for p in EN.glob("*.md"))
HANGUL = re.compile(r"[\uac00-\ud7a3]")

FENCE = re.compile(r"^(`{3,}|:{3,}).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
LABEL = re.compile(r"^\(([\w\-.:]+)\)=[ \t]*$", re.MULTILINE)
NAME_OPTION = re.compile(r"^:name:[ \t]*(\S+)", re.MULTILINE)
FIGURE = re.compile(r"^(?:```|:::)\{(?:figure|image)\}[ \t]*(\S+)", re.MULTILINE)
MD_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
EXERCISE = re.compile(r"^:class:[ \t]*exercise[ \t]*$", re.MULTILINE)
DROPDOWN = re.compile(r"^(?:```|:::)\{dropdown\}", re.MULTILINE)
CITATION = re.compile(r"\{footcite(?::[pt])?\}`([^`]+)`")
REFERENCE = re.compile(r"\{(?:ref|doc|numref|eq)\}`(?:[^`<]*<)?([^`>]+)>?`")


def read(edition: Path, name: str) -> str:
    return (edition / name).read_text(encoding="utf-8")


def pairs():
    # a chapter missing from one edition fails test_same_chapter_files, not the collection
    both = [name for name in CHAPTERS if (KO / name).is_file()]
    return [pytest.param(read(EN, name), read(KO, name), id=name) for name in both]


def test_same_chapter_files():
    assert CHAPTERS, "no chapters found"
    assert CHAPTERS == sorted(p.name for p in KO.glob("*.md"))


@pytest.mark.parametrize("en, ko", pairs())
def test_identical_code_cells(en, ko):
    assert [cell.block for cell in read_code_cells(en)] == [cell.block for cell in read_code_cells(ko)]


@pytest.mark.parametrize("en, ko", pairs())
def test_same_figures_in_the_same_order(en, ko):
    # the Korean edition shows each figure's Korean twin (sphx_glr_x_001_ko.png), drawn in the same run
    def english(paths):
        return [re.sub(r"_ko(\.png)$", r"\1", path) for path in paths]

    assert FIGURE.findall(en) + MD_IMAGE.findall(en) == english(FIGURE.findall(ko) + MD_IMAGE.findall(ko))


@pytest.mark.parametrize("en, ko", pairs())
def test_same_labels(en, ko):
    assert LABEL.findall(en) == LABEL.findall(ko)
    assert NAME_OPTION.findall(en) == NAME_OPTION.findall(ko)


@pytest.mark.parametrize("en, ko", pairs())
def test_same_exercises(en, ko):
    exercise_labels = [label for label in LABEL.findall(en) if label.startswith("ex-")]
    assert len(EXERCISE.findall(en)) == len(EXERCISE.findall(ko)) == len(exercise_labels)
    assert len(DROPDOWN.findall(en)) == len(DROPDOWN.findall(ko))


@pytest.mark.parametrize("en, ko", pairs())
def test_same_sources_and_cross_references(en, ko):
    def keys(text):
        return sorted({k.strip() for group in CITATION.findall(text) for k in group.split(",")})

    assert keys(en) == keys(ko)
    assert sorted(set(REFERENCE.findall(en))) == sorted(set(REFERENCE.findall(ko)))


def prose_paragraphs(text: str) -> list[str]:
    """Paragraphs of prose: no front matter, fenced blocks, math blocks, labels or tables."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)
    text = FENCE.sub("", text)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.DOTALL)
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text):
        block = block.strip()
        if not block or LABEL.fullmatch(block) or block.startswith("|"):
            continue
        prose = re.sub(r"\$[^$]*\$|`[^`]*`|\{[\w:-]+\}|<[^>]*>|\[[^\]]*\]\([^)]*\)|https?://\S+", "", block)
        if re.search(r"[A-Za-z]{3,}", prose):
            paragraphs.append(block)
    return paragraphs


@pytest.mark.parametrize("name", CHAPTERS)
def test_korean_prose_is_korean(name):
    """Every Korean paragraph with words in it has Hangul: nothing was left untranslated."""
    untranslated = [p for p in prose_paragraphs(read(KO, name)) if not HANGUL.search(p)]
    assert not untranslated, f"{name}: paragraphs without Korean:\n\n" + "\n\n".join(untranslated)


@pytest.mark.parametrize("name", CHAPTERS)
def test_english_prose_has_no_hangul(name):
    def unquoted(paragraph):  # the English edition may quote the lecture's Korean words
        paragraph = re.sub(r"^>.*$", "", paragraph, flags=re.MULTILINE)
        return re.sub(r'"[^"]*"|“[^”]*”|\*[^*]*\*', "", paragraph)

    leaked = [p for p in prose_paragraphs(read(EN, name)) if HANGUL.search(unquoted(p))]
    assert not leaked, f"{name}: Hangul in English prose:\n\n" + "\n\n".join(leaked)


GALLERY_SOURCES = sorted((ROOT / "gallery").rglob("*.py")) + sorted((ROOT / "gallery").rglob("GALLERY_HEADER.rst"))
ONLY_BLOCK = re.compile(r"^(?P<indent>[ \t]*(?:#[ \t]*)?)\.\. only:: (?P<lang>en|ko)\n(?P<body>(?:(?P=indent)(?:[ \t]+.*)?\n)+)", re.MULTILINE)


@pytest.mark.parametrize("path", GALLERY_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_gallery_text_in_both_languages(path):
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^\.\. title-ko: .*[\uac00-\ud7a3]", text, re.MULTILINE), "a Korean title (.. title-ko:) is missing"
    blocks = [(m["lang"], m["body"]) for m in ONLY_BLOCK.finditer(text)]
    en = [body for lang, body in blocks if lang == "en"]
    ko = [body for lang, body in blocks if lang == "ko"]
    assert len(en) == len(ko), "every `.. only:: en` block needs its `.. only:: ko` twin"
    assert all(HANGUL.search(body) for body in ko)
    assert not any(HANGUL.search(body) for body in en)


def test_every_gallery_script_is_in_its_chapters_folder():
    for path in (ROOT / "gallery").rglob("*.py"):
        assert re.fullmatch(r"\d\d_[a-z_]+", path.parent.name), path
        assert path.name.startswith("plot_"), path


def test_activation_table_equations_are_verbatim_in_both_editions():
    chapter = "02-activation-functions.md"
    for edition in (EN, KO):
        text = read(edition, chapter)
        for activation in ACTIVATIONS.values():
            assert activation.equation in text, f"{edition.name}/{chapter}: {activation.name}'s equation"


def test_the_map_in_chapter_one_links_every_written_chapter():
    """Chapter 1's timeline links each chapter that exists, in both editions."""
    for edition in (EN, KO):
        timeline = read(edition, "01-neural-networks.md").split("(sec-timeline)=", 1)[1].split("\n## ", 2)[1]
        for name in CHAPTERS:
            if not re.match(r"\d\d-", name):
                continue
            label = LABEL.search(read(edition, name)).group(1)
            assert f"{{ref}}`{label}`" in timeline, f"{edition.name}: the map does not link {name} ({label})"


@pytest.mark.parametrize("name", [n for n in CHAPTERS if n.endswith(".md")])
def test_same_headings_so_sections_share_their_ids(name):
    """Each section takes the id of its English heading (bookbuild/section_ids.py), so the
    editions need the same headings, level by level, in the same order."""
    from bookbuild.section_ids import english_headings

    levels = {edition.name: [level for level, _, _ in english_headings(read(edition, name))] for edition in (EN, KO)}
    assert levels[EN.name] == levels[KO.name]
