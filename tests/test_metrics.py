"""ann_lib.metrics: accuracy and the confusion matrix."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ann_lib.metrics import accuracy, confusion_matrix


def test_accuracy():
    assert accuracy([0, 1, 1, 0], [0, 1, 0, 0]) == 0.75
    assert accuracy(np.array([2, 0]), np.array([[0.1, 0.2, 0.7], [0.9, 0.05, 0.05]])) == 1.0
    assert accuracy([1, 0], np.array([[1], [1]])) == 0.5
    assert accuracy([1, 0], [1.0, 0.0]) == 1.0


@given(labels=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=40))
def test_confusion_matrix_counts(labels):
    y_true, y_pred = np.array(labels).T
    matrix = confusion_matrix(y_true, y_pred, 4)
    assert matrix.sum() == len(labels)
    assert matrix.trace() / len(labels) == pytest.approx(accuracy(y_true, y_pred))
    np.testing.assert_array_equal(matrix.sum(axis=1), np.bincount(y_true, minlength=4))
    for i, j in labels:
        assert matrix[i, j] >= 1


def test_confusion_matrix_rows_are_true_classes():
    matrix = confusion_matrix([0, 0, 1, 2], [0, 1, 1, 1], 3)
    np.testing.assert_array_equal(matrix, [[1, 1, 0], [0, 1, 0], [0, 1, 0]])


def test_bad_input():
    with pytest.raises(ValueError, match=r"y_true has shape \(3,\) but y_pred has shape \(2,\)"):
        accuracy([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="threshold"):
        accuracy([0, 1], [0.2, 0.7])
    with pytest.raises(ValueError, match=r"0\.\.1"):
        confusion_matrix([0, 2], [0, 1], 2)
    with pytest.raises(ValueError, match="n_classes"):
        confusion_matrix([0], [0], 0)
    with pytest.raises(ValueError, match="empty"):
        accuracy([], [])
    with pytest.raises(TypeError):
        accuracy(["a"], ["a"])
