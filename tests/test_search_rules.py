"""The search rules of bookbuild/search.py (the browser side is in tests/browser/test_search.py)."""

from __future__ import annotations

import pytest

from bookbuild.search import index_terms, normalize, phrase_counts, query_terms, rank_table

TEXT = "합성곱 신경망은 이미지를 읽습니다. 제한 볼츠만 머신(RBM)을 학습시키는 방법도 있습니다. XOR는 어렵습니다."


@pytest.mark.parametrize("query", ["합성곱 신경망", "합성곱신경망", "합성곱 신경망은", "합성곱신경망을", "제한 볼츠만 머신",
                                   "제한볼츠만머신", "RBM", "XOR", "xor를", "학습하는 방법", "학습시키기"])
def test_every_form_of_a_term_finds_the_text_that_writes_it(query):
    assert set(query_terms(query)) <= set(index_terms(TEXT)), query


def test_particles_and_endings_do_not_change_the_query():
    assert query_terms("뉴런은") == query_terms("뉴런의") == query_terms("뉴런") == ["뉴런"]
    assert query_terms("학습합니다") == query_terms("학습시키는") == query_terms("학습") == ["학습"]
    assert query_terms("ReLU의 도함수") == ["relu", "도함", "함수"]


def test_one_syllable_suffixes_are_cut_only_from_longer_words():
    assert normalize("층이") == "층"
    assert normalize("제한") == "제한"  # 한 is an ending, but 제한 is a noun
    assert normalize("볼츠만은") == "볼츠만"


def test_words_far_apart_do_not_make_the_phrase():
    scattered = "합성곱을 설명합니다. 이 장의 신경망은 작습니다."
    assert "곱신" not in index_terms(scattered)
    assert not set(query_terms("합성곱신경망")) <= set(index_terms(scattered))
    assert set(query_terms("합성곱 신경망")) <= set(index_terms(scattered))


def test_a_one_syllable_query_is_looked_up_as_its_syllable():
    assert query_terms("층") == ["층"]
    assert "층" in index_terms("은닉층의 크기")


def test_phrases_are_counted_without_spaces_and_particles():
    counts = phrase_counts("합성곱 신경망은 크고, 합성곱신경망을 씁니다.", "ko")
    assert counts["합성곱신경망"] == 2
    english = phrase_counts("Exploding gradients and an exploding gradient.", "en")
    assert english["exploding gradient"] == 2


def test_the_page_that_uses_a_phrase_most_ranks_first():
    texts = {"a": "기울기 소실. 기울기 소실. 기울기 소실.", "b": "기울기 소실. 기울기 소실.", "c": "기울기. 소실."}
    table = rank_table(texts, "ko")
    entries = table["phrases"]["기울기소실"]
    assert [table["docs"][i] for i, _ in entries] == ["a", "b"]
    assert [count for _, count in entries] == [3, 2]


@pytest.mark.parametrize("query, page", [
    ("힌튼", "제프리 힌턴(Geoffrey Hinton)은 말했습니다."), ("힌턴의", "제프리 힌턴(Geoffrey Hinton)은 말했습니다."),
    ("로젠블라트", "프랭크 로젠블랫(Frank Rosenblatt)의 퍼셉트론"), ("프랑크 로젠블라트", "프랭크 로젠블랫(Frank Rosenblatt)의 퍼셉트론"),
    ("르쿤", "얀 르쿤(Yann LeCun)과 동료들"), ("레쿤", "얀 르쿤(Yann LeCun)과 동료들"), ("알파고는", "알파고(AlphaGo)는 이겼습니다."),
    ("쿠니히코 후쿠시마", "후쿠시마 구니히코(Kunihiko Fukushima)는 네오코그니트론을"),
])
def test_a_name_is_found_by_the_spellings_korean_writers_use(query, page):
    """The other spellings of book/names.csv look up the book's spelling."""
    assert set(query_terms(query)) <= set(index_terms(page)), query


def test_a_latin_name_is_indexed_under_its_hangul_form_too():
    assert set(query_terms("힌턴")) <= set(index_terms("Hinton은 네 가지를 꼽았습니다."))
    assert not set(query_terms("힌턴")) <= set(index_terms("Sutton은 네 가지를 꼽았습니다."))
    assert phrase_counts("Hinton은 말했고, 제프리 힌턴(Geoffrey Hinton)도 그랬습니다.", "ko")["힌턴"] == 3
    # the spelling table pairs words by shared syllables, not by position
    assert normalize("쿠니히코") == "구니히코" and normalize("힌튼은") == "힌턴" and normalize("신경망은") == "신경망"
