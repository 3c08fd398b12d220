r"""Small data sets, made on the spot or shipped with scikit-learn (``ann_lib.datasets``).

Chapters 3 and 4 (logic gates, 2-D toy sets), and later chapters (digits).
Everything random is drawn from an explicit ``numpy.random.Generator``, so a
data set is a pure function of its arguments. This module imports only numpy;
:func:`load_digits` imports scikit-learn when it is called.

Every loader returns inputs as float64 and labels as int64.
"""

from __future__ import annotations

import numbers

import numpy as np

from ann_lib._validation import (
    check_rng,
    check_seed,
    choice,
    finite_result,
    positive_number,
    real_number,
    standard_deviation,
)

__all__ = ["GATES", "load_digits", "logic_gate", "make_circles", "make_moons", "make_spirals"]

#: The truth tables of the lecture's slide 03 (and NAND), in the row order x1 x2 = 00, 01, 10, 11.
GATES: dict[str, tuple[int, int, int, int]] = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "xor": (0, 1, 1, 0),
    "nand": (1, 1, 1, 0),
}


def logic_gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    """A logic gate's truth table as a data set of four samples.

    Parameters
    ----------
    name : {"and", "or", "xor", "nand"}

    Returns
    -------
    X : (4, 2) float64
        The inputs ``(x1, x2)``: ``(0, 0), (0, 1), (1, 0), (1, 1)``.
    y : (4,) int64
        The gate's output for each row.

    Examples
    --------
    >>> X, y = logic_gate("xor")
    >>> y.tolist()
    [0, 1, 1, 0]
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    key = choice(name.lower(), GATES, "name")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return X, np.array(GATES[key], dtype=np.int64)


def _check(n_samples: object, noise: object, rng: object, *, minimum: int = 2) -> tuple[int, float]:
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral) or n_samples < minimum:
        raise ValueError(f"n_samples must be an integer >= {minimum}, got {n_samples!r}")
    noise = standard_deviation(noise, "noise")
    check_rng(rng, "rng")
    return int(n_samples), noise


def _finish(parts: list[np.ndarray], rng: np.random.Generator, noise: float) -> tuple[np.ndarray, np.ndarray]:
    X = np.concatenate(parts)
    y = np.concatenate([np.full(len(part), label, dtype=np.int64) for label, part in enumerate(parts)])
    X = X + rng.normal(0.0, noise, size=X.shape)
    order = rng.permutation(len(X))
    return X[order], y[order]


def make_moons(n_samples: int = 200, *, noise: float = 0.1, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    r"""Two interleaving half circles; not linearly separable.

    Class 0: :math:`(\cos t, \sin t)`; class 1: :math:`(1 - \cos t, \tfrac12 - \sin t)`,
    :math:`t \in [0, \pi]`, plus Gaussian noise of standard deviation ``noise``.
    ``X : (n_samples, 2)``, ``y : (n_samples,)``; the samples come shuffled.
    """
    n_samples, noise = _check(n_samples, noise, rng)
    n_outer = n_samples // 2
    t_outer = np.linspace(0.0, np.pi, n_outer)
    t_inner = np.linspace(0.0, np.pi, n_samples - n_outer)
    outer = np.column_stack([np.cos(t_outer), np.sin(t_outer)])
    inner = np.column_stack([1.0 - np.cos(t_inner), 0.5 - np.sin(t_inner)])
    return _finish([outer, inner], rng, noise)


def make_circles(
    n_samples: int = 200, *, noise: float = 0.05, factor: float = 0.5, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    r"""A circle inside a circle; class 0 on the radius-1 circle, class 1 on radius ``factor``.

    ``X : (n_samples, 2)``, ``y : (n_samples,)``; the samples come shuffled.
    """
    n_samples, noise = _check(n_samples, noise, rng)
    factor = real_number(factor, "factor", low=0.0, high=1.0, low_open=True, high_open=True)
    n_outer = n_samples // 2
    t_outer = np.linspace(0.0, 2 * np.pi, n_outer, endpoint=False)
    t_inner = np.linspace(0.0, 2 * np.pi, n_samples - n_outer, endpoint=False)
    outer = np.column_stack([np.cos(t_outer), np.sin(t_outer)])
    inner = factor * np.column_stack([np.cos(t_inner), np.sin(t_inner)])
    return _finish([outer, inner], rng, noise)


@finite_result("turns")
def make_spirals(
    n_samples: int = 200, *, n_classes: int = 2, turns: float = 1.0, noise: float = 0.05, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    r"""Interleaved spiral arms, one per class.

    Arm :math:`k` is :math:`r (\cos \theta, \sin \theta)` with :math:`r` from 0.05 to 1 and
    :math:`\theta = 2\pi (\text{turns} \cdot r + k / K)`, plus Gaussian noise.
    ``X : (n_samples, 2)``, ``y : (n_samples,)`` in ``0 .. n_classes-1``; shuffled.
    """
    if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral) or n_classes < 2:
        raise ValueError(f"n_classes must be an integer >= 2, got {n_classes!r}")
    if isinstance(n_samples, numbers.Integral) and not isinstance(n_samples, bool) and n_samples < n_classes:
        raise ValueError(f"n_samples must be at least n_classes = {n_classes} (one sample per arm), got {n_samples!r}")
    n_samples, noise = _check(n_samples, noise, rng, minimum=int(n_classes))
    turns = positive_number(turns, "turns")
    sizes = [n_samples // n_classes + (1 if k < n_samples % n_classes else 0) for k in range(n_classes)]
    parts = []
    for k, size in enumerate(sizes):
        radius = np.linspace(0.05, 1.0, size)
        angle = 2 * np.pi * (turns * radius + k / n_classes)
        parts.append(radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)]))
    return _finish(parts, rng, noise)


def load_digits(
    *, layout: str = "flat", test_fraction: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8x8 handwritten digits (1797 images), split into train and test.

    Pixel values (0..16 in the original) are scaled to [0, 1]. The split is
    stratified: each digit contributes ``round(test_fraction * its count)``
    images to the test set, chosen by ``numpy.random.default_rng(seed)``; both
    sets are then shuffled. The same arguments always give the same split.

    Parameters
    ----------
    layout : {"flat", "nhwc"}
        ``"flat"`` gives ``X : (N, 64)``; ``"nhwc"`` gives ``X : (N, 8, 8, 1)``
        (TensorFlow's image layout).
    test_fraction : float in (0, 1)
    seed : int

    Returns
    -------
    X_train, X_test : float64
    y_train, y_test : (N,) int64, the digit 0..9
    """
    layout = choice(layout, ("flat", "nhwc"), "layout")
    test_fraction = real_number(test_fraction, "test_fraction", low=0.0, high=1.0, low_open=True, high_open=True)
    seed = check_seed(seed)
    from sklearn.datasets import load_digits as sklearn_load_digits  # bundled with scikit-learn, no download

    digits = sklearn_load_digits()
    images = np.asarray(digits.images, dtype=np.float64) / 16.0  # (1797, 8, 8) in [0, 1]
    labels = np.asarray(digits.target, dtype=np.int64)
    rng = np.random.default_rng(seed)
    test_parts = []
    for digit in np.unique(labels):
        members = np.flatnonzero(labels == digit)
        n_test = int(round(test_fraction * len(members)))
        test_parts.append(rng.permutation(members)[:n_test])
    test_index = np.concatenate(test_parts)
    if len(test_index) == 0 or len(test_index) == len(labels):
        raise ValueError(
            f"test_fraction={test_fraction!r} leaves {'no test' if len(test_index) == 0 else 'no training'} "
            f"images (each digit has about 180); use a value between about 0.003 and 0.997"
        )
    train_mask = np.ones(len(labels), dtype=bool)
    train_mask[test_index] = False
    train_index = rng.permutation(np.flatnonzero(train_mask))
    test_index = rng.permutation(test_index)
    if layout == "flat":
        X = images.reshape(len(images), 64)
    else:
        X = images[..., None]
    return X[train_index], X[test_index], labels[train_index], labels[test_index]
