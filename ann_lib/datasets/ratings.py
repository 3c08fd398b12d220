r"""A synthetic ratings matrix with planted user and item factors (chapter 12).

Stands in for the film ratings of the lecture's Netflix example: nothing is
downloaded, and because the factors that made the ratings are known, a
recommender can be checked against the truth. Every user :math:`u` and item
:math:`i` gets a latent vector, :math:`\mathbf{p}_u, \mathbf{q}_i \in
\mathbb{R}^F`, and a bias; the rating the user would give is

.. math::

    r_{ui} = \operatorname{clip}\big(\mu + b_u + b_i + \mathbf{p}_u \cdot \mathbf{q}_i + \varepsilon_{ui},\ 1,\ 5\big),
    \qquad \varepsilon_{ui} \sim \mathcal{N}(0, \sigma^2).

Only some ratings are observed, and not at random: popular items are rated
more often (item popularity follows a Zipf-like law), as on a real site.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from ann_lib._validation import check_rng, positive_int, standard_deviation

__all__ = ["make_ratings"]  # Ratings is what make_ratings returns; import it from this module


@dataclass(frozen=True)
class Ratings:
    """Observed ratings as three aligned arrays, plus the truth that made them.

    ``users, items : (M,)`` int indices and ``ratings : (M,)`` float, one entry per
    observed (user, item) pair, each pair at most once. ``expected : (n_users,
    n_items)`` is every rating without the noise (what a perfect model would
    predict), and ``user_factors : (n_users, F)``, ``item_factors : (n_items,
    F)``, ``user_bias``, ``item_bias`` and ``global_mean`` are the planted
    parameters.
    """

    users: np.ndarray
    items: np.ndarray
    ratings: np.ndarray
    n_users: int
    n_items: int
    expected: np.ndarray
    user_factors: np.ndarray
    item_factors: np.ndarray
    user_bias: np.ndarray
    item_bias: np.ndarray
    global_mean: float

    def __len__(self) -> int:
        return len(self.ratings)

    def dense(self) -> np.ndarray:
        """The observed ratings as an ``(n_users, n_items)`` array, NaN where unobserved."""
        matrix = np.full((self.n_users, self.n_items), np.nan)
        matrix[self.users, self.items] = self.ratings
        return matrix

    def subset(self, mask: np.ndarray) -> Ratings:
        """The same truth with only the observed ratings where ``mask`` is True."""
        return Ratings(self.users[mask], self.items[mask], self.ratings[mask], self.n_users, self.n_items,
                       self.expected, self.user_factors, self.item_factors, self.user_bias, self.item_bias,
                       self.global_mean)

    def split(self, *, test_fraction: float = 0.2, rng: np.random.Generator) -> tuple[Ratings, Ratings]:
        """Hold out ``test_fraction`` of each user's ratings (at least one stays in training).

        Returns ``(train, test)``, two :class:`Ratings` that share the truth.
        """
        test_fraction = _fraction(test_fraction, "test_fraction")
        check_rng(rng, "rng")
        test = np.zeros(len(self), dtype=bool)
        for user in range(self.n_users):
            rows = np.flatnonzero(self.users == user)
            n_test = min(len(rows) - 1, int(round(test_fraction * len(rows))))
            if n_test > 0:
                test[rng.choice(rows, size=n_test, replace=False)] = True
        return self.subset(~test), self.subset(test)


def _fraction(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < 1:
        raise ValueError(f"{name} must lie strictly between 0 and 1, got {value!r}")
    return float(value)


def make_ratings(n_users: int = 300, n_items: int = 200, *, n_factors: int = 4, density: float = 0.2,
                 noise: float = 0.5, rng: np.random.Generator) -> Ratings:
    r"""Plant factors, compute every rating, and observe a fraction ``density`` of them.

    The global mean is 3.5; user and item biases are both drawn from
    :math:`\mathcal{N}(0, 0.5^2)`; factor
    entries from a normal distribution of variance :math:`1/\sqrt{F}`, so that
    :math:`\mathbf{p}_u \cdot \mathbf{q}_i` has a standard deviation of about 1
    whatever ``n_factors`` is. Each user rates
    ``round(density * n_items)`` different items (at least 2), chosen with
    probability proportional to :math:`1/(\text{rank} + 10)`, a Zipf-like item
    popularity.

    Parameters
    ----------
    n_users, n_items, n_factors : int
    density : float in (0, 1)
        Fraction of the matrix observed.
    noise : float >= 0
        Standard deviation :math:`\sigma` of the noise on each observed rating.
    rng : numpy.random.Generator

    Returns
    -------
    Ratings
    """
    n_users = positive_int(n_users, "n_users")
    n_items = positive_int(n_items, "n_items")
    n_factors = positive_int(n_factors, "n_factors")
    density = _fraction(density, "density")
    noise = standard_deviation(noise, "noise")
    check_rng(rng, "rng")
    if n_items < 2:
        raise ValueError(f"n_items must be at least 2 (each user rates at least 2 items), got {n_items}")
    global_mean = 3.5
    user_bias = rng.normal(0.0, 0.5, n_users)
    item_bias = rng.normal(0.0, 0.5, n_items)
    scale = 1.0 / np.sqrt(np.sqrt(n_factors))  # each factor entry: variance 1/sqrt(F)
    user_factors = rng.normal(0.0, scale, (n_users, n_factors))
    item_factors = rng.normal(0.0, scale, (n_items, n_factors))
    expected = np.clip(global_mean + user_bias[:, None] + item_bias[None, :] + user_factors @ item_factors.T, 1, 5)

    popularity = 1.0 / (rng.permutation(n_items) + 10.0)  # Zipf-like, in a random item order
    popularity /= popularity.sum()
    per_user = max(2, int(round(density * n_items)))
    users = np.repeat(np.arange(n_users), per_user)
    items = np.concatenate([rng.choice(n_items, size=per_user, replace=False, p=popularity) for _ in range(n_users)])
    ratings = np.clip(global_mean + user_bias[users] + item_bias[items]
                      + np.sum(user_factors[users] * item_factors[items], axis=1)
                      + rng.normal(0.0, float(noise), len(users)), 1, 5)
    return Ratings(users, items, ratings, n_users, n_items, expected, user_factors, item_factors,
                   user_bias, item_bias, global_mean)
