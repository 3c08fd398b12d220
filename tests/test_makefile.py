"""`make` stops at once, with one line, on a Python older than the one the lock needs.

The lock (constraints.txt) pins packages that need Python 3.11 (numpy 2.4.6 among
them); pyproject.toml's ``requires-python`` says so, and the Makefile reads it
from there. Fake interpreters stand in for old Pythons: each prints the version
that Makefile's probe asks for.
"""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = re.fullmatch(r">=\s*(\d+\.\d+)", tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"])[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


def fake_python(folder: Path, version: str) -> Path:
    path = folder / f"python{version}"
    path.write_text(f"#!/bin/sh\necho {version}\n")
    path.chmod(0o755)
    return path


def make(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", "-C", str(ROOT), *arguments], capture_output=True, text=True, timeout=60)


def older(version: str) -> list[str]:
    major, minor = map(int, version.split("."))
    return [f"{major}.{minor - 1}", f"{major}.{minor - 2}", "2.7"]


def test_the_lock_needs_the_python_the_project_declares():
    header = (ROOT / "constraints.txt").read_text().splitlines()[0]
    assert f"CPython {REQUIRED}" in header


@pytest.mark.parametrize("version", older(REQUIRED))
@pytest.mark.parametrize("goal", ["test", "check", "html"])
def test_an_older_python_stops_make_at_once_with_one_line(tmp_path, version, goal):
    python = fake_python(tmp_path, version)
    venv = tmp_path / "venv"
    result = make(goal, f"PYTHON={python}", f"VENV={venv}")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"found Python {version} ({python})" in lines[0]
    assert f"needs Python {REQUIRED} or newer" in lines[0]
    assert result.stdout == "" and not venv.exists(), "nothing may run before the check"


def test_a_missing_python_is_named(tmp_path):
    result = make("test", f"PYTHON={tmp_path / 'no-such-python'}", f"VENV={tmp_path / 'venv'}")
    assert result.returncode != 0
    assert f"no Python at '{tmp_path / 'no-such-python'}'" in result.stderr
    assert f"needs Python {REQUIRED} or newer" in result.stderr


def test_an_existing_venv_is_checked_rather_than_python(tmp_path):
    (tmp_path / "venv" / "bin").mkdir(parents=True)
    shutil.copy(fake_python(tmp_path, older(REQUIRED)[0]), tmp_path / "venv" / "bin" / "python")
    result = make("check", f"PYTHON={sys.executable}", f"VENV={tmp_path / 'venv'}")
    assert result.returncode != 0 and f"found Python {older(REQUIRED)[0]}" in result.stderr


@pytest.mark.parametrize("version", [REQUIRED, "3.13", "3.100"])
def test_the_required_python_or_newer_passes(tmp_path, version):
    result = make("python-version", f"PYTHON={fake_python(tmp_path, version)}", f"VENV={tmp_path / 'venv'}")
    assert result.returncode == 0, result.stderr


def test_this_python_passes(tmp_path):
    result = make("python-version", f"PYTHON={sys.executable}", f"VENV={tmp_path / 'venv'}")
    assert result.returncode == 0, result.stderr
    assert sys.version_info[:2] >= tuple(map(int, REQUIRED.split(".")))


def test_the_readme_names_the_same_python():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"Python (\d+\.\d+) or newer", text))
    assert named == {REQUIRED}, named


@pytest.mark.parametrize("goal", ["pdf", "epub", "html"])
def test_setup_empty_uses_the_venv_as_it_is_in_sub_makes_too(tmp_path, goal):
    """``make SETUP= pdf`` (what the tests run in a copy of the tree) never reinstalls the venv, not even in
    the sub-makes that build each edition, when the copy's pyproject.toml is newer than the venv's stamp.
    (``make -o STAMP`` did not reach them: make passes no ``-o`` down.)"""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    (venv / ".installed").touch()
    stamp_time = (ROOT / "pyproject.toml").stat().st_mtime - 60
    os.utime(venv / ".installed", (stamp_time, stamp_time))  # older than pyproject.toml: out of date
    for setup, reinstalls in ((None, True), ("", False)):
        arguments = ["-n", goal, f"VENV={venv}", f"PYTHON={sys.executable}"] + ([] if setup is None else [f"SETUP={setup}"])
        result = subprocess.run(["make", "-C", str(ROOT), *arguments], capture_output=True, text=True, timeout=60,
                                env={**os.environ, "MAKEFLAGS": ""})
        printed = result.stdout + result.stderr
        assert ("pip install" in printed) is reinstalls, (setup, printed[-2000:])
