"""The Korean chapters read as one author wrote them: the drift a script can catch.

One heading pattern for the whole book, particles chosen by how a Latin word or code is
read, people named as book/names.csv spells them, one number format, and alt text in
합니다체. The glossary's banned variants are checked by ``tests/test_glossary.py``; the
two editions' code, figures and labels by ``tests/test_parity.py``.

The rules are those of ``CONTRIBUTING.md`` ("Korean prose"). Every ``book/ko/NN-*.md``
is checked, including chapters that are still being written.
"""

import re
from pathlib import Path

import pytest

from bookbuild import particles

ROOT = Path(__file__).resolve().parents[1]
EN, KO = ROOT / "book" / "en", ROOT / "book" / "ko"
CHAPTERS = sorted(p.name for p in KO.glob("[0-9][0-9]-*.md"))
#: everything a Korean reader reads as prose: the chapters, the preface, the front page and the
#: glossary page (whose entries come from book/glossary.csv, checked below)
PAGES = CHAPTERS + ["preface.md", "index.md", "glossary.md"]

DISPLAY_MATH = re.compile(r"^\$\$.*?^\$\$[ \t]*$", re.MULTILINE | re.DOTALL)
INLINE_MATH = re.compile(r"(?<!\\)\$[^$\n]+?(?<!\\)\$")
ROLE = re.compile(r"\{[a-z:]+\}`[^`]*`")
HANGUL = "\uac00-\ud7a3"


def source(name: str, edition: Path = KO) -> str:
    return (edition / name).read_text(encoding="utf-8")


def without_code(text: str) -> str:
    """The text with every fenced block blanked (line numbers kept), except figures, whose
    captions and alt text are prose."""
    out, fence, keep = [], None, False
    for line in text.split("\n"):
        opening = re.match(r"^(`{3,})(.*)$", line)
        if fence is None and opening:
            fence, keep = opening.group(1), opening.group(2).startswith(("{figure}", "{image}"))
            out.append(line if keep else "")
        elif fence is not None and line.strip() == fence:
            fence = None
            out.append(line if keep else "")
        else:
            out.append(line if fence is None or keep else "")
    return "\n".join(out)


def prose(text: str) -> str:
    """What a reader reads as prose: no code blocks, no math, no roles, no quotations.

    Inline code stays (its particle is checked); lines keep their numbers for the messages.
    """
    blank = lambda match: "\n" * match.group(0).count("\n")  # noqa: E731
    text = without_code(text)
    text = DISPLAY_MATH.sub(blank, text)
    text = INLINE_MATH.sub(" ", text)
    text = ROLE.sub(" ", text)
    # quotations keep their source's spelling; "Q" keeps the particle that follows off the line start
    text = re.sub(r'"[^"]*"', lambda match: blank(match) + "Q", text)
    return re.sub(r"^>.*$", "", text, flags=re.MULTILINE)


def line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def headings(text: str) -> list[str]:
    text = without_code(text)
    return re.findall(r"^## (.+?)\s*$", text, flags=re.MULTILINE)


# ---------------------------------------------------------------- headings
# The fixed section headings, English -> Korean; a subtitle may follow a colon in both.
FIXED_HEADINGS = [
    (r"The idea", r"핵심 아이디어"),
    (r"From scratch with `ann_lib`", r"밑바닥부터: `ann_lib`으로 구현하기"),
    (r"In TensorFlow", r"TensorFlow로 구현하기"),
    (r"Experiment", r"실험"),
    (r"Summary", r"요약"),
    (r"Exercises", r"연습문제"),
    (r"References", r"참고 문헌"),
]
# the variants that drifted in before: each must be written as the fixed heading
OLD_HEADINGS = re.compile(r"^## (개념|`ann_lib`로 .*|.*바닥부터(?!: `ann_lib`으로 구현하기).*|TensorFlow로|TensorFlow에서)\s*$",
                          re.MULTILINE)


@pytest.mark.parametrize("name", CHAPTERS)
def test_fixed_headings_follow_the_english_ones(name):
    en, ko = headings(source(name, EN)), headings(source(name))
    problems = []
    for english, korean in FIXED_HEADINGS:
        for position, heading in enumerate(en):
            match = re.fullmatch(english + r"(: .+)?", heading)
            if not match:
                continue
            wanted = korean + (r": .+" if match.group(1) else "")
            if position >= len(ko) or not re.fullmatch(wanted, ko[position]):
                found = ko[position] if position < len(ko) else "(no heading)"
                problems.append(f"section {position + 1}: '## {heading}' needs '## {wanted}', found '## {found}'")
    for match in OLD_HEADINGS.finditer(source(name)):
        problems.append(f"line {line_of(source(name), match.start())}: old heading {match.group(0)!r}")
    assert not problems, f"{name}: " + "; ".join(problems)


def test_the_heading_rule_catches_the_old_variants():
    for old in ["## 개념", "## `ann_lib`로 바닥부터", "## TensorFlow로", "## `ann_lib`로 밑바닥부터 구현하기"]:
        assert OLD_HEADINGS.search(old), old
    for new in ["## 핵심 아이디어", "## 밑바닥부터: `ann_lib`으로 구현하기", "## TensorFlow로 구현하기"]:
        assert not OLD_HEADINGS.search(new), new


# ---------------------------------------------------------------- particles
# How each word is read decides its particle: V ends in a vowel (는 를 와 가 로),
# C in a consonant other than ㄹ (은 을 과 이 으로), L in ㄹ (은 을 과 이 로). The one readings
# table is bookbuild.particles.READINGS, which the rendered-page test (test_rendered_particles.py) reads too.
READINGS = {word: reading for word, reading in particles.READINGS.items() if len(word) > 1}
WRONG_PARTICLES = {
    "V": r"은|을|과|이|으로",
    "C": r"는|를|와|가|로",
    "L": r"는|를|와|가|으로",
}
RIGHT = {"V": "는/를/와/가/로", "C": "은/을/과/이/으로", "L": "은/을/과/이/로"}


def wrong_particles(text: str) -> list[str]:
    found = []
    for word, reading in READINGS.items():
        left = r"(?<![A-Za-z_`])" if word[0].isalpha() else ""
        pattern = re.compile(left + re.escape(word) + rf"({WRONG_PARTICLES[reading]})(?:는|도|부터|서|의)?(?![{HANGUL}])")
        for match in pattern.finditer(text):
            found.append(f"line {line_of(text, match.start())}: {match.group(0)!r} (after {word} use {RIGHT[reading]})")
    return found


@pytest.mark.parametrize("name", PAGES)
def test_particles_follow_the_reading_of_latin_words_and_code(name):
    found = wrong_particles(prose(source(name)))
    assert not found, f"{name}: " + "; ".join(found)


def test_the_particle_rule_catches_both_directions():
    assert wrong_particles("`ann_lib`로 구현합니다")
    assert wrong_particles("XOR은 선형 분리 가능하지 않습니다")
    assert wrong_particles("McCulloch과 Pitts")  # 매컬러, as book/names.csv spells him
    assert wrong_particles("TensorFlow으로 만듭니다")
    assert not wrong_particles("`ann_lib`으로 구현하고 TensorFlow로 확인하며, XOR는 McCulloch와 Pitts가")
    assert not wrong_particles("Hubel과 Wiesel은 ANDROID와")
    assert wrong_particles("AlexNet는") and wrong_particles("VGG은") and not wrong_particles("ResNet은 VGG보다")


# ---------------------------------------------------------------- people
# People and systems the story is about are written in Hangul, in the spelling book/names.csv
# fixes (tests/test_names.py checks the first mention); the other spellings Korean writers use
# (힌튼, 로젠블라트...) are for the search and the glossary's names section, not for the prose.
def _other_spellings() -> list[str]:
    import csv

    with (ROOT / "book" / "names.csv").open(encoding="utf-8") as f:
        cells = [row["Other spellings / 다른 표기"] for row in csv.DictReader(f)]
    return sorted({s.strip() for cell in cells for s in cell.split(";") if s.strip()}, key=lambda s: (-len(s), s))


TRANSLITERATED_NAMES = _other_spellings()


@pytest.mark.parametrize("name", CHAPTERS)
def test_people_are_named_in_the_spelling_of_the_names_table(name):
    text = prose(source(name))
    found = [f"line {line_of(text, m.start())}: {m.group(0)}" for m in re.finditer("|".join(TRANSLITERATED_NAMES), text)]
    assert not found, f"{name}: write the name as book/names.csv does: " + "; ".join(found)


# ---------------------------------------------------------------- numbers
SPACED_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:[ \u2009\u202f]\d{3})+(?![\d])")
LONG_NUMBER = re.compile(r"(?<![\d.,\w])\d{5,}(?![\d.,])")
FOUR_DIGITS = re.compile(r"(?<![\d.,\w])(\d{4})(?![\d.,])(\s*(?:에포크|개|번|장|걸음|배|명|단계|쌍|행))?")
SIZE_WITH_X = re.compile(r"(?<![\w.])\d+ ?[xX] ?\d+(?![\w.])")


#: Numbers that are names, not quantities (a product's model number is written as its maker writes it).
NUMBER_NAMES = re.compile(r"(?:아타리|Atari) 2600")


def bad_numbers(text: str) -> list[str]:
    text = re.sub(r"`[^`\n]*`", " ", text)  # numbers inside code are code
    text = NUMBER_NAMES.sub(" ", text)
    found = []
    for pattern, why in [(SPACED_THOUSANDS, "group thousands with commas: 100,000"),
                         (LONG_NUMBER, "group thousands with commas: 100,000"),
                         (SIZE_WITH_X, "sizes take the multiplication sign: 8×8")]:
        found += [f"line {line_of(text, m.start())}: {m.group(0)!r} ({why})" for m in pattern.finditer(text)]
    for m in FOUR_DIGITS.finditer(text):
        is_year = 1900 <= int(m.group(1)) <= 2039 and not m.group(2)
        if not is_year:
            found.append(f"line {line_of(text, m.start())}: {m.group(0)!r} (group thousands with commas: 1,347)")
    return found


@pytest.mark.parametrize("name", PAGES)
def test_numbers_and_sizes_have_one_format(name):
    found = bad_numbers(prose(source(name)))
    assert not found, f"{name}: " + "; ".join(found)


def test_the_number_rule():
    assert bad_numbers("100 000개") and bad_numbers("1347장") and bad_numbers("2000 에포크")
    assert bad_numbers("8 x 8 이미지") and bad_numbers("8x8 픽셀")
    assert not bad_numbers("1959년에 1,347장과 100,000개, 8×8 이미지, 2-2-1 신경망, 0.01")
    assert not bad_numbers("아타리 2600 게임") and bad_numbers("2600개의 게임")


# ---------------------------------------------------------------- register
ALT = re.compile(r"^:alt:[ \t]*(.+)$", re.MULTILINE)


def plain_style_sentences(text: str) -> list[str]:
    """Sentences of alt text that do not end in 합니다체 (…니다)."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]
    return [s for s in sentences if not re.search(r"니다[.!?]?[\"')」]*$", s)]


@pytest.mark.parametrize("name", PAGES)
def test_alt_text_is_in_the_same_register_as_the_prose(name):
    text = source(name)
    found = [f"line {line_of(text, m.start())}: {sentence!r}"
             for m in ALT.finditer(text) for sentence in plain_style_sentences(m.group(1))]
    assert not found, f"{name}: alt text in 합니다체: " + "; ".join(found)


def test_the_register_rule():
    assert plain_style_sentences("직선 하나가 둘을 나눈다.")
    assert plain_style_sentences("그림 세 칸.")
    assert not plain_style_sentences("그림은 세 칸입니다. 직선 하나가 둘을 나눕니다.")


# ---------------------------------------------------------------- line breaks
# A line break inside a paragraph is a space in HTML: a particle at the start of a line
# comes out detached ("(mini-batch) 에서만").
DETACHED = re.compile(r"^(입니다|이고|이며|이므로|에서|에서만|에는|에도|에게|으로|이라는|이라고)", re.MULTILINE)


# the same for an English term in parentheses: 역전파\n(backpropagation) reads "역전파 (backpropagation)"
DETACHED_TERM = re.compile(rf"[{HANGUL}]\n(\([a-z][a-z\- ]{{2,}}\))")


# a particle typed after a space renders detached: "`ann_lib` 으로", "$\\phi$ 는", "*강좌* 의"
DETACHED_AFTER_MARKUP = re.compile(r"(`[^`\n]+`|\$[^$\n]+\$|\*[^*\n]+\*) (은|는|이|가|을|를|의|에|에서|와|과|로|으로|도|만|"
                                   rf"개인|개로|인|입니다|이며)(?![{HANGUL}])")


@pytest.mark.parametrize("name", PAGES)
def test_no_particle_is_typed_after_a_space(name):
    text = without_code(source(name))
    found = [f"line {line_of(text, m.start())}: {m.group(0)!r}" for m in DETACHED_AFTER_MARKUP.finditer(text)]
    assert not found, f"{name}: join the particle to the word before it: " + "; ".join(found)


def test_the_detached_markup_rule():
    assert DETACHED_AFTER_MARKUP.search("`ann_lib` 으로 만들고") and DETACHED_AFTER_MARKUP.search("$\\phi$ 는")
    assert not DETACHED_AFTER_MARKUP.search("`ann_lib`으로 만들고 $x$ 좌표와 `fit` 메서드")


@pytest.mark.parametrize("name", PAGES)
def test_no_particle_starts_a_line(name):
    text = prose(source(name))
    found = [f"line {line_of(text, m.start())}: {text.splitlines()[line_of(text, m.start()) - 1][:30]!r}"
             for m in DETACHED.finditer(text)]
    found += [f"line {line_of(text, m.start(1))}: {m.group(1)!r} is cut off from its Korean term"
              for m in DETACHED_TERM.finditer(text)]
    assert not found, f"{name}: join the particle to the word before it: " + "; ".join(found)


# ---------------------------------------------------------------- gallery
GALLERY_SCRIPTS = sorted((ROOT / "gallery").glob("[0-9][0-9]_*/*.py"))
GALLERY_HEADERS = sorted((ROOT / "gallery").glob("**/GALLERY_HEADER.rst"))
MATH = "\u27e8math\u27e9"  # ⟨math⟩ stands for a :math: role, whose particle is checked on the rendered page
#: scripts another change is rewriting (issue 25 splits them); their findings are listed in its issue
PENDING: set[str] = set()


def gallery_korean(path: Path) -> str:
    """The Korean text of a gallery script or header, as its rendered page reads it: its Hangul lines
    (narrative, comments, figure text), with reST's ``code`` made `code`, :math: roles made ⟨math⟩ and
    reST's escaped space (``code``\\ 를) removed. A plain space stays: reST renders it, detached."""
    lines = [line if re.search(f"[{HANGUL}]", line) else "" for line in path.read_text(encoding="utf-8").split("\n")]
    text = "\n".join(lines)
    text = re.sub(r":math:`[^`]*`(\\ )?", MATH, text)
    text = re.sub(r"``([^`]+)``(\\ )?", r"`\1`", text)
    return text


#: words that attach to the word before them; after inline code or math reST needs ``x``\ 를
ATTACHED = ("은|는|이|가|을|를|의|에|에서|에서는|에는|에도|와|과|로|으로|로는|으로는|도|만|까지|부터|보다|처럼|만큼|"
            "인|일|이다|입니다|이며|이고|이나|이라는|라는|여서|이면")
DETACHED_AFTER_LITERAL = re.compile(rf"(`[^`\n]+`|{MATH}) ({ATTACHED})(?![{HANGUL}])")


def detached_particles(text: str) -> list[str]:
    return [f"line {line_of(text, m.start())}: {m.group(0)!r} (write ``x``\\ {m.group(2)} in reST)"
            for m in DETACHED_AFTER_LITERAL.finditer(text)]


def pending(path: Path):
    mark = pytest.mark.xfail(strict=True, reason="issue 25 is rewriting this script: fix it there")
    return pytest.param(path, marks=mark) if path.name in PENDING else path


@pytest.mark.parametrize("path", [pending(p) for p in GALLERY_SCRIPTS] + GALLERY_HEADERS,
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_gallery_korean_narrative_follows_the_same_rules(path):
    text = gallery_korean(path)
    found = wrong_particles(text) + detached_particles(text) + bad_numbers(text)
    found += [f"line {line_of(text, m.start())}: {m.group(0)}" for m in re.finditer("|".join(TRANSLITERATED_NAMES), text)]
    assert not found, f"{path.name}: " + "; ".join(found)


def test_the_gallery_rules_see_detached_particles():
    assert detached_particles(gallery_korean_of("   가중합 :math:`z` 를 계산하고 ``ann_lib`` 으로 만듭니다."))
    assert not detached_particles(gallery_korean_of("   가중합 :math:`z`\\ 를 계산하고 ``ann_lib``\\ 으로 만듭니다."))
    assert not detached_particles(gallery_korean_of("   ``blocks`` 개 오고 :math:`x` 근처에서 ``f`` 꼴의 함수"))


def gallery_korean_of(text: str, tmp=Path("/nonexistent")) -> str:
    lines = [line if re.search(f"[{HANGUL}]", line) else "" for line in text.split("\n")]
    joined = "\n".join(lines)
    joined = re.sub(r":math:`[^`]*`(\\ )?", MATH, joined)
    return re.sub(r"``([^`]+)``(\\ )?", r"`\1`", joined)


# ---------------------------------------------------------------- the glossary's Korean entries
@pytest.mark.parametrize("field", ["한국어", "정의"])
def test_glossary_entries_follow_the_particle_rule(field):
    import csv
    with (ROOT / "book" / "glossary.csv").open(encoding="utf-8") as f:
        text = "\n".join(row[field] for row in csv.DictReader(f))
    found = wrong_particles(prose(text)) + bad_numbers(prose(text))
    assert not found, f"glossary.csv {field}: " + "; ".join(found)
