"""How long the book takes to build, for both editions, in the four situations that matter.

    .venv/bin/python benchmarks/build.py

1. a clean build (no _build, no _gallery, no execution cache);
2. a rebuild with nothing changed;
3. a rebuild after editing one sentence of chapter 1 (in that edition);
4. a rebuild after editing one ann_lib function (the body of ``relu``, same behaviour).

It works on a copy of the tree in a temporary folder and prints one table; the
targets for this machine (2 cores) are a clean build of both editions under 90 s
and a no-change rebuild under 10 s per edition.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools import buildkit  # noqa: E402


def edit_sentence(tree: Path, lang: str, n: int) -> None:
    chapter = tree / "book" / lang / "01-neural-networks.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").rstrip("\n") + f"\n\nEdit {n}.\n", encoding="utf-8")


def edit_relu(tree: Path) -> None:
    module = tree / "ann_lib" / "activations.py"
    source = module.read_text(encoding="utf-8")
    before, after = "return np.maximum(z, 0.0)", "return np.maximum(0.0, z)"
    assert before in source, "benchmark needs relu's body to read 'return np.maximum(z, 0.0)'"
    module.write_text(source.replace(before, after), encoding="utf-8")


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        tree = buildkit.copy_tree(Path(scratch) / "tree")
        clean = {lang: buildkit.build(tree, lang).check() for lang in buildkit.LANGUAGES}
        rows.append(("clean build", clean))
        rows.append(("no-change rebuild", {lang: buildkit.build(tree, lang).check() for lang in buildkit.LANGUAGES}))
        sentence = {}
        for n, lang in enumerate(buildkit.LANGUAGES):
            edit_sentence(tree, lang, n)
            sentence[lang] = buildkit.build(tree, lang).check()
        rows.append(("one sentence edited", sentence))
        edit_relu(tree)
        rows.append(("ann_lib function edited", {lang: buildkit.build(tree, lang).check() for lang in buildkit.LANGUAGES}))

    print(f"{'situation':<26}{'en (s)':>9}{'ko (s)':>9}{'both (s)':>10}   executed (chapters, gallery scripts)")
    for label, results in rows:
        en, ko = results["en"], results["ko"]
        executed = ", ".join(
            f"{lang} {r.executed_notebooks}/{r.executed_gallery_scripts}" for lang, r in results.items()
        )
        print(f"{label:<26}{en.seconds:>9.1f}{ko.seconds:>9.1f}{en.seconds + ko.seconds:>10.1f}   {executed}")
    total_clean = sum(r.seconds for r in clean.values())
    no_change = rows[1][1]
    print()
    print(f"clean build of both editions: {total_clean:.1f} s (target < 90 s)")
    print(
        "no-change rebuild: "
        + ", ".join(f"{lang} {r.seconds:.1f} s" for lang, r in no_change.items())
        + " (target < 10 s each)"
    )
    print(f"ratio clean / no-change (en): {clean['en'].seconds / no_change['en'].seconds:.1f}x")


if __name__ == "__main__":
    main()
