"""What ``make pdf``, ``make epub`` and their tests need from Debian, checked before anything runs.

Standard library only, so that the Makefile can ask before the virtual environment exists::

    python3 _ext/printed_needs.py check pdf epub    # one line naming what to install, exit 1
    python3 _ext/printed_needs.py finish-pdf _build/latex/en _build/pdf/en

The extension that makes the PDF and the EPUB is ``_ext/printed.py``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

BASENAME = "deep-learning-tensorflow"  #: <BASENAME>-<code>.pdf and .epub; printed.py names the files

#: The one apt-get line (README.md and .ci/run name the same packages).
APT_PACKAGES = (
    "texlive-xetex", "texlive-latex-recommended", "texlive-latex-extra", "texlive-fonts-recommended", "texlive-lang-korean", "latexmk",
    "fonts-freefont-otf", "fonts-noto-cjk", "dvisvgm", "epubcheck", "poppler-utils",
)
_PDF = {
    "programs": ("xelatex", "latexmk", "makeindex", "kpsewhich", "fc-list"),
    "latex": ("kotex.sty", "pzdr.tfm", "fncychap.sty", "tabulary.sty", "capt-of.sty", "needspace.sty"),
    "fonts": ("FreeSerif", "FreeSans", "FreeMono", "Noto Serif CJK KR", "Noto Sans CJK KR", "Noto Sans Mono CJK KR"),
}
_EPUB = {
    "programs": ("xelatex", "latex", "dvisvgm", "epubcheck", "java", "kpsewhich", "fc-list"),
    "latex": ("kotex.sty",),
    "fonts": ("Noto Serif CJK KR",),
}
NEEDS = {
    "pdf": _PDF,
    "epub": _EPUB,
    "tests": {**_PDF, "programs": _PDF["programs"] + ("latex", "dvisvgm", "epubcheck", "java", "pdftotext", "pdffonts", "pdfimages")},
}


def missing(kind: str) -> list[str]:
    """What ``make <kind>`` (``pdf``, ``epub``) or the tests (``tests``) need and cannot find."""
    if kind not in NEEDS:
        raise ValueError(f"kind must be one of {sorted(NEEDS)}, got {kind!r}")
    need = NEEDS[kind]
    absent = [program for program in need["programs"] if shutil.which(program) is None]
    if shutil.which("kpsewhich"):
        for name in need["latex"]:
            found = subprocess.run(["kpsewhich", name], capture_output=True, text=True).stdout.strip()
            if not found:
                absent.append(name)
    if shutil.which("fc-list"):
        families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
        known = {name.strip() for line in families.splitlines() for name in line.split(",")}
        absent += [f"the font {font}" for font in need["fonts"] if font not in known]
    return absent


def hint(*kinds: str) -> str | None:
    """One line saying what to install, or None when nothing is missing."""
    absent = list(dict.fromkeys(thing for kind in kinds for thing in missing(kind)))
    if not absent:
        return None
    names = {"pdf": "make pdf", "epub": "make epub", "tests": "the PDF and EPUB tests"}
    what = " and ".join(names[kind] for kind in kinds)
    return (f"{what} needs Debian packages ({', '.join(absent)} not found): "
            f"apt-get install --no-install-recommends {' '.join(APT_PACKAGES)}")


def epubcheck_command() -> list[str]:
    """Debian's epubcheck is a jar run through binfmt, which a container may lack: run it with java."""
    return ["java", "-jar", shutil.which("epubcheck") or "epubcheck"]


LOST_GLYPH = re.compile(r"^Missing character: .*$", re.MULTILINE)


def finish_pdf(latex_dir: Path, pdf_dir: Path) -> Path:
    """Check XeLaTeX's log for glyphs no font has, then copy the PDF to ``pdf_dir``."""
    pdfs = [p for p in latex_dir.glob(f"{BASENAME}-*.pdf")]
    if len(pdfs) != 1:
        raise SystemExit(f"expected one {BASENAME}-*.pdf in {latex_dir}, found {len(pdfs)}")
    log = pdfs[0].with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    lost = sorted(set(LOST_GLYPH.findall(log)))
    if lost:
        raise SystemExit(f"{pdfs[0].with_suffix('.log')}: XeLaTeX found characters no font has:\n" + "\n".join(lost))
    pdf_dir.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(pdfs[0], pdf_dir / pdfs[0].name))


def main(argv: list[str]) -> int:
    """``printed_needs.py check pdf|epub|tests ...``; ``printed_needs.py finish-pdf LATEX_DIR PDF_DIR``."""
    if len(argv) >= 2 and argv[0] == "check":
        line = hint(*argv[1:])
        if line:
            print(line, file=sys.stderr)
            return 1
        return 0
    if len(argv) == 3 and argv[0] == "finish-pdf":
        print(f"written: {finish_pdf(Path(argv[1]), Path(argv[2]))}")
        return 0
    print("usage: printed_needs.py check pdf|epub|tests ... | finish-pdf LATEX_DIR PDF_DIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
