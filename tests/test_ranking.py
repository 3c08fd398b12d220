"""ann_lib.metrics.ranking: precision@k and NDCG@k, by hand and against scikit-learn."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.metrics import ndcg_score

from ann_lib.metrics import ndcg_at_k, precision_at_k


def test_precision_by_hand():
    relevant = [[1, 0, 1, 0, 0], [0, 0, 0, 1, 1]]
    scores = [[0.9, 0.8, 0.7, 0.1, 0.0], [0.5, 0.4, 0.3, 0.2, 0.1]]
    # user 0: top 2 = items 0, 1 -> 1 of 2; user 1: top 2 = items 0, 1 -> 0 of 2
    assert precision_at_k(relevant, scores, 2) == 0.25
    # top 3: user 0 has items 0, 1, 2 -> 2 of 3; user 1 none
    assert precision_at_k(relevant, scores, 3) == pytest.approx((2 / 3 + 0) / 2)
    assert precision_at_k(relevant, scores, 5) == pytest.approx(0.4)


def test_precision_counts_any_positive_grade_as_relevant():
    graded = np.array([[0, 2, 1, 0, 3]])
    scores = np.array([[5.0, 4.0, 3.0, 2.0, 1.0]])
    assert precision_at_k(graded, scores, 3) == precision_at_k((graded > 0).astype(int), scores, 3) == pytest.approx(2 / 3)


def test_precision_averages_over_tied_scores():
    # all four items tied: any 2 of them, 2 relevant of 4 -> expected precision 1/2
    assert precision_at_k([[1, 1, 0, 0]], [[3, 3, 3, 3]], 2) == pytest.approx(0.5)
    # item 0 first for sure, then one of the tied items 1..3 (one of which is relevant)
    assert precision_at_k([[0, 1, 0, 0]], [[9, 1, 1, 1]], 2) == pytest.approx(0.5 * (0 + 1 / 3))


def test_ndcg_by_hand():
    # relevances in the order the scores rank them: 3, 2, 3, 0, 1, 2 (the example of Wikipedia's NDCG page)
    relevance = np.array([[3, 2, 3, 0, 1, 2]], dtype=float)
    scores = np.array([[6, 5, 4, 3, 2, 1]], dtype=float)
    dcg = 3 + 2 / math.log2(3) + 3 / 2 + 0 + 1 / math.log2(6) + 2 / math.log2(7)
    ideal = 3 + 3 / math.log2(3) + 2 / 2 + 2 / math.log2(5) + 1 / math.log2(6) + 0
    assert ndcg_at_k(relevance, scores, 6) == pytest.approx(dcg / ideal)
    dcg3, ideal3 = 3 + 2 / math.log2(3) + 3 / 2, 3 + 3 / math.log2(3) + 2 / 2
    assert ndcg_at_k(relevance, scores, 3) == pytest.approx(dcg3 / ideal3)


def test_perfect_worst_and_empty_users():
    truth = np.array([[0, 1, 2, 3], [0, 0, 0, 0]], dtype=float)
    assert ndcg_at_k(truth[:1], truth[:1], 2) == 1.0
    assert ndcg_at_k(truth[:1], -truth[:1], 2) == pytest.approx(1 / math.log2(3) / (3 + 2 / math.log2(3)))
    # a user with no relevant item scores 0, as in scikit-learn, and counts in the average
    assert ndcg_at_k(truth, truth, 2) == 0.5


@given(
    data=st.data(),
    n_users=st.integers(1, 5),
    n_items=st.integers(2, 9),
)
def test_ndcg_equals_scikit_learn(data, n_users, n_items):
    shape = (n_users, n_items)
    truth = data.draw(arrays(np.float64, shape, elements=st.integers(0, 4).map(float)))
    # few distinct scores, so that ties are common
    scores = data.draw(arrays(np.float64, shape, elements=st.sampled_from([0.0, 0.5, 1.0, 2.5])))
    k = data.draw(st.integers(1, n_items))
    assert ndcg_at_k(truth, scores, k) == pytest.approx(ndcg_score(truth, scores, k=k), abs=1e-12)


@given(
    data=st.data(),
    n_users=st.integers(1, 4),
    n_items=st.integers(1, 8),
)
def test_precision_is_a_mean_of_hits_over_k(data, n_users, n_items):
    shape = (n_users, n_items)
    truth = data.draw(arrays(np.float64, shape, elements=st.sampled_from([0.0, 1.0])))
    scores = data.draw(arrays(np.float64, shape, elements=st.floats(-5, 5)))
    k = data.draw(st.integers(1, n_items))
    value = precision_at_k(truth, scores, k)
    assert 0.0 <= value <= 1.0
    if len(np.unique(scores)) == scores.size:  # no ties: count the hits in each user's top k
        top = np.argsort(-scores, axis=1)[:, :k]
        assert value == pytest.approx(np.mean(np.take_along_axis(truth, top, axis=1).sum(axis=1) / k))
    # k = n_items sees every item: the fraction of relevant items
    assert precision_at_k(truth, scores, n_items) == pytest.approx(truth.mean())


def test_bad_input():
    good = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"y_true must be a 2-D array.*reshape"):
        ndcg_at_k([1, 0, 1], [0.2, 0.1, 0.3], 2)
    with pytest.raises(ValueError, match=r"y_true has shape \(2, 3\) but y_score has shape \(3, 2\)"):
        precision_at_k(good, np.ones((3, 2)), 1)
    with pytest.raises(ValueError, match="k must be at most n_items = 3"):
        ndcg_at_k(good, good, 4)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        ndcg_at_k(good, good, 0)
    with pytest.raises(ValueError, match="non-negative"):
        ndcg_at_k(-good, good, 1)
    with pytest.raises(ValueError, match="NaN"):
        ndcg_at_k(good, np.full((2, 3), np.nan), 1)
    with pytest.raises(ValueError, match="finite"):
        ndcg_at_k(good, np.full((2, 3), np.inf), 1)
    with pytest.raises(ValueError, match="empty"):
        ndcg_at_k(np.ones((0, 3)), np.ones((0, 3)), 1)
    with pytest.raises(TypeError, match="y_score must hold real numbers"):
        ndcg_at_k(good, [["a", "b", "c"]] * 2, 1)
