"""What a reader downloads from a gallery page runs by itself.

A script copied alone can fail in two ways that the build (which runs every script in
its own folder) does not see: it imports something that is not installed with the book,
or it reads a file that lies beside it in the repository. So every script may import only
the book's packages and the standard library (checked for all, from the source), and
each script that reads a file is copied into an empty folder with exactly what its page
in the built book offers for download (the ``.py`` and any data file linked with
``:download:``, not the notebook) and run there with ``python plot_x.py``, as a reader
would. The other scripts are not run a second time: the build has run them.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(p.relative_to(ROOT / "gallery").as_posix() for p in (ROOT / "gallery").glob("*/plot_*.py"))
#: What a gallery script may import (STYLE.md), besides the standard library.
PACKAGES = {"numpy", "matplotlib", "tensorflow", "keras", "sklearn", "gymnasium", "ann_lib"}
#: How a script reads a file: a path next to it, or a reading call.
READS_A_FILE = re.compile(r"__file__|Path\.cwd|\bopen\(|np\.load|loadtxt|genfromtxt|read_text|read_bytes|read_csv|imread")


def reads_a_file(script: str) -> bool:
    return bool(READS_A_FILE.search((ROOT / "gallery" / script).read_text(encoding="utf-8")))


READERS = [script for script in SCRIPTS if reads_a_file(script)]


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_script_imports_only_what_the_book_installs(script):
    tree = ast.parse((ROOT / "gallery" / script).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    relative = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level > 0]
    assert not relative, f"{script} imports from its own folder: {relative}"
    foreign = sorted(imported - PACKAGES - set(sys.stdlib_module_names))
    assert not foreign, f"{script} imports {foreign}, which a reader who installs the book does not have"


def test_the_file_readers_are_found():
    """The pattern finds the one script that reads a table beside it (so the run below is not empty)."""
    assert "08_imagenet/plot_ilsvrc_history.py" in READERS


def offered_files(page: Path) -> list[Path]:
    """The files the page's download links lead to, except the notebook."""
    document = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    links = {a["href"].split("#")[0] for a in document.select("a.download, a.reference.download")}
    return sorted((page.parent / href).resolve() for href in links if not href.endswith((".ipynb", ".zip")))


def test_every_script_is_offered_with_its_data(clean_build):
    """The page of plot_ilsvrc_history.py offers the table it reads; every page offers its script."""
    html = clean_build.pristine / "_build" / "html" / "en" / "_gallery"
    for script in SCRIPTS:
        names = [f.name for f in offered_files(html / script.replace(".py", ".html"))]
        assert Path(script).name in names, f"{script}: the page offers {names}"
    ilsvrc = [f.name for f in offered_files(html / "08_imagenet" / "plot_ilsvrc_history.html")]
    assert "ilsvrc_results.csv" in ilsvrc


@pytest.mark.slow
@pytest.mark.parametrize("script", READERS)
def test_a_script_runs_when_copied_alone_with_what_its_page_offers(script, clean_build, tmp_path):
    """A script that reads a file runs in an empty folder with what its page offers, and nothing else."""
    page = clean_build.pristine / "_build" / "html" / "en" / "_gallery" / script.replace(".py", ".html")
    for offered in offered_files(page):
        shutil.copy(offered, tmp_path / offered.name)
    assert (tmp_path / Path(script).name).is_file()
    environment = dict(os.environ, MPLBACKEND="agg", PYTHONPATH=str(ROOT))  # ann_lib, as if installed
    run = subprocess.run([sys.executable, Path(script).name], cwd=tmp_path, env=environment,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"{script} failed when copied alone:\n{run.stderr[-3000:]}"
