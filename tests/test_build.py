"""The build is a test: both editions, from nothing, with warnings as errors.

One clean build of both editions (in a copy of the tree) is made once per test
session (the ``clean_build`` fixture in ``tests/conftest.py``, shared with the browser
tests); a copy of it, ``pristine``, is never touched again. The tests of the HTML read ``pristine``.
Each test that edits the tree and builds again gets the tree restored to exactly
that clean build first (the ``tree`` fixture), so no test depends on another or
on their order. They share one tree and must not run at the same time.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from bookbuild.ann_lib_deps import dependencies
from bookbuild.cells import code_cells
from tools import buildkit

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def book(clean_build) -> tuple[Path, dict[str, buildkit.BuildResult]]:
    """The clean build's tree and build results, to read."""
    return clean_build.pristine, clean_build.results


@pytest.fixture
def tree(clean_build) -> Path:
    """The tree exactly as the clean build left it (sources, caches, HTML), to edit and build again.

    It is restored at the same path, so Sphinx's environment and the caches stay valid.
    """
    shutil.rmtree(clean_build.tree)
    shutil.copytree(clean_build.pristine, clean_build.tree, symlinks=True)
    return clean_build.tree


def html_dir(tree: Path, lang: str) -> Path:
    return tree / "_build" / "html" / lang


def pages(tree: Path, lang: str) -> list[Path]:
    root = html_dir(tree, lang)
    return [p for p in root.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts]


def soup(path: Path) -> BeautifulSoup:
    """The page, parsed once for all the tests that read it (a page a test rebuilt is parsed again).
    To read only: a test that changes the tree works on :func:`fresh_soup`."""
    status = path.stat()
    return _parsed(path, status.st_mtime_ns, status.st_size)


@functools.lru_cache(maxsize=512)
def _parsed(path: Path, mtime_ns: int, size: int) -> BeautifulSoup:
    return fresh_soup(path)


def fresh_soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


#: An animation sphinx-gallery embedded in a script's page: the container and its indented raw HTML.
ANIMATION = re.compile(r"^\.\. container:: sphx-glr-animation\n(?:\n|[ \t]+.*\n)*", re.MULTILINE)


def figure_hashes(tree: Path) -> dict[str, str]:
    """Every figure's PNG and every embedded animation (its frames and player), by a name that stays."""
    hashes = {
        str(p.relative_to(tree)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((tree / "_gallery").rglob("images/*.png"))
    }
    for page in sorted((tree / "_gallery").rglob("plot_*.rst")):
        for number, animation in enumerate(ANIMATION.findall(page.read_text(encoding="utf-8"))):
            hashes[f"{page.relative_to(tree)}#animation{number}"] = hashlib.sha256(animation.encode()).hexdigest()
    return hashes


# ------------------------------------------------------------------ the HTML
def test_each_edition_has_its_language(book):
    tree, _ = book
    for lang in buildkit.LANGUAGES:
        found = pages(tree, lang)
        assert len(found) >= 5
        for page in found:
            tag = soup(page).find("html")
            assert tag is not None and tag.get("lang") == lang, page


def test_other_languages_sources_are_excluded(book):
    tree, _ = book
    assert not (html_dir(tree, "en") / "book" / "ko").exists()
    assert not (html_dir(tree, "ko") / "book" / "en").exists()


def test_every_page_links_to_itself_in_the_other_edition(book):
    tree, _ = book
    checked = 0
    for lang in buildkit.LANGUAGES:
        other = "ko" if lang == "en" else "en"
        for page in pages(tree, lang):
            document = soup(page)
            if document.find("meta", attrs={"http-equiv": "refresh"}):
                continue  # the edition's index.html redirect
            link = document.select_one("a.book-lang-other")
            assert link is not None, f"no language switcher on {page}"
            assert link["hreflang"] == other
            target = (page.parent / link["href"]).resolve()
            assert target.is_file(), f"{page}: switcher points to missing {target}"
            expected = html_dir(tree, other) / page.relative_to(html_dir(tree, lang)).as_posix().replace(
                f"book/{lang}/", f"book/{other}/"
            )
            assert target == expected.resolve()
            back = soup(target).select_one("a.book-lang-other")
            assert (target.parent / back["href"]).resolve() == page.resolve()
            checked += 1
    assert checked >= 10


def test_embedded_figures_exist_and_are_the_same_figures(book):
    """Each chapter embeds the same figures in both editions: the Korean one each figure's Korean twin."""
    tree, _ = book
    embedded = {}
    for lang in buildkit.LANGUAGES:
        for page in html_dir(tree, lang).glob("book/*/*.html"):
            for img in soup(page).select("article img"):
                source = (page.parent / img["src"]).resolve()
                assert source.is_file(), f"{page}: missing image {img['src']}"
                embedded.setdefault(lang, {}).setdefault(page.name, []).append(source.name.replace("_ko.png", ".png"))
    assert embedded["en"] == embedded["ko"], "the editions must embed the same figures"
    assert sum(len(v) for v in embedded["en"].values()) >= 3


def test_the_korean_edition_shows_every_figure_and_thumbnail_in_korean(book):
    """Wherever the build drew a Korean twin, the Korean pages (chapters and gallery, thumbnails
    included) show it and the English pages do not; no twin draws an English word."""
    from bookbuild import figures_korean

    tree, _ = book
    twins = {p.name for p in (tree / "_gallery").rglob("images/**/*_ko.png")}
    assert any("_thumb_ko" in name for name in twins) and len(twins) >= 30
    shown = {lang: set() for lang in buildkit.LANGUAGES}
    for lang in buildkit.LANGUAGES:
        for page in pages(tree, lang):
            for img in soup(page).select("img[src]"):
                name = Path(urlsplit(img["src"]).path).name
                if not name.startswith("sphx_glr_"):
                    continue
                shown[lang].add(name)
                if lang == "ko":
                    assert name.replace(".png", "_ko.png") not in twins, f"{page}: {name} has a Korean twin"
                else:
                    assert not name.endswith("_ko.png"), f"{page}: a Korean image in the English edition"
    assert twins <= shown["ko"], f"Korean images no Korean page shows: {sorted(twins - shown['ko'])}"
    for record in (tree / "_gallery").rglob("images/*_ko.json"):
        data = json.loads(record.read_text(encoding="utf-8"))
        script = re.sub(r"^sphx_glr_(\w+?)_\d{3}_ko\.json$", r"\1.py", record.name)
        namespace = {}
        for node in ast.parse(next((tree / "gallery").rglob(script)).read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "KEPT_IN_LATIN":
                namespace["KEPT_IN_LATIN"] = ast.literal_eval(node.value)
        translate = figures_korean.translator_for(script, namespace)
        english_left = [text for text in data["texts"] if translate.untranslated(text)]
        assert not english_left, f"{record.name}: the Korean figure draws {english_left}"


def visible_text(document: BeautifulSoup) -> str:
    for tag in document(["script", "style", "pre", "code", "textarea"]):
        tag.decompose()
    for tag in document.select(".math, .MathJax, .highlight"):
        tag.decompose()
    return document.get_text(" ")


def test_no_math_left_unrendered(book):
    tree, _ = book
    for lang in buildkit.LANGUAGES:
        for page in html_dir(tree, lang).glob("book/*/*.html"):
            text = visible_text(fresh_soup(page))
            leftovers = re.findall(r"\$[^$\s][^$]{0,80}\$", text)
            assert not leftovers, f"{page}: unrendered math {leftovers[:3]}"
            assert "\\begin{" not in text and "\\frac" not in text, f"{page}: raw LaTeX in the text"


def test_no_third_party_requests(book):
    """Reading the book offline: every script, stylesheet, font and image is served locally."""
    tree, _ = book
    for lang in buildkit.LANGUAGES:
        for page in pages(tree, lang):
            document = soup(page)
            for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src")):
                for element in document.find_all(tag):
                    url = element.get(attribute)
                    if not url or (tag == "link" and not {"stylesheet", "preload", "icon", "modulepreload", "prefetch"} & set(element.get("rel", []))):
                        continue
                    assert not urlsplit(url).netloc, f"{page}: <{tag}> loads {url}"
        mathjax = html_dir(tree, lang) / "_static" / "mathjax" / "tex-chtml.js"
        assert mathjax.is_file(), "MathJax must be served from _static"
        for css in (html_dir(tree, lang) / "_static").rglob("*.css"):
            imports = re.findall(r"@import\s+url\(\s*['\"]?(https?:)?//", css.read_text(errors="replace"))
            assert not imports, f"{css} imports a remote stylesheet"


def test_search_index_per_edition(book):
    tree, _ = book

    def index(lang):
        text = (html_dir(tree, lang) / "searchindex.js").read_text(encoding="utf-8")
        return json.loads(text[text.index("(") + 1 : text.rindex(")")])

    english, korean = index("en"), index("ko")
    assert not [d for d in english["docnames"] if d.startswith("book/ko")]
    assert not [d for d in korean["docnames"] if d.startswith("book/en")]
    assert "neuron" in english["terms"] and "activ" in english["terms"]  # English, Porter-stemmed
    # The Korean index (bookbuild/search.py): syllable bigrams of Korean runs without their
    # particles, across spaces too; English words as written
    assert {"뉴런", "가중", "중합", "곱신"} <= set(korean["terms"])  # 곱신: 합성곱 신경망 across its space
    assert "activation" in korean["terms"] and "activ" not in korean["terms"]
    # the search page (only) loads the scorer that ranks the page about a phrase first
    for lang in buildkit.LANGUAGES:
        assert "book-search-rank.js" in (html_dir(tree, lang) / "search.html").read_text(encoding="utf-8")
        assert (html_dir(tree, lang) / "_static" / "book-search-rank.js").is_file()
        chapter = html_dir(tree, lang) / "book" / lang / "01-neural-networks.html"
        assert "book-search-rank.js" not in chapter.read_text(encoding="utf-8")


def test_korean_theme_and_gallery_strings(book):
    tree, _ = book
    ko = html_dir(tree, "ko")
    page = (ko / "book" / "ko" / "02-activation-functions.html").read_text(encoding="utf-8")
    for korean in ("검색", "맨 위로", "본문으로 건너뛰기", "이 제목으로 연결", "색상 모드"):
        assert korean in page, f"the Korean edition's UI should say {korean!r}"
    assert "으로 이 책의 저자들" not in page  # the theme's mistranslated "By <author>"
    for english in ("Skip to main content", "Back to top", "System Settings", "Link to this heading", "Search..."):
        assert english not in page, f"untranslated UI string {english!r}"
    example = soup(next(ko.glob("_gallery/02_*/plot_*.html")))
    assert re.search(r"[\uac00-\ud7a3]", example.find("h1").get_text())
    assert example.find(string=re.compile("내려받기"))
    assert not example.find(string=re.compile(r"Download (Python|Jupyter)"))


def test_gallery_pages_offer_script_and_notebook(book):
    tree, _ = book
    for lang in buildkit.LANGUAGES:
        for page in html_dir(tree, lang).glob("_gallery/*/plot_*.html"):
            downloads = [a["href"] for a in soup(page).select("a.download, a.reference.download")]
            for suffix in (".py", ".ipynb"):
                found = [h for h in downloads if h.endswith(suffix)]
                assert found, f"{page}: no {suffix} download"
                assert (page.parent / found[0]).resolve().is_file()


def test_landing_page_offers_both_editions(book):
    tree, _ = book
    landing = soup(tree / "_build" / "html" / "index.html")
    hrefs = {a["href"] for a in landing.find_all("a")}
    for lang in buildkit.LANGUAGES:
        chapters = sorted(p.name for p in (tree / "book" / lang).glob("[0-9][0-9]-*.md"))
        assert len(chapters) == 12
        for name in chapters:  # each chapter, and its notebook, from the front page
            page = f"{lang}/book/{lang}/{name.removesuffix('.md')}.html"
            notebook = f"{lang}/_sources/book/{lang}/{name.removesuffix('.md')}.ipynb"
            assert page in hrefs and (tree / "_build" / "html" / page).is_file()
            assert notebook in hrefs and (tree / "_build" / "html" / notebook).is_file()
        assert f"{lang}/book/{lang}/index.html" in hrefs
    assert all(not h.startswith(("http:", "https:", "//")) for h in hrefs)
    for lang in buildkit.LANGUAGES:
        redirect = soup(html_dir(tree, lang) / "index.html").find("meta", attrs={"http-equiv": "refresh"})
        target = redirect["content"].split("url=")[1]
        assert (html_dir(tree, lang) / target).is_file()


def test_korean_build_reuses_the_english_execution(book):
    tree, results = book
    with_code = {
        path.relative_to(tree).as_posix()
        for path in (tree / "book" / "en").glob("*.md")
        if code_cells(path.read_text(encoding="utf-8"))
    }
    # a clean build executes every chapter with code (myst-nb also runs a notebook without any)
    assert results["en"].executed_chapters >= with_code
    assert results["ko"].executed_chapters == set(), "identical code cells must hit the shared cache"
    assert results["ko"].executed_gallery_scripts == 0


# ------------------------------------------------------- caches and figures
def chapter_outputs(tree: Path, lang: str, chapter: str) -> list[str]:
    page = soup(html_dir(tree, lang) / "book" / lang / f"{chapter}.html")
    return [output.get_text() for output in page.select("div.cell_output")]


#: Figures that show a time measured on the build machine (chapter 12's "computers were too
#: slow"): they differ from build to build by design. Every other figure must not.
TIMED_FIGURES = ("sphx_glr_plot_epoch_timing_",)


@pytest.mark.reproducible
def test_two_clean_builds_draw_identical_figures(clean_build):
    """Every gallery script, executed a second time from nothing, draws the same bytes.

    The second execution started in the background when the clean build ended
    (``clean_build.second_gallery_execution``, tests/conftest.py).
    """

    def untimed(hashes):
        return {path: digest for path, digest in hashes.items() if not any(t in path for t in TIMED_FIGURES)}

    first = figure_hashes(clean_build.pristine)
    assert len(first) >= 3 and len(untimed(first)) < len(first)  # the timed figure exists, and is left out
    assert any(path.endswith("_ko.png") for path in untimed(first))  # the Korean twins are compared too
    result = clean_build.second_gallery_execution().check()
    assert result.executed_gallery_scripts == len(list((clean_build.rerun / "gallery").rglob("plot_*.py")))
    second = figure_hashes(clean_build.rerun)
    assert second.keys() == first.keys()
    assert untimed(second) == untimed(first)


def test_a_rebuild_with_nothing_changed_executes_nothing(tree):
    for lang in buildkit.LANGUAGES:
        result = buildkit.build(tree, lang).check()
        assert result.executed_chapters == set() and result.executed_gallery_scripts == 0


def test_editing_a_sentence_executes_nothing(tree):
    chapter = tree / "book" / "en" / "01-neural-networks.md"
    marker = "A sentence added by the cache test."
    chapter.write_text(chapter.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
    result = buildkit.build(tree, "en").check()
    assert result.executed_chapters == set() and result.executed_gallery_scripts == 0
    assert marker in (html_dir(tree, "en") / "book" / "en" / "01-neural-networks.html").read_text(encoding="utf-8")


def test_ann_lib_module_no_one_imports_reruns_nothing(tree):
    (tree / "ann_lib" / "unused_probe.py").write_text('"""A module nothing imports."""\nVALUE = 1\n')
    for lang in buildkit.LANGUAGES:
        result = buildkit.build(tree, lang).check()
        assert result.executed_chapters == set() and result.executed_gallery_scripts == 0


def importers(tree: Path, module: Path | None) -> tuple[set[str], set[str]]:
    """The English chapters (``book/en/x.md``) and gallery scripts (``NN_x/plot_y.py``) that import
    ``module``, directly or through other ann_lib modules, by the import graph (``None``: any ann_lib module)."""
    package = tree / "ann_lib"

    def imports(sources: list[str]) -> bool:
        found = dependencies(sources, package)
        return bool(found) if module is None else module in found

    chapters = {
        path.relative_to(tree).as_posix()
        for path in (tree / "book" / "en").glob("*.md")
        if imports(code_cells(path.read_text(encoding="utf-8")))
    }
    scripts = {
        path.relative_to(tree / "gallery").as_posix()
        for path in (tree / "gallery").rglob("*.py")
        if imports([path.read_text(encoding="utf-8")])
    }
    return chapters, scripts


def test_an_ann_lib_edit_reruns_its_importers_and_nothing_else(book, tree):
    """Edit the ann_lib module with the fewest importers: exactly those run again, the others do not."""
    package = tree / "ann_lib"
    everything = importers(tree, None)
    candidates = []
    for module in sorted(package.rglob("*.py")):
        chapters, scripts = importers(tree, module)
        if chapters and scripts:
            candidates.append((len(chapters) + len(scripts), str(module), module, chapters, scripts))
    _, _, module, chapters, scripts = min(candidates)
    assert chapters < everything[0] and scripts < everything[1], "an edit that re-runs everything proves little"
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited by the cache test\n", encoding="utf-8")
    result = buildkit.build(tree, buildkit.LANGUAGES[0]).check()
    assert result.executed_chapters == chapters, module
    assert result.rerun_gallery_scripts == scripts, module
    assert result.executed_gallery_scripts == len(scripts)
    # the edit is a comment: the scripts executed a second time draw the same bytes
    # (the whole gallery's second execution is `make reproducible`'s test)
    before, after = figure_hashes(book[0]), figure_hashes(tree)
    drawn_by = [(f"sphx_glr_{Path(script).stem}_", f"{Path(script).stem}.rst#") for script in scripts]
    rerun = {name: digest for name, digest in after.items()
             if any(image in name or animation in name for image, animation in drawn_by)
             and not any(t in name for t in TIMED_FIGURES)}
    assert rerun and all(before[name] == digest for name, digest in rerun.items()), sorted(
        name for name, digest in rerun.items() if before.get(name) != digest)


def test_changing_ann_lib_reruns_exactly_what_imports_it(book, tree):
    """Change the perceptron's rule (the bias learns twice as fast): exactly its importers run again,
    and the pages and figures they make show the change.

    ``ann_lib.perceptron`` has few importers, so the test re-runs a few chapters, not the
    book (``activations``, which nearly every chapter imports through ``layers``, would);
    the rule still converges on AND and OR and still fails on XOR, so nothing the
    chapter asserts breaks.
    """
    pristine, _ = book
    module = tree / "ann_lib" / "perceptron.py"
    source = module.read_text(encoding="utf-8")
    rule = "self.b = self.b + self.lr * (t_i - y_i)"
    assert rule in source
    module.write_text(source.replace(rule, "self.b = self.b + 2 * self.lr * (t_i - y_i)"), encoding="utf-8")
    chapters, scripts = importers(tree, module)
    assert "book/en/03-xor-and-the-first-winter.md" in chapters and "03_xor/plot_perceptron_gates.py" in scripts
    assert len(chapters) + len(scripts) <= 8, "a module most of the book imports would make this test slow"
    for lang in buildkit.LANGUAGES:
        result = buildkit.build(tree, lang).check()
        if lang == buildkit.LANGUAGES[0]:
            # exactly these: a chapter or script that does not import the module must not run
            assert result.executed_chapters == chapters
            assert result.rerun_gallery_scripts == scripts
            assert result.executed_gallery_scripts == len(scripts)
        else:  # the first edition refreshed the shared caches
            assert result.executed_chapters == set() and result.executed_gallery_scripts == 0
        # the printed outputs of chapter 3 now come from the changed library
        assert chapter_outputs(tree, lang, "03-xor-and-the-first-winter") != chapter_outputs(
            pristine, lang, "03-xor-and-the-first-winter"
        )
    before, after = figure_hashes(pristine), figure_hashes(tree)
    changed = {name for name in after if after[name] != before.get(name)}
    assert any("plot_perceptron_gates_001" in name for name in changed), changed


# ------------------------------------------- failures name the file and line
def test_a_failing_chapter_cell_fails_the_build_and_names_the_line(tree):
    chapter = tree / "book" / "en" / "01-neural-networks.md"
    text = chapter.read_text(encoding="utf-8")
    failing = text.rstrip("\n") + '\n\n```{code-cell} ipython3\nvalue = 1\nraise ValueError("cell failure probe")\n```\n'
    chapter.write_text(failing, encoding="utf-8")
    line = failing.splitlines().index('raise ValueError("cell failure probe")') + 1
    result = buildkit.build(tree, "en")
    assert result.returncode != 0
    assert f"01-neural-networks.md:{line}: a code cell raised ValueError: cell failure probe" in result.log


def test_a_failing_gallery_script_fails_the_build_and_names_the_line(tree):
    script = tree / "gallery" / "01_neuron" / "plot_failure_probe.py"
    script.write_text(
        '"""\nFailure probe\n=============\n\n.. title-ko: 실패 검사\n"""\n\nvalue = 1\nraise RuntimeError("gallery failure probe")\n',
        encoding="utf-8",
    )
    result = buildkit.build(tree, "en")
    assert result.returncode != 0
    assert re.search(r'plot_failure_probe\.py", line 9', result.log), result.log[-3000:]
    assert "RuntimeError: gallery failure probe" in result.log
