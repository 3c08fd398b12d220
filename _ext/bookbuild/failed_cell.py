"""A chapter cell that raises is reported as ``path:line: ...``, the line to fix.

myst-nb names the chapter and the cell's own line ("Cell In[3], line 2"); this
finds the cell in the chapter's source and adds the two up.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _exception_text(exception: BaseException) -> str:
    """Everything an exception says, its causes included.

    A parallel build (``-j``) re-raises a worker's error as SphinxParallelError,
    which keeps only the worker's formatted traceback, so work from text.
    """
    parts, error, seen = [], exception, set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        parts.append(f"{type(error).__name__}: {error}")
        parts.append(str(getattr(error, "traceback", "") or ""))
        error = error.__cause__ or error.__context__
    return _ANSI.sub("", "\n".join(parts))


def locate_failed_cell(exception: BaseException) -> str | None:
    """``path:line: error`` for a chapter cell that raised, or None."""
    text = _exception_text(exception)
    path = re.search(r"ExecutionError: (\S+\.(?:md|ipynb))\s*$", text, re.MULTILINE)
    cell = re.search(r"^-{6,}\n(.*?)\n-{6,}$", text, re.MULTILINE | re.DOTALL)
    if path is None or cell is None or not Path(path.group(1)).is_file():
        return None
    source = Path(path.group(1)).read_text(encoding="utf-8")
    start = source.find(cell.group(1))
    if start < 0:
        return None
    line = source.count("\n", 0, start) + 1
    offset = re.findall(r"Cell In\[\d+\], line (\d+)", text)
    if offset:
        line += int(offset[-1]) - 1
    raised = re.findall(r"^(\w+(?:Error|Exception|Warning|Interrupt|Exit)): (.*)$", text[cell.end():], re.MULTILINE)
    what = f"{raised[0][0]}: {raised[0][1]}" if raised else "an exception"
    return f"{path.group(1)}:{line}: a code cell raised {what}"


def report_failed_cell(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None:
        where = locate_failed_cell(exception)
        if where:
            logger.error(where)
