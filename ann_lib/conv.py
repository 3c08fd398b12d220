r"""Convolution in NHWC layout, forward and backward, as one matrix product (chapter 5).

Every function here works on a batch of images ``x`` of shape ``(N, H, W, C)``
(batch, height, width, channels: TensorFlow's default NHWC layout) and follows
TensorFlow's definitions exactly, so that ``tests/tf/test_tf_conv.py`` can hold
it to ``tf.nn.conv2d``. **Convolution is a cross-correlation**: the kernel is not flipped,

.. math:: y_{n,i,j,o} = b_o + \sum_{p,q,c} x_{n,\,s_h i + p,\,s_w j + q,\,c}\, w_{p,q,c,o},

with the kernel ``w`` of shape ``(kh, kw, C_in, C_out)``. The padding
(``"valid"``, ``"same"``, an int, or explicit) is resolved by :mod:`ann_lib.padding`.

The work is done by :func:`ann_lib.windows.im2col`: every window of the padded input
becomes one row of a matrix :math:`X_{col}` of shape ``(N * H_out * W_out, kh * kw * C_in)``,
and the convolution is :math:`Y = X_{col} W + \mathbf b` with the kernel reshaped to
``(kh * kw * C_in, C_out)``: the dense layer's product, once per window. The backward
pass is the dense layer's too, :math:`\partial L/\partial W = X_{col}^\top G` and
:math:`\partial L/\partial X_{col} = G W^\top`, and :func:`ann_lib.windows.col2im` adds
each window's gradient back to the pixels it came from.

:class:`Conv2D` is the same computation as a layer (:mod:`ann_lib.layers`' contract):
``forward`` keeps :math:`X_{col}`, ``backward`` reuses it. Pooling is in :mod:`ann_lib.pooling`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ann_lib import initializers
from ann_lib._validation import (
    as_float_array,
    as_image_batch,
    check_image_shape,
    checked_once,
    finite_result,
    int_pair,
    positive_int,
    shape_str,
)
from ann_lib.layers import Layer
from ann_lib.padding import Padding, check_padding, resolve_padding
from ann_lib.windows import col2im, im2col

__all__ = ["Conv2D", "conv2d", "conv2d_backward", "conv_output_shape"]


def _check_kernel(w: ArrayLike, x_shape: tuple[int, ...]) -> np.ndarray:
    w = as_float_array(w, "w", finite=True)
    if w.ndim != 4:
        raise ValueError(f"w must be a kernel (kh, kw, C_in, C_out), got shape {shape_str(w.shape)}")
    if min(w.shape) < 1:
        raise ValueError(f"w must not be empty, got shape {shape_str(w.shape)}")
    if x_shape[3] != w.shape[2]:
        raise ValueError(
            f"channel mismatch: x {shape_str(x_shape)} has C = {x_shape[3]} channels, "
            f"but the kernel w {shape_str(w.shape)} expects C_in = {w.shape[2]}"
        )
    return w


def conv_output_shape(
    x_shape: tuple[int, ...], w_shape: tuple[int, ...], stride: int | tuple[int, int] = 1,
    padding: Padding = "valid",
) -> tuple[int, int, int, int]:
    """The shape ``(N, H_out, W_out, C_out)`` of ``conv2d(x, w, ...)``, without computing it.

    ``x_shape : (N, H, W, C_in)``, ``w_shape : (kh, kw, C_in, C_out)``.
    """
    x_shape = check_image_shape(x_shape, "x_shape")
    w_shape = check_image_shape(w_shape, "w_shape")
    if x_shape[3] != w_shape[2]:
        raise ValueError(
            f"channel mismatch: x_shape {shape_str(x_shape)} has C = {x_shape[3]} channels, "
            f"but w_shape {shape_str(w_shape)} expects C_in = {w_shape[2]}"
        )
    _, (h_out, w_out) = resolve_padding(x_shape, w_shape[:2], int_pair(stride, "stride"), padding)
    return (x_shape[0], h_out, w_out, w_shape[3])


@finite_result("x", "w", "b")
def conv2d(x: ArrayLike, w: ArrayLike, b: ArrayLike | None = None, *, stride: int | tuple[int, int] = 1,
           padding: Padding = "valid") -> np.ndarray:
    r"""2-D convolution (a cross-correlation, as in TensorFlow) of a batch of images.

    .. math:: y_{n,i,j,o} = b_o + \sum_{p=0}^{k_h-1} \sum_{q=0}^{k_w-1} \sum_{c}
              x^{pad}_{n,\,s_h i + p,\,s_w j + q,\,c}\; w_{p,q,c,o}

    Parameters
    ----------
    x : (N, H, W, C_in) images.
    w : (kh, kw, C_in, C_out) kernel, the layout of ``tf.nn.conv2d``.
    b : (C_out,) bias, or None.
    stride : int or (s_h, s_w).
    padding : ``"valid"``, ``"same"`` (TensorFlow's definitions), an int, or
        ``((top, bottom), (left, right))``.

    Returns
    -------
    y : (N, H_out, W_out, C_out), in the common float dtype of ``x`` and ``w``.

    Raises ``ValueError`` naming the shapes when the channels of ``x`` and ``w``
    differ or the kernel is larger than the padded input.
    """
    x = as_image_batch(x, "x")
    w = _check_kernel(w, x.shape)
    kh, kw, c_in, c_out = w.shape
    pads, (h_out, w_out) = resolve_padding(x.shape, (kh, kw), stride, padding)
    dtype = np.result_type(x.dtype, w.dtype)
    cols = im2col(x.astype(dtype, copy=False), (kh, kw), stride, pads).reshape(-1, kh * kw * c_in)
    y = cols @ w.astype(dtype, copy=False).reshape(kh * kw * c_in, c_out)  # Y = X_col W
    if b is not None:
        b = as_float_array(b, "b", finite=True)
        if b.shape != (c_out,):
            raise ValueError(f"b must have shape ({c_out},), one bias per output channel of w {shape_str(w.shape)}, "
                             f"got {shape_str(b.shape)}")
        y += b.astype(dtype, copy=False)
    return y.reshape(x.shape[0], h_out, w_out, c_out)


@finite_result("dout", "x", "w")
def conv2d_backward(dout: ArrayLike, x: ArrayLike, w: ArrayLike, *, stride: int | tuple[int, int] = 1,
                    padding: Padding = "valid") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of a loss :math:`L` through ``conv2d(x, w, b)``, given :math:`\partial L/\partial y`.

    .. math:: \frac{\partial L}{\partial W} = X_{col}^\top \frac{\partial L}{\partial Y}, \quad
              \frac{\partial L}{\partial X} = \mathrm{col2im}\Big(\frac{\partial L}{\partial Y} W^\top\Big), \quad
              \frac{\partial L}{\partial b_o} = \sum_{n,i,j} \frac{\partial L}{\partial y_{n,i,j,o}}

    dout : (N, H_out, W_out, C_out) -> dx : (N, H, W, C_in), dw : (kh, kw, C_in, C_out), db : (C_out,).
    """
    x = as_image_batch(x, "x")
    w = _check_kernel(w, x.shape)
    kh, kw, c_in, c_out = w.shape
    pads, (h_out, w_out) = resolve_padding(x.shape, (kh, kw), stride, padding)
    dout = as_float_array(dout, "dout", finite=True)
    if dout.shape != (x.shape[0], h_out, w_out, c_out):
        raise ValueError(f"dout must have the shape {shape_str((x.shape[0], h_out, w_out, c_out))} of the output of "
                         f"conv2d(x, w, stride={stride!r}, padding={padding!r}), got {shape_str(dout.shape)}")
    dtype = np.result_type(x.dtype, w.dtype)
    cols = im2col(x.astype(dtype, copy=False), (kh, kw), stride, pads).reshape(-1, kh * kw * c_in)
    G = dout.astype(dtype, copy=False).reshape(-1, c_out)
    dw = (cols.T @ G).reshape(w.shape)  # dL/dW = X_col^T G
    db = G.sum(axis=0)  # dL/db = sum of G over n, i, j
    dcols = G @ w.astype(dtype, copy=False).reshape(kh * kw * c_in, c_out).T  # dL/dX_col = G W^T
    with checked_once():  # dcols is ours: an overflow in it is reported for dout, x and w, not for col2im's cols
        dx = col2im(dcols.reshape(x.shape[0], h_out, w_out, kh, kw, c_in), x.shape, stride, pads)
    return dx, dw, db


class Conv2D(Layer):
    r"""A convolutional layer: ``c_out`` filters of size ``kh x kw x c_in`` slid over the input.

    .. math:: Y = \mathrm{conv2d}(X, W) + \mathbf b

    Parameters
    ----------
    c_in, c_out : int
        Input channels and filters (output channels, one feature map each).
    kernel_size : int or (kh, kw)
    stride : int or (s_h, s_w)
    padding : ``"valid"``, ``"same"`` or an int, as in :func:`conv2d`.
    rng : numpy.random.Generator
        Draws the initial kernel.
    init : str or callable
        A name from :data:`ann_lib.initializers.INITIALIZERS` (fan-in of a kernel is
        ``kh * kw * c_in``), or ``f(shape, rng)``. The bias starts at 0.

    Shapes
    ------
    ``x : (N, H, W, c_in)`` -> ``y : (N, H_out, W_out, c_out)``;
    ``W : (kh, kw, c_in, c_out)``, ``b : (c_out,)``. The layer has
    ``kh * kw * c_in * c_out + c_out`` parameters, whatever the image size.

    Forward and backward are :func:`conv2d` and :func:`conv2d_backward`, written out
    as the dense layer's three lines: :math:`Y = X_{col} W + \mathbf b`;
    :math:`\partial L/\partial W = X_{col}^\top G`, :math:`\partial L/\partial \mathbf b = \sum G`,
    :math:`\partial L/\partial X = \mathrm{col2im}(G W^\top)`.
    """

    def __init__(self, c_in: int, c_out: int, kernel_size: int | tuple[int, int] = 3, *,
                 stride: int | tuple[int, int] = 1, padding: Padding = "valid",
                 rng: np.random.Generator, init: str | initializers.Initializer = "glorot_uniform"):
        super().__init__()
        self.c_in, self.c_out = positive_int(c_in, "c_in"), positive_int(c_out, "c_out")
        self.kernel_size = int_pair(kernel_size, "kernel_size")
        self.stride = int_pair(stride, "stride")
        check_padding(padding)  # reject a bad padding now, not at the first forward
        self.padding = padding.lower() if isinstance(padding, str) else padding
        kernel = initializers.initial_weights(init, (*self.kernel_size, self.c_in, self.c_out), rng)
        self.params = {"W": kernel, "b": np.zeros(self.c_out)}
        self.grads = {"W": np.zeros_like(kernel), "b": np.zeros(self.c_out)}
        self._cache: tuple | None = None

    @finite_result("x")
    def forward(self, x: ArrayLike) -> np.ndarray:
        x = as_image_batch(x, "x")
        if x.shape[3] != self.c_in:
            raise ValueError(f"channel mismatch: x {shape_str(x.shape)} has C = {x.shape[3]} channels, but {self!r} "
                             f"with kernel W {shape_str(self.params['W'].shape)} expects C_in = {self.c_in}")
        kh, kw = self.kernel_size
        pads, (h_out, w_out) = resolve_padding(x.shape, self.kernel_size, self.stride, self.padding)
        W = self.params["W"].astype(x.dtype, copy=False).reshape(kh * kw * self.c_in, self.c_out)
        b = self.params["b"].astype(x.dtype, copy=False)
        cols = im2col(x, self.kernel_size, self.stride, pads).reshape(-1, kh * kw * self.c_in)  # one row per window
        y = (cols @ W + b).reshape(x.shape[0], h_out, w_out, self.c_out)  # Y = X_col W + b
        self._cache = (cols, x.shape, pads, y.shape)
        return y

    @finite_result("dout")
    def backward(self, dout: ArrayLike) -> np.ndarray:
        if self._cache is None:
            raise self._not_run()
        cols, x_shape, pads, y_shape = self._cache
        dout = self._check_dout(dout, y_shape)
        kh, kw = self.kernel_size
        W = self.params["W"].astype(cols.dtype, copy=False).reshape(kh * kw * self.c_in, self.c_out)
        G = dout.astype(cols.dtype, copy=False).reshape(-1, self.c_out)
        self.grads["W"] = (cols.T @ G).reshape(self.params["W"].shape).astype(np.float64)  # dL/dW = X_col^T G
        self.grads["b"] = G.sum(axis=0).astype(np.float64)  # dL/db = sum of G over n, i, j
        dcols = (G @ W.T).reshape(*y_shape[:3], kh, kw, self.c_in)  # dL/dX_col = G W^T
        return col2im(dcols, x_shape, self.stride, pads)  # dL/dX: each window's gradient back to its pixels

    def __repr__(self) -> str:
        kh, kw = self.kernel_size
        return f"Conv2D({self.c_in}, {self.c_out}, ({kh}, {kw}), stride={self.stride}, padding={self.padding!r})"
