r"""Ranking metrics for recommendations: precision@k and NDCG@k (chapter 12).

A recommender ranks the items for each user by a score. Both metrics take

- ``y_true : (n_users, n_items)``, how relevant each item is to each user (the
  truth), and
- ``y_score : (n_users, n_items)``, the scores the recommender gave (higher is
  ranked first),

look at the ``k`` items ranked first for each user, and average over users.

Ties in ``y_score`` are handled as scikit-learn's ``ndcg_score`` handles them
(its default, ``ignore_ties=False``): the tied items share their positions, and
each gets the average over those positions, which is the expected value over
every order of the tied items. :func:`ndcg_at_k` equals
``sklearn.metrics.ndcg_score(y_true, y_score, k=k)``; :func:`precision_at_k`
uses the same ranking.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import as_array, as_float_array, positive_int, scaled_down, shape_str

__all__ = ["ndcg_at_k", "precision_at_k"]


def _check(y_true: ArrayLike, y_score: ArrayLike, k: object) -> tuple[np.ndarray, np.ndarray, int]:
    truth = as_array(y_true, "y_true")
    if truth.dtype.kind == "b":  # relevant or not, e.g. ratings >= 4
        truth = truth.astype(np.float64)
    truth = as_float_array(truth, "y_true")
    score = as_float_array(y_score, "y_score")
    for name, array in (("y_true", truth), ("y_score", score)):
        if array.ndim != 2:
            raise ValueError(
                f"{name} must be a 2-D array (n_users, n_items), got shape {shape_str(array.shape)}; "
                "for one user, pass x.reshape(1, -1)"
            )
        if array.size == 0:
            raise ValueError(f"{name} is empty (shape {shape_str(array.shape)}): there is nothing to rank")
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} must be finite, got {int(np.sum(~np.isfinite(array)))} inf values")
    if truth.shape != score.shape:
        raise ValueError(
            f"y_true has shape {shape_str(truth.shape)} but y_score has shape {shape_str(score.shape)}; "
            "they need one entry per (user, item)"
        )
    if np.any(truth < 0):
        raise ValueError(f"y_true must be non-negative relevances, got a minimum of {truth.min():g}")
    k = positive_int(k, "k")
    if k > truth.shape[1]:
        raise ValueError(f"k must be at most n_items = {truth.shape[1]}, got {k}")
    return truth, score, k


def _tie_averaged_at_k(relevance: np.ndarray, score: np.ndarray, weights: np.ndarray) -> float:
    r"""``sum_i w_i rel_(i)`` over the ranking of one user, tied items averaged.

    ``weights`` holds the weight of each position (zero past ``k``). A group of
    tied items occupying positions ``a..b`` contributes
    ``mean(rel over the group) * sum(weights[a..b])``.
    """
    _, group, counts = np.unique(-score, return_inverse=True, return_counts=True)  # best score first
    mean_relevance = np.bincount(group.ravel(), weights=relevance, minlength=len(counts)) / counts
    cumulative = np.concatenate([[0.0], np.cumsum(weights)])
    ends = np.cumsum(counts)
    return float(np.sum(mean_relevance * (cumulative[ends] - cumulative[ends - counts])))


def precision_at_k(y_true: ArrayLike, y_score: ArrayLike, k: int) -> float:
    r"""The fraction of relevant items among each user's top ``k``, averaged over users.

    .. math::

        P@k = \frac{1}{U} \sum_{u=1}^{U} \frac{1}{k} \sum_{j=1}^{k} \mathrm{rel}_u\big(\pi_u(j)\big)

    where :math:`\pi_u(j)` is the item user :math:`u`'s scores rank :math:`j`-th.

    Parameters
    ----------
    y_true : (n_users, n_items)
        Binary relevance: 1 (or True) for an item the user likes, 0 otherwise. Any positive
        value counts as relevant, so graded relevance (0, 1, 2, ...) can be passed
        as it is; to count only some grades, threshold first, e.g. ``ratings >= 4``.
    y_score : (n_users, n_items)
        The recommender's scores; ties count as the expected precision over the
        orders of the tied items.
    k : int, 1 <= k <= n_items

    Returns
    -------
    float in [0, 1]
    """
    truth, score, k = _check(y_true, y_score, k)
    truth = (truth > 0).astype(np.float64)  # relevant or not
    weights = np.zeros(truth.shape[1])
    weights[:k] = 1.0 / k
    return float(np.mean([_tie_averaged_at_k(t, s, weights) for t, s in zip(truth, score)]))


def ndcg_at_k(y_true: ArrayLike, y_score: ArrayLike, k: int) -> float:
    r"""Normalized discounted cumulative gain of each user's top ``k``, averaged over users.

    .. math::

        \mathrm{DCG}_u@k = \sum_{j=1}^{k} \frac{\mathrm{rel}_u(\pi_u(j))}{\log_2(j + 1)}, \qquad
        \mathrm{NDCG}@k = \frac{1}{U} \sum_{u=1}^{U} \frac{\mathrm{DCG}_u@k}{\mathrm{IDCG}_u@k}

    :math:`\mathrm{IDCG}_u@k` is the DCG of the best possible order (items sorted
    by their true relevance). A user with no relevant item scores 0. This is
    scikit-learn's ``ndcg_score(y_true, y_score, k=k)``: linear gain, base-2
    logarithm, tied scores averaged.

    Parameters
    ----------
    y_true : (n_users, n_items)
        Graded relevance, non-negative (e.g. the true ratings, or 0/1, or booleans).
        The score does not depend on the scale of the gains, so gains as large as
        1e308 are divided by a power of two first (exactly) rather than overflow.
    y_score : (n_users, n_items)
        The recommender's scores.
    k : int, 1 <= k <= n_items

    Returns
    -------
    float in [0, 1]
    """
    truth, score, k = _check(y_true, y_score, k)
    (truth,) = scaled_down(truth.astype(np.float64, copy=False))  # NDCG is a ratio of gains
    discount = 1.0 / np.log2(np.arange(truth.shape[1]) + 2.0)
    discount[k:] = 0.0
    values = []
    for t, s in zip(truth, score):
        ideal = float(np.sum(np.sort(t)[::-1] * discount))
        values.append(_tie_averaged_at_k(t, s, discount) / ideal if ideal > 0 else 0.0)
    return float(np.mean(values))
