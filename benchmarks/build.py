"""How long the whole book takes to build, both editions, in the four situations that matter.

    .venv/bin/python benchmarks/build.py

1. a clean build (no _build, no _gallery, no execution cache) of both editions at once, as
   ``make html`` does it (the Korean build waits for the English one to execute, then reads);
2. a rebuild with nothing changed, per edition;
3. a rebuild after editing one sentence of chapter 1 (in that edition);
4. a rebuild after editing ``ann_lib/activations.py`` (a comment: same behaviour, new content).

It works on a copy of the tree in a temporary folder and prints one table (wall
and CPU seconds: CPU is what the build cost, wall what a reader waits, and wall
grows when other work shares the machine), then where the clean build's time
went (``tools/buildkit.py times``). Targets for the whole book on two quiet
cores: clean build of both editions <= 180 s, every chapter (cells and scripts)
<= 45 s, a no-change rebuild <= 10 s per edition, a one-sentence edit <= 20 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools import buildkit, buildtimes  # noqa: E402

TARGETS = {"clean build": 180.0, "no-change rebuild": 10.0, "one sentence edited": 20.0}  # seconds
CHAPTER_TARGET = 45.0  # seconds of execution per chapter, cells and scripts


def edit_sentence(tree: Path, lang: str, n: int) -> None:
    chapter = tree / "book" / lang / "01-neural-networks.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").rstrip("\n") + f"\n\nEdit {n}.\n", encoding="utf-8")


def edit_ann_lib(tree: Path) -> None:
    """Change ann_lib/activations.py without changing what it does (a comment): its importers re-run."""
    module = tree / "ann_lib" / "activations.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited by benchmarks/build.py\n", encoding="utf-8")


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        tree = buildkit.copy_tree(Path(scratch) / "tree")
        started = time.perf_counter()
        clean = buildkit.build_both(tree)
        clean_wall = time.perf_counter() - started
        rows.append(("clean build", clean, clean_wall))  # at once: the editions overlap
        times = buildtimes.table(tree)
        over = [(row.chapter, row.total) for row in buildtimes.collect(tree) if row.total > CHAPTER_TARGET]
        rows.append(("no-change rebuild", {lang: buildkit.build(tree, lang).check() for lang in buildkit.LANGUAGES}, None))
        sentence = {}
        for n, lang in enumerate(buildkit.LANGUAGES):
            edit_sentence(tree, lang, n)
            sentence[lang] = buildkit.build(tree, lang).check()
        rows.append(("one sentence edited", sentence, None))
        edit_ann_lib(tree)
        rows.append(("ann_lib function edited", {lang: buildkit.build(tree, lang).check() for lang in buildkit.LANGUAGES}, None))

    print(f"{'situation':<26}{'en wall':>9}{'ko wall':>9}{'both':>8}{'both CPU':>10}{'target':>9}   executed (chapters/scripts)")
    for label, results, both in rows:
        en, ko = results["en"], results["ko"]
        both = en.seconds + ko.seconds if both is None else both
        executed = ", ".join(
            f"{lang} {r.executed_notebooks}/{r.executed_gallery_scripts}" for lang, r in results.items()
        )
        target = TARGETS.get(label)
        per = "" if target is None else (f"{target:.0f} both" if label == "clean build" else f"{target:.0f} each")
        print(
            f"{label:<26}{en.seconds:>9.1f}{ko.seconds:>9.1f}{both:>8.1f}"
            f"{en.cpu_seconds + ko.cpu_seconds:>10.1f}{per:>9}   {executed}"
        )
    print()
    print(f"clean build of both editions at once: {clean_wall:.1f} s wall,"
          f" {sum(r.cpu_seconds for r in clean.values()):.1f} s CPU (target <= {TARGETS['clean build']:.0f} s)")
    print(f"chapters over {CHAPTER_TARGET:.0f} s of execution: "
          + (", ".join(f"{name} {seconds:.1f} s" for name, seconds in over) or "none"))
    print(f"ratio clean / no-change (en): {clean['en'].seconds / rows[1][1]['en'].seconds:.1f}x")
    print()
    print(times)


if __name__ == "__main__":
    main()
