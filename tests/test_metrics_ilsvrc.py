"""The ILSVRC scores (chapter 8): top-k error, localization error, AP and mAP."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ann_lib.boxes import iou
from ann_lib.metrics import average_precision, localization_error, mean_average_precision, top_k_error


# ---------------------------------------------------------------- top-k error

def test_top_k_error_by_hand():
    scores = np.array([[0.1, 0.5, 0.2, 0.9], [0.8, 0.1, 0.05, 0.05], [0.3, 0.3, 0.2, 0.2]])
    labels = np.array([1, 3, 0])
    assert top_k_error(scores, labels, k=1) == pytest.approx(2 / 3)  # only row 2 (tied first) is right
    assert top_k_error(scores, labels, k=2) == pytest.approx(1 / 3)  # row 1's label 3 is tied third
    assert top_k_error(scores, labels, k=3) == 0.0  # ties at the boundary count as in the top k
    assert top_k_error(scores, labels, k=4) == 0.0


def test_top_k_error_ties_count_as_guesses():
    """All classes tied: every label is in the top 1, as tf.math.in_top_k says."""
    assert top_k_error(np.zeros((4, 10)), np.arange(4), k=1) == 0.0


@given(st.integers(1, 6), st.integers(2, 9), st.integers(0, 2**32 - 1))
def test_top_k_error_is_monotone_in_k_and_one_at_most(n, c, seed):
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 4, (n, c)).astype(float)  # small integers: many ties
    labels = rng.integers(0, c, n)
    errors = [top_k_error(scores, labels, k) for k in range(1, c + 1)]
    assert all(0.0 <= e <= 1.0 for e in errors)
    assert all(a >= b for a, b in zip(errors, errors[1:]))
    assert errors[-1] == 0.0


@pytest.mark.parametrize(
    "scores, labels, k, error, message",
    [
        (np.zeros((2, 3)), [0, 1], 4, ValueError, "k must be at most the number of classes, 3"),
        (np.zeros((2, 3)), [0, 1], 0, ValueError, "k must be a positive integer"),
        (np.zeros((2, 3)), [0, 3], 1, ValueError, "labels must lie in 0..2"),
        (np.zeros((2, 3)), [0, -1], 1, ValueError, "labels must hold labels >= 0"),
        (np.zeros((2, 3)), [0], 1, ValueError, r"labels must have shape \(2,\)"),
        (np.zeros((2, 3)), [0.5, 1], 1, TypeError, "integer class labels"),
        (np.zeros(3), [0], 1, ValueError, r"scores must have shape \(N, C\)"),
        (np.zeros((0, 3)), np.zeros(0, int), 1, ValueError, r"scores must have shape \(N, C\)"),
        ([[np.nan, 0.0]], [0], 1, ValueError, "NaN"),
        ([[np.inf, 0.0]], [0], 1, ValueError, "finite"),
        ([["a", "b"]], [0], 1, TypeError, "scores must hold real numbers"),
    ],
)
def test_top_k_error_rejects_bad_input(scores, labels, k, error, message):
    with pytest.raises(error, match=message):
        top_k_error(scores, labels, k=k)


# ---------------------------------------------------------------- localization error

def test_localization_outcomes_are_the_lecture_three_panels():
    truth_box = [10, 10, 30, 30]
    guesses = np.array([[3, 7, 1, 0, 2]] * 3)
    good, bad = [11, 9, 31, 29], [0, 0, 8, 8]
    boxes = np.array([
        [bad, bad, good, bad, bad],  # class 1 with a good box: correct
        [bad, bad, bad, good, good],  # class 1 guessed, but its box is bad: bad localization
        [good] * 5,  # class 5 is not among the guesses: bad classification
    ], dtype=float)
    result = localization_error(guesses, boxes, [1, 1, 5], [truth_box] * 3)
    assert list(result.outcomes) == ["correct", "bad localization", "bad classification"]
    assert result.error == pytest.approx(2 / 3)


def test_localization_takes_the_best_of_several_true_boxes_and_the_threshold():
    guesses, boxes = np.array([[0]]), np.array([[[0, 0, 10, 10]]], dtype=float)
    true_boxes = np.array([[[50, 50, 60, 60], [0, 0, 10, 20]]], dtype=float)  # IoU 0 and 0.5
    assert localization_error(guesses, boxes, [0], true_boxes).error == 0.0
    assert localization_error(guesses, boxes, [0], true_boxes, iou_threshold=0.51).error == 1.0


@pytest.mark.parametrize(
    "args, error, message",
    [
        (([[0, 1]], np.zeros((1, 3, 4)), [0], [[0, 0, 1, 1]]), ValueError, r"top5_boxes must have shape \(1, 2, 4\)"),
        (([[0, 1]], [[[0, 0, 1, 1], [1, 1, 0, 0]]], [0], [[0, 0, 1, 1]]), ValueError, "inverted"),
        (([[0, 1]], [[[0, 0, 1, 1], [0, 0, np.nan, 1]]], [0], [[0, 0, 1, 1]]), ValueError, "NaN"),
        (([[0, 1]], [[[0, 0, 1, 1]] * 2], [0, 1], [[0, 0, 1, 1]]), ValueError, r"true_label must have shape \(1,\)"),
        (([[0, 1]], [[[0, 0, 1, 1]] * 2], [0], [[1, 1, 0, 0]]), ValueError, "true_boxes holds an inverted box"),
        (([[0, 1]], [[[0, 0, 1, 1]] * 2], [0], np.zeros((2, 4))), ValueError, "true_boxes must have shape"),
        (([0, 1], [[[0, 0, 1, 1]] * 2], [0], [[0, 0, 1, 1]]), ValueError, r"top5_labels must have shape \(N, K\)"),
        ((np.zeros((0, 5), int), np.zeros((0, 5, 4)), np.zeros(0, int), np.zeros((0, 4))), ValueError, "N, K >= 1"),
    ],
)
def test_localization_error_rejects_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        localization_error(*args)


def test_localization_error_rejects_a_bad_threshold():
    with pytest.raises(ValueError, match="iou_threshold"):
        localization_error([[0]], [[[0, 0, 1, 1]]], [0], [[0, 0, 1, 1]], iou_threshold=0.0)


def test_localization_error_agrees_with_a_loop_over_images():
    """A loop that follows the ILSVRC rule word for word, on random guesses and boxes."""
    rng = np.random.default_rng(0)
    n, k = 200, 5
    guesses = rng.integers(0, 8, (n, k))
    corners = rng.uniform(0, 20, (n, k, 2))
    boxes = np.concatenate([corners, corners + rng.uniform(1, 10, (n, k, 2))], axis=-1)
    truth = rng.integers(0, 8, n)
    true_corner = rng.uniform(0, 20, (n, 2))
    true_boxes = np.concatenate([true_corner, true_corner + rng.uniform(1, 10, (n, 2))], axis=-1)
    expected = []
    for i in range(n):
        if any(guesses[i, j] == truth[i] and iou(boxes[i, j], true_boxes[i]) >= 0.5 for j in range(k)):
            expected.append("correct")
        elif truth[i] in guesses[i]:
            expected.append("bad localization")
        else:
            expected.append("bad classification")
    result = localization_error(guesses, boxes, truth, true_boxes)
    assert list(result.outcomes) == expected


# ---------------------------------------------------------------- average precision

def test_average_precision_hand_worked_case_from_the_chapter():
    """Ranked TP, FP, TP, FP, TP with 4 objects: AP = 0.25 * (1 + 2/3 + 3/5)."""
    scores = np.array([0.7, 0.9, 0.5, 0.6, 0.8])  # given out of order on purpose
    hits = np.array([True, True, True, False, False])
    assert average_precision(scores, hits, 4) == pytest.approx(0.25 * (1 + 2 / 3 + 3 / 5))


def test_average_precision_extremes():
    assert average_precision([0.9, 0.8], [True, True], 2) == 1.0
    assert average_precision([0.9, 0.8], [False, False], 2) == 0.0
    assert average_precision([0.9, 0.8], [False, True], 1) == pytest.approx(0.5)
    assert average_precision([0.9], [True], 2) == pytest.approx(0.5)  # half the objects never found


def test_average_precision_breaks_ties_in_input_order():
    assert average_precision([0.5, 0.5], [True, False], 1) == 1.0
    assert average_precision([0.5, 0.5], [False, True], 1) == 0.5


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=1, max_size=30), st.integers(0, 5))
def test_average_precision_lies_in_zero_one(detections, missed):
    scores = np.array([s for s, _ in detections])
    hits = np.array([h for _, h in detections])
    n_positives = int(hits.sum()) + missed
    if n_positives == 0:
        return
    ap = average_precision(scores, hits, n_positives)
    assert 0.0 <= ap <= 1.0
    assert ap <= hits.sum() / n_positives + 1e-12  # recall never exceeds the hits


@pytest.mark.parametrize(
    "scores, hits, n, error, message",
    [
        ([0.9, 0.8], [True], 2, ValueError, r"is_true_positive must have shape \(2,\)"),
        ([0.9, 0.8], [True, True], 1, ValueError, "more than n_positives=1"),
        ([0.9], [True], 0, ValueError, "n_positives must be a positive integer"),
        ([], [], 1, ValueError, "D >= 1"),
        ([np.nan], [True], 1, ValueError, "NaN"),
        ([np.inf], [True], 1, ValueError, "finite"),
        ([0.9], [0.5], 1, TypeError, "booleans"),
        ([0.9], [2], 1, TypeError, "booleans"),
    ],
)
def test_average_precision_rejects_bad_input(scores, hits, n, error, message):
    with pytest.raises(error, match=message):
        average_precision(scores, hits, n)


# ---------------------------------------------------------------- mean average precision

def test_mean_average_precision_by_hand():
    true_boxes = [np.array([[0, 0, 10, 10], [20, 20, 30, 30]], float), np.array([[0, 0, 10, 10]], float)]
    true_labels = [np.array([0, 1]), np.array([0])]
    pred_boxes = [
        np.array([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30], [40, 40, 45, 45]], float),
        np.array([[0, 0, 10, 10]], float),
    ]
    pred_labels = [np.array([0, 0, 1, 1]), np.array([1])]
    pred_scores = [np.array([0.9, 0.8, 0.7, 0.95]), np.array([0.6])]
    result = mean_average_precision(pred_boxes, pred_labels, pred_scores, true_boxes, true_labels, n_classes=3)
    # class 0: TP (0.9), duplicate FP (0.8); image 1's object never found -> AP = 0.5
    # class 1: FP (0.95), TP (0.7), FP (0.6, wrong image) -> precision 1/2 at recall 1 -> AP = 0.5
    np.testing.assert_allclose(result.ap[:2], [0.5, 0.5])
    assert np.isnan(result.ap[2])  # no ground truth for class 2
    assert result.mean_ap == pytest.approx(0.5)
    np.testing.assert_array_equal(result.n_positives, [2, 1, 0])
    np.testing.assert_array_equal(result.is_true_positive[0], [True, False])
    assert average_precision(result.scores[1], result.is_true_positive[1], 1) == pytest.approx(result.ap[1])


def test_mean_average_precision_matches_each_object_once_and_accepts_empty_images():
    one = [np.array([[0, 0, 10, 10]], float)]
    result = mean_average_precision([np.array([[0, 0, 10, 10]] * 2, float)], [np.array([0, 0])], [np.array([0.9, 0.8])],
                                    one, [np.array([0])], n_classes=1)
    np.testing.assert_array_equal(result.is_true_positive[0], [True, False])
    empty = mean_average_precision([[], []], [[], []], [[], []], one + [[]], [np.array([0]), []], n_classes=1)
    assert empty.mean_ap == 0.0


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        (([], [], [], [], []), {"n_classes": 2}, ValueError, "at least one image"),
        ((np.zeros((1, 4)), [[0]], [[1.0]], [np.zeros((1, 4))], [[0]]), {"n_classes": 2}, TypeError, "one array per image"),
        (([np.zeros((1, 4))], [[0]], [[1.0]], [np.zeros((1, 4))], [[0], [1]]), {"n_classes": 2}, ValueError, "one entry per image"),
        (([[[0, 0, 1, 1]]], [[0]], [[1.0]], [[[0, 0, 1, 1]]], [[2]]), {"n_classes": 2}, ValueError, r"true_labels\[0\] must lie in 0..1"),
        (([[[1, 0, 0, 1]]], [[0]], [[1.0]], [[[0, 0, 1, 1]]], [[0]]), {"n_classes": 2}, ValueError, "inverted"),
        (([[[0, 0, 1, 1]]], [[0]], [[np.nan]], [[[0, 0, 1, 1]]], [[0]]), {"n_classes": 2}, ValueError, "NaN"),
        (([[[0, 0, 1, 1]]], [[0, 1]], [[1.0]], [[[0, 0, 1, 1]]], [[0]]), {"n_classes": 2}, ValueError, "image 0"),
        (([[[0, 0, 1, 1]]], [[0]], [[1.0]], [[]], [[]]), {"n_classes": 2}, ValueError, "no object at all"),
        (([[[0, 0, 1, 1]]], [[0]], [[1.0]], [[[0, 0, 1, 1]]], [[0]]), {"n_classes": 0}, ValueError, "n_classes"),
        (([[[0, 0, 1, 1]]], [[0]], [[1.0]], [[[0, 0, 1, 1]]], [[0]]), {"n_classes": 1, "iou_threshold": 2}, ValueError, "iou_threshold"),
    ],
)
def test_mean_average_precision_rejects_bad_input(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        mean_average_precision(*args, **kwargs)
