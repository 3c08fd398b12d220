"""Where the build's time goes: execution time per chapter and per gallery script.

    python tools/buildkit.py times [ROOT]     # make html and tools/sandbox-build print it

Chapters: the execution time myst-nb stored with each chapter's last execution in
its cache (``_build/.jupyter_cache``). Gallery scripts: sphinx-gallery's
``sg_execution_times.rst`` of each gallery folder (it keeps a script's time from
its last run when the script is not re-run). Times are wall times of each run;
chapters and scripts run two at a time, so the sum is more than the build took.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "_ext") not in sys.path:
    sys.path.insert(0, str(ROOT / "_ext"))

from bookbuild.editions import DEFAULT  # noqa: E402
from bookbuild.layout import BOOK, EXECUTION_CACHE, GALLERY_OUTPUT  # noqa: E402

_ROW = re.compile(r"^\s*\* - :ref:`[^`]+` \(``(?P<script>[^`]+)``\)\n\s*- (?P<min>\d+):(?P<sec>\d+(?:\.\d+)?)", re.MULTILINE)


@dataclass
class ChapterTime:
    chapter: str  #: ``NN-topic`` (or the page's stem)
    cells: float | None = None  #: seconds, None if never executed (or no code cells)
    scripts: dict[str, float] = field(default_factory=dict)  #: script name -> seconds

    @property
    def total(self) -> float:
        return (self.cells or 0.0) + sum(self.scripts.values())


def chapter_times(root: Path) -> dict[str, float]:
    """Chapter stem -> seconds of its last execution, from myst-nb's cache."""
    cache_dir = root / EXECUTION_CACHE
    if not cache_dir.is_dir():
        return {}
    from jupyter_cache import get_cache

    latest: dict[str, tuple] = {}
    for record in get_cache(str(cache_dir)).list_cache_records():
        seconds = (record.data or {}).get("execution_seconds")
        if seconds is None:
            continue
        stem = Path(record.uri).stem
        if stem not in latest or record.created > latest[stem][0]:
            latest[stem] = (record.created, float(seconds))
    return {stem: seconds for stem, (_, seconds) in latest.items()}


def script_times(root: Path) -> dict[str, dict[str, float]]:
    """Gallery folder (``NN_topic``) -> {script name: seconds}."""
    times: dict[str, dict[str, float]] = {}
    for path in sorted((root / GALLERY_OUTPUT).glob("*/sg_execution_times.rst")):
        text = path.read_text(encoding="utf-8")
        for m in _ROW.finditer(text):
            times.setdefault(path.parent.name, {})[m["script"]] = 60 * int(m["min"]) + float(m["sec"])
    return times


def collect(root: Path) -> list[ChapterTime]:
    """One row per chapter of the default edition, its gallery folder's scripts under it."""
    cells = chapter_times(root)
    scripts = script_times(root)
    rows = []
    for chapter in sorted((root / BOOK / DEFAULT).glob("*.md")):
        row = ChapterTime(chapter.stem, cells.get(chapter.stem))
        number = re.match(r"(\d\d)-", chapter.stem)
        if number:
            for folder, found in scripts.items():
                if folder.startswith(number.group(1) + "_"):
                    row.scripts.update(found)
        rows.append(row)
    return rows


def table(root: Path = ROOT) -> str:
    rows = collect(Path(root))
    lines = [
        "Execution time per chapter and gallery script (wall seconds of each one's last run)",
        f"{'chapter / script':<44}{'cells':>8}{'scripts':>9}{'total':>8}",
    ]
    for row in rows:
        if row.cells is None and not row.scripts:
            continue
        cells = f"{row.cells:8.1f}" if row.cells is not None else f"{'-':>8}"
        lines.append(f"{row.chapter:<44}{cells}{sum(row.scripts.values()):9.1f}{row.total:8.1f}")
        for script, seconds in sorted(row.scripts.items(), key=lambda item: -item[1]):
            lines.append(f"  {script:<42}{'':>8}{seconds:9.1f}")
    total_cells = sum(r.cells or 0.0 for r in rows)
    total_scripts = sum(sum(r.scripts.values()) for r in rows)
    lines.append(f"{'all chapters':<44}{total_cells:8.1f}{total_scripts:9.1f}{total_cells + total_scripts:8.1f}")
    lines.append("(chapters and scripts run two at a time: the build's wall time is less than the sum)")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT))
