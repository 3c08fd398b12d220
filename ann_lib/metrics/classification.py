"""Classification metrics: accuracy and the confusion matrix (``ann_lib.metrics``).

Chapter 4 onwards. Labels are integers ``0 .. K-1``. Where a prediction is given
as scores, one row per sample ``(N, K)`` with ``K > 1``, the predicted label is
the row's argmax.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import as_float_array, integral_floats, positive_int
from ann_lib._validation import shape_str as _shape

__all__ = ["accuracy", "confusion_matrix"]


def _labels(values: ArrayLike, name: str) -> np.ndarray:
    """Integer labels ``(N,)`` from labels or from finite scores ``(N, K)`` (their argmax)."""
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be labels (N,) or scores (N, K); could not convert it: {error}") from None
    if array.dtype.kind == "b":
        array = array.astype(np.int64)
    if array.dtype.kind not in "fiu":
        raise TypeError(f"{name} must hold integer labels or real scores, got dtype {array.dtype}")
    if array.dtype.kind == "f":
        as_float_array(array, name, finite=True)  # a NaN score must not win the argmax
    if array.ndim == 2 and array.shape[1] > 1:
        array = array.argmax(axis=1)
    elif array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(f"{name} must be labels (N,) or scores (N, K), got shape {_shape(array.shape)}")
    if array.dtype.kind == "f":
        array = integral_floats(array, name)
    return array


def accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    r"""The fraction of samples whose predicted label is the true one.

    .. math:: \text{accuracy} = \frac{1}{N} \sum_{n=1}^{N} [\hat y_n = y_n]

    ``y_true : (N,)``; ``y_pred : (N,)`` labels or ``(N, K)`` scores.
    """
    t, p = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(f"y_true has shape {_shape(t.shape)} but y_pred has shape {_shape(p.shape)}")
    if t.size == 0:
        raise ValueError("y_true and y_pred are empty: the accuracy of an empty set is undefined")
    return float(np.mean(t == p))


def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, n_classes: int) -> np.ndarray:
    r"""Counts :math:`C_{ij}` of samples of true class :math:`i` predicted as class :math:`j`.

    Rows are true classes, columns predicted ones (as in scikit-learn); the
    diagonal holds the correct predictions. Returns ``(n_classes, n_classes)`` int64.
    """
    positive_int(n_classes, "n_classes")
    t, p = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(f"y_true has shape {_shape(t.shape)} but y_pred has shape {_shape(p.shape)}")
    for name, labels in (("y_true", t), ("y_pred", p)):
        if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(
                f"{name} must lie in 0..{n_classes - 1}, got values from {labels.min()} to {labels.max()}"
            )
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (t, p), 1)
    return matrix
