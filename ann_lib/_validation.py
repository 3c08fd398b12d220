"""Input checks shared by every ann_lib module.

Bad input must fail loudly, with a message that names the argument, what it got
and what was expected; it must never turn into a NaN that travels on.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.typing import ArrayLike


def as_float_array(value: ArrayLike, name: str) -> np.ndarray:
    """Return ``value`` as a floating-point array, refusing what is not a real number.

    Floating dtypes (float16/32/64) are kept; integer input becomes float64.
    Booleans, complex numbers, strings and objects raise ``TypeError``; NaN
    raises ``ValueError``. Infinities are allowed: every activation has a limit there.
    """
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged nested lists, for example
        raise TypeError(f"{name} must be a real-valued array; could not convert it: {error}") from None
    kind = array.dtype.kind
    if kind == "f":
        pass
    elif kind in "iu":
        array = array.astype(np.float64)
    else:
        raise TypeError(
            f"{name} must hold real numbers (int or float), got dtype {array.dtype} "
            f"(from {type(value).__name__})"
        )
    if np.isnan(array).any():
        first = tuple(int(i) for i in np.argwhere(np.isnan(array))[0])
        raise ValueError(
            f"{name} contains NaN ({int(np.isnan(array).sum())} of {array.size} values, "
            f"first at index {first}); fix the input rather than letting NaN travel on"
        )
    return array


def shape_str(shape: tuple[int, ...]) -> str:
    """``(3,)`` and ``(4, 2)`` as a reader writes them."""
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def positive_int(value: object, name: str) -> int:
    """``value`` as an int if it is an integer > 0 (not a bool), else ``ValueError`` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def positive_number(value: object, name: str) -> float:
    """``value`` as a float if it is a finite real number > 0 (not a bool), else ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def check_rng(rng: object, name: str) -> np.random.Generator:
    """``rng`` if it is a ``numpy.random.Generator``, else ``TypeError`` saying how to make one."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{name} needs rng=numpy.random.default_rng(seed), a numpy.random.Generator; got {type(rng).__name__}"
        )
    return rng
