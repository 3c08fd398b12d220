"""The front page, ``_build/html/index.html``: both titles, both editions' chapters, the downloads.

It is plain HTML with inline CSS: it works without JavaScript and loads nothing
from other hosts. The chapter list is read from each edition's toctree
(``book/<lang>/index.md``) and each chapter's title, so a new chapter appears here
as soon as it is in the toctree.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BLURB = {
    "ko": (
        "한 한국어 강의(딥러닝의 기본 개념)를 따라 인공 뉴런에서 시작해 이미지넷, 사진을 설명하는 신경망, "
        "음성 인식, 강화학습을 거쳐 지금 머신러닝을 공부해야 하는 이유까지 다루는 공개 교과서입니다. "
        "모든 개념을 먼저 numpy로 바닥부터 만들고(이 책의 라이브러리 ann_lib), 다음에 TensorFlow로 만든 뒤, "
        "테스트로 두 결과를 맞대어 봅니다. 책의 그림과 숫자는 모두 책을 빌드할 때 코드가 만듭니다."
    ),
    "en": (
        "An open textbook that follows one Korean lecture on the basic concepts of deep learning, from the "
        "artificial neuron through ImageNet, networks that describe photos, speech recognition and "
        "reinforcement learning to why machine learning matters now. Every idea is built from scratch in "
        "numpy with the book's library ann_lib, then in TensorFlow, and tests hold the two against each "
        "other. Every figure and number is computed when the book is built."
    ),
}
LABELS = {
    "ko": {"edition": "한국어판", "chapters": "차례", "notebook": "노트북(.ipynb)", "gallery": "예제 갤러리",
           "glossary": "용어집", "downloads": "내려받기"},
    "en": {"edition": "English edition", "chapters": "Contents", "notebook": "notebook (.ipynb)",
           "gallery": "Example gallery", "glossary": "Glossary", "downloads": "Downloads"},
}
DOWNLOADS = {
    "ko": (
        "각 장은 실행 결과가 담긴 Jupyter 노트북(.ipynb)으로 내려받을 수 있습니다(위 목록의 링크, 또는 각 장 "
        "머리의 내려받기 메뉴). 예제 갤러리의 스크립트는 .py와 .ipynb로 내려받아 따로 실행할 수 있습니다. "
        "아래 압축 파일에는 웹 사이트, PDF, EPUB, 모든 노트북과 예제, 라이브러리 ann_lib(wheel)와 "
        "requirements.txt가 함께 들어 있습니다."
    ),
    "en": (
        "Each chapter can be downloaded as a Jupyter notebook (.ipynb) with its outputs (the links above, or "
        "the download menu at the top of each chapter). Every gallery script can be downloaded as .py and "
        ".ipynb and runs on its own. The archive below holds the web site, the PDF, the EPUB, every notebook "
        "and script, the library ann_lib as a wheel and requirements.txt."
    ),
}
#: What ``make dist`` makes, linked into ``html/downloads/`` (tools/dist.py): label, file name's ending.
DIST_FILES = (("zip", ".zip"), ("PDF", ".pdf"), ("EPUB", ".epub"))
DIST_LABELS = {
    "ko": {"zip": "책 전체(압축 파일, .zip)", "missing": "압축 파일, PDF, EPUB은 아직 만들지 않았습니다. "
           "책의 저장소에서 make dist를 실행하면 만들어집니다."},
    "en": {"zip": "the whole book (archive, .zip)", "missing": "The archive, PDF and EPUB have not been made "
           "yet: run make dist in the book's repository."},
}
DIST_NAME = "deep-learning-from-the-ground-up"  #: tools/dist.py's archive names: <DIST_NAME>-<lang>.zip
CHOOSE = '    <p>읽을 판을 고르세요. · <span lang="en">Choose an edition.</span></p>'
_TOCTREE = re.compile(r"^```\{toctree\}\n(.*?)^```", re.MULTILINE | re.DOTALL)
_TITLE = re.compile(r"^# (.+)$", re.MULTILINE)


def chapters(lang: str, root: Path = ROOT) -> list[tuple[str, str]]:
    """``(docname, title)`` of each numbered chapter in the edition's toctree, in order."""
    index = (root / "book" / lang / "index.md").read_text(encoding="utf-8")
    found = []
    for block in _TOCTREE.findall(index):
        for line in block.splitlines():
            entry = line.strip()
            if re.fullmatch(r"\d\d-[\w-]+", entry):
                text = (root / "book" / lang / f"{entry}.md").read_text(encoding="utf-8")
                title = _TITLE.search(text)
                found.append((entry, title.group(1).strip() if title else entry))
    return found


def _downloads(lang: str, html_dir: Path, given: list[tuple[str, str]] | None) -> str:
    """The downloads section's links: ``given`` (an archive's own files), else what make dist linked."""
    label = DIST_LABELS[lang]
    if given is None:
        given = []
        for kind, ending in DIST_FILES:
            name = f"downloads/{DIST_NAME}-{lang}{ending}"
            if (html_dir / name).is_file():
                given.append((label.get(kind, kind), name))
        if not given:
            return f"    <p>{html.escape(label['missing'])}</p>"
    items = "\n".join(f'      <li><a href="{html.escape(href)}">{html.escape(text)}</a></li>' for text, href in given)
    return f"    <ul>\n{items}\n    </ul>"


def _edition(lang: str, titles: dict[str, str], html_dir: Path, root: Path,
             downloads: list[tuple[str, str]] | None = None) -> str:
    label = LABELS[lang]
    rows = []
    for number, (entry, title) in enumerate(chapters(lang, root), start=1):
        page = f"{lang}/book/{lang}/{entry}.html"
        notebook = f"{lang}/_sources/book/{lang}/{entry}.ipynb"
        link = f'<a href="{page}">{html.escape(title)}</a>'
        if (html_dir / notebook).is_file():
            link += f' <a class="dl" href="{notebook}" download>{label["notebook"]}</a>'
        rows.append(f"      <li value=\"{number}\">{link}</li>")
    return f"""  <section lang="{lang}">
    <h2><a href="{lang}/book/{lang}/index.html">{html.escape(titles[lang])}</a> <small>{label["edition"]}</small></h2>
    <p>{html.escape(BLURB[lang])}</p>
    <h3>{label["chapters"]}</h3>
    <ol>
{chr(10).join(rows)}
    </ol>
    <p><a href="{lang}/_gallery/index.html">{label["gallery"]}</a> · <a href="{lang}/book/{lang}/glossary.html">{label["glossary"]}</a></p>
    <h3 id="downloads-{lang}">{label["downloads"]}</h3>
    <p>{html.escape(DOWNLOADS[lang])}</p>
{_downloads(lang, html_dir, downloads)}
  </section>"""


def write_front_page(html_dir: Path, titles: dict[str, str], favicon: Path, root: Path = ROOT,
                     languages: tuple[str, ...] = ("ko", "en"),
                     downloads: dict[str, list[tuple[str, str]]] | None = None) -> Path:
    """Write ``html_dir/index.html`` (and the favicon beside it).

    ``languages`` are the editions it lists (a download archive holds one); ``downloads`` the
    links of each edition's downloads section, else what ``make dist`` linked into
    ``html_dir/downloads/``.
    """
    shutil.copyfile(favicon, html_dir / favicon.name)
    editions = "\n".join(_edition(lang, titles, html_dir, root, (downloads or {}).get(lang)) for lang in languages)
    page = f"""<!DOCTYPE html>
<html lang="{languages[0]}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{" · ".join(html.escape(titles[lang]) for lang in languages)}</title>
  <link rel="icon" href="{favicon.name}" type="image/svg+xml">
  <style>
    body {{ font-family: system-ui, sans-serif; max-width: 62rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.6; color: #1f2328; }}
    header {{ margin-bottom: 2rem; }}
    h1 {{ line-height: 1.3; }}
    h1 small {{ display: block; font-size: 60%; font-weight: normal; }}
    main {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 2.5rem; }}
    h2 small {{ font-size: 60%; font-weight: normal; color: #59636e; }}
    li {{ margin: 0.3rem 0; }}
    a.dl {{ font-size: 85%; color: #59636e; }}
    @media (prefers-color-scheme: dark) {{
      body {{ background: #14181e; color: #ced6dd; }} a {{ color: #8ab4f8; }} a.dl, h2 small {{ color: #9aa4ad; }}
    }}
  </style>
</head>
<body>
  <header>
    <h1>{html.escape(titles[languages[0]])}{"".join(f'<small lang="{lang}">{html.escape(titles[lang])}</small>' for lang in languages[1:])}</h1>
{CHOOSE if len(languages) > 1 else ""}
  </header>
  <main>
{editions}
  </main>
</body>
</html>
"""
    target = html_dir / "index.html"
    target.write_text(page, encoding="utf-8")
    return target
