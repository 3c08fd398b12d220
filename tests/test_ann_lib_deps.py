"""The dependency resolver that keeps the build's caches honest (_ext/bookbuild/ann_lib_deps.py)."""

from pathlib import Path

import pytest

from bookbuild.ann_lib_deps import dependencies, fingerprint
from bookbuild.cells import code_cells, read_code_cells

ROOT = Path(__file__).resolve().parents[1]


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


def test_imports_for_type_checking_only_are_not_dependencies(package):
    """``if TYPE_CHECKING:`` imports are for annotations: editing that module re-runs nothing."""
    (package / "hinted.py").write_text(
        "from __future__ import annotations\n"
        "import typing\n"
        "from typing import TYPE_CHECKING\n"
        "from ann_lib import base\n"
        "if TYPE_CHECKING:\n"
        "    from ann_lib.middle import Thing\n"
        "if typing.TYPE_CHECKING:\n"
        "    import ann_lib.alone\n"
        "else:\n"
        "    from ann_lib import top\n"  # the else branch runs: a real import
    )
    assert names(dependencies(["from ann_lib import hinted"], package)) == [
        "__init__.py", "base.py", "hinted.py", "middle.py", "top.py"  # middle.py through top.py only
    ]
    (package / "hinted.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ann_lib.alone import X\n"
    )
    sources = ["from ann_lib import hinted"]
    before = fingerprint(sources, package)
    (package / "alone.py").write_text("X = 2\n")
    assert fingerprint(sources, package) == before
    # the same import outside the block is a dependency
    (package / "hinted.py").write_text("from ann_lib.alone import X\n")
    assert "alone.py" in names(dependencies(sources, package))


def test_a_star_import_from_a_subpackage_depends_on_that_subpackage_alone(tmp_path):
    """``from ann_lib.metrics import *`` is ann_lib.metrics and what its __init__ imports, no more."""
    root = tmp_path / "ann_lib"
    (root / "metrics").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "layers.py").write_text("X = 1\n")
    (root / "metrics" / "__init__.py").write_text(
        "from ann_lib.metrics import text\nfrom ann_lib.metrics.text import *\n"
    )
    (root / "metrics" / "text.py").write_text("__all__ = ['bleu']\ndef bleu(): pass\n")
    (root / "metrics" / "speech.py").write_text("__all__ = ['wer']\n")  # not gathered by __init__
    for source in ("from ann_lib.metrics import *", "from ann_lib.metrics import bleu"):
        assert [p.relative_to(root).as_posix() for p in dependencies([source], root)] == [
            "__init__.py", "metrics/__init__.py", "metrics/text.py"
        ], source


def test_code_cells_are_read_without_their_options():
    text = (
        "# Title\n\n```{code-cell} ipython3\n:tags: [hide-input]\n\nimport a\n```\n\n"
        "```{code-cell} ipython3\n---\ntags: [remove-cell]\n---\nimport b\n```\n\n```python\nimport c\n```\n"
    )
    assert [c.strip() for c in code_cells(text)] == ["import a", "import b"]
    first, second = read_code_cells(text)
    assert first.options == ":tags: [hide-input]" and second.options == "---\ntags: [remove-cell]\n---"
    assert first.line == 3 and text.splitlines()[second.line - 1] == "```{code-cell} ipython3"
    assert first.block.startswith("```{code-cell} ipython3\n") and first.block.endswith("\n```")


def test_a_code_fence_inside_a_cell_does_not_end_it():
    text = '```{code-cell} ipython3\nprint("""\n```python\nx\n""")\n```\n'
    assert code_cells(text) == ['print("""\n```python\nx\n""")\n']
