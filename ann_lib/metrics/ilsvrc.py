"""The scores of the ImageNet challenge (ILSVRC): top-k error, localization error, average precision.

Chapter 8. Classification (CLS) counts an image as correct when the true label is among
the ``k`` best-scored classes; localization (LOC) also asks for a box that overlaps a true
box with an IoU of at least 0.5; detection (DET) ranks all detections of a class and
summarizes the precision-recall curve as average precision (AP), averaged over classes (mAP).
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import as_float_array, integral_floats, positive_int, shape_str
from ann_lib.boxes import _boxes, iou

__all__ = [
    "DetectionResult",
    "LocalizationResult",
    "average_precision",
    "localization_error",
    "mean_average_precision",
    "top_k_error",
]

OUTCOMES = ("correct", "bad localization", "bad classification")


def _array(value: object, name: str) -> np.ndarray:
    """``np.asarray(value)``, with a ``TypeError`` naming ``name`` for ragged or unconvertible input."""
    if value is None:
        raise TypeError(f"{name} must be an array, got None")
    try:
        return np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a rectangular array; could not convert it: {error}") from None


def _integer_labels(value: ArrayLike, name: str, ndim: int) -> np.ndarray:
    array = _array(value, name)
    if array.dtype.kind == "f" and np.all(np.isfinite(array)) and np.all(array == np.round(array)):
        array = integral_floats(array, name)
    if array.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer class labels, got dtype {array.dtype}")
    if array.ndim != ndim:
        expected = "(N,)" if ndim == 1 else "(N, K)"
        raise ValueError(f"{name} must have shape {expected}, got {shape_str(array.shape)}")
    if array.size and array.min() < 0:
        raise ValueError(f"{name} must hold labels >= 0, got {array.min()}")
    return array.astype(np.int64)


def _threshold(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value <= 1:
        raise ValueError(f"{name} must be a number in (0, 1], got {value!r}")
    return float(value)


def top_k_error(scores: ArrayLike, labels: ArrayLike, k: int = 5) -> float:
    r"""The fraction of samples whose true label is not among the ``k`` best-scored classes.

    .. math:: \text{top-}k\text{ error} = \frac{1}{N} \sum_{n=1}^{N}
              \Big[\, \big|\{c : s_{nc} > s_{n y_n}\}\big| \ge k \,\Big]

    Ties are broken the way ``tf.math.in_top_k`` breaks them: a label counts as in the
    top ``k`` when fewer than ``k`` classes score *strictly* higher, so classes tied with
    it at the boundary all count as guesses.

    ``scores : (N, C)`` finite, ``labels : (N,)`` integers in ``0 .. C-1``, ``1 <= k <= C``.
    """
    scores = as_float_array(scores, "scores")
    if scores.ndim != 2 or scores.shape[0] == 0 or scores.shape[1] == 0:
        raise ValueError(f"scores must have shape (N, C) with N, C >= 1, got {shape_str(scores.shape)}")
    if not np.all(np.isfinite(scores)):
        raise ValueError("scores must be finite, got an infinite score")
    labels = _integer_labels(labels, "labels", 1)
    if labels.shape != (scores.shape[0],):
        raise ValueError(f"labels must have shape ({scores.shape[0]},), one per row of scores, got {shape_str(labels.shape)}")
    if labels.max() >= scores.shape[1]:
        raise ValueError(f"labels must lie in 0..{scores.shape[1] - 1} (scores has {scores.shape[1]} classes), got {labels.max()}")
    k = positive_int(k, "k")
    if k > scores.shape[1]:
        raise ValueError(f"k must be at most the number of classes, {scores.shape[1]}, got k={k}")
    true_scores = scores[np.arange(len(labels)), labels]
    higher = np.sum(scores > true_scores[:, None], axis=1)
    return float(np.mean(higher >= k))


class LocalizationResult(NamedTuple):
    """``error``: the ILSVRC localization error; ``outcomes : (N,)``: one of :data:`OUTCOMES` per image."""

    error: float
    outcomes: np.ndarray


def localization_error(
    top5_labels: ArrayLike,
    top5_boxes: ArrayLike,
    true_label: ArrayLike,
    true_boxes: ArrayLike,
    iou_threshold: float = 0.5,
) -> LocalizationResult:
    r"""The ILSVRC classification-with-localization error, and each image's outcome.

    An image is ``"correct"`` when one of its guesses :math:`j` has the true class and a
    box that overlaps one of the image's true boxes with IoU at least the threshold:

    .. math:: e_n = \min_j \Big( [c_{nj} \ne y_n] \;\text{or}\;
              \big[\max_m \mathrm{IoU}(b_{nj}, B_{nm}) < 0.5\big] \Big)

    and the error is the mean of :math:`e_n`. A wrong image is ``"bad localization"`` when
    the true class is among its guesses (but no such guess has a good box), otherwise
    ``"bad classification"``.

    ``top5_labels : (N, K)`` integers, ``top5_boxes : (N, K, 4)``, ``true_label : (N,)``,
    ``true_boxes : (N, 4)`` (one box per image) or ``(N, M, 4)`` (``M`` boxes of the true
    class per image). ``K`` is 5 in the challenge, but any ``K >= 1`` works.
    """
    guesses = _integer_labels(top5_labels, "top5_labels", 2)
    n, k = guesses.shape
    if n == 0 or k == 0:
        raise ValueError(f"top5_labels must have shape (N, K) with N, K >= 1, got {shape_str(guesses.shape)}")
    boxes = _boxes(top5_boxes, "top5_boxes")
    if boxes.shape != (n, k, 4):
        raise ValueError(f"top5_boxes must have shape ({n}, {k}, 4), a box per guess in top5_labels {shape_str(guesses.shape)}, "
                         f"got {shape_str(boxes.shape)}")
    truth = _integer_labels(true_label, "true_label", 1)
    if truth.shape != (n,):
        raise ValueError(f"true_label must have shape ({n},), one per row of top5_labels, got {shape_str(truth.shape)}")
    true_boxes = _boxes(true_boxes, "true_boxes")
    if true_boxes.ndim == 2:
        true_boxes = true_boxes[:, None, :]
    if true_boxes.ndim != 3 or true_boxes.shape[0] != n or true_boxes.shape[1] == 0:
        raise ValueError(f"true_boxes must have shape ({n}, 4) or ({n}, M, 4) with M >= 1, got {shape_str(true_boxes.shape)}")
    threshold = _threshold(iou_threshold, "iou_threshold")
    overlaps = iou(boxes[:, :, None, :], true_boxes[:, None, :, :]).max(axis=2)  # (N, K)
    right_class = guesses == truth[:, None]
    correct = np.any(right_class & (overlaps >= threshold), axis=1)
    outcomes = np.where(correct, OUTCOMES[0], np.where(right_class.any(axis=1), OUTCOMES[1], OUTCOMES[2]))
    return LocalizationResult(float(np.mean(~correct)), outcomes)


def _check_ranking(scores: ArrayLike, is_true_positive: ArrayLike, n_positives: object) -> tuple:
    scores = as_float_array(scores, "scores")
    if scores.ndim != 1 or scores.size == 0:
        raise ValueError(f"scores must have shape (D,) with D >= 1 detections, got {shape_str(scores.shape)}")
    if not np.all(np.isfinite(scores)):
        raise ValueError("scores must be finite, got an infinite score")
    hits = _array(is_true_positive, "is_true_positive")
    if hits.dtype.kind not in "biu" or (hits.size and not np.all((hits == 0) | (hits == 1))):
        raise TypeError(f"is_true_positive must hold booleans (or 0/1), got dtype {hits.dtype}")
    if hits.shape != scores.shape:
        raise ValueError(f"is_true_positive must have shape {shape_str(scores.shape)} like scores, got {shape_str(hits.shape)}")
    n_positives = positive_int(n_positives, "n_positives")
    if hits.sum() > n_positives:
        raise ValueError(f"is_true_positive marks {int(hits.sum())} true positives, more than n_positives={n_positives}")
    return scores, hits.astype(bool), n_positives


def _precision_recall(scores: np.ndarray, hits: np.ndarray, n_positives: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(-scores, kind="stable")
    true_positives = np.cumsum(hits[order])
    precision = true_positives / np.arange(1, len(order) + 1)
    return precision, true_positives / n_positives


def _average_precision(precision: np.ndarray, recall: np.ndarray) -> float:
    if precision.size == 0:
        return 0.0
    envelope = np.maximum.accumulate(precision[::-1])[::-1]  # best precision at this recall or beyond
    steps = np.diff(recall, prepend=0.0)
    return float(np.sum(steps * envelope))


def average_precision(scores: ArrayLike, is_true_positive: ArrayLike, n_positives: int) -> float:
    r"""Average precision of a ranked list of detections (PASCAL VOC's all-points rule).

    Sort the detections by score, highest first (equal scores keep their input order).
    After the :math:`i`-th detection, precision is :math:`P_i = TP_i / i` and recall
    :math:`R_i = TP_i / n_{pos}`. Replace each precision by the best precision at that
    recall or beyond, :math:`\hat P_i = \max_{j \ge i} P_j`, and sum the area under
    this envelope over the recall steps:

    .. math:: \mathrm{AP} = \sum_i (R_i - R_{i-1})\, \hat P_i , \qquad R_0 = 0 .

    Ground truths never detected keep recall below 1, so they lower AP.

    ``scores : (D,)`` finite, ``is_true_positive : (D,)`` booleans (from matching
    detections to ground truth, each ground truth matched at most once),
    ``n_positives``: the number of ground-truth objects, at least the number of hits.
    """
    scores, hits, n_positives = _check_ranking(scores, is_true_positive, n_positives)
    return _average_precision(*_precision_recall(scores, hits, n_positives))


class DetectionResult(NamedTuple):
    """The outcome of :func:`mean_average_precision`.

    ``mean_ap``: the mean over classes with ground truth; ``ap : (C,)``: each class's AP
    (NaN for a class without ground truth); ``scores``, ``is_true_positive``: per class, the
    detections' scores and whether each matched (the input of :func:`average_precision`);
    ``n_positives : (C,)``: the number of ground-truth objects per class.
    """

    mean_ap: float
    ap: np.ndarray
    scores: list[np.ndarray]
    is_true_positive: list[np.ndarray]
    n_positives: np.ndarray


def _per_image(value: object, name: str, n_images: int | None) -> list:
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list with one array per image, got {type(value).__name__}")
    if n_images is not None and len(value) != n_images:
        raise ValueError(f"{name} must have one entry per image, {n_images}, got {len(value)}")
    return list(value)


def _maybe_no_boxes(value: ArrayLike) -> ArrayLike:
    """An empty list or array of boxes as shape (0, 4); anything else unchanged."""
    return np.zeros((0, 4)) if isinstance(value, (list, tuple, np.ndarray)) and np.size(value) == 0 else value


def mean_average_precision(
    pred_boxes: list,
    pred_labels: list,
    pred_scores: list,
    true_boxes: list,
    true_labels: list,
    n_classes: int,
    iou_threshold: float = 0.5,
) -> DetectionResult:
    r"""Mean average precision (mAP) of a detector over a set of images, at an IoU threshold.

    For each class, all detections of that class over all images are taken in descending
    score order; each is matched to the not yet matched ground-truth box of its class
    in its image with which it has the highest IoU; it is a true positive when that IoU
    is at least the threshold (0.5: "mAP@0.5"), otherwise a false positive. Duplicates
    of a detected object are false positives. Then

    .. math:: \mathrm{mAP} = \frac{1}{|\mathcal C|} \sum_{c \in \mathcal C} \mathrm{AP}_c ,

    with :math:`\mathcal C` the classes that have ground truth and AP as in
    :func:`average_precision` (a class with ground truth but no detection has AP 0).

    Every argument is a list with one entry per image ``i``: ``pred_boxes[i] : (D_i, 4)``,
    ``pred_labels[i] : (D_i,)``, ``pred_scores[i] : (D_i,)``, ``true_boxes[i] : (M_i, 4)``,
    ``true_labels[i] : (M_i,)``; labels in ``0 .. n_classes-1``.
    """
    pred_boxes = _per_image(pred_boxes, "pred_boxes", None)
    n_images = len(pred_boxes)
    if n_images == 0:
        raise ValueError("pred_boxes is empty: mAP needs at least one image")
    pred_labels, pred_scores, true_boxes, true_labels = (
        _per_image(value, name, n_images)
        for value, name in (
            (pred_labels, "pred_labels"), (pred_scores, "pred_scores"),
            (true_boxes, "true_boxes"), (true_labels, "true_labels"),
        )
    )
    n_classes = positive_int(n_classes, "n_classes")
    threshold = _threshold(iou_threshold, "iou_threshold")
    images = []
    for i in range(n_images):
        boxes = _boxes(_maybe_no_boxes(pred_boxes[i]), f"pred_boxes[{i}]")
        labels = _integer_labels(pred_labels[i], f"pred_labels[{i}]", 1)
        scores = as_float_array(pred_scores[i], f"pred_scores[{i}]")
        gt_boxes = _boxes(_maybe_no_boxes(true_boxes[i]), f"true_boxes[{i}]")
        gt_labels = _integer_labels(true_labels[i], f"true_labels[{i}]", 1)
        d, m = len(labels), len(gt_labels)
        if boxes.shape != (d, 4) or scores.shape != (d,):
            raise ValueError(f"image {i}: pred_boxes[{i}] must be ({d}, 4) and pred_scores[{i}] ({d},) for the {d} "
                             f"pred_labels[{i}], got {shape_str(boxes.shape)} and {shape_str(scores.shape)}")
        if gt_boxes.shape != (m, 4):
            raise ValueError(f"image {i}: true_boxes[{i}] must be ({m}, 4) for the {m} true_labels[{i}], "
                             f"got {shape_str(gt_boxes.shape)}")
        if not np.all(np.isfinite(scores)):
            raise ValueError(f"pred_scores[{i}] must be finite")
        for name, values in ((f"pred_labels[{i}]", labels), (f"true_labels[{i}]", gt_labels)):
            if values.size and values.max() >= n_classes:
                raise ValueError(f"{name} must lie in 0..{n_classes - 1}, got {values.max()}")
        images.append((boxes, labels, scores, gt_boxes, gt_labels))

    ap = np.full(n_classes, np.nan)
    class_scores, class_hits = [], []
    n_positives = np.zeros(n_classes, dtype=np.int64)
    for c in range(n_classes):
        detections = [(s, i, j) for i, (_, labels, scores, _, _) in enumerate(images)
                      for j, s in enumerate(scores) if labels[j] == c]
        detections.sort(key=lambda item: -item[0])  # stable: equal scores keep image order
        taken = [np.zeros(int(np.sum(gt_labels == c)), dtype=bool) for *_, gt_labels in images]
        n_positives[c] = sum(len(t) for t in taken)
        hits = np.zeros(len(detections), dtype=bool)
        for d, (_, i, j) in enumerate(detections):
            boxes, _, _, gt_boxes, gt_labels = images[i]
            candidates = gt_boxes[gt_labels == c]
            if len(candidates) == 0:
                continue
            overlaps = np.where(taken[i], -1.0, iou(boxes[j], candidates))
            best = int(np.argmax(overlaps))
            if overlaps[best] >= threshold:
                taken[i][best] = hits[d] = True
        scores = np.array([s for s, _, _ in detections], dtype=float)
        class_scores.append(scores)
        class_hits.append(hits)
        if n_positives[c] > 0:
            ap[c] = _average_precision(*_precision_recall(scores, hits, int(n_positives[c])))
    if not np.any(n_positives):
        raise ValueError("true_labels holds no object at all: mAP is undefined without ground truth")
    return DetectionResult(float(np.nanmean(ap)), ap, class_scores, class_hits, n_positives)
