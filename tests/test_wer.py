"""ann_lib.metrics.word_error_rate: hand-worked cases, the properties a distance must have, bad input."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ann_lib.metrics import word_error_rate, word_errors

words = st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=7)


def levenshtein(r, h):
    """The textbook recursion, memoized: the fewest edits from word list r to word list h."""
    from functools import lru_cache

    @lru_cache(maxsize=None)
    def d(i, j):
        if i == 0 or j == 0:
            return i + j
        return min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (r[i - 1] != h[j - 1]))

    return d(len(r), len(h))


@pytest.mark.parametrize(
    "reference, hypothesis, counts",
    [
        ("the cat sat on the mat", "the cat sat on the mat", (0, 0, 0, 6)),
        ("the cat sat on the mat", "the cat sit on the mat", (1, 0, 0, 6)),  # one substitution
        ("the cat sat on the mat", "the cat on the mat", (0, 1, 0, 6)),  # one deletion
        ("the cat sat on the mat", "the cat sat on on the mat", (0, 0, 1, 6)),  # one insertion
        # 1 substitution + 1 deletion + 1 insertion costs 3 as well: ties go to substitutions
        ("the cat sat on the mat", "a cat sat on mat today", (3, 0, 0, 6)),
        ("a b c", "", (0, 3, 0, 3)),
        ("", "a b", (0, 0, 2, 0)),
        ("iy-aa uh-ih", "uh-ih iy-aa", (2, 0, 0, 2)),  # a swap costs two edits
    ],
)
def test_hand_worked_alignments(reference, hypothesis, counts):
    found = word_errors(reference, hypothesis)
    assert tuple(found) == counts
    assert found.edits == levenshtein(reference.split(), hypothesis.split())


def test_corpus_level_is_total_edits_over_total_words_not_a_mean_of_rates():
    references = ["a b c d e f g h i j", "k"]
    hypotheses = ["a b c d e f g h i j", "x"]
    assert word_error_rate(references, hypotheses) == pytest.approx(1 / 11)  # the mean of rates would be 0.5


def test_more_words_than_said_can_exceed_one():
    assert word_error_rate(["a"], ["b c d"]) == 3.0  # one substitution, two insertions


def test_whitespace_separates_words():
    assert word_error_rate(["  a   b\tc "], ["a b c"]) == 0.0


@given(words, words)
def test_dynamic_programming_equals_the_recursion(r, h):
    counts = word_errors(" ".join(r), " ".join(h))
    assert counts.edits == levenshtein(r, h)
    # the counts describe a real path: deletions remove reference words, insertions add hypothesis words
    assert len(h) == len(r) - counts.deletions + counts.insertions
    assert counts.substitutions + counts.deletions <= len(r)


@given(st.lists(words.filter(bool), min_size=1, max_size=4))
def test_identical_transcripts_give_zero(transcripts):
    texts = [" ".join(t) for t in transcripts]
    assert word_error_rate(texts, texts) == 0.0


@given(words.filter(bool), words)
def test_bounds(r, h):
    """Edits lie between the length difference and the longer length; an empty hypothesis gives 1."""
    rate = word_error_rate([" ".join(r)], [" ".join(h)])
    assert abs(len(h) - len(r)) / len(r) <= rate <= max(len(r), len(h)) / len(r)
    if len(h) > len(r):
        assert rate >= (len(h) - len(r)) / len(r)  # a shorter reference: at least the extra words are inserted
    assert word_error_rate([" ".join(r)], [""]) == 1.0


@given(words, words, words)
def test_the_edit_count_is_a_distance(a, b, c):
    d = lambda x, y: word_errors(" ".join(x), " ".join(y)).edits  # noqa: E731
    assert d(a, b) == d(b, a)
    assert d(a, c) <= d(a, b) + d(b, c)
    assert (d(a, b) == 0) == (a == b)


def test_order_of_utterances_does_not_matter():
    references = ["a b", "c d e", "f"]
    hypotheses = ["a", "c x e y", "f"]
    rate = word_error_rate(references, hypotheses)
    for order in itertools.permutations(range(3)):
        assert word_error_rate([references[i] for i in order], [hypotheses[i] for i in order]) == rate


@pytest.mark.parametrize(
    "references, hypotheses, error, match",
    [
        ("a b", "a b", TypeError, "references must be a list"),
        (["a b"], "a b", TypeError, "hypotheses must be a list"),
        (["a b", "c"], ["a b"], ValueError, "pair up"),
        ([], [], ValueError, "empty"),
        (["", " "], ["a", ""], ValueError, "no words"),
        ([1], ["a"], TypeError, r"references\[0\]"),
        (["a"], [None], TypeError, r"hypotheses\[0\]"),
        (None, ["a"], TypeError, "references"),
    ],
)
def test_bad_input(references, hypotheses, error, match):
    with pytest.raises(error, match=match):
        word_error_rate(references, hypotheses)
