"""Korean search: a word is also indexed without its particle (뉴런은 -> 뉴런).

Sphinx has no Korean search language; this one splits on spaces, keeps English
words as written (no stemming), and adds each Korean word without a trailing
particle, so that searching 뉴런 finds 뉴런은, 뉴런의, 뉴런으로.
"""

from __future__ import annotations

import re

from sphinx.search import SearchLanguage

PARTICLES = sorted(
    "은 는 이 가 을 를 의 에 에서 에게 으로 로 와 과 도 만 부터 까지 보다 처럼 이다 입니다 이며 으로서 로서".split(),
    key=len,
    reverse=True,
)
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")


class SearchKorean(SearchLanguage):
    """Korean search: words split on spaces, each also indexed without its particle."""

    lang = "ko"
    language_name = "Korean"
    js_stemmer_rawcode = ""
    stopwords = set()

    def split(self, input: str) -> list[str]:  # noqa: A002 (Sphinx's signature)
        words = super().split(input)
        extra = []
        for word in words:
            if _HANGUL_WORD.fullmatch(word):
                for particle in PARTICLES:
                    if word.endswith(particle) and len(word) > len(particle):
                        extra.append(word[: -len(particle)])
                        break
        return words + extra

    def word_filter(self, word: str) -> bool:
        return len(word) > 1 or bool(_HANGUL_WORD.fullmatch(word))

    def stem(self, word: str) -> str:
        return word.lower()
