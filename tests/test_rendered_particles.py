"""The rendered Korean pages read as Korean where the build wrote the text.

A cross-reference, a figure or table number, a number, a Latin word, inline code or math is
followed by a particle that agrees with how it is read (``bookbuild.particles``: the final
consonant of a Hangul word, the last digit or unit of a number, the readings table for Latin
words and code). A cross-reference does not repeat the words around it, a list of references
never runs chapter titles with their own commas and colons together, and a reference to a
chapter in the Korean prose reads "N장", not the chapter's title as if it were a common noun.
Figures are numbered per chapter in both editions (Fig. 9.3, 그림 9.3).

The pages are those of the session's clean build (``clean_build`` in ``tests/conftest.py``), or
of an existing build when ``BOOK_HTML`` names its ``_build/html`` (e.g. a sandbox build:
``BOOK_HTML=/tmp/book-sandbox-NAME/src/_build/html``). The rules themselves are tested on
small pages first, so that each can fail.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

from bookbuild.particles import (
    HANGUL, disagreement, parse_particle, reading_of_math, reading_of_number, reading_of_syllable, reading_of_word,
)

BLOCKS = {"p", "li", "div", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption",
          "caption", "br", "section", "table", "ul", "ol", "dl", "figure", "blockquote", "aside", "summary"}
SKIPPED = {"script", "style", "pre", "nav", "footer", "header", "button", "noscript", "svg"}
SKIPPED_CLASSES = {"highlight", "headerlink", "toctree-wrapper", "sphx-glr-download", "cell_output", "cell_input",
                   "sphx-glr-script-out", "sphx-glr-timing", "prev-next-area", "sphx-glr-thumbnails"}


@dataclass
class Atom:
    kind: str  #: link, code, math or number
    text: str
    start: int
    end: int
    href: str = ""
    in_table: bool = False


def is_hangul(char: str) -> bool:
    return bool(char) and reading_of_syllable(char) is not None


def flatten(root: Tag) -> tuple[str, list[Atom]]:
    """The text a reader reads, in order, with the spans the build generated marked as atoms."""
    parts: list[str] = []
    atoms: list[Atom] = []
    length = 0

    def add(text: str) -> None:
        nonlocal length
        parts.append(text)
        length += len(text)

    def walk(node, in_table: bool) -> None:
        if isinstance(node, NavigableString):
            if type(node) is NavigableString:  # not a comment
                add(str(node))
            return
        if not isinstance(node, Tag) or node.name in SKIPPED or SKIPPED_CLASSES & set(node.get("class", [])):
            return
        classes = set(node.get("class", []))
        kind = ("link" if node.name == "a" and "reference" in classes and "footnote-reference" not in classes
                else "code" if node.name == "code" or node.name == "tt"
                else "math" if node.name == "span" and "math" in classes
                else "number" if node.name == "span" and "caption-number" in classes
                else None)
        block = node.name in BLOCKS
        if block:
            add("\n")
        if kind:
            text = node.get_text()
            start = length
            add(text)
            atoms.append(Atom(kind, text, start, length, node.get("href", ""), in_table))
        else:
            for child in node.children:
                walk(child, in_table or node.name in ("td", "th"))
        if block:
            add("\n")

    walk(root, False)
    return "".join(parts), atoms


def reading_of_atom(atom: Atom) -> str | None:
    text = atom.text.strip()
    if atom.kind == "math":
        return reading_of_math(text)
    if atom.kind == "number":
        return reading_of_number(re.search(r"[\d.]+", text).group(0).rstrip(".")) if re.search(r"\d", text) else None
    if atom.kind == "link":  # 합성곱 신경망(convolutional neural network): by the Korean word; code by its end
        text = before_parentheses(text)
    if text and is_hangul(text[-1]):
        return reading_of_syllable(text[-1])
    return reading_of_word(text)


def before_parentheses(text: str) -> str:
    """합성곱 신경망(convolutional neural network) is read by 합성곱 신경망: a particle after ")" follows
    the word before the parentheses."""
    while text.endswith(")"):
        depth = 0
        for i in range(len(text) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(text[i], 0)
            if depth == 0:
                break
        if depth or i == 0:
            return text
        text = text[:i].rstrip()
    return text


LATIN_WORD = re.compile(r"(?<![A-Za-z0-9_.%+\-\u00c0-\u024f])(?:[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9_.,'+\-\u00c0-\u024f]*[A-Za-z0-9%\u00c0-\u024f]|[A-Za-z0-9%])"
                        rf"(?=[{HANGUL}])")
DETACHED = re.compile(rf"\s+(은|는|을|를|과|와|으로|로|에서|에서는|의|에|에는|이며|입니다|이고|으로는|로는|라는|이라는)(?![{HANGUL}])")
CLOSING = re.compile(rf"\)(?=[{HANGUL}])")


def problems_on_page(html: str, chapter_titles: dict[str, str] | None = None) -> list[str]:
    """Every particle after generated text that disagrees with its reading, and every reference
    that repeats its neighbours, runs titles together or stands for a chapter by its bare title."""
    soup = BeautifulSoup(html, "html.parser")
    root = soup.select_one("article.bd-article") or soup.find("main") or soup.body or soup
    text, atoms = flatten(root)
    found: list[str] = []
    covered = set()
    # quotations keep their source's wording (the lecture's slides), as the source tests do
    quoted = {i for m in re.finditer(r"“[^”]*”|‘[^’]*’|「[^」]*」", text) for i in range(m.start(), m.end())}

    def context(start: int, end: int) -> str:
        return re.sub(r"\s+", " ", text[max(0, start - 25): end + 12]).strip()

    def check(reading: str | None, what: str, start: int, end: int, must_know: bool = True) -> None:
        following = text[end:]
        if not parse_particle(following):
            return
        if reading is None:
            if must_know:
                found.append(f"no reading for {what!r} before its particle: add it to READINGS in "
                             f"_ext/bookbuild/particles.py ({context(start, end)!r})")
            return
        wanted = disagreement(reading, following)
        if wanted:
            found.append(f"{what!r} + {parse_particle(following)[0]!r} should be {wanted!r} ({context(start, end)!r})")

    for atom in atoms:
        covered.update(range(atom.start, atom.end))
        if atom.start in quoted:
            continue
        reading = reading_of_atom(atom)
        call = re.fullmatch(r"(.*?[\w.]+)\(.*\)", atom.text.strip(), flags=re.DOTALL)
        if atom.kind == "code" and call and reading and disagreement(reading, text[atom.end:]):
            reading = reading_of_word(call.group(1).split()[-1])  # stft(x, 200, 80)는: read by its name, or its end
        check(reading, atom.text.strip(), atom.start, atom.end, must_know=False)
    for match in LATIN_WORD.finditer(text):
        if match.start() in covered or match.end() - 1 in covered or match.start() in quoted:
            continue
        check(reading_of_word(match.group(0)), match.group(0), match.start(), match.end(), must_know=False)
    for match in CLOSING.finditer(text):
        if match.start() in covered or match.start() in quoted:
            continue
        opening, depth = None, 0
        for i in range(match.start(), -1, -1):
            depth += {")": 1, "(": -1}.get(text[i], 0)
            if depth == 0:
                opening = i
                break
        if opening is None:
            continue
        head = text[:opening].rstrip("”’」』\"'") if opening and text[opening - 1] in "”’」』" else text[:opening]
        if head.endswith(" ") and re.search(r"[A-Za-z0-9_`)]$", head.rstrip()):  # ann_lib (numpy)과: a gloss
            head = head.rstrip()
        before = head[-1] if head else " "
        atom = next((a for a in atoms if a.end == len(head)), None)
        if not atom and not (is_hangul(before) or re.match(r"[A-Za-z0-9%]", before)):
            inner = text[opening + 1: match.start()]
            if not any(is_hangul(c) for c in inner):  # "(1, 0)이": the parentheses are the word; a remark is not
                check(reading_of_word(inner.split()[-1]) if inner.split() else None, text[opening: match.end()],
                      opening, match.end(), False)
            continue
        reading = (reading_of_atom(atom) if atom else reading_of_syllable(before) if is_hangul(before)
                   else reading_of_word(re.split(r"[\s(]", head)[-1]))
        check(reading, head[-12:].strip() + "(…)", opening - 12, match.end(), must_know=False)

    for atom in atoms:  # reST's "``x`` 를" renders a particle cut off from its word
        detached = DETACHED.match(text, atom.end)
        if atom.kind in ("code", "math") and detached and atom.start not in quoted:
            found.append(f"{atom.text.strip()!r} is followed by a detached particle {detached.group(1)!r}: "
                         f"in reST write ``x``\\ {detached.group(1)} ({context(atom.start, atom.end)!r})")

    links = [a for a in atoms if a.kind == "link"]
    for link in (link for link in links if not link.in_table):  # a table's cells may name what the next cell links
        words = link.text.split()
        if not is_hangul(link.text.strip()[-1:] or " ") and not any(is_hangul(c) for c in link.text):
            continue
        groups = {link.text.strip()} | {" ".join(words[i:i + 2]) for i in range(len(words) - 1)}
        for group in (g for g in groups if len(g) >= 3 and any(is_hangul(c) for c in g)):
            before = text[max(0, link.start - len(group) - 6): link.start].rsplit("\n", 1)[-1]  # same paragraph
            after = text[link.end: link.end + len(group) + 6].split("\n", 1)[0]
            if group in before or group in after:
                found.append(f"the reference {link.text.strip()!r} repeats {group!r} around it ({context(link.start, link.end)!r})")
                break
    for first, second in zip(links, links[1:]):
        between = text[first.end: second.start]
        if re.fullmatch(r"\s*(?:,|·|과|와|및|과 |와 )\s*", between) and any(
                re.search(r"[,:]", a.text) for a in (first, second)):
            found.append(f"a list of references runs titles with their own commas or colons together: "
                         f"{context(first.start, second.end)!r}; write each as 'N장'")
    for link in links:
        title = link.text.strip()
        to_chapter = re.search(r"(?:^|/)\d\d-[\w-]+\.html", link.href)
        if chapter_titles and to_chapter and not link.in_table and title in chapter_titles.values():
            found.append(f"the chapter reference {title!r} reads as an ordinary noun: write "
                         f"{{ref}}`N장 <label>` ({context(link.start, link.end)!r})")
    return found


# ------------------------------------------------------------------ the rules, on small pages
def page(body: str) -> str:
    return f'<html><body><article class="bd-article">{body}</article></body></html>'


def ref(text: str, href: str = "other.html#x") -> str:
    return f'<a class="reference internal" href="{href}"><span class="std std-ref">{text}</span></a>'


def numref(text: str) -> str:
    return f'<a class="reference internal" href="#fig-x"><span class="std std-numref">{text}</span></a>'


@pytest.mark.parametrize("body", [
    f"<p>{numref('그림 7')}는 보여 줍니다.</p>",
    f"<p>{numref('그림 9.3')}는 보여 줍니다.</p>",
    f"<p>{numref('그림 13')}를 보십시오.</p>",
    f"<p>{numref('그림 2')}을 보십시오.</p>",
    f"<p>{numref('그림 10')}로 돌아갑니다.</p>",
    f"<p>{numref('그림 11')}으로 돌아갑니다.</p>",
    "<p>그림 7는 보여 줍니다.</p>",
    "<p>그림 30는 보여 줍니다.</p>",
    f"<p>{ref('어텐션')}가 가리킵니다.</p>",
    f"<p>{ref('DQN')}는 배웁니다.</p>",
    "<p>DQN는 배웁니다.</p>",
    "<p>CTC을 씁니다.</p>",
    "<p><code class=\"docutils literal notranslate\"><span class=\"pre\">ann_lib</span></code>로 구현합니다.</p>",
    "<p><code>Dense</code>은 층입니다.</p>",
    "<p><code>stft(x, 200, 82)</code>을 씁니다.</p>",
    "<p><code>ann_lib</code> 으로 만들고 <span class=\"math\">\\(z\\)</span> 를 계산합니다.</p>",
    "<p>걸음마다 <span class=\"math\">\\(Q(s,a)\\)</span>\n를 적용합니다.</p>",
    "<p>DQN다.</p>",
    "<p>TensorFlow으로 만듭니다.</p>",
    "<p>AlphaGo이라는 이름</p>",
    f"<p>{ref('합성곱 신경망')}(합성곱 신경망)이 나옵니다.</p>",
    f"<p>기울기 소실의 {ref('두 번째 빙하기: 기울기 소실')}을 봅니다.</p>",
    f"<p>{ref('이미지넷과 대규모 시각 인식 대회')}, {ref('음성 인식: 스펙트로그램, CTC, 단어 오류율')}에서</p>",
    "<p>역전파(backpropagation)을 씁니다.</p>",
    '<p><span class="math notranslate nohighlight">\\(n\\)</span>는 개수입니다.</p>',
    "<p>Frobnicator을 새로 씁니다.</p>",
    "<p>(0, 1)과 (1, 0)가 같습니다.</p>",
])
def test_each_rule_finds_its_error(body):
    assert problems_on_page(page(body)), body


@pytest.mark.parametrize("body", [
    f"<p>{numref('그림 7')}은 보여 주고 {numref('그림 9.2')}는 {numref('그림 10')}과 다릅니다.</p>",
    "<p>그림 7은 보여 줍니다. 3가지, 2개, 1로 나누고 10으로 곱하며 0.5는 작고 30%는 크고 1,000은 많습니다.</p>",
    f"<p>{ref('어텐션')}이 가리키고 {ref('7장', '07.html')}에서 봅니다.</p>",
    "<p>DQN은 배우고 CTC는 정렬하며 ReLU이며 ReLU다. XOR를 풀고 AND와 OR는 쉽습니다.</p>",
    "<p><code>ann_lib</code>으로 구현하고 TensorFlow로 확인합니다. ResNet-50은 깊습니다.</p>",
    "<p><code>stft(x, 200, 80)</code>는 프레임을, <code>weighted_sum(x, w, b)</code>와 <code>Perceptron(2)</code>를 씁니다.</p>",
    "<p>역전파(backpropagation)는 합성곱 신경망(convolutional neural network)과 씁니다.</p>",
    '<p><span class="math notranslate nohighlight">\\(x\\)</span>는 입력, '
    '<span class="math notranslate nohighlight">\\(\\sigma\'(z)\\)</span>가 도함수, '
    '<span class="math notranslate nohighlight">\\(x^2\\)</span>은 제곱입니다. “교사 없는 학습”(learning)으로 배웁니다.</p>',
    "<p>가능한 GPU가 있고 Hubel과 Wiesel은 고양이를 봅니다.</p>",
    "<p>Frobnicator 가 띄어 쓴 말은 읽지 않습니다. Frobnicator를 씁니다. <code>fit</code> 이 장에서</p>",
    "<p><code>ann_lib</code> (numpy)과 TensorFlow</p>",
    "<p>(0, 1)과 (1, 0)이 같고 (e)와 (f)는 다릅니다. 슬라이드는 “OR과 AND”라고 씁니다.</p>",
])
def test_correct_text_passes(body):
    assert problems_on_page(page(body)) == []


def test_a_bare_chapter_title_is_found_outside_tables_only():
    titles = {"04-backpropagation": "역전파"}
    assert problems_on_page(page(f"<p>{ref('역전파', '04-backpropagation.html')}에서 다룹니다.</p>"), titles)
    assert not problems_on_page(page(f"<p>{ref('역전파', 'glossary.html#term-0')}에서 다룹니다.</p>"), titles)
    assert not problems_on_page(page(f"<table><tr><td>{ref('역전파', '04.html')}</td></tr></table>"), titles)
    assert not problems_on_page(page(f"<p>{ref('4장', '04-backpropagation.html')}에서 다룹니다.</p>"), titles)


def test_readings_of_numbers_letters_and_math():
    assert [reading_of_number(n) for n in ["7", "9.3", "9.2", "10", "1,000", "11", "0", "2.0"]] == \
        ["L", "C", "V", "C", "C", "L", "C", "C"]
    assert [reading_of_word(w) for w in ["CTC", "DQN", "WER", "ReLU", "ResNet-50", "`ann_lib`", "tf.GradientTape"]] == \
        ["V", "C", "L", "V", "C", "C", "V"]
    assert [reading_of_word(w) for w in ["Neuron", "im2col", "layer", "fit", "list", "None", "tape", "cnn"]] == \
        ["C", "L", "V", "C", "V", "C", "V", "C"]
    assert [reading_of_math(m) for m in ["\\(x\\)", "\\(n\\)", "\\(W_1\\)", "\\(\\epsilon\\)", "\\(\\phi'\\)"]] == \
        ["V", "C", "L", "C", "C"]
    assert [reading_of_word(w) for w in ["weighted_sum(x, w, b)", "Perceptron(2)", 'output_size(7, "same")', "Learning"]] == \
        ["V", "V", "C", "C"]
    assert reading_of_math("\\(\\eta > 0\\)") is None and reading_of_math("\\(\\tanh(2z/3)\\)") is None


# ------------------------------------------------------------------ the built pages
def built_site(request) -> Path:
    if os.environ.get("BOOK_HTML"):
        return Path(os.environ["BOOK_HTML"])
    return request.getfixturevalue("clean_build").pristine / "_build" / "html"


def korean_pages(site: Path) -> list[Path]:
    ko = site / "ko"
    return sorted([*ko.glob("book/ko/*.html"), *ko.glob("_gallery/*/plot_*.html"), *ko.glob("_gallery/index.html")])


@functools.cache
def chapter_titles(site: Path) -> dict[str, str]:
    titles = {}
    for page_ in sorted((site / "ko" / "book" / "ko").glob("[0-9][0-9]-*.html")):
        heading = BeautifulSoup(page_.read_text(encoding="utf-8"), "html.parser").select_one("article h1")
        for number in heading.select(".section-number, .headerlink"):
            number.decompose()
        titles[page_.stem] = heading.get_text().strip()
    return titles


@pytest.mark.build
def test_rendered_korean_pages_have_agreeing_particles(request):
    site = built_site(request)
    titles = chapter_titles(site)
    assert len(titles) >= 12, f"no Korean chapters in {site}"
    failures = []
    for path in korean_pages(site):
        problems = problems_on_page(path.read_text(encoding="utf-8"), titles)
        failures += [f"{path.relative_to(site)}: {p}" for p in problems]
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


@pytest.mark.build
@pytest.mark.parametrize("lang, word", [("en", "Fig."), ("ko", "그림")])
def test_figures_are_numbered_per_chapter(request, lang, word):
    site = built_site(request)
    chapters = sorted((site / lang / "book" / lang).glob("[0-9][0-9]-*.html"))
    assert len(chapters) >= 12
    wrong, counted = [], 0
    for path in chapters:
        number = int(path.name[:2])
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for caption in soup.select("figcaption .caption-number, table caption .caption-number"):
            counted += 1
            if not re.fullmatch(rf"(?:{re.escape(word)}|Table|표) {number}\.\d+\s*", caption.get_text()):
                wrong.append(f"{path.name}: {caption.get_text()!r}")
        for link in soup.select("a.reference .std-numref"):
            if not re.search(r"\d+\.\d+", link.get_text()):
                wrong.append(f"{path.name}: reference {link.get_text()!r}")
        heading = soup.select_one("article h1 .section-number")
        if heading is None or heading.get_text().strip() != f"{number}.":
            wrong.append(f"{path.name}: heading not numbered {number}.")
    assert counted >= 20 and not wrong, wrong


def test_the_korean_build_makes_the_particle_after_a_figure_number_agree():
    from types import SimpleNamespace

    from docutils import nodes

    from bookbuild.particles import agree_after_numbers

    def paragraph(number: str, after: str) -> nodes.paragraph:
        reference = nodes.reference("", "", nodes.inline("", number, classes=["std", "std-numref"]))
        return nodes.paragraph("", "", reference, nodes.Text(after))

    document = nodes.section("", paragraph("그림 9.3", "는 보여 줍니다."), paragraph("그림 9.2", "은 보여 줍니다."),
                             paragraph("그림 7", "으로 돌아갑니다."), paragraph("그림 10", "가능성"))
    agree_after_numbers(SimpleNamespace(config=SimpleNamespace(language="ko")), document, "x")
    assert [p.astext() for p in document.children] == [
        "그림 9.3은 보여 줍니다.", "그림 9.2는 보여 줍니다.", "그림 7로 돌아갑니다.", "그림 10가능성"]
    english = nodes.section("", paragraph("Fig. 9.3", "는"))
    agree_after_numbers(SimpleNamespace(config=SimpleNamespace(language="en")), english, "x")
    assert english.astext() == "Fig. 9.3는"
