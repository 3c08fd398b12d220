"""``make pdf`` and ``make epub``: a PDF and an EPUB of each edition, checked as a reader uses them.

The printed builds run once per session, with ``make pdf epub``, in a copy of the session's clean
build (the ``clean_build`` fixture, so they are ``build`` tests and ``make check`` skips them):
they must take every executed cell and figure from its caches. What is expected is read from
the sources (chapter titles, figure directives, exercises, Korean sentences), never pasted here.

Without Debian's packages (README.md) these tests skip, and the reason printed is the one line
``make pdf`` prints; under CI (``.ci/run`` installs the packages) a missing package fails them.
The one test that needs no package checks that line.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import printed
import printed_needs
from bookbuild.editions import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
HINT = printed_needs.hint("tests")
CHAPTER = re.compile(r"^\d\d-.*\.md$")

needs_packages = pytest.mark.skipif(HINT is not None and not os.environ.get("CI"), reason=str(HINT))


def chapters(language: str) -> list[Path]:
    return sorted(p for p in (ROOT / "book" / language).glob("*.md") if CHAPTER.match(p.name))


def prose(path: Path) -> str:
    """A chapter's MyST text without its front matter and fenced blocks (code, figures, ``{only}``)."""
    text = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    return re.sub(r"^```.*?^```[ \t]*$", "", text, flags=re.MULTILINE | re.DOTALL)


def title(path: Path) -> str:
    return re.search(r"^# (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)[1].strip()


def figures(path: Path) -> list[str]:
    """The ``:name:`` of every ``{figure}`` directive of a chapter or page."""
    text = path.read_text(encoding="utf-8")
    return re.findall(r"^```\{figure\}[^\n]*\n:name: (\S+)", text, re.MULTILINE)


def exercises(path: Path) -> list[str]:
    return re.findall(r"^:::\{admonition\} (.+)\n:class: exercise", path.read_text(encoding="utf-8"), re.MULTILINE)


def korean_sentence(path: Path) -> str:
    """The first sentence of plain Korean prose (Hangul, digits, spaces and commas) in a chapter."""
    for paragraph in re.split(r"\n\s*\n", prose(path)):
        if paragraph.lstrip().startswith((":", "#", "(", "-", "|", "<", "{", "$", "*")):
            continue
        for sentence in re.findall(r"[^.?!]+?다\.", " ".join(paragraph.split())):
            sentence = sentence.strip()
            if len(sentence) >= 20 and re.fullmatch(r"[가-힣0-9 ,]+다\.", sentence):
                return sentence
    raise AssertionError(f"{path}: no plain Korean sentence found to look for")


def squeeze(text: str) -> str:
    """Text without whitespace, ligatures unfolded: lines break anywhere in a PDF."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class Printed:
    tree: Path
    log: str

    def name(self, language: str) -> str:
        return printed.basename(language)

    def pdf(self, language: str) -> Path:
        return self.tree / "_build" / "pdf" / language / f"{self.name(language)}.pdf"

    def tex(self, language: str) -> str:
        return (self.tree / "_build" / "latex" / language / f"{self.name(language)}.tex").read_text(encoding="utf-8")

    def epub(self, language: str) -> Path:
        return self.tree / "_build" / "epub" / language / f"{self.name(language)}.epub"

    def text(self, language: str) -> str:
        return run("pdftotext", "-enc", "UTF-8", str(self.pdf(language)), "-").stdout


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def built(clean_build, tmp_path_factory) -> Printed:
    """``make pdf epub`` in a copy of the clean build (the venv is the one running the tests).

    The session starts it in the background as soon as the clean build ends (``buildkit.Printing``,
    from tests/conftest.py), beside the browser tests; if it did not, it starts here.
    """
    if HINT is not None:
        pytest.fail(HINT)  # reached only under CI, where the packages must be there
    from tools.buildkit import Printing

    printing = clean_build.printed or Printing(clean_build.pristine, tmp_path_factory.mktemp("printed") / "tree")
    returncode, log = printing.finish()
    assert returncode == 0, log[-6000:]
    return Printed(printing.tree, log)


@needs_packages
def test_the_printed_editions_execute_nothing(built):
    assert "[bookbuild] executing" not in built.log
    assert "Executing notebook using" not in built.log


@needs_packages
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_chapter_is_in_the_pdf(built, language):
    text = squeeze(built.text(language))
    missing = [title(p) for p in chapters(language) if squeeze(title(p)) not in text]
    assert not missing, f"chapters missing from the {language} PDF: {missing}"
    assert built.tex(language).count("\\chapter{") >= len(chapters(language))


@needs_packages
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_figure_is_in_the_pdf(built, language):
    """Each {figure} directive is a LaTeX figure with its label, and the PDF has at least as many images."""
    tex = built.tex(language)
    sources = sorted((ROOT / "book" / language).glob("*.md"))
    wanted = {f"{p.relative_to(ROOT).with_suffix('').as_posix()}:{name}" for p in sources for name in figures(p)}
    assert wanted, "no {figure} directive found in the sources"
    assert tex.count("\\begin{figure}") == len(wanted)
    labels = set(re.findall(r"\\label\{\\detokenize\{([^}]+)\}\}", tex))
    assert wanted <= labels, sorted(wanted - labels)
    images = run("pdfimages", "-list", str(built.pdf(language))).stdout.splitlines()[2:]
    assert len(images) >= len(wanted)


@needs_packages
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_exercise_prints_with_its_solution(built, language):
    words = printed.WORDS[language]
    text = squeeze(built.text(language))
    for path in chapters(language):
        for exercise in exercises(path):
            assert squeeze(exercise) in text
            assert squeeze(words["solution_to"].format(exercise=exercise)) in text, (path.name, exercise)


@needs_packages
def test_the_korean_pdf_reads_as_korean(built):
    text = squeeze(built.text("ko"))
    for path in chapters("ko"):
        sentence = korean_sentence(path)
        assert squeeze(sentence) in text, f"{path.name}: {sentence!r} not in the Korean PDF's text"


@needs_packages
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_glyph_is_found_and_every_font_embedded(built, language):
    log = built.pdf(language).parent.parent.parent / "latex" / language / f"{built.name(language)}.log"
    assert "Missing character" not in log.read_text(encoding="utf-8", errors="replace")
    rows = run("pdffonts", str(built.pdf(language))).stdout.splitlines()[2:]
    assert rows, "pdffonts lists no font"
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, not_embedded


@needs_packages
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_epub_passes_epubcheck_with_math_as_svg(built, language):
    """``make epub`` checks each EPUB it writes (``epubcheck -q``, which prints only what it finds, and
    fails make on an error): the check ran on this EPUB and found nothing, not even a warning."""
    epub = built.epub(language).relative_to(built.tree).as_posix()
    lines = built.log.splitlines()
    checked = [i for i, line in enumerate(lines) if "epubcheck" in line and line.rstrip().endswith(f" -q {epub}")]
    assert len(checked) == 1, f"make epub did not run epubcheck on {epub}"
    assert lines[checked[0] + 1] == f"written: {epub}", lines[checked[0] + 1:checked[0] + 20]
    with zipfile.ZipFile(built.epub(language)) as epub:
        names = epub.namelist()
        pages = {n: epub.read(n).decode("utf-8") for n in names if n.endswith(".xhtml")}
    assert any(re.search(r"_images/math/[0-9a-f]+\.svg$", n) for n in names), "no formula rendered as SVG"
    assert not [n for n in names if "mathjax" in n.lower()]
    assert not [n for n, page in pages.items() if "<audio" in page or "<script" in page]
    assert not [n for n, page in pages.items() if "system-message" in page], "a formula or role failed"


@needs_packages
@pytest.mark.parametrize("language", LANGUAGES)
def test_what_cannot_be_printed_gets_a_printed_stand_in(built, language):
    """Chapter 10's players and chapter 11's animation: the ``{only} latex or epub`` text is in both."""
    text, epub = squeeze(built.text(language)), built.epub(language)
    with zipfile.ZipFile(epub) as archive:
        pages = squeeze(" ".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xhtml")))
    for number in ("10", "11"):
        (path,) = (ROOT / "book" / language).glob(f"{number}-*.md")
        blocks = re.findall(r"^```\{only\} latex or epub\n(.*?)^```", path.read_text(encoding="utf-8"),
                            re.MULTILINE | re.DOTALL)
        assert blocks, f"{path.name} has no printed stand-in"
        for block in blocks:
            words = re.sub(r"\{numref\}`[^`]*`|[*()]", " ", block).split()
            opening = squeeze(" ".join(words[:6]))
            assert opening in text and opening in pages, (path.name, opening)


def test_without_the_packages_make_stops_at_once_with_one_line(tmp_path):
    """PATH without TeX or epubcheck: make pdf and make epub print one line and run nothing."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("sed", "sort", "head", "sh", "make"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    (bin_dir / "python3").symlink_to(sys.executable)
    environment = {**os.environ, "PATH": str(bin_dir)}
    for goal in ("pdf", "epub"):
        result = subprocess.run(["make", "-s", "-C", str(ROOT), goal, f"VENV={tmp_path / 'venv'}"],
                                capture_output=True, text=True, env=environment, timeout=60)
        assert result.returncode != 0
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert f"make {goal} needs Debian packages" in lines[0]
        assert "apt-get install --no-install-recommends " + " ".join(printed_needs.APT_PACKAGES) in lines[0]
        assert result.stdout == "" and not (tmp_path / "venv").exists()


# --- the EPUB's formulas, rendered in one batch (printed.render_all_math_at_once) -------------

def imgmath_config(**overrides):
    """The settings imgmath's renderers read, as conf.py leaves them."""
    from types import SimpleNamespace

    settings = dict(imgmath_latex="latex", imgmath_latex_args=[], imgmath_dvisvgm="dvisvgm",
                    imgmath_dvisvgm_args=["--no-fonts"], imgmath_font_size=14, imgmath_latex_preamble="",
                    imgmath_use_preview=False, templates_path=[])
    return SimpleNamespace(**{**settings, **overrides})


def drawing(svg: Path) -> list:
    """What an SVG of dvisvgm's draws, whatever it names its glyphs or how it scales them.

    Each placed glyph as (x, y, its outline's coordinates times any scale() it is used with),
    rounded to 0.01 pt, after the picture's size: a glyph that one document defines at 14 pt
    and another as its 10 pt outline scaled 1.4286 draws the same.
    """
    import xml.etree.ElementTree as ET

    href = "{http://www.w3.org/1999/xlink}href"
    root = ET.parse(svg).getroot()
    defined = {el.get("id"): el for el in root.iter() if el.get("id")}

    def outline(ref: str, scale: float = 1.0) -> tuple:
        element = defined[ref.lstrip("#")]
        if element.tag.endswith("path"):
            return tuple(round(float(v) * scale, 2) for v in re.findall(r"-?\d*\.?\d+", element.get("d")))
        factor = re.fullmatch(r"scale\(([\d.]+)\)", element.get("transform"))
        return outline(element.get(href), scale * float(factor[1]))

    shown = [root.get("width"), root.get("height"), root.get("viewBox")]
    for element in root.iter():
        tag = element.tag.rpartition("}")[2]
        if tag == "use" and element.get("id") is None:
            shown.append((element.get("x"), element.get("y"), outline(element.get(href))))
        elif tag in ("rect", "path") and element.get("id") is None:
            shown.append(tuple(sorted(element.attrib.items())))
    return shown


def book_formulas(count: int) -> list[str]:
    """Inline and display formulas from the English chapters, as imgmath wraps them."""
    from sphinx.util.math import wrap_displaymath

    inline, display = [], []
    for path in chapters("en"):
        text = path.read_text(encoding="utf-8")
        display += [wrap_displaymath(m.strip(), None, False) for m in re.findall(r"^\$\$(.+?)\$\$", text, re.M | re.S)]
        inline += [f"${m}$" for m in re.findall(r"(?<![$\\])\$([^$\n]+)\$(?!\$)", text)]
    picked = list(dict.fromkeys(inline[:: max(1, len(inline) // count)]))[: count // 2]
    picked += list(dict.fromkeys(display[:: max(1, len(display) // count)]))[: count - len(picked)]
    assert len(picked) == count, "too few formulas found in the chapters"
    return picked


@needs_packages
def test_formulas_rendered_in_one_batch_draw_what_imgmath_draws_one_at_a_time(tmp_path):
    from hashlib import sha1

    from sphinx.ext import imgmath

    config = imgmath_config()
    one_at_a_time, batch = tmp_path / "one", tmp_path / "batch"
    one_at_a_time.mkdir(), batch.mkdir()
    formulas = {}
    for math in book_formulas(12):
        latex = imgmath.generate_latex_macro("svg", math, config, ROOT)
        name = f"{sha1(latex.encode(), usedforsecurity=False).hexdigest()}.svg"
        imgmath.convert_dvi_to_svg(imgmath.compile_math(latex, config=config), one_at_a_time / name, config=config)
        head, _, rest = latex.partition("\\begin{document}")
        formulas[batch / name] = rest.rpartition("\\end{document}")[0]
    assert printed._render_batch(head, formulas, config)
    assert sorted(p.name for p in batch.iterdir()) == sorted(p.name for p in one_at_a_time.iterdir())
    for path in one_at_a_time.iterdir():
        assert drawing(batch / path.name) == drawing(path), path.name
    # and the comparison tells two formulas apart
    first, second = sorted(one_at_a_time.iterdir())[:2]
    assert drawing(first) != drawing(second)


@needs_packages
def test_a_batch_with_a_faulty_formula_is_left_to_imgmath(tmp_path):
    """One formula LaTeX rejects: nothing is written, so imgmath renders each and reports that one."""
    from sphinx.ext import imgmath

    config = imgmath_config()
    head = imgmath.generate_latex_macro("svg", "$x$", config, ROOT).partition("\\begin{document}")[0]
    formulas = {tmp_path / "good.svg": "$x^2$\n", tmp_path / "bad.svg": "$\\frac{1}{$\n"}
    assert not printed._render_batch(head, formulas, config)
    assert list(tmp_path.iterdir()) == []


@needs_packages
def test_the_epubs_render_their_formulas_in_batches(built):
    """No batch fell back to imgmath's one formula at a time (printed.render_all_math_at_once)."""
    assert "one at a time (their batch failed)" not in built.log
    assert "written: _build/epub/ko/" in built.log
