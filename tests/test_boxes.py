"""Box geometry (chapter 8): IoU and non-maximum suppression, by hand and by property."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ann_lib.boxes import box_area, iou, non_max_suppression


def box_strategy(max_side=20.0):
    """A box (x_min, y_min, x_max, y_max) with sides in [0, max_side], on a 0.25 grid."""
    corner = st.integers(0, 160).map(lambda v: v / 4)
    side = st.integers(0, int(4 * max_side)).map(lambda v: v / 4)
    return st.tuples(corner, corner, side, side).map(lambda t: np.array([t[0], t[1], t[0] + t[2], t[1] + t[3]]))


def proper_box_strategy():
    """A box with both sides > 0."""
    return box_strategy().filter(lambda b: b[2] > b[0] and b[3] > b[1])


def test_iou_by_hand():
    assert iou([0, 0, 2, 2], [1, 1, 3, 3]) == pytest.approx(1 / 7)
    assert iou([0, 0, 2, 2], [0, 0, 2, 1]) == pytest.approx(0.5)
    assert iou([0, 0, 1, 1], [2, 2, 3, 3]) == 0.0  # disjoint
    assert iou([0, 0, 1, 1], [1, 0, 2, 1]) == 0.0  # touching along an edge
    assert iou([0, 0, 4, 4], [1, 1, 2, 2]) == pytest.approx(1 / 16)  # nested


def test_iou_broadcasts():
    boxes = np.array([[0, 0, 2, 2], [1, 1, 3, 3], [5, 5, 6, 6]], dtype=float)
    matrix = iou(boxes[:, None, :], boxes[None, :, :])
    assert matrix.shape == (3, 3)
    np.testing.assert_allclose(np.diag(matrix), 1.0)
    assert matrix[0, 1] == pytest.approx(1 / 7) and matrix[0, 2] == 0.0
    assert iou(boxes, boxes[0]).shape == (3,)


@given(proper_box_strategy(), proper_box_strategy())
def test_iou_is_symmetric_and_in_range(a, b):
    forward, backward = iou(a, b), iou(b, a)
    assert forward == backward
    assert 0.0 <= forward <= 1.0


@given(proper_box_strategy())
def test_iou_of_a_box_with_itself_is_one(a):
    assert iou(a, a) == 1.0


@given(proper_box_strategy(), proper_box_strategy())
def test_iou_is_one_only_for_equal_boxes(a, b):
    if not np.array_equal(a, b):
        assert iou(a, b) < 1.0


@given(box_strategy(), box_strategy())
def test_iou_agrees_with_pixel_counting(a, b):
    """On a grid of quarter pixels, |A ∩ B| / |A ∪ B| by counting cells."""
    grid = np.arange(0, 70, 0.25) + 0.125
    def cells(box):
        inside_x = (grid >= box[0]) & (grid < box[2])
        inside_y = (grid >= box[1]) & (grid < box[3])
        return inside_y[:, None] & inside_x[None, :]
    ca, cb = cells(a), cells(b)
    union = (ca | cb).sum()
    expected = (ca & cb).sum() / union if union else 0.0
    assert iou(a, b) == pytest.approx(expected)


def test_box_area():
    np.testing.assert_allclose(box_area([[0, 0, 2, 3], [1, 1, 1, 5]]), [6.0, 0.0])


@pytest.mark.parametrize(
    "bad, message",
    [
        ([2, 0, 1, 1], "inverted box"),
        ([0, 2, 1, 1], "inverted box"),
        ([0, 0, np.nan, 1], "NaN"),
        ([0, 0, np.inf, 1], "infinite"),
        ([0, 0, 1], r"\(\.\.\., 4\)"),
        (3.0, r"\(\.\.\., 4\)"),
    ],
)
def test_iou_rejects_bad_boxes(bad, message):
    with pytest.raises(ValueError, match=message):
        iou(bad, [0, 0, 1, 1])
    with pytest.raises(ValueError, match=message):
        iou([0, 0, 1, 1], bad)


def test_iou_rejects_shapes_that_do_not_broadcast_and_wrong_types():
    with pytest.raises(ValueError, match="do not broadcast"):
        iou(np.zeros((3, 4)), np.zeros((2, 4)))
    with pytest.raises(TypeError, match="a must hold real numbers"):
        iou(["0", "0", "1", "1"], [0, 0, 1, 1])


def test_nms_by_hand():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [0, 0, 10, 9]], dtype=float)
    scores = np.array([0.9, 0.8, 0.7, 0.95])
    # box 3 is best; box 0 overlaps it with IoU 0.9 and box 1 with IoU 72/118 ~ 0.61: both suppressed
    np.testing.assert_array_equal(non_max_suppression(boxes, scores, 0.5), [3, 2])
    # at threshold 0.8 box 1 (IoU 0.61 with box 3) survives, box 0 (0.9) does not
    np.testing.assert_array_equal(non_max_suppression(boxes, scores, 0.8), [3, 1, 2])
    # equal scores are taken in index order
    np.testing.assert_array_equal(non_max_suppression(boxes[:2], [0.5, 0.5], 0.5), [0])


@given(arrays(np.float64, 3, elements=st.floats(0, 1)), st.floats(0.0, 1.0))
def test_nms_keeps_the_best_box_and_orders_by_score(scores, threshold):
    boxes = np.array([[0, 0, 4, 4], [1, 0, 5, 4], [3, 3, 8, 8]], dtype=float)
    kept = non_max_suppression(boxes, scores, threshold)
    assert kept[0] == np.argmax(scores)
    assert np.all(np.diff(scores[kept]) <= 0)
    # no two kept boxes overlap by more than the threshold
    for i in kept:
        for j in kept:
            if i != j:
                assert iou(boxes[i], boxes[j]) <= threshold


@pytest.mark.parametrize(
    "boxes, scores, threshold, error, message",
    [
        (np.zeros((2, 4)), [1.0], 0.5, ValueError, r"scores must have shape \(2,\)"),
        (np.zeros((0, 4)), np.zeros(0), 0.5, ValueError, "empty"),
        (np.zeros(4), [1.0], 0.5, ValueError, r"\(N, 4\)"),
        ([[0, 0, 1, 1]], [np.nan], 0.5, ValueError, "NaN"),
        ([[0, 0, 1, 1]], [np.inf], 0.5, ValueError, "finite"),
        ([[1, 0, 0, 1]], [1.0], 0.5, ValueError, "inverted"),
        ([[0, 0, 1, 1]], [1.0], 1.5, ValueError, "iou_threshold"),
        ([[0, 0, 1, 1]], [1.0], True, ValueError, "iou_threshold"),
        ([[0, 0, 1, 1]], [1.0], "0.5", ValueError, "iou_threshold"),
    ],
)
def test_nms_rejects_bad_input(boxes, scores, threshold, error, message):
    with pytest.raises(error, match=message):
        non_max_suppression(boxes, scores, threshold)
