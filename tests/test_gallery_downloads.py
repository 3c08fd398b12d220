"""What a reader downloads from a gallery page runs by itself.

For each gallery script, the test copies into an empty folder exactly what the
script's page in the built book offers for download (the ``.py`` and any data file
linked with ``:download:``, not the notebook) and runs ``python plot_x.py`` there, as
a reader would: a script that reads a file the page does not offer fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(p.relative_to(ROOT / "gallery").as_posix() for p in (ROOT / "gallery").glob("*/plot_*.py"))


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
@pytest.mark.parametrize("script", SCRIPTS)
def test_a_script_runs_when_copied_alone_with_what_its_page_offers(script, clean_build, tmp_path):
    """Runs every gallery script once more (minutes for the whole gallery): select with -k."""
    page = clean_build.pristine / "_build" / "html" / "en" / "_gallery" / script.replace(".py", ".html")
    for offered in offered_files(page):
        shutil.copy(offered, tmp_path / offered.name)
    assert (tmp_path / Path(script).name).is_file()
    environment = dict(os.environ, MPLBACKEND="agg", PYTHONPATH=str(ROOT))  # ann_lib, as if installed
    run = subprocess.run([sys.executable, Path(script).name], cwd=tmp_path, env=environment,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"{script} failed when copied alone:\n{run.stderr[-3000:]}"
