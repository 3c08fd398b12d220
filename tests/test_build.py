"""The build is a test: both editions, from nothing, with warnings as errors.

One clean build of both editions (in a copy of the tree) is shared by the tests
below, which read the HTML it produced. The cache tests then edit the copy and
build again, in the order the module lists them.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from tools import buildkit

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    tree = buildkit.copy_tree(tmp_path_factory.mktemp("book") / "tree")
    results = buildkit.build_both(tree)
    buildkit.write_landing_page(tree / "_build" / "html")
    return tree, results


def html_dir(tree: Path, lang: str) -> Path:
    return tree / "_build" / "html" / lang


def pages(tree: Path, lang: str) -> list[Path]:
    root = html_dir(tree, lang)
    return [p for p in root.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def figure_hashes(tree: Path) -> dict[str, str]:
    return {
        str(p.relative_to(tree)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((tree / "_gallery").rglob("images/*.png"))
    }


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


def test_embedded_figures_exist_and_are_shared(book):
    tree, _ = book
    embedded = {}
    for lang in buildkit.LANGUAGES:
        for page in html_dir(tree, lang).glob("book/*/*.html"):
            for img in soup(page).select("article img"):
                source = (page.parent / img["src"]).resolve()
                assert source.is_file(), f"{page}: missing image {img['src']}"
                embedded.setdefault(lang, {}).setdefault(page.name, []).append(
                    hashlib.sha256(source.read_bytes()).hexdigest()
                )
    assert embedded["en"] == embedded["ko"], "the editions must embed the same images"
    assert sum(len(v) for v in embedded["en"].values()) >= 3


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
            text = visible_text(soup(page))
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
    # The Korean index: Korean words (also without their particles), English words as written
    assert "뉴런" in korean["terms"] and "가중합" in korean["terms"]
    assert "activation" in korean["terms"] and "activ" not in korean["terms"]


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
    assert hrefs == {"en/index.html", "ko/index.html"}
    for lang in buildkit.LANGUAGES:
        redirect = soup(html_dir(tree, lang) / "index.html").find("meta", attrs={"http-equiv": "refresh"})
        target = redirect["content"].split("url=")[1]
        assert (html_dir(tree, lang) / target).is_file()


def test_korean_build_reuses_the_english_execution(book):
    _, results = book
    assert results["en"].executed_notebooks >= 2
    assert results["ko"].executed_notebooks == 0, "identical code cells must hit the shared cache"
    assert results["ko"].executed_gallery_scripts == 0


# ------------------------------------------------------- caches and figures
def chapter_outputs(tree: Path, lang: str, chapter: str) -> list[str]:
    page = soup(html_dir(tree, lang) / "book" / lang / f"{chapter}.html")
    return [output.get_text() for output in page.select("div.cell_output")]


def test_two_clean_builds_draw_identical_figures(book):
    tree, _ = book
    first = figure_hashes(tree)
    assert len(first) >= 3
    shutil.rmtree(tree / "_gallery")
    shutil.rmtree(html_dir(tree, "en"))
    buildkit.build(tree, "en").check()
    assert figure_hashes(tree) == first


def test_editing_a_sentence_executes_nothing(book):
    tree, _ = book
    chapter = tree / "book" / "en" / "01-neural-networks.md"
    text = chapter.read_text(encoding="utf-8")
    marker = "A sentence added by the cache test."
    chapter.write_text(text.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
    result = buildkit.build(tree, "en").check()
    assert result.executed_notebooks == 0 and result.executed_gallery_scripts == 0
    assert marker in (html_dir(tree, "en") / "book" / "en" / "01-neural-networks.html").read_text(encoding="utf-8")
    chapter.write_text(text, encoding="utf-8")
    buildkit.build(tree, "en").check()


def test_ann_lib_module_no_one_imports_reruns_nothing(book):
    tree, _ = book
    (tree / "ann_lib" / "unused_probe.py").write_text('"""A module nothing imports."""\nVALUE = 1\n')
    for lang in buildkit.LANGUAGES:
        result = buildkit.build(tree, lang).check()
        assert result.executed_notebooks == 0 and result.executed_gallery_scripts == 0


def test_changing_ann_lib_reruns_what_depends_on_it(book):
    """Change the unit step's value at 0 from 0.5 to 0.25: pages and figures follow."""
    tree, _ = book
    module = tree / "ann_lib" / "activations.py"
    source = module.read_text(encoding="utf-8")
    assert "np.heaviside(z, 0.5)" in source
    module.write_text(source.replace("np.heaviside(z, 0.5)", "np.heaviside(z, 0.25)"), encoding="utf-8")
    before = figure_hashes(tree)
    outputs_before = {lang: chapter_outputs(tree, lang, "02-activation-functions") for lang in buildkit.LANGUAGES}
    for lang in buildkit.LANGUAGES:
        result = buildkit.build(tree, lang).check()
        if lang == "en":
            # chapters 1 and 2 import ann_lib.activations (chapter 1 through ann_lib.neuron)
            assert result.executed_notebooks >= 2
            assert result.executed_gallery_scripts >= 2
        else:
            assert result.executed_notebooks == 0  # the English build refreshed the shared cache
        # the printed outputs of chapter 2 now come from the changed library
        assert chapter_outputs(tree, lang, "02-activation-functions") != outputs_before[lang]
    after = figure_hashes(tree)
    changed = {name for name in after if after[name] != before.get(name)}
    assert any("plot_activations_001" in name for name in changed), changed


# ------------------------------------------- failures name the file and line
def test_a_failing_chapter_cell_fails_the_build_and_names_the_line(book):
    tree, _ = book
    chapter = tree / "book" / "en" / "01-neural-networks.md"
    text = chapter.read_text(encoding="utf-8")
    failing = text.rstrip("\n") + '\n\n```{code-cell} ipython3\nvalue = 1\nraise ValueError("cell failure probe")\n```\n'
    chapter.write_text(failing, encoding="utf-8")
    line = failing.splitlines().index('raise ValueError("cell failure probe")') + 1
    try:
        result = buildkit.build(tree, "en")
    finally:
        chapter.write_text(text, encoding="utf-8")
    assert result.returncode != 0
    assert f"01-neural-networks.md:{line}: a code cell raised ValueError: cell failure probe" in result.log


def test_a_failing_gallery_script_fails_the_build_and_names_the_line(book):
    tree, _ = book
    script = tree / "gallery" / "01_neuron" / "plot_failure_probe.py"
    script.write_text(
        '"""\nFailure probe\n=============\n\n.. title-ko: 실패 검사\n"""\n\nvalue = 1\nraise RuntimeError("gallery failure probe")\n',
        encoding="utf-8",
    )
    try:
        result = buildkit.build(tree, "en")
    finally:
        script.unlink()
    assert result.returncode != 0
    assert re.search(r'plot_failure_probe\.py", line 9', result.log), result.log[-3000:]
    assert "RuntimeError: gallery failure probe" in result.log
