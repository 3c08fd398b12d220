"""The dependency resolver that keeps the build's caches honest (_ext/ann_lib_deps.py)."""

from pathlib import Path

import pytest

from ann_lib_deps import dependencies, fingerprint
from bookbuild import code_cells


@pytest.fixture
def package(tmp_path) -> Path:
    root = tmp_path / "ann_lib"
    root.mkdir()
    (root / "__init__.py").write_text('"""pkg"""\n')
    (root / "base.py").write_text("import numpy as np\n")
    (root / "middle.py").write_text("from ann_lib import base\n")
    (root / "top.py").write_text("from .middle import thing\nfrom . import base\n")
    (root / "alone.py").write_text("X = 1\n")
    return root


def names(paths):
    return sorted(p.name for p in paths)


def test_direct_and_transitive_imports(package):
    assert names(dependencies(["from ann_lib.middle import f"], package)) == ["__init__.py", "base.py", "middle.py"]
    assert names(dependencies(["from ann_lib import top"], package)) == ["__init__.py", "base.py", "middle.py", "top.py"]
    assert names(dependencies(["import ann_lib.alone as a"], package)) == ["__init__.py", "alone.py"]


def test_no_ann_lib_no_dependencies(package):
    assert dependencies(["import numpy as np", "print(1)"], package) == []
    assert fingerprint(["import numpy as np"], package) == ""


def test_whole_package_imports_and_unparsable_code_depend_on_everything(package):
    everything = ["__init__.py", "alone.py", "base.py", "middle.py", "top.py"]
    assert names(dependencies(["import ann_lib"], package)) == everything
    assert names(dependencies(["from ann_lib import *"], package)) == everything
    assert names(dependencies(["%timeit f()"], package)) == everything


def test_fingerprint_follows_content_of_dependencies_only(package):
    sources = ["from ann_lib import middle"]
    first = fingerprint(sources, package)
    (package / "alone.py").write_text("X = 2\n")  # not a dependency
    assert fingerprint(sources, package) == first
    (package / "base.py").write_text("import numpy as np  # changed\n")  # a transitive one
    assert fingerprint(sources, package) != first


def test_code_cells_are_read_without_their_options():
    text = (
        "# Title\n\n```{code-cell} ipython3\n:tags: [hide-input]\n\nimport a\n```\n\n"
        "```{code-cell} ipython3\n---\ntags: [remove-cell]\n---\nimport b\n```\n\n```python\nimport c\n```\n"
    )
    assert [c.strip() for c in code_cells(text)] == ["import a", "import b"]


def test_korean_search_indexes_words_without_their_particles():
    from bookbuild import SearchKorean

    words = SearchKorean({}).split("뉴런은 가중합을 계산하고 활성화 함수에 넣습니다 neuron")
    for stem in ("뉴런", "가중합", "함수", "neuron"):
        assert stem in words
    assert "뉴런은" in words  # the word as written stays searchable too
    assert SearchKorean({}).stem("Neuron") == "neuron"
