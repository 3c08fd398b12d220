"""What a reader takes away, checked on the session's clean build of both editions.

- every page of both editions carries the licence line in its own language;
- every chapter notebook, as the download menu offers it, reads as plain Markdown, shows its
  figures and has no hidden build cell; the Korean notebooks' code cells are the English ones;
- the English notebooks run as downloaded: each in a fresh kernel started in an empty folder,
  with ann_lib installed from the wheel ``make dist`` ships (``pip install --target``, put on
  ``PYTHONPATH``; nothing else of the tree is importable). The Korean notebooks are not executed
  a second time: their code cells are byte for byte the English ones (checked here), so they
  would run the same code;
- ``tools/dist.py`` (``make dist``) makes one archive per edition with the site, the PDF and
  EPUB when they exist, the notebooks, the scripts, the wheel and requirements.txt, and the
  site in it has no link that leaves the archive.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from bs4 import BeautifulSoup

from notebook_outputs import comparable
from tools import buildkit, dist

pytestmark = pytest.mark.build
RAW_MYST = re.compile(r"\{[\w:+-]+\}`|^[ \t]*(`{3,}|:{3,})\{[\w:-]+\}|^\([\w:.-]+\)=[ \t]*$", re.MULTILINE)
LICENCE_WORDS = {"en": ("Creative Commons Attribution-ShareAlike 4.0", "MIT licence"),
                 "ko": ("크리에이티브 커먼즈 저작자표시-동일조건변경허락 4.0", "MIT 라이선스")}


@pytest.fixture(scope="module")
def tree(clean_build) -> Path:
    return clean_build.pristine


def chapters(tree: Path, lang: str) -> list[Path]:
    return sorted((tree / "book" / lang).glob("[01][0-9]-*.md"))


def notebook(tree: Path, lang: str, chapter: Path) -> dict:
    path = tree / "_build" / "html" / lang / "_sources" / "book" / lang / f"{chapter.stem}.ipynb"
    assert path.is_file(), f"no notebook for {chapter.name} in the {lang} download menu"
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_page_carries_the_licence_in_its_language(tree):
    for lang in buildkit.LANGUAGES:
        site = tree / "_build" / "html" / lang
        count = 0
        for page in site.rglob("*.html"):
            if "_static" in page.parts or "_sources" in page.parts:
                continue
            text = page.read_text(encoding="utf-8")
            if 'http-equiv="refresh"' in text:
                continue  # the edition's index.html only redirects to its first page
            parsed = BeautifulSoup(text, "html.parser")
            line = parsed.select_one("footer .book-licence")
            assert line is not None, f"{page.relative_to(site)} has no licence line"
            words = " ".join(line.get_text().split())
            for expected in LICENCE_WORDS[lang]:
                assert expected in words, f"{page.relative_to(site)}: {words!r}"
            links = {a["href"] for a in line.find_all("a")}
            assert any("creativecommons.org/licenses/by-sa/4.0" in href for href in links)
            # the sidebar links to the downloads section of the front page, which make html writes
            downloads = parsed.select_one("nav.book-downloads a")
            assert downloads is not None, f"{page.relative_to(site)} has no link to the downloads"
            target, _, anchor = downloads["href"].partition("#")
            assert (page.parent / target).resolve() == (site.parent / "index.html").resolve(), downloads["href"]
            assert anchor == f"downloads-{lang}"
            count += 1
        front = (site.parent / "index.html").read_text(encoding="utf-8")
        assert f'id="downloads-{lang}"' in front
        assert count >= 20, f"only {count} pages in the {lang} edition"


def test_gallery_index_pages_offer_every_example_in_one_download(tree):
    for lang in buildkit.LANGUAGES:
        index = tree / "_build" / "html" / lang / "_gallery" / "index.html"
        links = [a["href"] for a in BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser").find_all("a")]
        for archive in ("_gallery_python.zip", "_gallery_jupyter.zip"):
            found = [href for href in links if href.endswith("/" + archive)]
            assert found, f"{lang} gallery index has no link to {archive}"
            assert zipfile.is_zipfile(index.parent / found[0]), found[0]


def test_chapter_notebooks_read_cleanly(tree):
    for lang in buildkit.LANGUAGES:
        titles = {}
        for chapter in chapters(tree, lang):
            source = chapter.read_text(encoding="utf-8")
            label = re.search(r"^\((ch-[\w-]+)\)=", source, re.MULTILINE)
            if label:
                titles[label[1]] = re.search(r"^# (.+)$", source, re.MULTILINE)[1].strip()
        for chapter in chapters(tree, lang):
            source = chapter.read_text(encoding="utf-8")
            cells = notebook(tree, lang, chapter)["cells"]
            markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
            where = f"{lang}/{chapter.name}"
            assert not RAW_MYST.findall(markdown), (where, RAW_MYST.findall(markdown)[:5])
            assert "pip install ann_lib-" in "".join(cells[0]["source"]), where
            for cell in cells:
                assert "remove-cell" not in cell.get("metadata", {}).get("tags", []), where
                assert "_ext/bookbuild" not in "".join(cell["source"]), where
            # a cross-reference to a chapter reads as that chapter's title
            for target in re.findall(r"\{ref\}`(ch-[\w-]+)`", source):
                assert titles[target] in markdown, (where, target)
            # each gallery figure is an image embedded in its cell
            figures = re.findall(r"^```\{figure\} (\S+)", source, re.MULTILINE)
            attached = {name: data for c in cells for name, data in c.get("attachments", {}).items()}
            for figure in figures:
                name = Path(figure).name
                assert name in attached, (where, name)
                assert f"(attachment:{name})" in markdown, (where, name)
                assert base64.b64decode(attached[name]["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
            # the chapter's references are listed (one line per cited work)
            if "{footbibliography}" in source:
                assert re.search(r"^- .+\d{4}", markdown, re.MULTILINE), where


def test_korean_notebooks_run_the_english_code(tree):
    for chapter in chapters(tree, "en"):
        english = [c["source"] for c in notebook(tree, "en", chapter)["cells"] if c["cell_type"] == "code"]
        korean = [c["source"] for c in notebook(tree, "ko", tree / "book" / "ko" / chapter.name)["cells"]
                  if c["cell_type"] == "code"]
        assert english and korean == english, chapter.name


RUN_ONE = r"""
import json, sys, nbformat
from nbclient import NotebookClient
path, folder = sys.argv[1], sys.argv[2]
notebook = nbformat.read(path, as_version=4)
notebook.cells.append(nbformat.v4.new_code_cell("import ann_lib; print(ann_lib.__file__)"))
NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": folder}}).execute()
nbformat.write(notebook, f"{folder}/executed.ipynb")
print(json.dumps(notebook.cells[-1].outputs[0]["text"].strip()))
"""


def built_outputs(tree: Path) -> dict[str, list]:
    """What the build printed for each code cell, by the cell's source: the chapters' executions in the
    shared cache (``_build/.jupyter_cache``), which the pages show."""
    from jupyter_cache import get_cache

    cache = get_cache(str(tree / "_build" / ".jupyter_cache"))
    printed: dict[str, list] = {}
    for record in cache.list_cache_records():
        for cell in cache.get_cache_bundle(record.pk).nb.cells:
            if cell.cell_type == "code":
                printed[cell.source] = comparable(cell.outputs)
    return printed


@pytest.mark.slow
def test_english_notebooks_run_as_downloaded(tree, tmp_path):
    """Each chapter notebook in a fresh kernel in an empty folder, ann_lib from the wheel; two at a time.

    Each prints what the book shows: every code cell's outputs are those of the build's own
    execution (a kernel forked from the build's warm process, ``bookbuild.warm_kernels``), so the
    chapters are as repeatable as the gallery's figures, and a reader who runs a chapter sees its page.
    """
    wheel = dist.build_wheel(tree, tmp_path / "wheel")
    site_packages = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--target", str(site_packages), str(wheel)], check=True)
    environment = {**__import__("os").environ, "PYTHONPATH": str(site_packages)}

    def run(chapter: Path) -> tuple[Path, subprocess.CompletedProcess]:
        empty = tmp_path / "run" / chapter.stem
        empty.mkdir(parents=True)
        downloaded = tree / "_build" / "html" / "en" / "_sources" / "book" / "en" / f"{chapter.stem}.ipynb"
        done = subprocess.run([sys.executable, "-c", RUN_ONE, str(downloaded), str(empty)], cwd=empty,
                              env=environment, capture_output=True, text=True)
        return chapter, done

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(run, chapters(tree, "en")))
    for chapter, done in results:
        assert done.returncode == 0, f"{chapter.name} failed as downloaded:\n{done.stderr[-3000:]}"
        imported = json.loads(done.stdout.strip().splitlines()[-1])
        assert imported.startswith(str(site_packages)), f"{chapter.name} imported ann_lib from {imported}"
    from bookbuild.schedule import without_onednn_notice

    printed = built_outputs(tree)
    compared = 0
    for chapter, _ in results:
        executed = nbformat.read(tmp_path / "run" / chapter.stem / "executed.ipynb", as_version=4)
        without_onednn_notice(executed)  # as the build does: TensorFlow's notice at import
        for cell in [c for c in executed.cells if c.cell_type == "code"][:-1]:  # not the ann_lib probe
            assert cell.source in printed, f"{chapter.name}: the build ran no cell {cell.source[:80]!r}"
            assert comparable(cell.outputs) == printed[cell.source], f"{chapter.name}: {cell.source[:80]!r}"
            compared += bool(cell.outputs)
    assert compared >= 24, compared  # most chapters print something to compare


@pytest.fixture(scope="module")
def archives(tree, tmp_path_factory) -> dict[str, Path]:
    """``tools/dist.py`` on the clean build, with a stand-in PDF and EPUB for the English edition.

    The build tree is read, never written: the archives go to a scratch folder, and the root
    ``dist`` reads is a scratch folder of links to the tree plus ``_build/pdf`` and ``_build/epub``.
    """
    base = tmp_path_factory.mktemp("dist")
    root = base / "root"
    (root / "_build").mkdir(parents=True)
    for name in ("book", "ann_lib", "_gallery", "_static", "pyproject.toml", "README.md", "LICENSE", "LICENSE-TEXT",
                 "constraints.txt"):
        (root / name).symlink_to(tree / name)
    (root / "_build" / "html").symlink_to(tree / "_build" / "html")
    for kind in ("pdf", "epub"):
        (root / "_build" / kind / "en").mkdir(parents=True)
        (root / "_build" / kind / "en" / f"book.{kind}").write_bytes(f"stand-in {kind}".encode())
    assert dist.main([str(root), "--out", str(base / "out")]) == 0
    return {lang: base / "out" / f"{dist.NAME}-{lang}.zip" for lang in buildkit.LANGUAGES}


def test_each_edition_has_an_archive_with_everything(tree, archives):
    scripts = sorted(p.relative_to(tree / "gallery") for p in (tree / "gallery").glob("*/plot_*.py"))
    for lang, archive in archives.items():
        assert archive.is_file(), archive
        top = f"{dist.NAME}-{lang}/"
        with zipfile.ZipFile(archive) as bundle:
            names = set(bundle.namelist())
            for required in ("index.html", f"{lang}/index.html", f"{lang}/book/{lang}/index.html", "requirements.txt",
                             "LICENSE", "LICENSE-TEXT", "README.txt", dist.wheel_name(tree)):
                assert top + required in names, (lang, required)
            for chapter in chapters(tree, lang):
                assert f"{top}notebooks/{chapter.stem}.ipynb" in names, (lang, chapter.name)
                assert f"{top}{lang}/book/{lang}/{chapter.stem}.html" in names
            for script in scripts:
                assert f"{top}gallery/{script.as_posix()}" in names, (lang, script)
                assert f"{top}gallery/{script.with_suffix('.ipynb').as_posix()}" in names, (lang, script)
            has_pdf = lang == "en"  # the fixture made a stand-in PDF and EPUB for English only
            for kind in ("pdf", "epub"):
                assert (f"{top}{dist.NAME}-{lang}.{kind}" in names) == has_pdf, (lang, kind)
            assert not [n for n in names if n.startswith(f"{top}{lang}/.doctrees")]
            wheel = bundle.read(top + dist.wheel_name(tree))
            requirements = bundle.read(top + "requirements.txt").decode()
        scratch = archive.with_suffix(".whl")
        scratch.write_bytes(wheel)
        with zipfile.ZipFile(scratch) as built:
            inside = built.namelist()
            assert "ann_lib/__init__.py" in inside and "ann_lib/metrics/__init__.py" in inside
            metadata = built.read(next(n for n in inside if n.endswith(".dist-info/METADATA"))).decode()
            assert "License-Expression: MIT" in metadata
        pinned = [line for line in requirements.splitlines() if line and not line.startswith("#")]
        assert any(line.startswith("numpy==") for line in pinned)
        assert any(line.startswith("matplotlib==") for line in pinned)
        assert not any("sphinx" in line for line in pinned)


def test_the_archived_site_opens_from_the_file_system(archives):
    """Every link and image of every archived page is a relative path to a file in the archive."""
    for lang, archive in archives.items():
        with zipfile.ZipFile(archive) as bundle:
            names = set(bundle.namelist())
            folders = {"/".join(n.split("/")[:i]) for n in names for i in range(1, n.count("/") + 1)}
            pages = [n for n in names if n.endswith(".html") and "/_static/" not in n]
            broken = []
            for page in pages:
                html = BeautifulSoup(bundle.read(page).decode("utf-8"), "html.parser")
                for tag, attribute in (("a", "href"), ("img", "src"), ("script", "src"), ("link", "href")):
                    for element in html.find_all(tag):
                        url = element.get(attribute)
                        if not url or url.startswith(("#", "mailto:", "data:")):
                            continue
                        parts = urlsplit(url)
                        if parts.scheme in ("http", "https"):
                            assert tag == "a", f"{page} loads {url} from the network"
                            continue
                        assert not parts.scheme and not url.startswith("/"), f"{page}: {url}"
                        target = (Path(page).parent / unquote(parts.path)).as_posix()
                        resolved = _normalise(target)
                        if resolved not in names and resolved not in folders:
                            broken.append(f"{page} -> {url}")
            assert not broken, f"{len(broken)} links leave the {lang} archive: {broken[:5]}"
            front = bundle.read(f"{dist.NAME}-{lang}/index.html").decode("utf-8")
            assert f'id="downloads-{lang}"' in front


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)
