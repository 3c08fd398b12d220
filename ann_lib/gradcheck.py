r"""Gradient checking: derivatives by central differences, to test backpropagation against.

Chapter 4 (backpropagation).

.. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + \epsilon e_i) - f(x - \epsilon e_i)}{2 \epsilon}

The error of the central difference is of order :math:`\epsilon^2` (plus the
rounding of :math:`f`, divided by :math:`\epsilon`); in float64 with
:math:`\epsilon = 10^{-6}` a correct backward pass agrees to about
:math:`10^{-9}` in relative error.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

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
    if not (np.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be a positive finite number, got {eps!r}")
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        f_plus = float(f(x))
        x[index] = original - eps
        f_minus = float(f(x))
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def relative_error(a: ArrayLike, b: ArrayLike) -> float:
    r"""How far two gradients are apart, relative to their size.

    .. math:: \frac{\lVert a - b \rVert_2}{\lVert a \rVert_2 + \lVert b \rVert_2}

    0 when both are zero; at most 1. Computed over the whole array, so that an
    entry that is 0 in both does not divide by 0.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    if denominator == 0.0:
        return 0.0
    return float(np.linalg.norm(a - b) / denominator)
