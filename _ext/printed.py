"""The book on paper and on e-readers: ``make pdf`` (LaTeX with XeLaTeX) and ``make epub``.

Both builders read the same sources as the HTML edition and take every executed cell and
gallery figure from the shared caches. What this extension adds:

- the file names, titles and authors of each edition's PDF and EPUB, set once
  ``-D language=...`` is known (after :func:`bookbuild.editions.configure_edition`);
- exercises print with their solutions at the end of the chapter (in HTML they are
  dropdowns a reader unfolds), each exercise pointing to its solution;
- the preface, glossary and bibliography are unnumbered chapters in the PDF, the example
  gallery an appendix, so that chapter 2 is "Chapter 2" as its exercises say;
- anything that only plays in a browser (raw HTML with a script, an audio or a video
  player) that the chapters did not replace themselves with an ``{only}`` block gets one
  sentence saying that it plays in the web edition.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform

from bookbuild.editions import COPYRIGHT_YEAR, edition
from sphinx.util import logging as sphinx_logging
from printed_needs import BASENAME

logger = sphinx_logging.getLogger(__name__)

PRINTED_BUILDERS = ("latex", "epub")

WORDS = {
    "en": {
        "solutions": "Solutions",
        "solution_to": "Solution to {exercise}",
        "see_solution": "The solution is at the end of the chapter.",
        "plays_animation": "An animation plays here in the web edition of this page.",
        "plays_sound": "A sound player stands here in the web edition of this page.",
    },
    "ko": {
        "solutions": "풀이",
        "solution_to": "{exercise} 풀이",
        "see_solution": "풀이는 이 장의 끝에 있습니다.",
        "plays_animation": "웹판의 이 페이지에서는 이 자리에서 애니메이션이 재생됩니다.",
        "plays_sound": "웹판의 이 페이지에서는 이 자리에서 소리를 들을 수 있습니다.",
    },
}

#: Names LaTeX prints that polyglossia would give in Korean, had it a Korean option.
KOREAN_LATEX_NAMES = r"""
\renewcommand{\contentsname}{차례}
\renewcommand{\indexname}{찾아보기}
\renewcommand{\bibname}{참고 문헌}
\renewcommand{\appendixname}{부록}
\renewcommand{\chaptername}{}
"""


def basename(language: str) -> str:
    return f"{BASENAME}-{edition(language).code}"


def configure_printed_editions(app: Sphinx, config: Config) -> None:
    """Each edition's PDF and EPUB: file name, title, author (after ``configure_edition``)."""
    this = edition(config.language)
    name = basename(this.code)
    config.latex_documents = [(config.root_doc, f"{name}.tex", this.title, this.author, "manual")]
    config.epub_basename = name
    config.epub_title = this.title
    config.epub_author = config.epub_publisher = this.author
    config.epub_copyright = config.copyright
    config.epub_description = this.title
    # the OPF's identifier and the NCX's uid must be the same string (epubcheck NCX-001)
    config.epub_identifier = config.epub_uid = name
    if this.code == "ko":
        # docutils knows no babel/polyglossia language for Korean; xeCJK sets the Korean text
        # (latex_elements in conf.py), so the names LaTeX prints are given here instead.
        elements = dict(config.latex_elements)
        elements["polyglossia"] = ""
        elements["preamble"] = elements.get("preamble", "") + KOREAN_LATEX_NAMES
        config.latex_elements = elements
        for module in ("sphinx.builders.latex", "sphinx.writers.latex"):  # both say it
            logging.getLogger(f"sphinx.{module}").addFilter(_known_babel_gap)


def _known_babel_gap(record: logging.LogRecord) -> bool:
    """Drop only Sphinx's "no Babel option known for language 'ko'" (see above)."""
    return not str(record.msg).startswith("no Babel option known")


def _words(document: nodes.document) -> dict[str, str]:
    return WORDS[edition(document.settings.env.config.language).code]


def _previous_exercise(node: nodes.Element) -> nodes.admonition | None:
    """The exercise admonition just before a dropdown (targets in between are skipped)."""
    parent = node.parent
    index = parent.index(node)
    for sibling in reversed(parent.children[:index]):
        if isinstance(sibling, (nodes.target, nodes.system_message)):
            continue
        if isinstance(sibling, nodes.admonition) and "exercise" in sibling["classes"]:
            return sibling
        return None
    return None


def _is_dropdown(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and node.get("design_component") == "dropdown"


class SolutionsAtChapterEnd(SphinxPostTransform):
    """Print each exercise's solution (a dropdown in HTML) in a section after the exercises.

    The section follows the chapter's exercises section (before its references), each
    solution headed by its exercise's title, and each exercise says where its solution is.
    Runs before sphinx-design turns dropdowns into ``<details>`` for HTML builders.
    """

    default_priority = 150
    builders = PRINTED_BUILDERS

    def run(self, **kwargs: Any) -> None:
        words = _words(self.document)
        by_section: dict[int, tuple[nodes.section, list]] = {}
        for dropdown in list(self.document.findall(_is_dropdown)):
            exercise = _previous_exercise(dropdown)
            section = dropdown.parent
            if exercise is None or not isinstance(section, nodes.section):
                continue
            by_section.setdefault(id(section), (section, []))[1].append((exercise, dropdown))
        for number, (section, pairs) in enumerate(by_section.values()):
            solutions = nodes.section(ids=[f"book-solutions-{number}"], classes=["solutions"])
            solutions += nodes.title("", words["solutions"])
            for exercise, dropdown in pairs:
                title = exercise.next_node(nodes.title)
                label = title.astext() if title is not None else ""
                anchor = f"book-solution-{exercise['ids'][0] if exercise['ids'] else id(exercise)}"
                solutions += nodes.target("", "", ids=[anchor])  # what the exercise's pointer links to
                solutions += nodes.rubric("", words["solution_to"].format(exercise=label))
                body = [child for child in dropdown.children if not isinstance(child, nodes.rubric)]
                solutions.extend(body)
                pointer = nodes.paragraph()
                pointer += nodes.reference("", words["see_solution"], internal=True, refid=anchor)
                dropdown.replace_self(pointer)
            section.parent.insert(section.parent.index(section) + 1, solutions)


class BrowserOnlyStandIn(SphinxPostTransform):
    """A sentence in place of raw HTML that plays something (a script, audio, video).

    The LaTeX writer drops raw HTML silently, and an EPUB would carry a script that
    e-readers do not run; both get a sentence in the page's language instead.
    """

    default_priority = 150
    builders = PRINTED_BUILDERS

    def run(self, **kwargs: Any) -> None:
        words = _words(self.document)
        for raw in list(self.document.findall(nodes.raw)):
            if "html" not in raw.get("format", "").split():
                continue
            if self.app.builder.name == "epub":
                _clean_for_epub(raw)
        if self.app.builder.name == "epub":  # sphinx-gallery writes its images' alt text unescaped
            for image in self.document.findall(lambda n: type(n).__name__ == "imgsgnode"):
                image["alt"] = html.escape(image.get("alt", ""), quote=True)
        for raw in list(self.document.findall(nodes.raw)):
            if "html" not in raw.get("format", "").split():
                continue
            text = raw.astext().lower()
            if "<audio" in text:
                sentence = words["plays_sound"]
            elif "<script" in text or "<video" in text:
                sentence = words["plays_animation"]
            else:
                continue
            raw.replace_self(nodes.paragraph("", "", nodes.emphasis("", sentence)))


def _clean_for_epub(raw: nodes.raw) -> None:
    """sphinx-gallery's thumbnails carry a ``tooltip`` attribute and repeat an id: not XHTML epubcheck accepts."""
    text = raw.astext()
    cleaned = re.sub(r'\s+tooltip="[^"]*"', "", text)
    cleaned = re.sub(r"""\s+id=["']sg-tag-list["']""", "", cleaned)
    if cleaned != text:
        raw.children = [nodes.Text(cleaned)]


def normalized_epub_toc(app: Sphinx) -> None:
    """EPUB table of contents entries relative to the book's root, for a root doc in a folder.

    The root documents are ``book/<code>/index``: Sphinx prefixes each entry with that folder,
    which leaves ``book/en/../../_gallery/index.xhtml`` for the gallery; epubcheck wants the
    plain path. (``epub_tocscope = "includehidden"`` in conf.py makes the NCX and the navigation
    document use these same entries.)
    """
    if app.builder.name != "epub":
        return
    builder = app.builder
    add_files = builder.toc_add_files

    def toc_add_files(refnodes: list[dict[str, Any]]) -> None:
        seen = set()
        for item in list(refnodes):
            path, hash_, fragment = item["refuri"].partition("#")
            item["refuri"] = posixpath.normpath(path) + hash_ + fragment
            if not hash_ and item["refuri"] in seen:  # a page listed twice would be twice in the spine
                refnodes.remove(item)
            seen.add(item["refuri"])
        add_files(refnodes)

    builder.toc_add_files = toc_add_files
    # myst-nb's and the web edition's style sheets use CSS (:is(), nesting) that epubcheck's
    # parser rejects; the EPUB theme's own style sheet is enough for a reader
    finish = builder.handle_finish

    def handle_finish() -> None:
        static = builder.outdir / "_static"
        for css in [*static.glob("mystnb.*.css"), static / "book.css"]:
            css.unlink(missing_ok=True)
        finish()

    builder.handle_finish = handle_finish


def leave_out_web_style_sheets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """In the EPUB, pages link no style sheet that :func:`normalized_epub_toc` leaves out."""
    if app.builder.name != "epub" or "css_files" not in context:
        return
    context["css_files"] = [css for css in context["css_files"] if not _web_only_css(str(getattr(css, "filename", css)))]


def _web_only_css(name: str) -> bool:
    base = posixpath.basename(name.split("?", 1)[0])
    return base == "book.css" or (base.startswith("mystnb.") and base.endswith(".css"))


#: Documents that print as unnumbered chapters, and the first document of the appendix.
UNNUMBERED = ("preface", "glossary", "bibliography")
APPENDIX = "_gallery/index"


def number_printed_chapters(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In the PDF, the preface, glossary and bibliography carry no chapter number.

    LaTeX numbers every chapter it meets; the book's chapters are numbered from the first
    one after the preface (their exercises say "Exercise 2.1"). The gallery is an appendix.
    """
    if app.builder.name != "latex":
        return
    for start in doctree.findall(_start_of_file):
        name = start["docname"].rsplit("/", 1)[-1]
        if start["docname"] == APPENDIX:
            start.insert(0, nodes.raw("", "\\appendix\n", format="latex"))
        elif name in UNNUMBERED:
            start.insert(0, nodes.raw("", "\\setcounter{secnumdepth}{-1}\n", format="latex"))
            start.append(nodes.raw("", "\\setcounter{secnumdepth}{\\booksecnumdepth}\n", format="latex"))
    # LaTeX prints the front page's title as the book's, without the label the preface links to
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is not None:
        labels = "".join(f"\\phantomsection\\label{{\\detokenize{{{docname}:{name}}}}}" for name in top["ids"])
        top.insert(1, nodes.raw("", labels + "\n", format="latex"))
    # the front page's own sections (its references), printed after everything else
    for section in list(doctree.findall(nodes.section)):
        parent = section.parent
        if isinstance(parent, nodes.section) and parent.parent is doctree and not _inside_a_file(section):
            parent.insert(parent.index(section), nodes.raw("", "\\setcounter{secnumdepth}{-1}\n", format="latex"))


def _inside_a_file(node: nodes.Node) -> bool:
    while node is not None:
        if _start_of_file(node):
            return True
        node = node.parent
    return False


#: What a formula with Hangul needs on top of imgmath's template (XeLaTeX, not latex).
KOREAN_MATH_PREAMBLE = "\\usepackage{kotex}\n\\setmainhangulfont{Noto Serif CJK KR}\n"


def epub_version(app: Sphinx) -> None:
    """The book has no version; the EPUB's metadata may not be empty (before epub3's check)."""
    if app.builder.name == "epub" and not app.config.version:
        app.config.version = str(COPYRIGHT_YEAR)


def korean_math_through_xelatex(app: Sphinx) -> None:
    """imgmath compiles each formula with ``latex``; one with Hangul goes through XeLaTeX.

    latex (DVI) is several times faster than XeLaTeX with ko.TeX's fonts and the book has
    about 800 formulas, of which a handful carry Korean words in ``\\text{...}``. imgmath has
    one engine setting, so its ``compile_math`` is wrapped (for the EPUB builder only):
    dvisvgm reads XeLaTeX's .xdv as it reads latex's .dvi.
    """
    if app.builder.name != "epub":
        return
    from types import SimpleNamespace

    from sphinx.ext import imgmath

    compile_ascii = getattr(imgmath.compile_math, "__wrapped__", imgmath.compile_math)

    def compile_math(latex: str, *, config: Config):
        if latex.isascii():
            return compile_ascii(latex, config=config)
        korean = latex.replace("\\begin{document}", KOREAN_MATH_PREAMBLE + "\\begin{document}", 1)
        xelatex = SimpleNamespace(imgmath_latex="xelatex", imgmath_latex_args=[*config.imgmath_latex_args, "-no-pdf"])
        return compile_ascii(korean, config=xelatex)

    compile_math.__wrapped__ = compile_ascii
    imgmath.compile_math = compile_math


def render_all_math_at_once(app: Sphinx, builder) -> None:
    """The EPUB's formulas rendered in one ``latex`` run and one ``dvisvgm`` run, before any page is written.

    imgmath renders a formula when a page that shows it is written: one ``latex`` and one
    ``dvisvgm`` process per formula, about 880 formulas per edition, each process paying
    LaTeX's and dvisvgm's start-up (about 0.35 s of the 0.4 s a formula took). Here every
    formula of every page is written into one document, one formula per page, which ``latex``
    compiles once and ``dvisvgm --page=1-`` turns into one SVG per page. Each SVG is stored
    where imgmath looks first (``_images/math/<sha1 of its LaTeX>.svg``), so imgmath finds it
    and renders nothing. Formulas with Hangul go through XeLaTeX as one more batch
    (:func:`korean_math_through_xelatex`).

    The result is the same drawing imgmath makes (dvisvgm writes the fonts in another order).
    A batch that fails is dropped whole, and imgmath then renders its formulas one at a time
    as before, and reports a faulty formula with its own error.
    """
    if builder.name != "epub" or builder.config.imgmath_image_format.lower() != "svg":
        return
    from collections import defaultdict
    from hashlib import sha1

    from sphinx.ext import imgmath
    from sphinx.util.math import wrap_displaymath

    config = builder.config
    outdir = builder.outdir / builder.imagedir / "math"
    batches: dict[tuple[str, bool], dict[Path, str]] = defaultdict(dict)  # (preamble, ASCII?) -> {file: body}
    for docname in sorted(builder.env.found_docs):
        for node in builder.env.get_doctree(docname).findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))):
            if isinstance(node, nodes.math):
                math = "$" + node.astext() + "$"
            elif node.get("no-wrap", node.get("nowrap", False)):
                math = node.astext()
            else:
                math = wrap_displaymath(node.astext(), None, False)
            latex = imgmath.generate_latex_macro("svg", math, config, builder.confdir)
            path = outdir / f"{sha1(latex.encode(), usedforsecurity=False).hexdigest()}.svg"
            head, begin, rest = latex.partition("\\begin{document}")
            body, end, _ = rest.rpartition("\\end{document}")
            if begin and end and not path.is_file():
                batches[head, body.isascii()].setdefault(path, body)
    outdir.mkdir(parents=True, exist_ok=True)
    for (head, _), formulas in batches.items():
        if not _render_batch(head, formulas, config):
            logger.info("imgmath renders %d formulas one at a time (their batch failed)", len(formulas))


def _render_batch(head: str, formulas: dict[Path, str], config: Config) -> bool:
    """One document, one page per formula; each page's SVG moved to its formula's file."""
    import shutil

    from sphinx.ext import imgmath

    paths = list(formulas)
    latex = head + "\\begin{document}\n" + "\n\\clearpage\n".join(formulas[p] for p in paths) + "\\end{document}\n"
    try:
        dvi = imgmath.compile_math(latex, config=config)
        pages = dvi.parent / "page-%p.svg"
        _, stderr = imgmath.convert_dvi_to_image(
            [config.imgmath_dvisvgm, "--page=1-", "-o", str(pages), *config.imgmath_dvisvgm_args, str(dvi)], "dvisvgm"
        )
    except (imgmath.MathExtError, imgmath.InvokeError):
        return False  # imgmath renders these one at a time and reports the faulty one
    written = re.findall(r"^\s*output written to (.+)$", stderr, re.MULTILINE)
    if len(written) != len(paths):  # a formula that drew nothing left no page: no way to pair them
        shutil.rmtree(dvi.parent, ignore_errors=True)
        return False
    for svg, path in zip(written, paths):
        shutil.move(dvi.parent / svg.strip(), path)
    shutil.rmtree(dvi.parent, ignore_errors=True)
    return True


def drop_generated_index_from_toctrees(app: Sphinx, doctree: nodes.document) -> None:
    """The PDF prints its own index (makeindex), the EPUB adds its own: ``Index </genindex>`` is for HTML.

    Left in, the LaTeX builder finds no document ``genindex`` to inline and warns. Runs before
    Sphinx's toctree collector reads the entries; the LaTeX build keeps its own doctrees.
    """
    if app.builder.name not in PRINTED_BUILDERS:  # the EPUB adds the index to its spine itself
        return
    for toctree in doctree.findall(addnodes.toctree):
        toctree["entries"] = [(text, ref) for text, ref in toctree["entries"] if ref != "genindex"]
        toctree["includefiles"] = [name for name in toctree["includefiles"] if name != "genindex"]


def _start_of_file(node: nodes.Node) -> bool:
    return node.__class__.__name__ == "start_of_file"


def setup(app: Sphinx) -> dict:
    # the EPUB's math renderer (get_builder_config looks up epub_math_renderer before html_...)
    app.add_config_value("epub_math_renderer", None, "epub", types=frozenset({str, type(None)}))
    app.connect("config-inited", configure_printed_editions, priority=200)  # after the edition's
    app.add_post_transform(SolutionsAtChapterEnd)
    app.add_post_transform(BrowserOnlyStandIn)
    app.connect("doctree-resolved", number_printed_chapters)
    app.connect("doctree-read", drop_generated_index_from_toctrees, priority=400)  # before the collector
    app.connect("builder-inited", korean_math_through_xelatex)
    app.connect("builder-inited", normalized_epub_toc)
    app.connect("write-started", render_all_math_at_once)
    app.connect("html-page-context", leave_out_web_style_sheets)
    app.connect("builder-inited", epub_version, priority=400)  # sphinx.builders.epub3 checks at 500
    return {"version": "1", "env_version": 3, "parallel_read_safe": True, "parallel_write_safe": True}

