r"""Gradient checking: derivatives by central differences, to test backpropagation against.

Chapter 4 (backpropagation).

.. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + \epsilon e_i) - f(x - \epsilon e_i)}{2 \epsilon}

The error of the central difference is of order :math:`\epsilon^2` (plus the
rounding of :math:`f`, divided by :math:`\epsilon`); in float64 with
:math:`\epsilon = 10^{-6}` a correct backward pass agrees to about
:math:`10^{-9}` in relative error.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import as_float_array, check_finite, positive_number, scaled_down, shape_str

__all__ = ["numerical_gradient", "relative_error"]


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    r"""The gradient of the scalar function ``f`` at ``x`` by central differences.

    Parameters
    ----------
    f : callable
        Called as ``f(x)``; must return a real scalar. It may ignore its argument
        and read ``x`` from elsewhere: ``x`` is perturbed **in place**, one
        element at a time, and restored afterwards. That is how a layer's
        weights are checked: pass ``layer.params["W"]`` and a function that
        runs the network.
    x : ndarray, float64
        The point; ``(...)``, any shape.
    eps : float
        The step :math:`\epsilon`.

    Returns
    -------
    ndarray, the shape of ``x``.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(
            "x must be a float64 numpy array (it is perturbed in place, and float32 is too coarse "
            f"for eps={eps}); got {type(x).__name__}" + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else "")
        )
    if not x.flags.writeable:
        raise ValueError("x must be writeable: it is perturbed in place")
    eps = positive_number(eps, "eps")
    if not callable(f) or isinstance(f, type):
        raise TypeError(f"f must be a function f(x) -> float, got {type(f).__name__}")
    check_finite(x, "x")
    grad = np.zeros_like(x)
    with np.errstate(over="ignore", invalid="ignore"):  # an f that overflows is reported by _scalar, naming x
        for index in np.ndindex(x.shape):
            original = x[index]
            try:
                x[index] = original + eps
                f_plus = _scalar(f(x))
                x[index] = original - eps
                f_minus = _scalar(f(x))
            finally:
                x[index] = original
            grad[index] = (f_plus - f_minus) / (2.0 * eps)
    if not np.isfinite(grad).all():
        raise ValueError(f"the differences of f near x overflow for eps={eps:g}: x or eps is too large")
    return grad


def _scalar(value: object) -> float:
    """``f(x)`` as a finite float, or a ``ValueError`` that blames ``f``."""
    array = np.asarray(value)
    if array.size != 1 or array.dtype.kind not in "fiu":
        raise ValueError(f"f must return one real number, got {type(value).__name__} of shape {shape_str(array.shape)}")
    number = float(array.reshape(()))
    if not math.isfinite(number):
        raise ValueError(f"f returned {number} near x; it must return finite numbers (x or eps may be too large "
                         "for f: a square of 1e300 overflows)")
    return number


def relative_error(a: ArrayLike, b: ArrayLike) -> float:
    r"""How far two gradients are apart, relative to their size.

    .. math:: \frac{\lVert a - b \rVert_2}{\lVert a \rVert_2 + \lVert b \rVert_2}

    0 when both are zero; at most 1. Computed over the whole array, so that an
    entry that is 0 in both does not divide by 0, and without overflow for entries
    up to the float64 maximum.
    """
    a = as_float_array(a, "a", finite=True).astype(np.float64, copy=False)
    b = as_float_array(b, "b", finite=True).astype(np.float64, copy=False)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {shape_str(a.shape)} and {shape_str(b.shape)}")
    a, b = scaled_down(a, b)  # a ratio: values near 1e308 are divided by a power of two, exactly
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    if denominator == 0.0:
        return 0.0
    return float(np.linalg.norm(a - b) / denominator)
