"""The book's licences: two files, an SPDX licence in pyproject.toml, named in the README.

The footer line on every built page is checked over the clean build in tests/test_notebooks_dist.py.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: SPDX identifiers and the operators of an SPDX expression (the ones this project could use).
SPDX_IDS = {"MIT", "CC-BY-SA-4.0", "Apache-2.0", "BSD-3-Clause"}


def test_the_code_licence_is_an_spdx_expression_not_a_table():
    licence = PYPROJECT["project"]["license"]
    assert isinstance(licence, str), f"project.license must be an SPDX string (PEP 639), got {licence!r}"
    words = re.split(r"\s+|[()]", licence)
    assert {w for w in words if w and w not in ("AND", "OR", "WITH")} <= SPDX_IDS, licence
    assert licence == "MIT"


def test_the_licence_files_exist_and_no_classifier_repeats_the_licence():
    files = PYPROJECT["project"]["license-files"]
    assert files, "license-files lists no file"
    for pattern in files:
        assert list(ROOT.glob(pattern)), f"license-files names {pattern!r}, which matches no file"
    classifiers = PYPROJECT["project"].get("classifiers", [])
    assert not [c for c in classifiers if c.startswith("License ::")], "PEP 639 forbids licence classifiers"


def test_the_build_backend_accepts_an_spdx_licence():
    requires = PYPROJECT["build-system"]["requires"]
    setuptools = next(r for r in requires if r.startswith("setuptools"))
    minimum = re.search(r">=\s*([\d.]+)", setuptools)
    assert minimum, f"setuptools needs a lower bound: {setuptools!r}"
    assert tuple(int(part) for part in minimum[1].split(".")) >= (77,), "PEP 639 needs setuptools >= 77"
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("setuptools=="):
            assert tuple(int(p) for p in line.split("==")[1].split(".")[:1]) >= (77,), line


def test_the_two_licence_files_say_what_they_cover():
    code = (ROOT / "LICENSE").read_text(encoding="utf-8")
    text = (ROOT / "LICENSE-TEXT").read_text(encoding="utf-8")
    assert code.startswith("MIT License") and "ann_lib" in code and "WITHOUT WARRANTY" in code
    assert "Attribution-ShareAlike 4.0" in text
    assert "https://creativecommons.org/licenses/by-sa/4.0/legalcode" in text
    assert "figures" in text and "LICENSE" in text


def test_the_readme_names_both_licences_in_both_languages():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    english, korean = readme.split("## 한국어")
    for part in (english, korean):
        assert "LICENSE-TEXT" in part and "(LICENSE)" in part and "by-sa/4.0" in part
        assert "MIT" in part
