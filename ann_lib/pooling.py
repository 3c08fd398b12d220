r"""Max and average pooling in NHWC layout, forward and backward (chapter 5).

Pooling summarises each ``kh x kw`` window of every channel by one number, as
``tf.nn.max_pool2d`` and ``tf.nn.avg_pool2d`` define it (``tests/tf/test_tf_conv.py``
holds the two to each other). The windows come from :func:`ann_lib.windows.im2col`,
the padding (``"valid"`` or ``"same"``) from :mod:`ann_lib.padding`; ``stride``
defaults to the pool size, so windows do not overlap.

* **Max pooling** pads with :math:`-\infty` (padding never wins); its gradient goes to the
  first maximum of each window in row-major order, as TensorFlow's does.
* **Average pooling** divides by the number of real (not padded) pixels in each window.

The layers :class:`MaxPool2D` and :class:`AvgPool2D` follow :mod:`ann_lib.layers`'
contract; they have no parameters.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import as_float_array, as_image_batch, finite_result, int_pair, shape_str
from ann_lib.layers import Layer
from ann_lib.padding import Pads, check_padding, resolve_padding
from ann_lib.windows import col2im, im2col

__all__ = ["AvgPool2D", "MaxPool2D", "avg_pool2d", "avg_pool2d_backward", "max_pool2d", "max_pool2d_backward"]


def _check_pool_args(pool_size, stride, padding) -> tuple[tuple[int, int], tuple[int, int], str]:
    pool = int_pair(pool_size, "pool_size")
    stride = pool if stride is None else int_pair(stride, "stride")
    mode = check_padding(padding)
    if not isinstance(mode, str):
        raise ValueError(f"pooling padding must be 'valid' or 'same', got {padding!r}")
    return pool, stride, mode


def _check_dout(dout: ArrayLike, expected: tuple[int, ...], dtype) -> np.ndarray:
    dout = as_float_array(dout, "dout", finite=True)
    if dout.shape != tuple(expected):
        raise ValueError(
            f"dout must have the shape {shape_str(expected)} of the pooling's output for x, pool_size, stride "
            f"and padding, got {shape_str(dout.shape)}"
        )
    return dout.astype(dtype, copy=False)


def _max_pool_forward(x: np.ndarray, pool, stride, pads: Pads) -> tuple[np.ndarray, np.ndarray]:
    """y and the flat index (0 .. kh*kw-1) of each window's first maximum."""
    windows = im2col(x, pool, stride, pads, pad_value=-np.inf)
    n, h_out, w_out, kh, kw, c = windows.shape
    flat = windows.reshape(n, h_out, w_out, kh * kw, c)
    argmax = flat.argmax(axis=3)  # the first maximum, row-major in the window
    y = np.take_along_axis(flat, argmax[:, :, :, None, :], axis=3)[:, :, :, 0, :]
    return y, argmax


def _max_pool_backward(dout: np.ndarray, argmax: np.ndarray, x_shape, pool, stride, pads: Pads) -> np.ndarray:
    kh, kw = pool
    picked = argmax[:, :, :, None, :] == np.arange(kh * kw)[:, None]  # (N, Ho, Wo, kh*kw, C)
    dcols = np.where(picked, dout[:, :, :, None, :], 0.0).astype(dout.dtype, copy=False)
    n, h_out, w_out, _, c = dcols.shape
    return col2im(dcols.reshape(n, h_out, w_out, kh, kw, c), x_shape, stride, pads)


def _window_counts(x_shape, pool, stride, pads: Pads, dtype) -> np.ndarray:
    """How many real (not padded) pixels each window covers: (1, H_out, W_out, 1)."""
    ones = np.ones((1, x_shape[1], x_shape[2], 1), dtype=dtype)
    return im2col(ones, pool, stride, pads).sum(axis=(3, 4))


def _avg_pool_backward(dout: np.ndarray, x_shape, pool, stride, pads: Pads) -> np.ndarray:
    share = dout / _window_counts(x_shape, pool, stride, pads, dout.dtype)
    n, h_out, w_out, c = share.shape
    dcols = np.broadcast_to(share[:, :, :, None, None, :], (n, h_out, w_out, *pool, c))
    return col2im(dcols, x_shape, stride, pads)


def max_pool2d(x: ArrayLike, pool_size: int | tuple[int, int] = 2, stride: int | tuple[int, int] | None = None,
               padding: str = "valid") -> np.ndarray:
    r"""Max pooling, as ``tf.nn.max_pool2d``: the largest value of each window, per channel.

    .. math:: y_{n,i,j,c} = \max_{0 \le p < k_h,\ 0 \le q < k_w} x^{pad}_{n,\,s_h i + p,\,s_w j + q,\,c}

    x : (N, H, W, C) -> (N, H_out, W_out, C). ``stride`` defaults to ``pool_size``;
    ``padding`` is ``"valid"`` or ``"same"`` (padded with :math:`-\infty`).
    """
    x = as_image_batch(x, "x")
    pool, stride, mode = _check_pool_args(pool_size, stride, padding)
    pads, _ = resolve_padding(x.shape, pool, stride, mode, kernel_name="pool_size")
    y, _ = _max_pool_forward(x, pool, stride, pads)
    return y


def max_pool2d_backward(dout: ArrayLike, x: ArrayLike, pool_size: int | tuple[int, int] = 2,
                        stride: int | tuple[int, int] | None = None, padding: str = "valid") -> np.ndarray:
    r"""Gradient through :func:`max_pool2d`: each window's gradient goes to its (first) maximum.

    .. math:: \frac{\partial L}{\partial x_{n,h,w,c}} = \sum_{(i,j):\ (h,w) = \arg\max \text{ of window } (i,j)}
              \frac{\partial L}{\partial y_{n,i,j,c}}

    dout : (N, H_out, W_out, C) -> dx : (N, H, W, C).
    """
    x = as_image_batch(x, "x")
    pool, stride, mode = _check_pool_args(pool_size, stride, padding)
    pads, out_hw = resolve_padding(x.shape, pool, stride, mode, kernel_name="pool_size")
    dout = _check_dout(dout, (x.shape[0], *out_hw, x.shape[3]), x.dtype)
    _, argmax = _max_pool_forward(x, pool, stride, pads)
    return _max_pool_backward(dout, argmax, x.shape, pool, stride, pads)


@finite_result("x")
def avg_pool2d(x: ArrayLike, pool_size: int | tuple[int, int] = 2, stride: int | tuple[int, int] | None = None,
               padding: str = "valid") -> np.ndarray:
    r"""Average pooling, as ``tf.nn.avg_pool2d``: the mean of each window's real pixels.

    .. math:: y_{n,i,j,c} = \frac{1}{|R_{ij}|} \sum_{(h,w) \in R_{ij}} x_{n,h,w,c}

    where :math:`R_{ij}` is window :math:`(i, j)` without its padding (with
    ``"same"``, windows at the border average over fewer pixels).
    x : (N, H, W, C) -> (N, H_out, W_out, C).
    """
    x = as_image_batch(x, "x")
    pool, stride, mode = _check_pool_args(pool_size, stride, padding)
    pads, _ = resolve_padding(x.shape, pool, stride, mode, kernel_name="pool_size")
    sums = im2col(x, pool, stride, pads).sum(axis=(3, 4))
    return sums / _window_counts(x.shape, pool, stride, pads, x.dtype)


@finite_result("dout")
def avg_pool2d_backward(dout: ArrayLike, x: ArrayLike, pool_size: int | tuple[int, int] = 2,
                        stride: int | tuple[int, int] | None = None, padding: str = "valid") -> np.ndarray:
    r"""Gradient through :func:`avg_pool2d`: each window spreads its gradient evenly.

    .. math:: \frac{\partial L}{\partial x_{n,h,w,c}} = \sum_{(i,j):\ (h,w) \in R_{ij}}
              \frac{1}{|R_{ij}|} \frac{\partial L}{\partial y_{n,i,j,c}}

    dout : (N, H_out, W_out, C) -> dx : (N, H, W, C). Only the shape of ``x`` is used.
    """
    x = as_image_batch(x, "x")
    pool, stride, mode = _check_pool_args(pool_size, stride, padding)
    pads, out_hw = resolve_padding(x.shape, pool, stride, mode, kernel_name="pool_size")
    dout = _check_dout(dout, (x.shape[0], *out_hw, x.shape[3]), x.dtype)
    return _avg_pool_backward(dout, x.shape, pool, stride, pads)


class _Pool2D(Layer):
    kind = ""

    def __init__(self, pool_size: int | tuple[int, int] = 2, stride: int | tuple[int, int] | None = None,
                 padding: str = "valid"):
        super().__init__()
        self.pool_size, self.stride, self.padding = _check_pool_args(pool_size, stride, padding)
        self._cache = None

    def __repr__(self) -> str:
        return f"{self.kind}(pool_size={self.pool_size}, stride={self.stride}, padding={self.padding!r})"


class MaxPool2D(_Pool2D):
    r"""Max pooling as a layer (see :func:`max_pool2d`); no parameters.

    ``x : (N, H, W, C)`` -> ``(N, H_out, W_out, C)``; ``stride`` defaults to ``pool_size``.
    Backward routes each window's gradient to its (first) maximum.
    """

    kind = "MaxPool2D"

    def forward(self, x: ArrayLike) -> np.ndarray:
        x = as_image_batch(x, "x")
        pads, _ = resolve_padding(x.shape, self.pool_size, self.stride, self.padding, kernel_name="pool_size")
        y, argmax = _max_pool_forward(x, self.pool_size, self.stride, pads)
        self._cache = (argmax, x.shape, pads, y.shape)
        return y

    def backward(self, dout: ArrayLike) -> np.ndarray:
        if self._cache is None:
            raise self._not_run()
        argmax, x_shape, pads, y_shape = self._cache
        dout = self._check_dout(dout, y_shape)
        return _max_pool_backward(dout, argmax, x_shape, self.pool_size, self.stride, pads)


class AvgPool2D(_Pool2D):
    r"""Average pooling as a layer (see :func:`avg_pool2d`); no parameters.

    ``x : (N, H, W, C)`` -> ``(N, H_out, W_out, C)``; ``stride`` defaults to ``pool_size``.
    Backward spreads each window's gradient evenly over its real pixels.
    """

    kind = "AvgPool2D"

    @finite_result("x")
    def forward(self, x: ArrayLike) -> np.ndarray:
        x = as_image_batch(x, "x")
        pads, _ = resolve_padding(x.shape, self.pool_size, self.stride, self.padding, kernel_name="pool_size")
        sums = im2col(x, self.pool_size, self.stride, pads).sum(axis=(3, 4))
        y = sums / _window_counts(x.shape, self.pool_size, self.stride, pads, x.dtype)
        self._cache = (x.shape, pads, y.shape)
        return y

    @finite_result("dout")
    def backward(self, dout: ArrayLike) -> np.ndarray:
        if self._cache is None:
            raise self._not_run()
        x_shape, pads, y_shape = self._cache
        dout = self._check_dout(dout, y_shape)
        return _avg_pool_backward(dout, x_shape, self.pool_size, self.stride, pads)
