r"""Sliding windows: ``im2col`` turns every window of a batch of images into a row, ``col2im`` adds them back.

Chapter 5 (convolutional networks). A convolution or a pooling looks at one
``kh x kw`` window of the (padded) input per output pixel. :func:`im2col` returns
all of them at once as a strided *view* of shape ``(N, H_out, W_out, kh, kw, C)``:
nothing is copied but the padding, and reshaped to ``(N * H_out * W_out, kh * kw * C)``
it turns the convolution into one matrix product (:mod:`ann_lib.conv`) and the
pooling into one reduction (:mod:`ann_lib.pooling`). Its adjoint :func:`col2im` sends
each window's values back where they came from, adding where windows overlap, with
one vectorised slice addition per kernel offset ``(p, q)``: no Python loop over pixels.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided
from numpy.typing import ArrayLike

from ann_lib._validation import (
    as_float_array,
    as_image_batch,
    check_image_shape,
    finite_result,
    int_pair,
    shape_str,
)
from ann_lib.padding import Pads, check_padding

__all__ = ["col2im", "im2col"]


def _explicit_pads(pads: object) -> Pads:
    mode = check_padding(pads, "pads")
    if isinstance(mode, str):
        raise TypeError(f"pads must be explicit, ((top, bottom), (left, right)) or an int, got {pads!r}; "
                        "ann_lib.padding.resolve_padding turns 'same' into numbers")
    return mode


def im2col(x: ArrayLike, kernel: int | tuple[int, int], stride: int | tuple[int, int], pads: Pads,
           pad_value: float = 0.0) -> np.ndarray:
    """All the windows of ``x``: a read-only strided view ``(N, H_out, W_out, kh, kw, C)``.

    ``x : (N, H, W, C)``; ``pads`` is ``((top, bottom), (left, right))``, filled with
    ``pad_value`` (max pooling pads with ``-inf``). ``cols[n, i, j]`` is the
    ``kh x kw x C`` patch that output pixel ``(i, j)`` sees. Nothing is copied except
    the padding; reshape the view to ``(N * H_out * W_out, kh * kw * C)`` for the
    matrix product.
    """
    x = as_image_batch(x, "x")
    (kh, kw), (sh, sw) = int_pair(kernel, "kernel"), int_pair(stride, "stride")
    (top, bottom), (left, right) = _explicit_pads(pads)
    pad_value = float(as_float_array(pad_value, "pad_value"))  # -inf is allowed: padding never wins a max
    if x.shape[1] + top + bottom < kh or x.shape[2] + left + right < kw:
        raise ValueError(f"kernel {kh}x{kw} is larger than the padded input x {shape_str(x.shape)} "
                         f"with pads {pads!r}")
    if top or bottom or left or right:
        x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=pad_value)
    n, height, width, channels = x.shape
    h_out = (height - kh) // sh + 1
    w_out = (width - kw) // sw + 1
    s_n, s_h, s_w, s_c = x.strides
    return as_strided(
        x,
        shape=(n, h_out, w_out, kh, kw, channels),
        strides=(s_n, s_h * sh, s_w * sw, s_h, s_w, s_c),
        writeable=False,
    )


@finite_result("cols")
def col2im(cols: ArrayLike, x_shape: tuple[int, ...], stride: int | tuple[int, int], pads: Pads) -> np.ndarray:
    """The adjoint of :func:`im2col`: add every window's values back where they came from.

    cols : (N, H_out, W_out, kh, kw, C) -> (N, H, W, C), the shape ``x_shape``. Pixels
    that several windows share receive the sum; padding is cut off.
    """
    cols = as_float_array(cols, "cols", finite=True)
    n, height, width, channels = check_image_shape(x_shape, "x_shape")
    sh, sw = int_pair(stride, "stride")
    (top, bottom), (left, right) = _explicit_pads(pads)
    if cols.ndim != 6:
        raise ValueError(f"cols must have shape (N, H_out, W_out, kh, kw, C), got {shape_str(cols.shape)}")
    _, h_out, w_out, kh, kw, _ = cols.shape
    expected = (n, (height + top + bottom - kh) // sh + 1, (width + left + right - kw) // sw + 1, kh, kw, channels)
    if cols.shape != expected or min(cols.shape) < 1:
        raise ValueError(f"cols has shape {shape_str(cols.shape)}, but im2col of x_shape "
                         f"{shape_str((n, height, width, channels))} "
                         f"with stride ({sh}, {sw}) and pads {pads!r} has shape {shape_str(expected)}")
    padded = np.zeros((n, height + top + bottom, width + left + right, channels), dtype=cols.dtype)
    for p in range(kh):
        for q in range(kw):
            padded[:, p : p + sh * (h_out - 1) + 1 : sh, q : q + sw * (w_out - 1) + 1 : sw, :] += cols[:, :, :, p, q, :]
    return padded[:, top : top + height, left : left + width, :]
