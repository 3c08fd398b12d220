r"""Orientation selectivity (Hubel and Wiesel): bars of light, Gabor filters and tuning curves (chapter 5).

A simple cell in the visual cortex fires most for a bar of light at one
orientation and less and less as the bar turns away from it. Chapter 5's
experiment reproduces the lecture's tuning curve with a convolutional filter as
the cell: :func:`oriented_bars` draws the stimuli, :func:`gabor_filter` is the
classic model of the cell's receptive field, and :func:`tuning_curves` measures
each filter's rectified response (with :func:`ann_lib.conv.conv2d`) to bars at
every angle, as the gallery does for Gabor filters and for the first layer of
the trained digits CNN (:mod:`ann_lib.cnn`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import (
    as_float_array,
    finite_result,
    positive_int,
    positive_number,
    real_number,
    shape_str,
)
from ann_lib.conv import conv2d

__all__ = ["gabor_filter", "oriented_bars", "tuning_curves"]


def _grid(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel centres of a ``size x size`` patch: x to the right, y upwards, (0, 0) in the middle."""
    positive_int(size, "size")
    c = (size - 1) / 2.0
    rows, cols = np.mgrid[0:size, 0:size].astype(np.float64)
    return cols - c, c - rows


def oriented_bars(size: int, angles: ArrayLike, width: float = 1.5, supersample: int = 8) -> np.ndarray:
    r"""Bright bars (slits of light) through the centre of a dark ``size x size`` patch.

    A bar at angle :math:`\theta` (degrees, counter-clockwise from horizontal) is
    the band of points within ``width / 2`` of the line through the centre with
    direction :math:`(\cos\theta, \sin\theta)`:

    .. math:: |{-x}\sin\theta + y\cos\theta| \le w / 2

    Each pixel's value is the fraction of it that the band covers, estimated on a
    ``supersample x supersample`` grid inside the pixel, so that a small
    rotation changes the image a little and no orientation is favoured by the
    pixel grid.

    angles : (A,) -> ``(A, size, size, 1)`` images in [0, 1], NHWC.
    """
    x, y = _grid(size)
    width = positive_number(width, "width")
    supersample = positive_int(supersample, "supersample")
    offsets = (np.arange(supersample) + 0.5) / supersample - 0.5
    sub_x = (x[:, :, None, None] + offsets[None, None, None, :]).reshape(size, size, 1, supersample)
    sub_y = (y[:, :, None, None] - offsets[None, None, :, None]).reshape(size, size, supersample, 1)
    angles = as_float_array(angles, "angles", finite=True)
    if angles.ndim > 1:
        raise ValueError(f"angles must be a list of angles (A,), got shape {shape_str(angles.shape)}")
    theta = np.deg2rad(np.atleast_1d(angles))[:, None, None, None, None]
    distance = np.abs(-sub_x * np.sin(theta) + sub_y * np.cos(theta))  # (A, size, size, s, s)
    return (distance <= width / 2.0).mean(axis=(3, 4))[..., None]


@finite_result("size", "sigma", "aspect", "wavelength")
def gabor_filter(size: int, angle: float, wavelength: float = 6.0, sigma: float = 3.0,
                 aspect: float = 0.5) -> np.ndarray:
    r"""A Gabor filter: a model of a simple cell that prefers bars at ``angle`` degrees.

    .. math:: g(x, y) = \exp\Big(-\frac{v^2 + \gamma^2 u^2}{2\sigma^2}\Big)\cos\frac{2\pi v}{\lambda},
              \quad u = x\cos\theta + y\sin\theta, \ v = -x\sin\theta + y\cos\theta

    :math:`u` runs along the preferred bar and :math:`v` across it: a bright
    central stripe along the bar, flanked by dark stripes. ``aspect``
    (:math:`\gamma < 1`) stretches the envelope along the bar. The filter is then
    shifted to mean 0 (a uniform field gives no response) and scaled to unit norm.

    Returns ``(size, size)``.
    """
    x, y = _grid(size)
    theta = np.deg2rad(real_number(angle, "angle"))
    wavelength, sigma = positive_number(wavelength, "wavelength"), positive_number(sigma, "sigma")
    aspect = positive_number(aspect, "aspect")
    u = x * np.cos(theta) + y * np.sin(theta)
    v = -x * np.sin(theta) + y * np.cos(theta)
    g = np.exp(-(v**2 + (aspect * u) ** 2) / (2 * sigma**2)) * np.cos(2 * np.pi * v / wavelength)
    g = g - g.mean()
    norm = np.linalg.norm(g)
    if not norm > 0:  # size 1, or an envelope too narrow for the grid
        raise ValueError(f"the filter is 0 everywhere after removing its mean: size={size} is too small "
                         f"for sigma={sigma:g} and wavelength={wavelength:g}")
    return g / norm


@finite_result("kernels", "bias")
def tuning_curves(kernels: ArrayLike, angles: ArrayLike, bias: ArrayLike | None = None,
                  width: float = 1.5) -> np.ndarray:
    r"""Each filter's response to bars at ``angles``: the orientation tuning curves.

    Every filter is a unit whose receptive field is the ``kh x kw`` patch; its
    response to a bar is the rectified weighted sum, as a firing rate is never
    negative:

    .. math:: r_f(\theta) = \max\big(0,\ \textstyle\sum_{p,q} \text{bar}_\theta(p, q)\, w_{p,q,f} + b_f\big)

    kernels : (kh, kw, 1, F), as a Conv2D layer's ``W`` with one input channel;
    angles : (A,) degrees -> ``(A, F)``.
    """
    kernels = as_float_array(kernels, "kernels", finite=True)
    if kernels.ndim != 4 or kernels.shape[2] != 1 or kernels.shape[0] != kernels.shape[1]:
        raise ValueError(
            f"kernels must have shape (k, k, 1, F) (square, one input channel), got {shape_str(kernels.shape)}"
        )
    if min(kernels.shape) < 1:
        raise ValueError(f"kernels must not be empty, got shape {shape_str(kernels.shape)}")
    if bias is not None:
        bias = as_float_array(bias, "bias", finite=True)
        if bias.shape != (kernels.shape[3],):
            raise ValueError(f"bias must have shape ({kernels.shape[3]},), one per filter of kernels "
                             f"{shape_str(kernels.shape)}, got {shape_str(bias.shape)}")
    angles = as_float_array(angles, "angles", finite=True)
    if angles.size == 0:
        raise ValueError("angles is empty; expected at least one angle in degrees")
    bars = oriented_bars(kernels.shape[0], angles, width)
    responses = conv2d(bars, kernels, bias, padding="valid")  # (A, 1, 1, F)
    return np.maximum(responses[:, 0, 0, :], 0.0)
