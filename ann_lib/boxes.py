"""Box geometry for localization and detection: IoU and non-maximum suppression (chapter 8).

A box is ``(x_min, y_min, x_max, y_max)``, the last axis of an array of shape ``(..., 4)``,
with ``x_min <= x_max`` and ``y_min <= y_max``. (TensorFlow's ``tf.image`` functions order
the same numbers ``(y_min, x_min, y_max, x_max)``.)
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import as_float_array, finite_result, shape_str

__all__ = ["box_area", "iou", "non_max_suppression"]


def _boxes(value: ArrayLike, name: str) -> np.ndarray:
    """``value`` as a float array of boxes ``(..., 4)``, finite and not inverted."""
    boxes = as_float_array(value, name)
    if boxes.ndim == 0 or boxes.shape[-1] != 4:
        raise ValueError(
            f"{name} must have shape (..., 4), boxes as (x_min, y_min, x_max, y_max); got shape {shape_str(boxes.shape)}"
        )
    if not np.all(np.isfinite(boxes)):
        raise ValueError(f"{name} contains an infinite coordinate; boxes must be finite")
    inverted = (boxes[..., 2] < boxes[..., 0]) | (boxes[..., 3] < boxes[..., 1])
    if inverted.any():
        index = tuple(int(i) for i in np.argwhere(inverted)[0])
        raise ValueError(
            f"{name} holds an inverted box at index {index}: {boxes[index].tolist()}; "
            "expected x_min <= x_max and y_min <= y_max (TensorFlow orders boxes y first)"
        )
    return boxes


@finite_result("boxes")
def box_area(boxes: ArrayLike) -> np.ndarray:
    r"""The area of each box, :math:`(x_{max} - x_{min})(y_{max} - y_{min})`.

    ``boxes : (..., 4)``; returns ``(...)``, in the dtype of ``boxes``. An area too large
    for that dtype (float16 holds at most 65504, so a box of 300 x 300 does not fit) is
    a ``ValueError``.
    """
    b = _boxes(boxes, "boxes")
    return (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])


def iou(a: ArrayLike, b: ArrayLike) -> np.ndarray | float:
    r"""Intersection over union of boxes ``a`` and ``b``, broadcast against each other.

    .. math:: \mathrm{IoU}(A, B) = \frac{|A \cap B|}{|A \cup B|}
              = \frac{|A \cap B|}{|A| + |B| - |A \cap B|}

    ``a : (..., 4)``, ``b : (..., 4)``, shapes broadcastable except the last axis;
    returns the broadcast shape without the last axis (a float for two single boxes).
    Disjoint boxes, and boxes that only touch, give 0; so does a pair whose union has
    no area (two degenerate boxes). Otherwise the result lies in (0, 1], and is 1
    exactly when the boxes are equal.

    Example: ``iou([0, 0, 2, 2], [1, 1, 3, 3])`` is 1 / 7.

    The result has the common dtype of ``a`` and ``b``. No coordinate is too large: float16
    boxes are computed in float64 (their areas overflow float16 at about 256 x 256), and
    boxes whose areas would overflow their dtype are first divided by a power of two, which
    is exact and leaves the ratio unchanged.
    """
    a, b = _boxes(a, "a"), _boxes(b, "b")
    try:
        np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    except ValueError:
        raise ValueError(
            f"a of shape {shape_str(a.shape)} and b of shape {shape_str(b.shape)} do not broadcast (the last axis is the box)"
        ) from None
    dtype = np.result_type(a, b)
    work = np.float64 if dtype == np.float16 else dtype  # float16 areas overflow at about 256 x 256
    a, b = (x.astype(work) if x.dtype == np.float16 else x for x in (a, b))
    a, b = _unoverflowed(a, b)
    width = np.clip(np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0]), 0, None)
    height = np.clip(np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1]), 0, None)
    intersection = width * height
    union = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1]) + (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    union = union - intersection
    result = np.divide(intersection, union, out=np.zeros_like(intersection), where=union > 0).astype(dtype, copy=False)
    return float(result) if result.ndim == 0 else result


def _unoverflowed(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``a`` and ``b`` divided by one power of two if their areas (sums of squares of differences) could overflow.

    Ordinary boxes come back unchanged; dividing by a power of two is exact, and an IoU is a ratio.
    """
    dtype = np.result_type(a, b)
    peak = max((float(np.max(np.abs(x))) for x in (a, b) if x.size), default=0.0)
    if peak <= math.sqrt(np.finfo(dtype).max) / 8:  # differences <= 2 peak, areas + areas <= 8 peak^2
        return a, b
    exponent = math.frexp(peak)[1]  # peak < 2**exponent
    return np.ldexp(a, -exponent), np.ldexp(b, -exponent)


def non_max_suppression(boxes: ArrayLike, scores: ArrayLike, iou_threshold: float = 0.5) -> np.ndarray:
    r"""Greedy non-maximum suppression: the indices of the boxes kept, best score first.

    Go through the boxes from the highest score down; keep a box unless its IoU with a
    box already kept is greater than ``iou_threshold``. Equal scores are taken in index
    order. This is the rule of ``tf.image.non_max_suppression`` (which takes boxes as
    ``(y_min, x_min, y_max, x_max)``).

    ``boxes : (N, 4)``, ``scores : (N,)`` finite, ``0 <= iou_threshold <= 1``;
    returns ``(K,)`` int64 indices into ``boxes``, ``K <= N``, in descending score order.
    """
    boxes = _boxes(boxes, "boxes")
    if boxes.ndim != 2:
        raise ValueError(f"boxes must have shape (N, 4), got {shape_str(boxes.shape)}")
    if boxes.shape[0] == 0:
        raise ValueError("boxes is empty: there is nothing to suppress (got shape (0, 4))")
    scores = as_float_array(scores, "scores")
    if scores.shape != (boxes.shape[0],):
        raise ValueError(f"scores must have shape ({boxes.shape[0]},), one per box, got {shape_str(scores.shape)}")
    if not np.all(np.isfinite(scores)):
        raise ValueError("scores must be finite, got an infinite score")
    if (
        isinstance(iou_threshold, bool)
        or not isinstance(iou_threshold, numbers.Real)
        or not 0 <= iou_threshold <= 1
    ):
        raise ValueError(f"iou_threshold must be a number in [0, 1], got {iou_threshold!r}")
    order = np.argsort(-scores, kind="stable")
    overlaps = iou(boxes[:, None, :], boxes[None, :, :])
    kept: list[int] = []
    suppressed = np.zeros(len(order), dtype=bool)
    for index in order:
        if suppressed[index]:
            continue
        kept.append(int(index))
        suppressed |= overlaps[index] > iou_threshold
    return np.array(kept, dtype=np.int64)
