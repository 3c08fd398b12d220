"""The Korean edition's figures: each gallery figure's Korean twin, drawn in the same run (bookbuild.figures_korean).

The tests here draw small figures of their own; what the book's build drew is
checked in ``tests/test_build.py`` (the Korean pages show the twins, and no twin
draws an English word).
"""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from sphinx_gallery.scrapers import ImagePathIterator, matplotlib_scraper  # noqa: E402

from bookbuild import figures_korean  # noqa: E402
from bookbuild.figures_korean import MissingGlyph, MissingTranslation, Translator  # noqa: E402
from bookbuild.gallery_korean import korean_figures  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "gallery").glob("*/plot_*.py"))
HANGUL = re.compile(r"[\uac00-\ud7a3]")
GALLERY_CONF = {"image_srcset": [], "matplotlib_animations": (False, None), "compress_images": (),
                "src_dir": "", "thumbnail_size": (400, 280)}

TABLE = {"error (%)": "오차 (%)", "weight $w_1$": "가중치 $w_1$", "training loss": "훈련 손실",
         "cat": "고양이", "dog": "개", "epoch {}": "에포크 {}", "{} of {} layers": "{1}개 층 중 {0}번째"}


def test_translation_exact_template_reordered_kept_and_math():
    translate = Translator("plot_toy.py", TABLE, kept={"SuperVision"})
    assert translate("error (%)") == "오차 (%)"
    assert translate("epoch 12") == "에포크 12"
    assert translate("3 of 20 layers") == "20개 층 중 3번째"
    assert translate("AlexNet (SuperVision)") == "AlexNet (SuperVision)"  # a system and a team keep their names
    assert translate(r"$\sigma'(z)$, $x_1$") == r"$\sigma'(z)$, $x_1$"  # math is not words
    assert translate("0.25") == "0.25" and translate("−1e6") == "−1e6"


@pytest.mark.parametrize("text", ["hidden space", "AlexNet wins", "loss of $w$", "epochs"])
def test_a_string_with_an_english_word_and_no_translation_fails_naming_script_and_string(text):
    with pytest.raises(MissingTranslation, match=re.escape(f"plot_toy.py: the figure draws {text!r}")):
        Translator("plot_toy.py", TABLE)(text)


def test_a_table_of_something_else_than_strings_is_refused():
    with pytest.raises(TypeError, match="plot_toy.py: KOREAN must map strings to strings"):
        Translator("plot_toy.py", {"error": 3})


def toy_figure():
    figure, (left, right) = plt.subplots(1, 2, figsize=(4, 2), layout="constrained")
    left.plot([1, 2, 3], label="training loss")
    left.set_title("error (%)")
    left.set_xlabel("weight $w_1$")
    left.legend()
    right.bar(["cat", "dog"], [1, 2])
    right.set_title("epoch 12")
    return figure


def scrape(tmp_path: Path, translated: bool, globals_: dict) -> Path:
    """Run a scraper on the open figures as sphinx-gallery would; return the English image."""
    iterator = ImagePathIterator(tmp_path / "sphx_glr_plot_toy_{0:03}.png")
    block_vars = {"image_path_iterator": iterator, "example_globals": globals_, "src_file": "plot_toy.py",
                  "file_conf": {}}
    (figures_korean.scraper if translated else matplotlib_scraper)(None, block_vars, GALLERY_CONF)
    return Path(iterator.paths[0])


def test_the_scraper_keeps_the_english_image_and_adds_a_korean_twin_and_thumbnail(tmp_path):
    (tmp_path / "plain").mkdir()
    toy_figure()
    english_alone = scrape(tmp_path / "plain", translated=False, globals_={}).read_bytes()
    toy_figure()
    english = scrape(tmp_path, translated=True, globals_={"KOREAN": TABLE})
    assert english.read_bytes() == english_alone  # the English edition's image is unchanged
    twin = figures_korean.twin_path(english)
    assert twin.name == "sphx_glr_plot_toy_001_ko.png" and twin.read_bytes() != english_alone
    assert (tmp_path / "thumb" / "sphx_glr_plot_toy_thumb_ko.png").is_file()
    record = __import__("json").loads(twin.with_suffix(".json").read_text(encoding="utf-8"))
    assert {"오차 (%)", "가중치 $w_1$", "훈련 손실", "고양이", "개", "에포크 12"} <= set(record["texts"])
    assert not [t for t in record["texts"] if figures_korean.latin_words(t)]
    assert record["alt"] == "오차 (%), 에포크 12"


def test_the_korean_twin_is_the_same_bytes_when_drawn_again(tmp_path):
    images = []
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        toy_figure()
        images.append(figures_korean.twin_path(scrape(tmp_path / folder, True, {"KOREAN": TABLE})).read_bytes())
    assert images[0] == images[1]


def test_a_script_that_draws_words_without_a_table_fails_the_build(tmp_path):
    toy_figure()
    with pytest.raises(MissingTranslation, match="plot_toy.py: the figure draws"):
        scrape(tmp_path, translated=True, globals_={})


def test_a_character_without_a_glyph_fails_instead_of_drawing_a_box(tmp_path):
    figure = plt.figure(figsize=(2, 1))
    figure.text(0.1, 0.5, "오차 \u0915")  # Devanagari: neither DejaVu Sans nor NanumGothic has it
    with pytest.raises(MissingGlyph, match="no glyph"):
        figures_korean.save_korean_twin(figure, tmp_path / "x_ko.png", Translator("plot_toy.py", {}))
    plt.close("all")


def test_hangul_beside_math_is_drawn_without_a_box(tmp_path):
    figure = plt.figure(figsize=(2, 1))
    figure.text(0.1, 0.5, "weight $w_1$")
    figures_korean.save_korean_twin(figure, tmp_path / "x_ko.png", Translator("plot_toy.py", TABLE))
    plt.close("all")


def test_the_korean_gallery_page_points_at_the_twins_with_korean_alt_text(tmp_path):
    images = tmp_path / "_gallery" / "01_x" / "images"
    (images / "thumb").mkdir(parents=True)
    for name in ("sphx_glr_plot_a_001.png", "sphx_glr_plot_a_001_ko.png", "sphx_glr_plot_b_001.png",
                 "thumb/sphx_glr_plot_a_thumb_ko.png"):
        (images / name).write_bytes(b"")
    (images / "sphx_glr_plot_a_001_ko.json").write_text('{"alt": "오차\\n(%)"}', encoding="utf-8")
    page = ("\n.. image-sg:: /_gallery/01_x/images/sphx_glr_plot_a_001.png\n   :alt: error\n"
            "   :srcset: /_gallery/01_x/images/sphx_glr_plot_a_001.png\n"
            "\n.. image-sg:: /_gallery/01_x/images/sphx_glr_plot_b_001.png\n   :alt: b\n"
            "  .. image:: /_gallery/01_x/images/thumb/sphx_glr_plot_a_thumb.png\n")
    korean = korean_figures(tmp_path, page)
    # the alt text on one line, as reST needs it (a figure's title may break lines)
    assert ".. image-sg:: /_gallery/01_x/images/sphx_glr_plot_a_001_ko.png\n   :alt: 오차 (%)\n" in korean
    assert ":srcset: /_gallery/01_x/images/sphx_glr_plot_a_001_ko.png" in korean
    assert "sphx_glr_plot_b_001.png\n   :alt: b" in korean  # no twin: the image as it is
    assert "thumb/sphx_glr_plot_a_thumb_ko.png" in korean


# ------------------------------------------------------------------ the scripts' tables
def module_globals(script: Path) -> dict:
    """The literal KOREAN and KEPT_IN_LATIN assignments of a script, read without running it."""
    found = {}
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in ("KOREAN", "KEPT_IN_LATIN"):
                found[node.targets[0].id] = ast.literal_eval(node.value)
    return found


def banned_variants() -> dict[str, str]:
    with (ROOT / "book" / "glossary.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    banned = {}
    for row in rows:
        for part in row["Not used / 쓰지 않는 말"].split(";"):
            variant = re.sub(r"\s*\(.*?\)\s*$", "", part).strip()
            if variant:
                banned[variant] = row["한국어"]
    return banned


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_every_korean_string_of_a_table_is_korean_and_uses_the_glossary_terms(script):
    table = module_globals(script).get("KOREAN", {})
    if script.name in figures_korean.DRAWN_IN_ENGLISH_FOR_NOW:
        pytest.skip("issue 25 splits this script; its successors bring their tables")
    banned = banned_variants()
    translate = Translator(script.name, table, module_globals(script).get("KEPT_IN_LATIN", set()))
    for english, korean in table.items():
        assert korean.count("{}") + len(re.findall(r"\{\d\}", korean)) == english.count("{}"), (script.name, english)
        assert HANGUL.search(korean) or not translate.untranslated(korean), (script.name, english, korean)
        assert not translate.untranslated(re.sub(r"\{\d?\}", "", korean)), (script.name, korean)
        found = [f"{v} (the glossary says {t})" for v, t in banned.items() if v in korean]
        assert not found, f"{script.name}: {korean!r} uses {found}"


def test_the_korean_font_comes_with_the_projects_packages():
    files = figures_korean.font_files()
    assert [f.name for f in files] == list(figures_korean.FONT_FILES)
    assert "koreanize-matplotlib" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r"^koreanize-matplotlib==", (ROOT / "constraints.txt").read_text(), re.MULTILINE)


# ------------------------------------------------------------------ the Korean chapters
FIGURE = re.compile(r"^```\{figure\}[ \t]*/_gallery/(\S+)/images/sphx_glr_(\w+?)_(\d{3})(_ko)?\.png[ \t]*$", re.MULTILINE)


@pytest.mark.parametrize("chapter", sorted((ROOT / "book" / "ko").glob("*.md")), ids=lambda p: p.name)
def test_the_korean_chapters_show_the_korean_twin_of_every_gallery_figure(chapter):
    for folder, script, number, twin in FIGURE.findall(chapter.read_text(encoding="utf-8")):
        assert (ROOT / "gallery" / folder / f"{script}.py").is_file(), (chapter.name, folder, script)
        english_for_now = f"{script}.py" in figures_korean.DRAWN_IN_ENGLISH_FOR_NOW
        assert bool(twin) != english_for_now, (
            f"{chapter.name}: sphx_glr_{script}_{number}{twin}.png; the Korean edition shows "
            + ("the English image until the script has a KOREAN table" if english_for_now else "the _ko twin"))
