"""Each chapter as a Jupyter notebook that reads cleanly in plain Jupyter: the chapter's download.

myst-nb writes every executed chapter, outputs included, to ``OUT/../jupyter_execute/``.
Its markdown cells are MyST, which plain Jupyter shows as raw text (``{footcite:p}`key` ``,
``:::{admonition}``). For a page that has an executed notebook, :func:`offer_notebook`
writes a readable copy beside the page's source (``OUT/_sources/<page>.ipynb``) and tells
sphinx-book-theme, whose download menu then offers ``.ipynb`` next to the MyST source;
``make dist`` (``tools/dist.py``) packs the same files. The copy

- opens with a cell, in the edition's language, that says how to install what it needs
  (the ``ann_lib`` wheel and ``requirements.txt`` of the download archive);
- has its citations as text, ``(Rosenblatt, 1958)``, and the chapter's references where
  the chapter lists them (``{footbibliography}``);
- has its cross-references as the title (or figure number) they point to, as the HTML
  page shows them, resolved from the build's environment;
- shows the gallery's figures as images embedded in the cell (attachments), with their
  captions; admonitions as bold titles, solutions as ``<details>`` that unfold;
- drops the hidden cells (``remove-cell``: the build's ann_lib fingerprint) and labels.

:func:`readable_notebook` does the work; it needs only a :class:`Resolver`, so the tests can
call it on a notebook without Sphinx.
"""

from __future__ import annotations

import ast
import base64
import copy
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sphinx.application import Sphinx

#: The first cell of every chapter notebook, in each edition's language. ``{wheel}`` is the
#: wheel's file name (from pyproject.toml's version), ``{title}`` the chapter's title.
INSTALL_CELL = {
    "en": (
        "**Running this notebook.** This is the chapter *{title}* of the book *{book}*, as a "
        "Jupyter notebook. Its code needs the book's library `ann_lib` and the packages the book "
        "is built with. The book's download archive (`make dist` in the book's repository) holds "
        "both: in its top folder run\n\n"
        "```bash\npip install {wheel} -r requirements.txt\n```\n\n"
        "or, in a cell of this notebook (which sits in the archive's `notebooks/` folder), "
        "`%pip install ../{wheel} -r ../requirements.txt`. In a clone of the book's repository, "
        "`pip install -c constraints.txt -e \".[book]\"` installs the same. Then run the cells in "
        "order (*Run All*).\n\n"
        "The code is under the MIT licence, the text and figures under CC BY-SA 4.0 "
        "(`LICENSE`, `LICENSE-TEXT`)."
    ),
    "ko": (
        "**이 노트북을 실행하려면.** 이 노트북은 《{book}》의 〈{title}〉 장을 Jupyter 노트북으로 "
        "옮긴 것입니다. 코드를 실행하려면 이 책의 라이브러리 `ann_lib`과 책을 빌드할 때 쓰는 패키지가 "
        "있어야 합니다. 책의 내려받기 압축 파일(책의 저장소에서 `make dist`로 만듭니다)에 둘 다 들어 "
        "있습니다. 압축 파일의 맨 위 폴더에서 다음 명령을 실행합니다.\n\n"
        "```bash\npip install {wheel} -r requirements.txt\n```\n\n"
        "노트북 안에서 설치하려면 셀에 `%pip install ../{wheel} -r ../requirements.txt`를 "
        "입력합니다(노트북은 압축 파일의 `notebooks/` 폴더에 있습니다). 책의 저장소를 내려받았다면 "
        "`pip install -c constraints.txt -e \".[book]\"`로 같은 패키지를 설치할 수 있습니다. 그다음 "
        "셀을 위에서부터 차례로 실행합니다(*Run All*).\n\n"
        "코드는 MIT 라이선스, 글과 그림은 CC BY-SA 4.0을 따릅니다(`LICENSE`, `LICENSE-TEXT`)."
    ),
}
#: Where a chapter lists no references of its own, or what a solution's summary says.
SOLUTION = {"en": "Solution", "ko": "풀이"}
ET_AL = "et al."
AND = "and"

_ROLE = re.compile(r"\{(?P<role>[\w:+-]+)\}`(?P<content>[^`]*)`")
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
_DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}(?P<argument>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$\n?",
    re.MULTILINE | re.DOTALL,
)
_OPTION = re.compile(r"^:(?P<key>[\w-]+):(?P<value>.*)$")
_LABEL = re.compile(r"^\([\w:.-]+\)=[ \t]*\n", re.MULTILINE)
_COMMENT = re.compile(r"^%[^\n]*\n", re.MULTILINE)
_DOWNLOADS_SRC = re.compile(r"""(?P<attribute>src|href)="(?:\.\./)*_downloads/[0-9a-f]+/(?P<name>[^"/]+)\"""")


@dataclass
class Resolver:
    """What a chapter's roles point to, as text; and where its figures' files are.

    Each callable returns ``None`` for a target it does not know: the role then
    reads as its target's name, never as raw MyST.
    """

    language: str
    docname: str
    book_title: str
    chapter_title: str
    ref: Callable[[str], str | None]  #: a label -> its section's title
    numref: Callable[[str], str | None]  #: a figure's label -> "Fig. 3.2"
    doc: Callable[[str], str | None]  #: a docname -> its title
    cite: Callable[[list[str], str], str]  #: keys, "p" or "t" -> "(Rosenblatt, 1958)"
    references: Callable[[list[str]], list[str]]  #: keys -> one markdown line per work
    source: Path  #: the book's root: figures and literalincludes are read from here
    gallery_link: Callable[[str], str | None] = lambda path: None  #: /_gallery/x -> a bundle link
    wheel: str = "ann_lib-0.1.0-py3-none-any.whl"
    cited: list[str] = field(default_factory=list)  #: keys in the order first cited


def readable_notebook(notebook: dict, resolver: Resolver) -> dict:
    """A copy of ``notebook`` (nbformat 4, as a dict) whose markdown reads as plain Markdown."""
    clean = copy.deepcopy(notebook)
    cells = []
    for cell in clean["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "code" and "remove-cell" in tags:
            continue  # the build's own cells (the ann_lib fingerprint): nothing for the reader
        if cell["cell_type"] == "markdown":
            attachments: dict[str, dict] = {}
            cell["source"] = _markdown("".join(cell["source"]), resolver, attachments)
            if attachments:
                cell["attachments"] = attachments
            if not cell["source"].strip():
                continue
        cells.append(cell)
    intro = INSTALL_CELL[resolver.language].format(
        title=resolver.chapter_title, book=resolver.book_title, wheel=resolver.wheel
    )
    cells.insert(0, {"cell_type": "markdown", "id": "book-install", "metadata": {}, "source": intro})
    clean["cells"] = cells
    return clean


def _markdown(text: str, resolver: Resolver, attachments: dict[str, dict]) -> str:
    text = _LABEL.sub("", text)
    text = _COMMENT.sub("", text)
    text = _directives(text, resolver, attachments)
    text = _ROLE.sub(lambda match: _role(match["role"], match["content"], resolver), text)
    text = _DOWNLOADS_SRC.sub(lambda m: _download_src(m, resolver), text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _download_src(match: re.Match, resolver: Resolver) -> str:
    found = sorted((resolver.source / "_gallery").rglob(match["name"]))
    link = resolver.gallery_link("/" + found[0].relative_to(resolver.source).as_posix()) if found else None
    return f'{match["attribute"]}="{link or match["name"]}"'


def _split_body(body: str) -> tuple[dict[str, str], str]:
    options, lines = {}, body.split("\n")
    while lines and (option := _OPTION.match(lines[0])):
        options[option["key"]] = option["value"].strip()
        lines.pop(0)
    return options, "\n".join(lines).strip("\n")


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def _directives(text: str, resolver: Resolver, attachments: dict[str, dict]) -> str:
    def replace(match: re.Match) -> str:
        name, argument = match["name"], match["argument"].strip()
        options, content = _split_body(match["body"])
        inner = _directives(content, resolver, attachments)
        if name == "figure":
            return _figure(argument, options, inner, resolver, attachments) + "\n"
        if name == "admonition":
            return f"**{argument}**\n\n{_quote(inner)}\n" if "exercise" in options.get("class", "") else (
                f"> **{argument}**\n>\n{_quote(inner)}\n"
            )
        if name == "dropdown":
            summary = argument or SOLUTION[resolver.language]
            return f"<details>\n<summary>{summary}</summary>\n\n{inner}\n\n</details>\n"
        if name in ("note", "tip", "important", "warning", "seealso", "hint", "attention", "caution"):
            return f"{_quote(inner)}\n"
        if name in ("grid", "grid-item", "grid-item-card", "div", "container"):
            return f"{inner}\n"
        if name == "footbibliography":
            works = resolver.references(resolver.cited)
            return "\n".join(f"- {line}" for line in works) + "\n"
        if name == "literalinclude":
            return _literalinclude(argument, options, resolver) + "\n"
        if name in ("math", "code-block", "code"):
            return f"$$\n{inner}\n$$\n" if name == "math" else f"```{argument}\n{content}\n```\n"
        if name in ("toctree", "bibliography", "csv-glossary", "raw", "only"):
            return ""
        return f"{inner}\n"  # an unknown directive: its content, never its fences

    return _DIRECTIVE.sub(replace, text)


def _figure(path: str, options: dict[str, str], caption: str, resolver: Resolver, attachments: dict) -> str:
    image = resolver.source / path.lstrip("/")
    alt = options.get("alt", "").replace("[", "(").replace("]", ")").replace("\n", " ")
    if image.is_file():
        attachments[image.name] = {_MIME.get(image.suffix.lower(), "image/png"): base64.b64encode(image.read_bytes()).decode()}
        markdown = f"![{alt}](attachment:{image.name})"
    else:  # not built (a test without the gallery): say which file it is
        markdown = f"![{alt}]({path.lstrip('/')})"
    number = resolver.numref(options["name"]) if "name" in options else None
    caption = caption.strip()
    if caption:
        markdown += f"\n\n**{number}.** {caption}" if number else f"\n\n{caption}"
    return markdown


_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml"}


def _literalinclude(path: str, options: dict[str, str], resolver: Resolver) -> str:
    file = resolver.source / path.lstrip("/")
    text = file.read_text(encoding="utf-8")
    if "pyobject" in options:
        text = _python_object(text, options["pyobject"]) or text
    return f"```{options.get('language', '')}\n{text.rstrip()}\n```"


def _python_object(text: str, dotted: str) -> str | None:
    """The source of a function, class or method (``Class.method``) of a module, as Sphinx includes it."""
    nodes: list[ast.AST] = ast.parse(text).body
    found = None
    for part in dotted.split("."):
        found = next(
            (n for n in nodes if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == part),
            None,
        )
        if found is None:
            return None
        nodes = found.body
    lines = text.split("\n")
    start = min([found.lineno] + [d.lineno for d in found.decorator_list])
    body = lines[start - 1 : found.end_lineno]
    indent = min(len(line) - len(line.lstrip()) for line in body if line.strip())
    return "\n".join(line[indent:] for line in body)


def _role(role: str, content: str, resolver: Resolver) -> str:
    explicit = _EXPLICIT.match(content)
    text, target = (explicit["text"], explicit["target"]) if explicit else (None, content)
    if role.startswith("footcite") or role.startswith("cite"):
        keys = [key.strip() for key in target.split(",") if key.strip()]
        for key in keys:
            if key not in resolver.cited:
                resolver.cited.append(key)
        return resolver.cite(keys, "t" if role.endswith(":t") else "p")
    if role == "ref":
        return text or resolver.ref(target) or target
    if role == "numref":
        number = resolver.numref(target)
        if text and number:
            return text.replace("%s", number.split(" ")[-1]).replace("{number}", number.split(" ")[-1])
        return number or text or target
    if role == "doc":
        return text or resolver.doc(target) or target
    if role == "download":
        link = resolver.gallery_link(target)
        label = text or Path(target).name
        return f"[{label}]({link})" if link else f"`{label}`"
    if role in ("math", "eq"):
        return f"${target}$"
    return text or target  # {term}, {abbr}, {guilabel}, ...: the words, never the role


# ------------------------------------------------------------------ from Sphinx's environment
@functools.lru_cache(maxsize=4)
def _bibliography(path: str, mtime: float):
    from pybtex.database import parse_file

    return parse_file(path)


@functools.lru_cache(maxsize=1024)
def _plain(latex: str) -> str:
    """A name or title from BibTeX as text: accents decoded, braces dropped (``J{\\"u}rgen`` -> Jürgen)."""
    import codecs

    import latexcodec  # noqa: F401  (registers the codec; pybtex depends on it)

    return codecs.decode(latex, "ulatex").replace("{", "").replace("}", "")


def _names(entry) -> str:
    people = entry.persons.get("author") or entry.persons.get("editor")
    if not people:
        for key in ("organization", "institution", "publisher", "howpublished", "title"):
            if key in entry.fields:
                return _plain(entry.fields[key])
        return "?"
    last = [_plain(" ".join(person.prelast_names + person.last_names)) for person in people]
    if len(last) == 1:
        return last[0]
    if len(last) == 2:
        return f"{last[0]} {AND} {last[1]}"
    return f"{last[0]} {ET_AL}"


@functools.lru_cache(maxsize=1)
def _formatters():
    """pybtex's plain style (as sphinxcontrib-bibtex uses it) and its Markdown backend, looked up once."""
    from pybtex.plugin import find_plugin

    return find_plugin("pybtex.style.formatting", "plain")(), find_plugin("pybtex.backends", "markdown")()


def bib_citer(bibfile: Path) -> tuple[Callable[[list[str], str], str], Callable[[list[str]], list[str]]]:
    """``cite(keys, "p"|"t")`` and ``references(keys)`` for the entries of ``bibfile``."""
    data = _bibliography(str(bibfile), bibfile.stat().st_mtime)

    def year(key: str) -> str:
        return data.entries[key].fields.get("year", "n.d.") if key in data.entries else "?"

    def cite(keys: list[str], mode: str) -> str:
        known = [key for key in keys if key in data.entries]
        if mode == "t":
            return "; ".join(f"{_names(data.entries[k])} ({year(k)})" for k in known) or ", ".join(keys)
        return "(" + "; ".join(f"{_names(data.entries[k])}, {year(k)}" for k in known) + ")" if known else ", ".join(keys)

    def references(keys: list[str]) -> list[str]:
        style, backend = _formatters()
        lines = []
        for key in keys:
            if key in data.entries:
                formatted = style.format_entry(key, data.entries[key])
                lines.append(formatted.text.render(backend).replace("\n", " "))
        return lines

    return cite, references


def sphinx_resolver(app: Sphinx, docname: str) -> Resolver:
    """A :class:`Resolver` for ``docname`` from the build's environment (labels, figure numbers, titles)."""
    env = app.env
    labels = env.domaindata["std"]["labels"]
    anonlabels = env.domaindata["std"]["anonlabels"]
    bibfile = Path(app.confdir) / app.config.bibtex_bibfiles[0]
    cite, references = bib_citer(bibfile)

    def title(name: str) -> str | None:
        return env.titles[name].astext() if name in env.titles else None

    def ref(label: str) -> str | None:
        label = label.lower()
        return labels[label][2] if label in labels else None

    def numref(label: str) -> str | None:
        label = label.lower()
        if label not in anonlabels:
            return None
        target_doc, target_id = anonlabels[label]
        number = env.toc_fignumbers.get(target_doc, {}).get("figure", {}).get(target_id)
        if not number:
            return None
        return app.config.numfig_format["figure"] % ".".join(map(str, number))

    def doc(target: str) -> str | None:
        name = target.lstrip("/") if target.startswith("/") else str(Path(docname).parent / target)
        return title(name.removesuffix(".md"))

    return Resolver(
        language=app.config.language,
        docname=docname,
        book_title=app.config.project,
        chapter_title=title(docname) or docname,
        ref=ref,
        numref=numref,
        doc=doc,
        cite=cite,
        references=references,
        source=Path(app.srcdir),
        gallery_link=lambda path: "../gallery/" + path.split("/_gallery/", 1)[1] if "/_gallery/" in path else None,
        wheel=wheel_name(Path(app.confdir)),
    )


def wheel_name(root: Path) -> str:
    """``ann_lib-<version>-py3-none-any.whl``, the version from ``pyproject.toml``."""
    import tomllib

    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return f"{project['name']}-{project['version']}-py3-none-any.whl"


def offer_notebook(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if doctree is None or not executed.is_file():
        return
    import nbformat

    notebook = nbformat.read(executed, as_version=4)
    clean = nbformat.from_dict(readable_notebook(notebook, sphinx_resolver(app, pagename)))
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(clean, target)
    context["ipynb_source"] = f"{pagename}.ipynb"
