"""``make dist``: one archive per edition, everything a reader takes away, from a built site.

    python tools/dist.py [ROOT] [--out DIR]    # default: ROOT's _build/dist/

Reads what ``make html`` (and, when they exist, ``make pdf`` and ``make epub``) built in
``ROOT/_build`` and writes ``DIR/<name>-<lang>.zip`` for each edition. An archive holds one
folder, ``<name>-<lang>/``::

    index.html                  the edition's front page: its chapters and the files below
    <lang>/...                  the HTML site; opens from the file system, no server needed
    <name>-<lang>.pdf, .epub    the PDF and the EPUB, when make pdf / make epub made them
    notebooks/NN-topic.ipynb    every chapter as a notebook (_ext/bookbuild/notebooks.py)
    gallery/NN_topic/plot_*.py  every gallery script, its notebook and the files it wrote
    ann_lib-<version>-py3-none-any.whl, requirements.txt   the library and the pinned packages
    LICENSE, LICENSE-TEXT, README.txt

With the default ``DIR`` it also links the archives, PDFs and EPUBs into
``_build/html/downloads/`` and writes the front page again, so that the front page (and every
page's sidebar, through it) links to them, from the file system as well as under ``make serve``.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, ROOT / "_ext"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from bookbuild.editions import EDITIONS, LANGUAGES  # noqa: E402

NAME = "deep-learning-from-the-ground-up"
#: What a notebook's code imports besides ann_lib (pyproject's `book` extra without Sphinx).
RUNTIME = ("numpy", "tensorflow-cpu", "tensorflow", "matplotlib", "scikit-learn", "gymnasium", "ipykernel")
#: Files of a gallery folder that a reader wants: scripts, their notebooks, the sound and data they wrote.
GALLERY_FILES = {".py", ".ipynb", ".wav", ".csv", ".gif", ".mp4"}  # not the build's own .json, .md5, .pkl
#: In one edition's archive the other edition is absent: its link in the language switch goes.
_OTHER_LANGUAGE = re.compile(r'<a class="book-lang-other"[^>]*>.*?</a>', re.DOTALL)

README = {
    "en": """{title}
{underline}

This archive holds the English edition of the book, to read and run without a network.

  index.html        open it in a browser: the book's front page and the files below
  en/               the book as a web site (it opens from the file system)
{pdf_line}  notebooks/        every chapter as a Jupyter notebook, with its outputs
  gallery/          every example script (.py) and its notebook (.ipynb)
  {wheel}   the book's library, ann_lib
  requirements.txt  the packages (and versions) the book is built with

To run the notebooks and scripts, in this folder:

  pip install {wheel} -r requirements.txt

Licences: the text and figures are under CC BY-SA 4.0 (LICENSE-TEXT), the code under the MIT
licence (LICENSE).
""",
    "ko": """{title}
{underline}

이 압축 파일에는 이 책의 한국어판이 들어 있습니다. 인터넷 없이 읽고 실행할 수 있습니다.

  index.html        브라우저로 여십시오. 책의 첫 페이지와 아래 파일로 가는 링크가 있습니다
  ko/               웹 사이트 형태의 책(서버 없이 파일로 바로 열립니다)
{pdf_line}  notebooks/        각 장의 Jupyter 노트북(실행 결과 포함)
  gallery/          예제 스크립트(.py)와 그 노트북(.ipynb)
  {wheel}   이 책의 라이브러리 ann_lib
  requirements.txt  책을 빌드할 때 쓰는 패키지와 버전

노트북과 스크립트를 실행하려면 이 폴더에서 다음 명령으로 설치합니다.

  pip install {wheel} -r requirements.txt

라이선스: 글과 그림은 CC BY-SA 4.0(LICENSE-TEXT), 코드는 MIT 라이선스(LICENSE)를 따릅니다.
""",
}


class DistError(RuntimeError):
    """What is missing for ``make dist``, said in one line."""


def project(root: Path) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def wheel_name(root: Path) -> str:
    meta = project(root)
    return f"{meta['name']}-{meta['version']}-py3-none-any.whl"


def _canonical(name: str) -> str:
    """A package's name as pip compares names (PEP 503): ``TensorFlow_CPU`` is ``tensorflow-cpu``."""
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def requirements(root: Path) -> str:
    """The packages a notebook or script needs, pinned to ``constraints.txt``, with pyproject's markers."""
    pins = {}
    for line in (root / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[_canonical(name)] = version.strip()
    meta = project(root)
    lines = ["# The packages the book's notebooks and gallery scripts import, at the versions it is built with."]
    for spec in [*meta["dependencies"], *meta["optional-dependencies"]["book"]]:
        requirement, _, marker = spec.partition(";")
        name = _canonical(re.match(r"[A-Za-z0-9_.-]+", requirement.strip())[0])
        if name not in RUNTIME:
            continue
        pinned = f"{name}=={pins[name]}" if name in pins else requirement.strip()
        lines.append(f"{pinned}; {marker.strip()}" if marker.strip() else pinned)
    return "\n".join(lines) + "\n"


def build_wheel(root: Path, out: Path) -> Path:
    """Build the ann_lib wheel with pip, from a copy of only what the wheel needs (the tree stays clean)."""
    with tempfile.TemporaryDirectory() as scratch:
        stage = Path(scratch) / "src"
        stage.mkdir()
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            shutil.copy2(root / name, stage / name)
        shutil.copytree(root / "ann_lib", stage / "ann_lib", ignore=shutil.ignore_patterns("__pycache__"))
        command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
                   "--wheel-dir", str(out), str(stage)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise DistError(f"pip could not build the ann_lib wheel:\n{done.stdout}{done.stderr}")
    wheel = out / wheel_name(root)
    if not wheel.is_file():
        raise DistError(f"pip built no {wheel.name} in {out}")
    return wheel


def built_files(root: Path, kind: str, lang: str) -> list[Path]:
    """The PDF or EPUB (``kind`` is ``pdf`` or ``epub``) that ``make pdf``/``make epub`` wrote, if any."""
    folder = root / "_build" / kind / lang
    return sorted(folder.rglob(f"*.{kind}")) if folder.is_dir() else []


def _copy_site(site: Path, target: Path) -> None:
    shutil.copytree(site, target, ignore=shutil.ignore_patterns(".doctrees", ".buildinfo", "*.pickle"))
    for page in target.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        trimmed = _OTHER_LANGUAGE.sub("", text)
        if trimmed != text:
            page.write_text(trimmed, encoding="utf-8")


def _gallery(root: Path, target: Path) -> int:
    count = 0
    for file in sorted((root / "_gallery").rglob("*")):
        relative = file.relative_to(root / "_gallery")
        if not file.is_file() or relative.parts[0] in ("images",) or "images" in relative.parts[:-1]:
            continue
        if len(relative.parts) != 2 or file.suffix not in GALLERY_FILES or file.name.endswith(".md5"):
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, target / relative)
        count += 1
    return count


def _zip(folder: Path, archive: Path) -> None:
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as bundle:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                stored = file.suffix.lower() in (".png", ".jpg", ".gif", ".zip", ".whl", ".pdf", ".epub", ".woff2", ".woff")
                bundle.write(file, file.relative_to(folder.parent).as_posix(),
                             compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    partial.replace(archive)


def make_archive(root: Path, lang: str, out: Path, wheel: Path) -> Path:
    """``out/<NAME>-<lang>.zip`` for one edition; see the module's docstring for what it holds."""
    site = root / "_build" / "html" / lang
    if not (site / "index.html").is_file():
        raise DistError(f"no {lang} edition in {site}: run 'make html' first")
    top_name = f"{NAME}-{lang}"
    with tempfile.TemporaryDirectory() as scratch:
        top = Path(scratch) / top_name
        top.mkdir()
        _copy_site(site, top / lang)
        notebooks = sorted((site / "_sources" / "book" / lang).glob("*.ipynb"))
        if not notebooks:
            raise DistError(f"no chapter notebooks in {site / '_sources'}: run 'make html' first")
        (top / "notebooks").mkdir()
        for notebook in notebooks:
            shutil.copy2(notebook, top / "notebooks" / notebook.name)
        if _gallery(root, top / "gallery") == 0:
            raise DistError(f"no gallery scripts in {root / '_gallery'}: run 'make html' first")
        shutil.copy2(wheel, top / wheel.name)
        (top / "requirements.txt").write_text(requirements(root), encoding="utf-8")
        for name in ("LICENSE", "LICENSE-TEXT"):
            shutil.copy2(root / name, top / name)
        extra = []
        for kind in ("pdf", "epub"):
            for file in built_files(root, kind, lang)[:1]:
                shutil.copy2(file, top / f"{top_name}.{kind}")
                extra.append((kind.upper(), f"{top_name}.{kind}"))
        title = EDITIONS[lang].title
        pdf_line = "".join(f"  {href:<18}the book as {label}\n" for label, href in extra)
        (top / "README.txt").write_text(
            README[lang].format(title=title, underline="=" * len(title), pdf_line=pdf_line, wheel=wheel.name),
            encoding="utf-8",
        )
        sys.path.insert(0, str(Path(__file__).parent))
        from frontpage import write_front_page

        downloads = {lang: [*extra, ("notebooks", "notebooks/"), ("gallery", "gallery/"),
                            ("ann_lib", wheel.name), ("requirements.txt", "requirements.txt"), ("README.txt", "README.txt")]}
        write_front_page(top, {lang: title}, root / "_static" / "favicon.svg", root, languages=(lang,),
                         downloads=downloads)
        archive = out / f"{top_name}.zip"
        _zip(top, archive)
    return archive


def publish(root: Path, archives: list[Path]) -> None:
    """Link the archives, PDFs and EPUBs into ``_build/html/downloads/`` and write the front page again."""
    downloads = root / "_build" / "html" / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    files = list(archives)
    for lang in LANGUAGES:
        for kind in ("pdf", "epub"):
            files += [(f, f"{NAME}-{lang}.{kind}") for f in built_files(root, kind, lang)[:1]]
    for item in files:
        source, name = item if isinstance(item, tuple) else (item, item.name)
        target = downloads / name
        target.unlink(missing_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
    sys.path.insert(0, str(Path(__file__).parent))
    from frontpage import write_front_page

    titles = {code: edition.title for code, edition in EDITIONS.items()}
    write_front_page(root / "_build" / "html", titles, root / "_static" / "favicon.svg", root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root", nargs="?", type=Path, default=ROOT, help="the book's tree, built (default: this one)")
    parser.add_argument("--out", type=Path, help="where to write the archives (default: ROOT/_build/dist)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    out = (args.out or root / "_build" / "dist").resolve()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            wheel = build_wheel(root, Path(scratch))
            archives = [make_archive(root, lang, out, wheel) for lang in LANGUAGES]
        if args.out is None:
            publish(root, archives)
    except DistError as problem:
        print(f"make dist: {problem}", file=sys.stderr)
        return 1
    for archive in archives:
        print(f"{archive}  {archive.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
