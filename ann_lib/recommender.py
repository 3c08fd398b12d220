r"""A recommender by matrix factorization, trained by alternating least squares (chapter 12).

The model predicts user :math:`u`'s rating of item :math:`i` as

.. math:: \hat r_{ui} = \mu + b_u + b_i + \mathbf{p}_u \cdot \mathbf{q}_i ,

with a global mean :math:`\mu`, a bias per user and per item, and a vector of
:math:`F` latent factors per user (:math:`\mathbf{p}_u`) and per item
(:math:`\mathbf{q}_i`). Training minimizes the squared error on the observed
ratings :math:`\Omega` plus an L2 penalty:

.. math::

    J = \sum_{(u,i) \in \Omega} (r_{ui} - \hat r_{ui})^2
        + \lambda \Big( \sum_u \lVert \mathbf{p}_u \rVert^2 + b_u^2 + \sum_i \lVert \mathbf{q}_i \rVert^2 + b_i^2 \Big).

With the item side fixed, :math:`J` is a quadratic in each user's
:math:`(\mathbf{p}_u, b_u)`, and its minimum is a small linear system, the
ridge regression of the user's ratings on the item vectors; the same holds the
other way round. Alternating the two exact steps never increases :math:`J`
(alternating least squares). :class:`MeanBaseline` gives the baselines a
recommender must beat: one global mean, or one mean per item.
"""

from __future__ import annotations

import numbers
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import as_float_array, check_rng, finite_result, positive_int, shape_str, too_large

__all__ = ["MatrixFactorization", "MeanBaseline", "rmse", "top_n"]


def _indices(values: ArrayLike, name: str, size: int, size_name: str) -> np.ndarray:
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as error:  # ragged nested lists, for example
        raise TypeError(f"{name} must be a 1-D array of integer indices; could not convert it: {error}") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of indices, got shape {shape_str(array.shape)}")
    if array.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer indices, got dtype {array.dtype}")
    if array.size and (array.min() < 0 or array.max() >= size):
        raise ValueError(f"{name} must lie in 0..{size - 1} ({size_name} = {size}), got {array.min()}..{array.max()}")
    return array.astype(np.int64)


def _triples(users: ArrayLike, items: ArrayLike, ratings: ArrayLike | None, n_users: int, n_items: int,
             *, with_ratings: bool = True):
    u = _indices(users, "users", n_users, "n_users")
    i = _indices(items, "items", n_items, "n_items")
    if u.shape != i.shape:
        raise ValueError(f"users has shape {shape_str(u.shape)} but items has shape {shape_str(i.shape)}")
    if not with_ratings:
        return u, i, None
    if ratings is None:
        raise TypeError("ratings must be an array of ratings (M,), one per (user, item) pair, got None")
    r = as_float_array(ratings, "ratings")
    if r.shape != u.shape:
        raise ValueError(f"ratings has shape {shape_str(r.shape)} but users has shape {shape_str(u.shape)}")
    if not np.all(np.isfinite(r)):
        raise ValueError("ratings must be finite")
    if r.size == 0:
        raise ValueError("ratings is empty: there is nothing to fit")
    return u, i, r


def _non_negative(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


@finite_result("y_true", "y_pred")
def rmse(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    r"""Root-mean-square error, :math:`\sqrt{\frac1M \sum_m (y_m - \hat y_m)^2}`. ``(M,)`` and ``(M,)``."""
    t, p = as_float_array(y_true, "y_true"), as_float_array(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(f"y_true has shape {shape_str(t.shape)} but y_pred has shape {shape_str(p.shape)}")
    if t.size == 0:
        raise ValueError("rmse of an empty set is undefined")
    for name, array in (("y_true", t), ("y_pred", p)):
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} must be finite, got {int(np.sum(~np.isfinite(array)))} inf values")
    return float(np.sqrt(np.mean((t - p) ** 2)))


class MeanBaseline:
    r"""Predict the global mean rating, or each item's mean rating.

    ``kind="global"``: :math:`\hat r_{ui} = \mu`. ``kind="item"``:
    :math:`\hat r_{ui} = \bar r_i`, the mean of item :math:`i`'s training
    ratings, and :math:`\mu` for an item nobody rated.
    """

    def __init__(self, n_users: int, n_items: int, kind: str = "item"):
        self.n_users = positive_int(n_users, "n_users")
        self.n_items = positive_int(n_items, "n_items")
        if kind not in ("global", "item"):
            raise ValueError(f"kind must be 'global' or 'item', got {kind!r}")
        self.kind = kind
        self.item_means: np.ndarray | None = None

    def fit(self, users: ArrayLike, items: ArrayLike, ratings: ArrayLike) -> MeanBaseline:
        _, i, r = _triples(users, items, ratings, self.n_users, self.n_items)
        with np.errstate(over="ignore", invalid="ignore"):
            global_mean = float(r.mean())
            counts = np.bincount(i, minlength=self.n_items)
            sums = np.bincount(i, weights=r, minlength=self.n_items)
            means = np.where(counts > 0, sums / np.maximum(counts, 1), global_mean)
        if not (np.isfinite(global_mean) and np.isfinite(means).all()):  # a sum of ratings near 1.7e308
            raise too_large(["ratings"], "MeanBaseline.fit", {"ratings": r})
        self.global_mean = global_mean
        self.item_means = means if self.kind == "item" else np.full(self.n_items, self.global_mean)
        return self

    def predict(self, users: ArrayLike, items: ArrayLike) -> np.ndarray:
        if self.item_means is None:
            raise RuntimeError("call fit(...) before predict(...)")
        _, i, _ = _triples(users, items, None, self.n_users, self.n_items, with_ratings=False)
        return self.item_means[i]

    def scores(self) -> np.ndarray:
        """Predictions for every (user, item), ``(n_users, n_items)``."""
        if self.item_means is None:
            raise RuntimeError("call fit(...) before scores()")
        return np.broadcast_to(self.item_means, (self.n_users, self.n_items)).copy()


class MatrixFactorization:
    r"""Biased matrix factorization :math:`\hat r_{ui} = \mu + b_u + b_i + \mathbf{p}_u \cdot \mathbf{q}_i`.

    Parameters
    ----------
    n_users, n_items : int
    n_factors : int
        :math:`F`, the length of each latent vector.
    reg : float
        :math:`\lambda`, the L2 penalty.
    rng : numpy.random.Generator
        Draws the initial factors from :math:`\mathcal{N}(0, 0.1^2)`.

    Attributes
    ----------
    P : (n_users, F), Q : (n_items, F), user_bias : (n_users,), item_bias : (n_items,), mu : float
    """

    def __init__(self, n_users: int, n_items: int, n_factors: int = 4, *, reg: float = 1.0,
                 rng: np.random.Generator):
        self.n_users = positive_int(n_users, "n_users")
        self.n_items = positive_int(n_items, "n_items")
        self.n_factors = positive_int(n_factors, "n_factors")
        self.reg = _non_negative(reg, "reg")
        check_rng(rng, "rng")
        self.P = rng.normal(0.0, 0.1, (self.n_users, self.n_factors))
        self.Q = rng.normal(0.0, 0.1, (self.n_items, self.n_factors))
        self.user_bias = np.zeros(self.n_users)
        self.item_bias = np.zeros(self.n_items)
        self.mu = 0.0

    def predict(self, users: ArrayLike, items: ArrayLike) -> np.ndarray:
        """:math:`\\hat r_{ui}` for each pair ``(users[m], items[m])``. ``(M,)``."""
        u, i, _ = _triples(users, items, None, self.n_users, self.n_items, with_ratings=False)
        return self.mu + self.user_bias[u] + self.item_bias[i] + np.sum(self.P[u] * self.Q[i], axis=1)

    def scores(self) -> np.ndarray:
        """:math:`\\hat r_{ui}` for every user and item, ``(n_users, n_items)``."""
        return self.mu + self.user_bias[:, None] + self.item_bias[None, :] + self.P @ self.Q.T

    @finite_result("ratings")
    def loss(self, users: ArrayLike, items: ArrayLike, ratings: ArrayLike) -> float:
        """The objective :math:`J`: squared errors on the given ratings plus the L2 penalty."""
        u, i, r = _triples(users, items, ratings, self.n_users, self.n_items)
        return self._objective(u, i, r)

    def _objective(self, u: np.ndarray, i: np.ndarray, r: np.ndarray) -> float:
        errors = r - self.predict(u, i)
        penalty = np.sum(self.P**2) + np.sum(self.Q**2) + np.sum(self.user_bias**2) + np.sum(self.item_bias**2)
        return float(np.sum(errors**2) + self.reg * penalty)

    def _solve(self, rows: np.ndarray, cols: np.ndarray, target: np.ndarray, n_rows: int,
               other: np.ndarray) -> np.ndarray:
        """Ridge regression of each row's targets on ``[other_factors, 1]``: ``(n_rows, F + 1)``."""
        width = self.n_factors + 1
        order = np.argsort(rows, kind="stable")  # group the ratings row by row
        rows, z = rows[order], np.hstack([other, np.ones((len(other), 1))])[cols[order]]  # z: (M, F + 1)
        present, starts = np.unique(rows, return_index=True)
        gram = np.zeros((n_rows, width, width))
        gram[present] = np.add.reduceat(z[:, :, None] * z[:, None, :], starts, axis=0)  # sum of z z^T per row
        gram += self.reg * np.eye(width)
        rhs = np.zeros((n_rows, width))
        rhs[present] = np.add.reduceat(z * target[order, None], starts, axis=0)
        return np.linalg.solve(gram, rhs[:, :, None])[:, :, 0]

    def fit_als(self, users: ArrayLike, items: ArrayLike, ratings: ArrayLike, *, sweeps: int = 10,
                callback: Callable[[int, MatrixFactorization], None] | None = None) -> list[float]:
        r"""Alternating least squares: ``sweeps`` times, solve for all users, then for all items.

        :math:`\mu` is the mean training rating. The user step sets, for each user,

        .. math::

            (\mathbf{p}_u, b_u) = (Z_u^\top Z_u + \lambda I)^{-1} Z_u^\top \mathbf{t}_u ,

        where the rows of :math:`Z_u` are :math:`(\mathbf{q}_i, 1)` for the items
        the user rated and :math:`t_{ui} = r_{ui} - \mu - b_i`; the item step is the
        mirror image. Returns :math:`J` after each sweep (non-increasing);
        ``callback(sweep, model)`` runs after each.

        With ``reg = 0`` each user's and item's system is solvable only if it has at
        least :math:`F + 1` ratings (and they determine it); otherwise the factors are
        undetermined, and this is a ``ValueError`` naming the user or item: use
        ``reg > 0``. Ratings so large that :math:`J` overflows (about 1e150) are a
        ``ValueError`` too; the model is then left as it was.
        """
        u, i, r = _triples(users, items, ratings, self.n_users, self.n_items)
        sweeps = positive_int(sweeps, "sweeps")
        if callback is not None and not callable(callback):
            raise TypeError(f"callback must be callable as callback(sweep, model), got {type(callback).__name__}")
        if self.reg == 0:
            self._check_determined(u, "users", "user", self.n_users)
            self._check_determined(i, "items", "item", self.n_items)
        before = (self.P, self.Q, self.user_bias, self.item_bias, self.mu)
        with np.errstate(over="ignore", invalid="ignore"):
            self.mu = float(r.mean())
        history = []
        for sweep in range(1, sweeps + 1):
            try:
                if not np.isfinite(self.mu):
                    raise too_large(["ratings"], "fit_als", {"ratings": r})
                with np.errstate(over="ignore", invalid="ignore"):
                    solution = self._solve(u, i, r - self.mu - self.item_bias[i], self.n_users, self.Q)
                    self.P, self.user_bias = solution[:, :-1], solution[:, -1]
                    solution = self._solve(i, u, r - self.mu - self.user_bias[u], self.n_items, self.P)
                    self.Q, self.item_bias = solution[:, :-1], solution[:, -1]
                    loss = self._objective(u, i, r)
                if not np.isfinite(loss):
                    raise too_large(["ratings"], "fit_als", {"ratings": r})
            except (np.linalg.LinAlgError, ValueError) as error:
                self.P, self.Q, self.user_bias, self.item_bias, self.mu = before
                if isinstance(error, np.linalg.LinAlgError):
                    raise ValueError(f"with reg={self.reg:g} a least-squares system of users and items is singular "
                                     "(their ratings do not determine the factors); use reg > 0") from None
                raise
            history.append(loss)
            if callback is not None:
                callback(sweep, self)
        return history

    def _check_determined(self, rows: np.ndarray, name: str, what: str, size: int) -> None:
        """With reg = 0, every row needs F + 1 ratings for its F factors and its bias."""
        counts = np.bincount(rows, minlength=size)
        short = np.flatnonzero(counts < self.n_factors + 1)
        if short.size:
            raise ValueError(
                f"reg=0 leaves the factors of {what} {short[0]} undetermined: {name} gives it {counts[short[0]]} "
                f"ratings, fewer than n_factors + 1 = {self.n_factors + 1} ({short.size} {what}s are short); "
                "use reg > 0, or leave such users and items out"
            )


def top_n(scores: ArrayLike, n: int, exclude: ArrayLike | None = None) -> np.ndarray:
    """The indices of the ``n`` highest scores, best first, skipping the indices in ``exclude``.

    ``scores : (n_items,)``, e.g. one row of :meth:`MatrixFactorization.scores`;
    ``exclude`` lists items not to recommend (those the user has rated already).
    Ties go to the lower index. Returns ``(n,)`` int.
    """
    s = as_float_array(scores, "scores")
    if s.ndim != 1 or s.size == 0:
        raise ValueError(f"scores must be a non-empty 1-D array (n_items,), got shape {shape_str(s.shape)}")
    n = positive_int(n, "n")
    allowed = np.ones(s.size, dtype=bool)
    if exclude is not None:
        allowed[_indices(exclude, "exclude", s.size, "n_items")] = False
    if n > allowed.sum():
        raise ValueError(f"n = {n} but only {int(allowed.sum())} items are left to recommend")
    candidates = np.flatnonzero(allowed)
    order = np.argsort(-s[candidates], kind="stable")
    return candidates[order[:n]]
