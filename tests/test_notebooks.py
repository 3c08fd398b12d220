"""Chapter notebooks that read as plain Markdown in Jupyter (_ext/bookbuild/notebooks.py).

These tests turn each chapter's MyST source into a notebook, as myst-nb reads it, and clean
it with the resolver's answers given by the test: no build is needed. The notebooks of a real
build (and their execution) are tested in tests/test_notebooks_dist.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from myst_nb.core.read import read_myst_markdown_notebook

from bookbuild import notebooks

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("*/[01][0-9]-*.md"))
#: What must never reach a reader: a MyST role, a directive's fence, a label line.
RAW_MYST = re.compile(r"\{[\w:+-]+\}`|^[ \t]*(`{3,}|:{3,})\{[\w:-]+\}|^\([\w:.-]+\)=[ \t]*$", re.MULTILINE)
CITE, REFERENCES = notebooks.bib_citer(ROOT / "book" / "references.bib")


def resolver(lang: str, chapter: Path, refs: list[str]) -> notebooks.Resolver:
    def ref(label: str) -> str:
        refs.append(label)
        return f"[title of {label}]"

    return notebooks.Resolver(
        language=lang, docname=f"book/{lang}/{chapter.stem}", book_title="Book", chapter_title="Chapter",
        ref=ref, numref=lambda label: "Fig. 7.1", doc=lambda name: None, cite=CITE, references=REFERENCES,
        source=ROOT,
    )


def markdown(notebook: dict) -> str:
    return "\n".join(cell["source"] for cell in notebook["cells"] if cell["cell_type"] == "markdown")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_chapter_reads_without_myst(chapter):
    lang = chapter.parent.name
    source = chapter.read_text(encoding="utf-8")
    refs: list[str] = []
    clean = notebooks.readable_notebook(read_myst_markdown_notebook(source), resolver(lang, chapter, refs))
    text = markdown(clean)
    assert not RAW_MYST.findall(text), RAW_MYST.findall(text)[:5]
    # the first cell says, in the edition's language, how to install the wheel and the requirements
    first = clean["cells"][0]
    assert first["cell_type"] == "markdown" and "pip install ann_lib-" in first["source"]
    assert "requirements.txt" in first["source"]
    assert ("노트북" in first["source"]) == (lang == "ko")
    # every citation is "(Author, year)" text, and each cited work is listed once at the end
    cited = {key.strip() for keys in re.findall(r"\{footcite:[pt]\}`([^`]*)`", source) for key in keys.split(",")}
    assert cited, "every chapter cites"
    assert re.search(r"\([A-Z][^()]*, (\d{4}|n\.d\.)\)", text)
    listed = [line for line in text.splitlines() if line.startswith("- ") and re.search(r"\\\.|\d{4}", line)]
    assert len(listed) >= len(cited)
    # every {ref} without its own text reads as the title the resolver gave
    plain_refs = re.findall(r"\{ref\}`([^`<]*)`", source)
    for label in plain_refs:
        assert f"[title of {label}]" in text
    # the figures are images with their captions numbered
    figures = source.count("```{figure}")
    assert text.count("![") == figures
    assert text.count("**Fig. 7.1.**") == figures
    # the exercises are bold titles, each solution a <details> that unfolds
    assert text.count("<details>") == source.count(":::{dropdown}")


def test_hidden_cells_are_dropped_and_code_cells_kept():
    chapter = ROOT / "book" / "en" / "02-activation-functions.md"
    source = chapter.read_text(encoding="utf-8") + (
        "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n\n# ann_lib fingerprint, added by the build\n```\n"
    )
    notebook = read_myst_markdown_notebook(source)
    clean = notebooks.readable_notebook(notebook, resolver("en", chapter, []))
    code = [cell["source"] for cell in clean["cells"] if cell["cell_type"] == "code"]
    original = [cell["source"] for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code == original[:-1] and "fingerprint" in original[-1]
    assert not any("fingerprint" in c for c in code)


def test_citations_read_as_author_and_year():
    key = "rosenblatt1958"
    assert CITE([key], "p") == "(Rosenblatt, 1958)"
    assert CITE([key], "t") == "Rosenblatt (1958)"
    assert CITE(["mcculloch1943"], "p") == "(McCulloch and Pitts, 1943)"
    assert CITE(["mcculloch1943", key], "p") == "(McCulloch and Pitts, 1943; Rosenblatt, 1958)"
    assert CITE(["graves2006"], "p").startswith("(Graves et al., ")
    assert REFERENCES([key])[0].startswith("F")  # Frank Rosenblatt. The perceptron ...


def test_a_python_object_is_included_as_sphinx_includes_it():
    source = (ROOT / "ann_lib" / "recurrent.py").read_text(encoding="utf-8")
    method = notebooks._python_object(source, "LSTM.backward")
    lines = method.splitlines()
    assert any(line.startswith("def backward(") for line in lines[:3]), lines[:3]  # after its decorators
    assert lines[-1].startswith("    ") and not lines[0].startswith(" ")
    assert notebooks._python_object(source, "LSTM.no_such_method") is None
