"""ann_lib.metrics.bleu: corpus BLEU as Papineni et al. (2002) define it, checked by hand and by its properties.

Chapter 9.
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ann_lib.metrics import bleu, bleu_statistics


def test_papineni_modified_unigram_precision():
    """The paper's example: "the the the the the the the" against two references scores 2/7 in unigrams."""
    hypothesis = "the the the the the the the".split()
    references = ["the cat is on the mat".split(), "there is a cat on the mat".split()]
    stats = bleu_statistics([references], [hypothesis], max_n=1)
    assert (stats.matches, stats.totals) == ([2], [7])


def test_the_chapters_hand_worked_example():
    """Two captions, counted by hand in the chapter."""
    references = [[["a", "small", "red", "circle", "left", "of", "a", "blue", "square"]],
                  [["a", "large", "white", "triangle"]]]
    hypotheses = [["a", "small", "red", "square", "left", "of", "a", "blue", "square"],
                  ["a", "large", "white", "circle"]]
    stats = bleu_statistics(references, hypotheses)
    assert stats.matches == [11, 8, 5, 2] and stats.totals == [13, 11, 9, 7]
    assert (stats.hypothesis_length, stats.reference_length) == (13, 13)
    expected = (11 / 13 * 8 / 11 * 5 / 9 * 2 / 7) ** 0.25
    assert bleu(references, hypotheses) == pytest.approx(expected, rel=1e-12)


def test_brevity_penalty_uses_the_closest_reference_and_the_shorter_on_a_tie():
    hypothesis = ["a", "b", "c", "d"]
    references = [["a", "b", "c", "d", "e", "f"], ["a", "b", "c", "d", "e"], ["x", "a", "b"]]
    stats = bleu_statistics([references], [hypothesis], max_n=1)
    assert stats.reference_length == 3  # |5 - 4| = |3 - 4|: the shorter wins
    short = bleu([[["a", "b", "c", "d", "e", "f", "g", "h"]]], [["a", "b", "c", "d"]], max_n=2)
    assert short == pytest.approx(math.exp(1 - 8 / 4))


def test_no_smoothing_a_missing_order_gives_zero():
    assert bleu([[["a", "b", "c", "d"]]], [["a", "c", "b", "d"]]) == 0.0  # no matching 3-gram or 4-gram
    assert bleu([[["a", "b"]]], [[]]) == 0.0


def test_clipping_uses_the_best_single_reference_not_the_sum():
    stats = bleu_statistics([[["a", "a", "b"], ["a", "b", "b"]]], [["a", "a", "b", "b"]], max_n=1)
    assert stats.matches == [4]  # a: min(2, max(2, 1)) + b: min(2, max(1, 2))
    stats = bleu_statistics([[["a", "b"], ["a", "b"]]], [["a", "a"]], max_n=1)
    assert stats.matches == [1]


sentences = st.lists(st.sampled_from(list("abcde")), min_size=0, max_size=9)


@given(corpus=st.lists(st.tuples(st.lists(sentences, min_size=1, max_size=3), sentences), min_size=1, max_size=5))
def test_bleu_lies_in_the_unit_interval(corpus):
    references, hypotheses = zip(*corpus)
    assert 0.0 <= bleu(list(references), list(hypotheses)) <= 1.0 + 1e-12


@given(corpus=st.lists(st.lists(st.sampled_from(list("abcde")), min_size=4, max_size=9), min_size=1, max_size=5))
def test_a_hypothesis_equal_to_its_reference_scores_one(corpus):
    assert bleu([[s] for s in corpus], corpus) == pytest.approx(1.0)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="references has 1 entries and hypotheses 2"):
        bleu([[["a"]]], [["a"], ["b"]])
    with pytest.raises(ValueError, match=r"references\[0\] is empty"):
        bleu([[]], [["a"]])
    with pytest.raises(ValueError, match="hypotheses is empty"):
        bleu([], [])
    with pytest.raises(TypeError, match=r"hypotheses\[0\]"):
        bleu([[["a"]]], ["a red circle"])  # a string, not a token list
    with pytest.raises(TypeError, match=r"references\[0\]\[0\]"):
        bleu([["a red circle"]], [["a"]])
    with pytest.raises(ValueError, match="max_n"):
        bleu([[["a"]]], [["a"]], max_n=0)
