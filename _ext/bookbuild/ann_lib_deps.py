"""Which ann_lib source files a piece of code depends on, and a fingerprint of them.

myst-nb's jupyter-cache keys a notebook on its code cells, and sphinx-gallery's
md5 covers only the script; neither notices that ``ann_lib`` changed under them.
The build (:mod:`bookbuild.caches`) uses this module to fold the content of every
ann_lib module a chapter or gallery script imports, directly or through other
ann_lib modules, into the keys those caches use. The resolver reads imports
with ``ast`` and does not import anything.

Only imports that run count: an import inside ``if TYPE_CHECKING:`` (there for a
type hint) is not a dependency, so that a module that names another one's class
in an annotation does not re-run every page that uses it when that one changes.
"""

from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = "ann_lib"


def _is_type_checking(test: ast.expr) -> bool:
    """``TYPE_CHECKING`` or ``typing.TYPE_CHECKING`` (any ``x.TYPE_CHECKING``)."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports_that_run(tree: ast.AST):
    """Every ``import`` and ``from ... import`` node, except those under ``if TYPE_CHECKING:``.

    The ``else:`` branch of such an ``if`` runs, and is searched.
    """
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _imported_ann_lib_modules(tree: ast.AST, package_modules: set[str], package: str | None = None) -> set[str]:
    """Dotted names (``ann_lib.x``) of the ann_lib modules that ``tree`` imports.

    ``import ann_lib`` alone, or ``from ann_lib import *``, cannot be narrowed
    down and counts as a dependency on every module. ``from ann_lib.x import *``
    depends on ``ann_lib.x`` alone (and, through the closure, on what it imports):
    that is how the subpackages ``ann_lib.metrics`` and ``ann_lib.datasets``
    gather their submodules.
    """
    found: set[str] = set()
    for node in _imports_that_run(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE:
                    found |= package_modules
                elif alias.name.startswith(PACKAGE + "."):
                    found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level and package is not None:  # relative import inside ann_lib
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{module}" if module else base
            if module == PACKAGE or module.startswith(PACKAGE + "."):
                found.add(module)
                for alias in node.names:
                    if alias.name == "*" and module == PACKAGE:
                        found |= package_modules
                    elif f"{module}.{alias.name}" in package_modules:
                        found.add(f"{module}.{alias.name}")
    found &= package_modules
    if found:
        found.add(PACKAGE)  # importing a submodule runs the package's __init__ too
    return found


@lru_cache(maxsize=8)
def _package_index(package_dir: str, stamp: tuple) -> dict[str, tuple[Path, frozenset[str]]]:
    """Map each module of the package to its file and the ann_lib modules it imports."""
    root = Path(package_dir)
    files = {
        ".".join((PACKAGE, *p.relative_to(root).with_suffix("").parts)).removesuffix(".__init__"): p
        for p in sorted(root.rglob("*.py"))
    }
    names = set(files)
    index = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        index[name] = (path, frozenset(_imported_ann_lib_modules(tree, names, package)))
    return index


def _index_for(package_dir: Path) -> dict[str, tuple[Path, frozenset[str]]]:
    paths = sorted(package_dir.rglob("*.py"))
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    return _package_index(str(package_dir), stamp)


def dependencies(sources: list[str], package_dir: Path) -> list[Path]:
    """The ann_lib files that the Python ``sources`` (cells or scripts) depend on.

    A source that does not parse (an IPython magic, say) is treated as depending
    on the whole package: better a needless re-run than a stale page.
    """
    index = _index_for(package_dir)
    names = set(index)
    wanted: set[str] = set()
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            wanted |= names
            continue
        wanted |= _imported_ann_lib_modules(tree, names)
    closure: set[str] = set()
    stack = list(wanted)
    while stack:
        name = stack.pop()
        if name in closure:
            continue
        closure.add(name)
        stack.extend(index[name][1] - closure)
    return sorted(index[name][0] for name in closure)


def digest(files: list[Path], package_dir: Path) -> str:
    """A sha256 over the path (relative to the package's parent) and content of ``files``.

    Empty for no files.
    """
    if not files:
        return ""
    sha = hashlib.sha256()
    for path in files:
        sha.update(path.relative_to(package_dir.parent).as_posix().encode())
        sha.update(b"\0")
        sha.update(path.read_bytes())
        sha.update(b"\0")
    return sha.hexdigest()


def fingerprint(sources: list[str], package_dir: Path) -> str:
    """The :func:`digest` of every ann_lib file the sources depend on ("" if none)."""
    return digest(dependencies(sources, package_dir), package_dir)
