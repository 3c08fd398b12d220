"""Korean particles after text the build writes: how a word is read decides its particle.

Korean attaches a particle to the word before it, and the form depends on how that word is
*read*: 신경망은, 뉴런는, 모델로, 합성곱으로, 레이블로 (after ㄹ, 로). A word is read in one of
three ways:

- ``V``: it ends in a vowel (는 를 와 가 로 나 라 …);
- ``C``: it ends in a consonant other than ㄹ (은 을 과 이 으로 이나 이라 …);
- ``L``: it ends in ㄹ (은 을 과 이, but 로 like a vowel).

This module is the project's one readings table (:data:`READINGS`, Latin words and code as the
book's readers say them) and the rules that read Hangul, numbers (by their last digit or unit:
9.3 구 점 삼 → C, 2 이 → V, 10 십 → C, 7 칠 → L), letters (CTC 씨티씨 → V, DQN 디큐엔 → C) and
math. ``tests/test_korean_style.py`` checks the sources with it and
``tests/test_rendered_particles.py`` the rendered Korean pages.

In the Korean build, :func:`agree_after_numbers` picks the particle after a figure, table or
equation number that ``{numref}`` writes (그림 9.3은, 그림 9.2는): the number moves when a
figure is added, so no author can write its particle once and for all. Every other particle is
the author's and is checked, not rewritten.
"""

from __future__ import annotations

import re

from docutils import nodes

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
HANGUL = "\uac00-\ud7a3"

#: How Latin words and code are read, when spelling them letter by letter would be wrong or they
#: are not all capitals. Transliterations follow the field's usage (알렉스넷, 텐서플로, 디큐엔).
READINGS: dict[str, str] = {
    "`ann_lib`": "C", "ann_lib": "C",  # 앤 립
    "TensorFlow": "V", "Keras": "V", "numpy": "V", "NumPy": "V", "ReLU": "V", "softmax": "V",  # 텐서플로, 케라스, 넘파이, 렐루, 소프트맥스
    "XOR": "V", "XNOR": "V", "AND": "V", "OR": "V", "NAND": "V", "NOR": "V",  # 엑스오어, 앤드, 오어, 낸드, 노어
    "MLP": "V", "SGD": "V", "Adam": "C", "AdamW": "V", "SVM": "C", "CNN": "C", "RBM": "C",
    "McCulloch": "V", "Pitts": "V", "Rosenblatt": "C", "Minsky": "V", "Papert": "V",
    "Werbos": "V", "Rumelhart": "V", "Hinton": "C", "Williams": "V", "LeCun": "C",
    "Bengio": "V", "Glorot": "V", "Fukushima": "V", "Hubel": "L", "Wiesel": "L",
    "Lighthill": "L", "Vapnik": "V", "Cortes": "V", "Raschka": "V", "Widrow": "V",
    "Hoff": "V", "Cox": "V", "Erhan": "C", "Osindero": "V", "Teh": "V", "McCarthy": "V",
    "Bridle": "L", "Sun": "C", "Hochreiter": "V", "Schmidhuber": "V", "Krizhevsky": "V",
    "Sutskever": "V", "Vinyals": "V", "Karpathy": "V", "Graves": "V", "Mnih": "V",
    "Tesauro": "V", "Breiman": "C", "He": "V", "Ng": "C", "Sermanet": "V", "Raina": "V", "Madhavan": "C",  # 응, 세르마네
    # systems as the field names them: 알렉스넷, 지에프넷, 오버피트, 구글넷, 브이지지, 레즈넷, 에스이넷
    "AlexNet": "C", "ZFNet": "C", "OverFeat": "V", "GoogLeNet": "C", "VGG": "V", "ResNet": "C",
    "SENet": "C", "SuperVision": "C", "Clarifai": "V", "MSRA": "V", "WMW": "V",
    "AlphaGo": "V", "DQN": "C", "TD-Gammon": "C", "LeNet": "C",  # 알파고, 디큐엔, 티디개먼, 르넷
    "ImageNet": "C", "MNIST": "V", "GRU": "V", "LSTM": "C", "RNN": "C", "BPTT": "V", "CTC": "V",  # 이미지넷, 엠니스트
    "FLOP": "C", "FLOPs": "V", "mAP": "V", "AP": "V",  # 플롭, 플롭스, 엠에이피
    "GPU": "V", "CPU": "V", "TPU": "V", "IoU": "V", "WER": "L", "BLEU": "V", "MSE": "V",  # 블루
    "GradientTape": "V", "Dense": "V", "Sequential": "L", "Conv2D": "V", "Layer": "V",  # 그레이디언트 테이프, 덴스, 시퀀셜, 콘브 투디
    "gymnasium": "C", "Gymnasium": "C", "scikit-learn": "C", "matplotlib": "C",  # 짐내지엄, 사이킷런, 맷플롯립
    "Python": "C", "Atari": "V", "Q": "V", "LaTeX": "V", "Dugas": "V", "Ba": "V",  # 파이썬, 아타리, 큐, 라텍스, 뒤가
    "fit": "C", "forward": "V", "backward": "V", "predict": "V", "step": "C",  # 핏, 포워드, 백워드, 프레딕트, 스텝
}

#: Letters as Korean readers spell them: 에이 비 씨 … 엘(ㄹ) 엠 엔(받침) 알(ㄹ) …
LETTERS = {
    "a": "V", "b": "V", "c": "V", "d": "V", "e": "V", "f": "V", "g": "V", "h": "V", "i": "V",
    "j": "V", "k": "V", "l": "L", "m": "C", "n": "C", "o": "V", "p": "V", "q": "V", "r": "L",
    "s": "V", "t": "V", "u": "V", "v": "V", "w": "V", "x": "V", "y": "V", "z": "V",
}
#: Digits as read in Sino-Korean: 영 일 이 삼 사 오 육 칠 팔 구.
DIGITS = {"0": "C", "1": "L", "2": "V", "3": "C", "4": "V", "5": "V", "6": "C", "7": "L", "8": "L", "9": "V"}
#: Greek letters and commands in math, as read: 알파 베타 … 엡실론(ㄴ) 람다 시그마 …
GREEK = {
    "alpha": "V", "beta": "V", "gamma": "V", "delta": "V", "Delta": "V", "epsilon": "C", "varepsilon": "C",
    "eta": "V", "theta": "V", "lambda": "V", "mu": "V", "pi": "V", "rho": "V", "sigma": "V", "Sigma": "V",
    "tau": "V", "phi": "V", "varphi": "V", "psi": "V", "omega": "V", "nabla": "V", "ell": "L", "infty": "V",  # 무한대
}

#: Particle pairs: (after a consonant, after a vowel). ㄹ takes the vowel form of 으로/로 only.
PAIRS = [("은", "는"), ("을", "를"), ("과", "와"), ("이", "가"), ("으로", "로"), ("이나", "나"),
         ("이라", "라"), ("이란", "란"), ("이랑", "랑"), ("이며", "며"), ("이다", "다")]
#: what may follow the particle inside the same word (으로는, 과의, 이라는 …)
TAILS = {"과": "의|는|도|만", "와": "의|는|도|만", "으로": "는|도|서|써|부터|의|만", "로": "는|도|서|써|부터|의|만",
         "이라": "는|고|면|서|도", "라": "는|고|면|서|도"}
#: after a vowel the copula's 이 may stay (ReLU이며, ReLU이다): only its short form after a consonant is wrong
COPULA = {"이며", "이다"}


def reading_of_syllable(char: str) -> str | None:
    code = ord(char) - HANGUL_FIRST
    if not 0 <= code <= HANGUL_LAST - HANGUL_FIRST:
        return None
    final = code % 28
    return "V" if final == 0 else "L" if final == 8 else "C"


def reading_of_number(number: str) -> str:
    """The reading of a number by its last digit or unit: 7 칠 (L), 9.3 삼 (C), 10 십, 1,000 천 (C)."""
    number = number.replace(",", "")
    if "." in number:
        return DIGITS[number.rstrip(".")[-1]]
    digits = number.lstrip("0")
    if not digits:
        return "C"  # 영
    if digits[-1] != "0":
        return DIGITS[digits[-1]]
    return "C"  # 십, 백, 천, 만, 십만 … 억: all end in a consonant


def reading_of_math(tex: str) -> str | None:
    """How simple inline math is read: one symbol, with a subscript, a power or a prime
    (x 엑스, W_1 일, x_i 아이, x^2 제곱, 10^{-15} 제곱, σ' 프라임). None for anything longer, whose
    reading is the author's to judge (a fraction, an inequality, a function of several arguments)."""
    tex = re.sub(r"^\\\(|\\\)$", "", tex.strip()).strip()
    tex = re.sub(r"\\(?:mathbf|mathcal|mathrm|boldsymbol|hat|tilde|bar)\{([^{}]*)\}", r"\1", tex)
    symbol = r"(?:\\[A-Za-z]+|[A-Za-z]|\d+(?:\.\d+)?)"
    match = re.fullmatch(rf"({symbol})(?:_\{{?({symbol})\}}?)?(\^\{{?[^{{}}]+\}}?)?('*)", tex.replace(" ", ""))
    if not match:
        return None
    base, subscript, power, prime = match.groups()
    if prime:
        return "C"  # 프라임
    if power:
        return None  # e^{c}: 이의 씨 제곱, 씨 제곱 …: the author's choice
    last = subscript or base
    if last.startswith("\\"):
        return GREEK.get(last[1:])
    if last[0].isdigit():
        return reading_of_number(last)
    return LETTERS[last.lower()]


def reading_of_word(word: str) -> str | None:
    """How a Latin word, number or piece of code is read; None when the readings table lacks it."""
    word = word.strip()
    if not word:
        return None
    if word in READINGS:
        return READINGS[word]
    code = word.strip("`")
    if code in READINGS:
        return READINGS[code]
    if code.endswith("%p") or code.endswith("%"):
        return "V"  # 퍼센트(포인트)
    if code.endswith("°"):
        return "V"  # 도
    if code[-1] in ")]}\"'":  # a call or a list is read by what it ends with: f(x, w, b) 비, Perceptron(2) 이
        last = re.search(r"[A-Za-z0-9_.%]+$", code.rstrip(")]}\"' "))
        return reading_of_word(last.group(0).strip(".")) if last and last.group(0).strip(".") else None
    if code[-1].isdigit():  # 9.3, 1,000, ResNet-50, W1: by the last number
        return reading_of_number(re.search(r"\d[\d,]*(?:\.\d+)?$", code).group(0))
    char = code[-1]
    if reading_of_syllable(char):
        return reading_of_syllable(char)
    for separator in (".", "-", "/", " "):
        if separator in code:
            return reading_of_word(code.rsplit(separator, 1)[1])
    if re.fullmatch(r"[A-Za-z]", code):
        return LETTERS[code.lower()]
    if re.fullmatch(r"[A-Z]{2,6}s?", code):  # an acronym is spelled out: CTC 씨티씨, RNNs 알엔엔스
        return "V" if code.endswith("s") else LETTERS[code[-1].lower()]
    if "_" in code:
        return reading_of_word(code.rsplit("_", 1)[1])
    return reading_of_english(code)


def reading_of_english(word: str) -> str | None:
    """A Latin word the table lacks, by the rules of Korean loanword spelling (외래어 표기법):
    Neuron 뉴런 (C), im2col 콜 (L), layer 레이어 (V), fit 핏 / step 스텝 (a short vowel before
    p, t, k makes a final consonant: C), list 리스트 / tape 테이프 (V), None 논 (C)."""
    parts = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", word)
    if not parts:
        return None
    last = parts[-1].lower()
    if not re.search(r"[aeiouy]", last):  # no vowel: spelled out (cnn, d)
        return LETTERS[last[-1]]
    if last.endswith("e") and len(last) > 2 and last[-2] not in "aeiouy":
        return {"n": "C", "m": "C", "l": "L"}.get(last[-2], "V")  # None 논, time 타임, table 테이블, tape 테이프
    end = last[-1]
    if last.endswith("ng"):
        return "C"  # 러닝, 패딩
    if end in "aeiouy" or end in "rwhxszfvbdgjqc":
        return "V"  # 레이어, 덴스, 로그, 시그모이드 …
    if end in "nm" or last.endswith("ng"):  # 뉴런, 러닝, 패딩
        return "C"
    if end == "l":
        return "L"
    if end in "ptk":  # 핏, 스텝, 북 after a short vowel; 리스트, 히트 otherwise
        return "C" if re.search(r"(?:^|[^aeiouy])[aeiou][ptk]$", last) else "V"
    return None


def parse_particle(following: str) -> tuple[str, str] | None:
    """``(particle, rest)`` when a word's attached Hangul is one of the checked particles, else None.

    Only a whole word counts (가능, 가지, 는데 are not particles): the Hangul run must be a
    particle, optionally with one of its usual continuations (으로는, 과의, 이라는).
    """
    run = re.match(f"[{HANGUL}]+", following)
    if not run:
        return None
    word = run.group(0)
    for pair in PAIRS:
        for particle in pair:
            if word == particle:
                return particle, ""
            if particle in TAILS and re.fullmatch(f"{particle}(?:{TAILS[particle]})", word):
                return particle, word[len(particle):]
    return None


def agreeing(reading: str, particle: str) -> str:
    """The form of ``particle`` that agrees with a word read as ``reading``."""
    for consonant, vowel in PAIRS:
        if particle in (consonant, vowel):
            if (consonant, vowel) == ("으로", "로"):
                return "으로" if reading == "C" else "로"
            return consonant if reading in "CL" else vowel
    return particle


def disagreement(reading: str, following: str) -> str | None:
    """The particle that should replace the one at the start of ``following``, or None if it agrees."""
    parsed = parse_particle(following)
    if not parsed:
        return None
    particle, rest = parsed
    wanted = agreeing(reading, particle)
    if wanted == particle or (particle in COPULA and reading == "V"):
        return None
    return wanted + rest


# ------------------------------------------------------------------ the Korean build
def agree_after_numbers(app, doctree: nodes.document, docname: str) -> None:
    """In the Korean edition, the particle after a ``{numref}`` agrees with the number it wrote.

    Connected to ``doctree-resolved``: the reference then holds its final text (그림 9.3), and the
    particle is the start of the text node that follows it.
    """
    if app.config.language != "ko":
        return
    for reference in doctree.findall(nodes.reference):
        text = reference.astext().rstrip()
        if not re.search(r"\d$", text) or not any("numref" in c for c in _classes(reference)):
            continue
        following = reference.next_node(descend=False, siblings=True)
        if not isinstance(following, nodes.Text):
            continue
        replacement = disagreement(reading_of_number(re.search(r"[\d.]+$", text).group(0)), str(following))
        if replacement:
            old = parse_particle(str(following))
            new_text = replacement + str(following)[len(old[0]) + len(old[1]):]
            following.parent.replace(following, nodes.Text(new_text))


def _classes(reference: nodes.Element) -> list[str]:
    found = list(reference.get("classes", []))
    for child in reference.findall(nodes.inline):
        found += child.get("classes", [])
    return found
