"""The code cells of a MyST notebook (a chapter), read in one place.

The build reads them to find what a chapter imports (:mod:`bookbuild.caches`);
``tests/test_parity.py`` compares them between the editions; tests that hold a
chapter's numbers run them. A code cell is a fenced block::

    ```{code-cell} ipython3
    :tags: [hide-input]          <- options: ``:key: value`` lines,

    import numpy as np           <- then the code
    ```

or with its options as a YAML block between two ``---`` lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class CodeCell:
    block: str  #: the whole fenced block, fences and options included
    options: str  #: the option lines ("" when there are none)
    code: str  #: the Python code alone
    line: int  #: the line (from 1) of the opening fence in the chapter


def read_code_cells(text: str) -> list[CodeCell]:
    """Every ``{code-cell}`` of a MyST notebook's text, in order."""
    cells = []
    for match in _CODE_CELL.finditer(text):
        lines = match["body"].split("\n")
        if lines and lines[0].startswith("---"):  # YAML options block
            end = lines.index("---", 1) + 1
        else:
            end = 0
            while end < len(lines) and lines[end].startswith(":"):
                end += 1
        cells.append(
            CodeCell(
                block=match.group(0),
                options="\n".join(lines[:end]),
                code="\n".join(lines[end:]),
                line=text.count("\n", 0, match.start()) + 1,
            )
        )
    return cells


def code_cells(text: str) -> list[str]:
    """The code of each ``{code-cell}``, without its options."""
    return [cell.code for cell in read_code_cells(text)]
