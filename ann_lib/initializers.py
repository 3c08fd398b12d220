r"""Weight initializers: how a layer's weights are drawn before training starts.

Chapter 4 (backpropagation) and the chapters that build on it. Every initializer takes the weight array's
``shape`` and a ``numpy.random.Generator`` and returns a float64 array of that
shape; only :func:`zeros` needs no generator.

Shapes and fans
---------------
A dense layer's weights have shape ``(n_in, n_out)``. A 2-D convolution kernel
in TensorFlow's layout has shape ``(kh, kw, c_in, c_out)``; each of its outputs
sees ``kh * kw * c_in`` inputs. In general the axes before the last two form the
receptive field, and

.. math:: \text{fan\_in} = r \cdot c_\text{in}, \qquad
          \text{fan\_out} = r \cdot c_\text{out}, \qquad
          r = \prod_{i < d - 2} \text{shape}_i .

The formulas, each tested against sample statistics in
``tests/test_initializers.py``:

==================  ===========================================================
name                distribution
==================  ===========================================================
``zeros``           all 0
``naive_normal``    :math:`\mathcal N(0, \sigma^2)`, :math:`\sigma = 0.01`
``lecun_normal``    :math:`\mathcal N(0, 1/\text{fan\_in})`
``glorot_uniform``  :math:`\mathcal U(-a, a)`, :math:`a = \sqrt{6/(\text{fan\_in} + \text{fan\_out})}`
``glorot_normal``   :math:`\mathcal N(0, 2/(\text{fan\_in} + \text{fan\_out}))`
``he_uniform``      :math:`\mathcal U(-a, a)`, :math:`a = \sqrt{6/\text{fan\_in}}`
``he_normal``       :math:`\mathcal N(0, 2/\text{fan\_in})`
==================  ===========================================================

The normal initializers here are plain (untruncated) normals with exactly the
stated variance. Keras draws from a truncated normal rescaled to the same
variance, so the two agree in mean and variance, not in the values drawn.
"""

from __future__ import annotations

import math
import numbers
from typing import Callable, Sequence

import numpy as np

from ann_lib._validation import as_float_array, check_finite, check_rng, choice, shape_str, standard_deviation

__all__ = [
    "INITIALIZERS",
    "fans",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "initial_weights",
    "lecun_normal",
    "naive_normal",
    "zeros",
]

Initializer = Callable[..., np.ndarray]


def _check_shape(shape: Sequence[int], *, min_rank: int = 1) -> tuple[int, ...]:
    """``shape`` as a tuple of positive Python ints, or a ``ValueError`` that says why not."""
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (int(shape),)
    if not isinstance(shape, (tuple, list)):
        raise ValueError(f"shape must be a tuple of positive integers, got {shape!r} ({type(shape).__name__})")
    if len(shape) == 0:
        raise ValueError("shape must not be empty: a weight array needs at least one axis")
    for size in shape:
        if isinstance(size, bool) or not isinstance(size, numbers.Integral):
            raise ValueError(f"shape must hold integers, got {tuple(shape)!r} (with {size!r})")
        if size <= 0:
            raise ValueError(f"every axis of shape must be positive, got {tuple(shape)!r}")
    if len(shape) < min_rank:
        raise ValueError(
            f"shape {tuple(shape)!r} has rank {len(shape)}; expected a dense weight shape "
            "(n_in, n_out) or a convolution kernel shape (kh, kw, c_in, c_out)"
        )
    return tuple(int(size) for size in shape)


def fans(shape: Sequence[int]) -> tuple[int, int]:
    r"""``(fan_in, fan_out)`` of a weight array.

    Dense ``(n_in, n_out)`` gives ``(n_in, n_out)``; a convolution kernel
    ``(kh, kw, c_in, c_out)`` gives ``(kh*kw*c_in, kh*kw*c_out)``; the same rule
    covers 1-D and 3-D kernels (rank 3 and 5).

    Raises
    ------
    ValueError
        For an empty shape, a non-integer, zero or negative axis, or a rank
        other than 2 to 5.
    """
    shape = _check_shape(shape, min_rank=2)
    if len(shape) > 5:
        raise ValueError(
            f"shape {shape!r} has rank {len(shape)}; expected (n_in, n_out) or a kernel "
            "(..., c_in, c_out) of rank 3 to 5"
        )
    receptive_field = math.prod(shape[:-2])
    return receptive_field * shape[-2], receptive_field * shape[-1]


def zeros(shape: Sequence[int], rng: np.random.Generator | None = None) -> np.ndarray:
    r"""All zeros, :math:`W = 0`: fine for biases, fatal for weights (every unit stays the same).

    ``rng`` is accepted (a generator or None) and ignored, so that every initializer has one signature.
    """
    if rng is not None:
        check_rng(rng, "zeros")
    return np.zeros(_check_shape(shape), dtype=np.float64)


def naive_normal(shape: Sequence[int], rng: np.random.Generator, std: float = 0.01) -> np.ndarray:
    r"""Small Gaussian noise with a fixed scale, the pre-2010 habit.

    .. math:: W_{ij} \sim \mathcal N(0, \sigma^2), \qquad \sigma = 0.01
    """
    shape = _check_shape(shape)
    rng = check_rng(rng, "naive_normal")
    return rng.normal(0.0, standard_deviation(std, "std"), size=shape)


def lecun_normal(shape: Sequence[int], rng: np.random.Generator) -> np.ndarray:
    r"""LeCun et al. (1998, "Efficient BackProp"): unit variance of the weighted sum.

    .. math:: W_{ij} \sim \mathcal N\!\left(0, \frac{1}{\text{fan\_in}}\right)
    """
    fan_in, _ = fans(shape)
    return check_rng(rng, "lecun_normal").normal(0.0, math.sqrt(1.0 / fan_in), size=tuple(shape))


def glorot_uniform(shape: Sequence[int], rng: np.random.Generator) -> np.ndarray:
    r"""Glorot and Bengio (2010), eq. 16, the "normalized initialization".

    .. math:: W_{ij} \sim \mathcal U(-a, a), \qquad
              a = \sqrt{\frac{6}{\text{fan\_in} + \text{fan\_out}}}

    Its variance is :math:`a^2 / 3 = 2 / (\text{fan\_in} + \text{fan\_out})`.
    """
    fan_in, fan_out = fans(shape)
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return check_rng(rng, "glorot_uniform").uniform(-limit, limit, size=tuple(shape))


def glorot_normal(shape: Sequence[int], rng: np.random.Generator) -> np.ndarray:
    r"""Glorot and Bengio (2010) with a normal distribution of the same variance.

    .. math:: W_{ij} \sim \mathcal N\!\left(0, \frac{2}{\text{fan\_in} + \text{fan\_out}}\right)
    """
    fan_in, fan_out = fans(shape)
    return check_rng(rng, "glorot_normal").normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), size=tuple(shape))


def he_uniform(shape: Sequence[int], rng: np.random.Generator) -> np.ndarray:
    r"""He et al. (2015) for ReLU networks, uniform form.

    .. math:: W_{ij} \sim \mathcal U(-a, a), \qquad a = \sqrt{\frac{6}{\text{fan\_in}}}

    Its variance is :math:`2 / \text{fan\_in}`.
    """
    fan_in, _ = fans(shape)
    limit = math.sqrt(6.0 / fan_in)
    return check_rng(rng, "he_uniform").uniform(-limit, limit, size=tuple(shape))


def he_normal(shape: Sequence[int], rng: np.random.Generator) -> np.ndarray:
    r"""He et al. (2015): keeps the variance of ReLU activations from layer to layer.

    .. math:: W_{ij} \sim \mathcal N\!\left(0, \frac{2}{\text{fan\_in}}\right)
    """
    fan_in, _ = fans(shape)
    return check_rng(rng, "he_normal").normal(0.0, math.sqrt(2.0 / fan_in), size=tuple(shape))


#: Every initializer by name.
INITIALIZERS: dict[str, Initializer] = {
    "zeros": zeros,
    "naive_normal": naive_normal,
    "lecun_normal": lecun_normal,
    "glorot_uniform": glorot_uniform,
    "glorot_normal": glorot_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
}


def get(name: str | Initializer) -> Initializer:
    """Look an initializer up by name; a callable ``f(shape, rng)`` passes through."""
    return lookup(name, "name")


def lookup(value: str | Initializer, argument: str) -> Initializer:
    """:func:`get` for a caller whose own argument is called ``argument`` (``init``); for ann_lib's own modules."""
    if callable(value) and not isinstance(value, type):
        return value
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be an initializer name (str) or a callable f(shape, rng), "
                        f"got {type(value).__name__}")
    return INITIALIZERS[choice(value, INITIALIZERS, argument)]


def initial_weights(init: str | Initializer, shape: Sequence[int], rng: np.random.Generator, *,
                    name: str = "init") -> np.ndarray:
    """``init(shape, rng)`` as float64, checked: the right shape and finite (a custom ``init`` may not be).

    The layers call this once when they are built; ``name``, the caller's name for its
    ``init`` argument (``"recurrent_init"``, say), is named in every error.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    shape = _check_shape(shape)
    weights = np.asarray(lookup(init, name)(shape, rng))
    if weights.shape != shape:
        raise ValueError(f"{name} returned shape {shape_str(weights.shape)}, expected {shape_str(shape)}")
    return check_finite(as_float_array(weights, f"{name}'s weights").astype(np.float64, copy=False), f"{name}'s weights")
