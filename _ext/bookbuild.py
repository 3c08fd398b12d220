"""The book's own Sphinx extension: two editions from one source tree.

``sphinx-build -b html . OUT`` builds the English edition and
``sphinx-build -b html -D language=ko . OUT`` the Korean one. This extension

* selects the edition's sources (``book/<lang>/``) and the shared gallery
  output, and sets the tag ``en`` or ``ko`` for ``.. only::`` blocks;
* keeps caches honest: a chapter's executed cells and a gallery script's figures
  are re-made when an ``ann_lib`` module they import changes (see
  :mod:`ann_lib_deps`);
* translates the gallery pages' titles and sphinx-gallery's own strings for the
  Korean edition (gallery scripts carry both languages, see ``STYLE.md``);
* puts a language switcher on every page, linking to the same page in the
  other edition;
* gives the Korean search index a word splitter that also indexes a word
  without its particle (뉴런은 -> 뉴런), so that searching 뉴런 finds it.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.search import SearchLanguage, languages
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset

from ann_lib_deps import dependencies, digest, fingerprint

logger = logging.getLogger(__name__)

EDITIONS = {
    "en": {
        "title": "Deep Learning with TensorFlow, from the Ground Up",
        "label": "English",
        "search": "Search...",
        "author": "the authors of the book",
    },
    "ko": {"title": "딥러닝 구현을 위한 텐서플로우 개발", "label": "한국어", "search": "검색...", "author": "이 책의 저자들"},
}
GALLERY_SOURCE = "gallery"  # the scripts
GALLERY_OUTPUT = "_gallery"  # what sphinx-gallery generates, shared by both editions
STAMP_SUFFIX = ".ann_lib.sha256"


def _root(app: Sphinx) -> Path:
    return Path(app.confdir)


# --------------------------------------------------------------------- editions
def configure_edition(app: Sphinx, config: Config) -> None:
    """Runs after ``-D`` overrides are applied, so ``language`` is final here."""
    lang = config.language or "en"
    if lang not in EDITIONS:
        raise ValueError(f"language must be one of {sorted(EDITIONS)}, got {lang!r}")
    config.root_doc = f"book/{lang}/index"
    config.include_patterns = [f"book/{lang}/**", f"{GALLERY_OUTPUT}/**"]
    config.html_title = EDITIONS[lang]["title"]
    config.project = EDITIONS[lang]["title"]
    config.author = EDITIONS[lang]["author"]
    config.copyright = f"2026, {EDITIONS[lang]['author']}"
    # the one theme string that pydata-sphinx-theme does not translate to Korean
    config.html_theme_options = {**config.html_theme_options, "search_bar_text": EDITIONS[lang]["search"]}
    app.tags.add(lang)
    for other in EDITIONS:
        if other != lang and app.tags.has(other):
            app.tags.remove(other)


# ------------------------------------------------------- caches that never lie
def invalidate_stale_gallery(app: Sphinx) -> None:
    """Delete sphinx-gallery's md5 of every script whose ann_lib dependencies changed.

    Connected to ``builder-inited`` before sphinx-gallery's own handler, which
    then re-runs exactly those scripts (it skips a script only when its md5 file
    matches). The fingerprint of the ann_lib files each script depends on is kept
    beside the md5 file.
    """
    root = _root(app)
    package = root / "ann_lib"
    for script in sorted((root / GALLERY_SOURCE).rglob("*.py")):
        relative = script.relative_to(root / GALLERY_SOURCE)
        target = root / GALLERY_OUTPUT / relative
        stamp = target.with_name(target.name + STAMP_SUFFIX)
        current = fingerprint([script.read_text(encoding="utf-8")], package)
        previous = stamp.read_text() if stamp.exists() else None
        if current == previous:
            continue
        md5 = target.with_name(target.name + ".md5")
        if md5.exists():
            logger.info(f"[bookbuild] ann_lib changed under {relative}: it will run again")
            md5.unlink()
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current)


def create_execution_cache(app: Sphinx) -> None:
    """Create jupyter-cache's database before a parallel read (``-j 2``) starts.

    Otherwise two processes that execute their first chapters at the same time
    both try to create its tables.
    """
    if app.config.nb_execution_mode == "cache" and app.config.nb_execution_cache_path:
        from jupyter_cache import get_cache

        get_cache(app.config.nb_execution_cache_path).list_cache_records()


_CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def code_cells(text: str) -> list[str]:
    """The code of each ``{code-cell}`` in a MyST notebook, without its options."""
    cells = []
    for match in _CODE_CELL.finditer(text):
        body = match.group(1)
        lines = body.split("\n")
        if lines and lines[0].startswith("---"):  # YAML options block
            end = lines.index("---", 1)
            lines = lines[end + 1 :]
        else:
            while lines and lines[0].startswith(":"):
                lines.pop(0)
        cells.append("\n".join(lines))
    return cells


def fingerprint_chapter(app: Sphinx, docname: str, source: list[str]) -> None:
    """Fold the chapter's ann_lib dependencies into its execution-cache key.

    jupyter-cache hashes a notebook's code cells, so the fingerprint goes in as a
    hidden (``remove-cell``) code cell: when an imported ann_lib module changes,
    the hash changes and the chapter is executed again. Each dependency is also
    noted with Sphinx, so that an edit to it marks the chapter outdated.
    """
    if not docname.startswith("book/"):
        return
    text = source[0]
    cells = code_cells(text)
    if not cells:
        return
    package = _root(app) / "ann_lib"
    files = dependencies(cells, package)
    for path in files:
        app.env.note_dependency(str(path))
    if files:
        source[0] = (
            text.rstrip("\n")
            + "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n\n"
            + f"# ann_lib fingerprint, added by _ext/bookbuild.py: {digest(files, package)}\n```\n"
        )


# ------------------------------------------------------ the gallery in Korean
_TITLE_KO = re.compile(
    r"^(?P<title>[^\n]+)\n(?P<char>[=\-~^#*+])(?P=char)+\n\n\.\. title-ko: (?P<ko>[^\n]+)\n",
    re.MULTILINE,
)
_KO_STRINGS = [
    ("to download the full example code", "전체 예제 코드를 내려받을 수 있습니다"),
    (":ref:`Go to the end <", ":ref:`맨 아래로 가면 <"),
    ("Download Python source code: ", "파이썬 소스 코드 내려받기: "),
    ("Download Jupyter notebook: ", "주피터 노트북 내려받기: "),
    ("Download zipped: ", "압축 파일 내려받기: "),
    ("Download all examples in Python source code: ", "모든 예제의 파이썬 소스 코드 내려받기: "),
    ("Download all examples in Jupyter notebooks: ", "모든 예제의 주피터 노트북 내려받기: "),
    ("`Gallery generated by Sphinx-Gallery <", "`Sphinx-Gallery로 만든 갤러리 <"),
]


def gallery_titles(root: Path) -> dict[str, str]:
    """English title -> Korean title, from every gallery script and header."""
    titles = {}
    for path in sorted((root / GALLERY_SOURCE).rglob("*")):
        if path.suffix in {".py", ".rst"}:
            for m in _TITLE_KO.finditer(path.read_text(encoding="utf-8")):
                titles[m["title"].strip()] = m["ko"].strip()
    return titles


def _underline(title: str, char: str) -> str:
    # Hangul is drawn two columns wide; docutils wants the underline at least as wide.
    width = sum(2 if ord(c) > 0x1100 else 1 for c in title)
    return char * width


def translate_gallery(app: Sphinx, docname: str, source: list[str]) -> None:
    """In the Korean edition, give gallery pages their Korean titles and strings."""
    if not docname.startswith(GALLERY_OUTPUT + "/"):
        return
    text = source[0]
    if app.config.language == "ko":
        text = _TITLE_KO.sub(lambda m: f"{m['ko']}\n{_underline(m['ko'], m['char'])}\n\n", text)
        for english, korean in gallery_titles(_root(app)).items():
            text = text.replace(
                f'<div class="sphx-glr-thumbnail-title">{english}</div>',
                f'<div class="sphx-glr-thumbnail-title">{korean}</div>',
            )
        text = re.sub(r'tooltip="[^"]*"', 'tooltip=""', text)
        for english, korean in _KO_STRINGS:
            text = text.replace(english, korean)
    source[0] = text


# ------------------------------------------------------------ language switch
def add_language_switch(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Link each page to the same page in the other edition.

    The editions are built side by side, ``OUT/en/`` and ``OUT/ko/``, and a
    page's name differs only in its ``book/<lang>/`` prefix.
    """
    lang = app.config.language or "en"
    other = "ko" if lang == "en" else "en"
    other_page = re.sub(rf"^book/{lang}/", f"book/{other}/", pagename)
    up = "../" * (pagename.count("/") + 1)
    context["book_other_language"] = {
        "code": other,
        "label": EDITIONS[other]["label"],
        "url": f"{up}{other}/{other_page}.html",
    }
    context["book_edition_root"] = f"book/{lang}/index"


# ------------------------------------------------------------- Korean search
_PARTICLES = sorted(
    "은 는 이 가 을 를 의 에 에서 에게 으로 로 와 과 도 만 부터 까지 보다 처럼 이다 입니다 이며 으로서 로서".split(),
    key=len,
    reverse=True,
)
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")


class SearchKorean(SearchLanguage):
    """Korean search: words split on spaces, each also indexed without its particle."""

    lang = "ko"
    language_name = "Korean"
    js_stemmer_rawcode = ""
    stopwords = set()

    def split(self, input: str) -> list[str]:  # noqa: A002 (Sphinx's signature)
        words = super().split(input)
        extra = []
        for word in words:
            if _HANGUL_WORD.fullmatch(word):
                for particle in _PARTICLES:
                    if word.endswith(particle) and len(word) > len(particle):
                        extra.append(word[: -len(particle)])
                        break
        return words + extra

    def word_filter(self, word: str) -> bool:
        return len(word) > 1 or bool(_HANGUL_WORD.fullmatch(word))

    def stem(self, word: str) -> str:
        return word.lower()


def reset_gallery_state(gallery_conf: dict, fname: str) -> None:
    """Before each gallery script: forget the previous script's Keras models.

    The scripts run in one process; each seeds its own generators, and this
    makes sure no TensorFlow graph state leaks from one script into the next.
    """
    if "tensorflow" in sys.modules:
        sys.modules["tensorflow"].keras.backend.clear_session()


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _exception_text(exception: BaseException) -> str:
    """Everything an exception says, its causes included.

    A parallel build (``-j``) re-raises a worker's error as SphinxParallelError,
    which keeps only the worker's formatted traceback, so work from text.
    """
    parts, error, seen = [], exception, set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        parts.append(f"{type(error).__name__}: {error}")
        parts.append(str(getattr(error, "traceback", "") or ""))
        error = error.__cause__ or error.__context__
    return _ANSI.sub("", "\n".join(parts))


def locate_failed_cell(exception: BaseException) -> str | None:
    """``path:line: error`` for a chapter cell that raised, or None.

    myst-nb reports the chapter's path and the cell's own line ("Cell In[3],
    line 2"); this finds the cell in the chapter's source, so that the message
    points at the line to fix.
    """
    text = _exception_text(exception)
    path = re.search(r"ExecutionError: (\S+\.(?:md|ipynb))\s*$", text, re.MULTILINE)
    cell = re.search(r"^-{6,}\n(.*?)\n-{6,}$", text, re.MULTILINE | re.DOTALL)
    if path is None or cell is None or not Path(path.group(1)).is_file():
        return None
    source = Path(path.group(1)).read_text(encoding="utf-8")
    start = source.find(cell.group(1))
    if start < 0:
        return None
    line = source.count("\n", 0, start) + 1
    offset = re.findall(r"Cell In\[\d+\], line (\d+)", text)
    if offset:
        line += int(offset[-1]) - 1
    raised = re.findall(r"^(\w+(?:Error|Exception|Warning|Interrupt|Exit)): (.*)$", text[cell.end():], re.MULTILINE)
    what = f"{raised[0][0]}: {raised[0][1]}" if raised else "an exception"
    return f"{path.group(1)}:{line}: a code cell raised {what}"


def report_failed_cell(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None:
        where = locate_failed_cell(exception)
        if where:
            logger.error(where)


def copy_mathjax(app: Sphinx, exception) -> None:
    """Serve MathJax from ``_static/mathjax``: the pages make no third-party request.

    The files come from the sphinx-mathjax-offline package (MathJax 3, with its
    fonts); it is used as a source of files only, because as an extension it does
    not declare itself safe for parallel builds.
    """
    if exception is not None or app.builder.format != "html":
        return
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        raise RuntimeError("sphinx-mathjax-offline is not installed: pip install -e '.[book]'")
    copy_asset(Path(spec.origin).parent / "static" / "mathjax", Path(app.outdir) / "_static" / "mathjax")


def write_edition_redirect(app: Sphinx, exception) -> None:
    """``OUT/index.html`` sends a reader to the edition's first page."""
    if exception is not None or app.builder.format != "html":
        return
    target = f"book/{app.config.language or 'en'}/index.html"
    (Path(app.outdir) / "index.html").write_text(
        "<!DOCTYPE html>\n"
        f'<html lang="{app.config.language}"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={target}">'
        f"<title>{EDITIONS[app.config.language or 'en']['title']}</title></head>"
        f'<body><a href="{target}">{EDITIONS[app.config.language or "en"]["title"]}</a></body></html>\n',
        encoding="utf-8",
    )


def setup(app: Sphinx) -> dict:
    languages["ko"] = SearchKorean
    app.connect("config-inited", configure_edition, priority=100)
    app.connect("builder-inited", invalidate_stale_gallery, priority=400)
    app.connect("builder-inited", create_execution_cache)
    app.connect("source-read", fingerprint_chapter)
    app.connect("source-read", translate_gallery)
    app.connect("html-page-context", add_language_switch)
    app.connect("build-finished", copy_mathjax)
    app.connect("build-finished", write_edition_redirect)
    app.connect("build-finished", report_failed_cell)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

