r"""Convolution and pooling in NHWC layout, forward and backward, by im2col (chapter 5).

Every function here works on a batch of images ``x`` of shape ``(N, H, W, C)``
(batch, height, width, channels: TensorFlow's default NHWC layout) and follows
TensorFlow's definitions exactly, so that ``tests/tf/test_tf_conv.py`` can hold
it to ``tf.nn.conv2d``, ``tf.nn.max_pool2d`` and ``tf.nn.avg_pool2d``:

* **Convolution is a cross-correlation**: the kernel is not flipped,

  .. math:: y_{n,i,j,o} = b_o + \sum_{p,q,c} x_{n,\,s_h i + p,\,s_w j + q,\,c}\, w_{p,q,c,o},

  with the kernel ``w`` of shape ``(kh, kw, C_in, C_out)``.
* **Padding** ``"valid"`` adds none, so :math:`H_{out} = \lfloor (H - k_h)/s_h \rfloor + 1`.
  ``"same"`` gives :math:`H_{out} = \lceil H / s_h \rceil` and adds
  :math:`P = \max((H_{out} - 1)s_h + k_h - H, 0)` rows, :math:`\lfloor P/2 \rfloor` on top
  and the rest (one more when :math:`P` is odd) at the bottom; the same for the width.
  An ``int`` ``p`` pads ``p`` on every side, :math:`H_{out} = \lfloor (H + 2p - k_h)/s_h \rfloor + 1`.
* **Max pooling** pads with :math:`-\infty` (padding never wins); its gradient goes to the
  first maximum of each window in row-major order, as TensorFlow's does.
  **Average pooling** divides by the number of real (not padded) pixels in each window.

The work is done by ``im2col``: a strided *view* of the padded input with shape
``(N, H_out, W_out, kh, kw, C)``, one window per output pixel, which turns the
convolution into a single matrix product. Its adjoint ``col2im`` adds the window
gradients back, with one vectorised slice addition per kernel offset ``(p, q)``:
there is no Python loop over pixels. The convolution's backward pass feeds
``col2im`` the block ``dY w[p, q]^T`` of ``dY W^T`` one offset at a time, so that
the large matrix ``dY W^T`` is never stored (the benchmark in
``benchmarks/conv.py`` measured this twice as fast).

The layers :class:`Conv2D`, :class:`MaxPool2D` and :class:`AvgPool2D` wrap these
functions in the :class:`ann_lib.layers.Layer` contract: ``forward`` caches the
im2col matrix (or the positions of the maxima), ``backward`` reuses it.
"""

from __future__ import annotations

from typing import Union

import numpy as np
from numpy.lib.stride_tricks import as_strided
from numpy.typing import ArrayLike

from ann_lib import initializers
from ann_lib._validation import as_float_array, positive_int, shape_str
from ann_lib.layers import Layer

__all__ = [
    "AvgPool2D",
    "Conv2D",
    "MaxPool2D",
    "Padding",
    "output_size",
    "resolve_padding",
    "conv_output_shape",
    "im2col",
    "col2im",
    "conv2d",
    "conv2d_backward",
    "max_pool2d",
    "max_pool2d_backward",
    "avg_pool2d",
    "avg_pool2d_backward",
]

Padding = Union[str, int, tuple]
Pads = tuple[tuple[int, int], tuple[int, int]]  # ((top, bottom), (left, right))


# ------------------------------------------------------------------ arguments
def _pair(value: int | tuple[int, int] | list[int], name: str) -> tuple[int, int]:
    """``3`` -> ``(3, 3)``; a pair of positive ints passes through."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        pair = (int(value), int(value))
    elif (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value)
    ):
        pair = (int(value[0]), int(value[1]))
    else:
        raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}")
    if min(pair) < 1:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return pair


def output_size(size: int, kernel: int, stride: int, padding: str) -> tuple[int, int, int]:
    r"""Output length and padding (before, after) along one axis, as TensorFlow defines them.

    .. math:: \text{valid: } \lfloor (n - k)/s \rfloor + 1, \qquad
              \text{same: } \lceil n / s \rceil

    Returns ``(n_out, pad_before, pad_after)``; for ``"valid"`` the padding is ``(0, 0)``
    and ``n_out`` is at most 0 when the kernel is longer than the input.
    """
    if padding == "valid":
        return (size - kernel) // stride + 1, 0, 0
    if padding == "same":
        n_out = -(-size // stride)  # ceil
        total = max((n_out - 1) * stride + kernel - size, 0)
        return n_out, total // 2, total - total // 2
    raise ValueError(f"padding must be 'valid' or 'same' here, got {padding!r}")


def _normalise_padding(padding: Padding) -> str | Pads:
    if isinstance(padding, str):
        lowered = padding.lower()
        if lowered not in ("valid", "same"):
            raise ValueError(f"padding must be 'valid', 'same' or an int >= 0, got {padding!r}")
        return lowered
    if isinstance(padding, (int, np.integer)) and not isinstance(padding, bool):
        if padding < 0:
            raise ValueError(f"padding must be 'valid', 'same' or an int >= 0, got {padding!r}")
        p = int(padding)
        return ((p, p), (p, p))
    try:
        (top, bottom), (left, right) = padding  # type: ignore[misc]
        pads = ((int(top), int(bottom)), (int(left), int(right)))
    except (TypeError, ValueError):
        raise TypeError(
            "padding must be 'valid', 'same', an int, or ((top, bottom), (left, right)); "
            f"got {padding!r}"
        ) from None
    if min(min(pads[0]), min(pads[1])) < 0:
        raise ValueError(f"padding must not be negative, got {padding!r}")
    return pads


def resolve_padding(
    x_shape: tuple[int, ...], kernel: tuple[int, int], stride: tuple[int, int], padding: Padding
) -> tuple[Pads, tuple[int, int]]:
    """The explicit padding ``((top, bottom), (left, right))`` and the output size ``(H_out, W_out)``.

    Raises ``ValueError``, naming the shapes, when the kernel does not fit in the
    padded input.
    """
    mode = _normalise_padding(padding)
    _, height, width, _ = x_shape
    if isinstance(mode, str):
        h_out, top, bottom = output_size(height, kernel[0], stride[0], mode)
        w_out, left, right = output_size(width, kernel[1], stride[1], mode)
        pads: Pads = ((top, bottom), (left, right))
    else:
        pads = mode
    padded = (height + sum(pads[0]), width + sum(pads[1]))
    if padded[0] < kernel[0] or padded[1] < kernel[1]:
        raise ValueError(
            f"kernel larger than the padded input: the input x {shape_str(x_shape)} "
            f"is {padded[0]}x{padded[1]} after padding={padding!r}, "
            f"but the kernel is {kernel[0]}x{kernel[1]}; "
            "use a smaller kernel, a larger input or padding='same'"
        )
    h_out = (padded[0] - kernel[0]) // stride[0] + 1
    w_out = (padded[1] - kernel[1]) // stride[1] + 1
    return pads, (h_out, w_out)


def _check_images(x: ArrayLike, name: str = "x") -> np.ndarray:
    x = as_float_array(x, name)
    if x.ndim != 4:
        raise ValueError(f"{name} must be a batch of images (N, H, W, C), got shape {shape_str(x.shape)}")
    if min(x.shape) < 1:
        raise ValueError(f"{name} must not be empty, got shape {shape_str(x.shape)}")
    return x


def _check_dout(dout: ArrayLike, expected: tuple[int, ...]) -> np.ndarray:
    dout = as_float_array(dout, "dout")
    if dout.shape != tuple(expected):
        raise ValueError(
            f"dout must have the forward output's shape {shape_str(expected)}, got {shape_str(dout.shape)}"
        )
    return dout


def conv_output_shape(
    x_shape: tuple[int, ...], w_shape: tuple[int, ...], stride: int | tuple[int, int] = 1,
    padding: Padding = "valid",
) -> tuple[int, int, int, int]:
    """The shape ``(N, H_out, W_out, C_out)`` of ``conv2d(x, w, ...)``, without computing it."""
    stride = _pair(stride, "stride")
    if len(x_shape) != 4:
        raise ValueError(f"x must be a batch of images (N, H, W, C), got shape {shape_str(tuple(x_shape))}")
    _check_kernel_shape(tuple(x_shape), tuple(w_shape))
    _, (h_out, w_out) = resolve_padding(tuple(x_shape), tuple(w_shape[:2]), stride, padding)
    return (x_shape[0], h_out, w_out, w_shape[3])


def _check_kernel_shape(x_shape: tuple[int, ...], w_shape: tuple[int, ...]) -> None:
    if len(w_shape) != 4:
        raise ValueError(f"w must be a kernel (kh, kw, C_in, C_out), got shape {shape_str(w_shape)}")
    if min(w_shape) < 1:
        raise ValueError(f"w must not be empty, got shape {shape_str(w_shape)}")
    if x_shape[3] != w_shape[2]:
        raise ValueError(
            f"channel mismatch: x {shape_str(x_shape)} has C = {x_shape[3]} channels, "
            f"but the kernel w {shape_str(w_shape)} expects C_in = {w_shape[2]}"
        )


# ------------------------------------------------------------- im2col/col2im
def im2col(x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], pads: Pads,
           pad_value: float = 0.0) -> np.ndarray:
    """All the windows of ``x``: a read-only strided view ``(N, H_out, W_out, kh, kw, C)``.

    ``cols[n, i, j]`` is the ``kh x kw x C`` patch that output pixel ``(i, j)`` sees.
    Nothing is copied except the padding; reshape the view to
    ``(N * H_out * W_out, kh * kw * C)`` for the matrix product.
    """
    (top, bottom), (left, right) = pads
    if top or bottom or left or right:
        x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=pad_value)
    n, height, width, channels = x.shape
    kh, kw = kernel
    sh, sw = stride
    h_out = (height - kh) // sh + 1
    w_out = (width - kw) // sw + 1
    s_n, s_h, s_w, s_c = x.strides
    return as_strided(
        x,
        shape=(n, h_out, w_out, kh, kw, channels),
        strides=(s_n, s_h * sh, s_w * sw, s_h, s_w, s_c),
        writeable=False,
    )


def col2im(cols: np.ndarray, x_shape: tuple[int, ...], stride: tuple[int, int], pads: Pads) -> np.ndarray:
    """The adjoint of :func:`im2col`: add every window's values back where they came from.

    cols : (N, H_out, W_out, kh, kw, C) -> (N, H, W, C). Pixels that several
    windows share receive the sum. One slice addition per kernel offset ``(p, q)``.
    """
    n, h_out, w_out, kh, kw, channels = cols.shape
    return _add_windows(lambda p, q: cols[:, :, :, p, q, :], (kh, kw), (h_out, w_out), x_shape, stride, pads,
                        cols.dtype)


def _add_windows(block, kernel, out_hw, x_shape, stride, pads, dtype) -> np.ndarray:
    """col2im with the columns given one kernel offset at a time.

    ``block(p, q)`` is the ``(N, H_out, W_out, C)`` slice ``cols[:, :, :, p, q, :]``;
    it may be computed on demand, so that the whole ``cols`` array never has to
    exist at once. The additions are vectorised over all pixels.
    """
    (top, bottom), (left, right) = pads
    height, width = x_shape[1] + top + bottom, x_shape[2] + left + right
    (kh, kw), (h_out, w_out), (sh, sw) = kernel, out_hw, stride
    padded = np.zeros((x_shape[0], height, width, x_shape[3]), dtype=dtype)
    for p in range(kh):
        for q in range(kw):
            padded[:, p : p + sh * (h_out - 1) + 1 : sh, q : q + sw * (w_out - 1) + 1 : sw, :] += block(p, q)
    return padded[:, top : top + x_shape[1], left : left + x_shape[2], :]


# --------------------------------------------------------------- convolution
def _conv_setup(x: ArrayLike, w: ArrayLike, stride, padding):
    x = _check_images(x, "x")
    w = as_float_array(w, "w")
    _check_kernel_shape(x.shape, w.shape)
    stride = _pair(stride, "stride")
    pads, out_hw = resolve_padding(x.shape, w.shape[:2], stride, padding)
    dtype = np.result_type(x.dtype, w.dtype)
    return x.astype(dtype, copy=False), w.astype(dtype, copy=False), stride, pads, out_hw


def _conv_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, stride, pads, out_hw):
    """y and the im2col matrix (N*H_out*W_out, kh*kw*C_in), which the backward pass reuses."""
    n = x.shape[0]
    kh, kw, c_in, c_out = w.shape
    cols = im2col(x, (kh, kw), stride, pads).reshape(n * out_hw[0] * out_hw[1], kh * kw * c_in)
    y = cols @ w.reshape(kh * kw * c_in, c_out)
    if b is not None:
        y += b
    return y.reshape(n, out_hw[0], out_hw[1], c_out), cols


def _conv_backward(dout: np.ndarray, cols: np.ndarray, x_shape, w: np.ndarray, stride, pads):
    kh, kw, c_in, c_out = w.shape
    n, h_out, w_out, _ = dout.shape
    dout2d = dout.reshape(-1, c_out)
    dw = (cols.T @ dout2d).reshape(w.shape)  # dW = X_col^T dY
    db = dout2d.sum(axis=0)
    # dX = col2im(dY W^T), one kernel offset (p, q) at a time: the block of dY W^T that
    # belongs to offset (p, q) is dY w[p, q]^T, so the (N*H_out*W_out, kh*kw*C_in)
    # matrix dY W^T is never stored as a whole
    dx = _add_windows(lambda p, q: (dout2d @ w[p, q].T).reshape(n, h_out, w_out, c_in),
                      (kh, kw), (h_out, w_out), x_shape, stride, pads, dout.dtype)
    return dx, dw, db


def _check_bias(b: ArrayLike | None, c_out: int, dtype) -> np.ndarray | None:
    if b is None:
        return None
    b = as_float_array(b, "b")
    if b.shape != (c_out,):
        raise ValueError(f"b must have shape ({c_out},), one bias per output channel, got {shape_str(b.shape)}")
    return b.astype(dtype, copy=False)


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
    x, w, stride, pads, out_hw = _conv_setup(x, w, stride, padding)
    b = _check_bias(b, w.shape[3], x.dtype)
    y, _ = _conv_forward(x, w, b, stride, pads, out_hw)
    return y


def conv2d_backward(dout: ArrayLike, x: ArrayLike, w: ArrayLike, *, stride: int | tuple[int, int] = 1,
                    padding: Padding = "valid") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of a loss :math:`L` through ``conv2d(x, w, b)``, given :math:`\partial L/\partial y`.

    .. math:: \frac{\partial L}{\partial W} = X_{col}^\top \frac{\partial L}{\partial Y}, \quad
              \frac{\partial L}{\partial X} = \mathrm{col2im}\Big(\frac{\partial L}{\partial Y} W^\top\Big), \quad
              \frac{\partial L}{\partial b_o} = \sum_{n,i,j} \frac{\partial L}{\partial y_{n,i,j,o}}

    dout : (N, H_out, W_out, C_out) -> dx : (N, H, W, C_in), dw : (kh, kw, C_in, C_out), db : (C_out,).
    """
    x, w, stride, pads, out_hw = _conv_setup(x, w, stride, padding)
    dout = _check_dout(dout, (x.shape[0], *out_hw, w.shape[3])).astype(x.dtype, copy=False)
    kh, kw, c_in, _ = w.shape
    cols = im2col(x, (kh, kw), stride, pads).reshape(-1, kh * kw * c_in)
    return _conv_backward(dout, cols, x.shape, w, stride, pads)


# -------------------------------------------------------------------- pooling
def _pool_setup(x: ArrayLike, pool_size, stride, padding):
    x = _check_images(x, "x")
    pool = _pair(pool_size, "pool_size")
    stride = pool if stride is None else _pair(stride, "stride")
    mode = _normalise_padding(padding)
    if not isinstance(mode, str):
        raise ValueError(f"pooling padding must be 'valid' or 'same', got {padding!r}")
    pads, out_hw = resolve_padding(x.shape, pool, stride, mode)
    return x, pool, stride, pads, out_hw


def _max_pool_forward(x, pool, stride, pads):
    """y and the flat index (0 .. kh*kw-1) of each window's first maximum."""
    windows = im2col(x, pool, stride, pads, pad_value=-np.inf)
    n, h_out, w_out, kh, kw, c = windows.shape
    flat = windows.reshape(n, h_out, w_out, kh * kw, c)
    argmax = flat.argmax(axis=3)  # the first maximum, row-major in the window
    y = np.take_along_axis(flat, argmax[:, :, :, None, :], axis=3)[:, :, :, 0, :]
    return y, argmax


def _max_pool_backward(dout, argmax, x_shape, pool, stride, pads):
    kh, kw = pool
    picked = argmax[:, :, :, None, :] == np.arange(kh * kw)[:, None]  # (N, Ho, Wo, kh*kw, C)
    dcols = np.where(picked, dout[:, :, :, None, :], 0.0).astype(dout.dtype, copy=False)
    n, h_out, w_out, _, c = dcols.shape
    return col2im(dcols.reshape(n, h_out, w_out, kh, kw, c), x_shape, stride, pads)


def max_pool2d(x: ArrayLike, pool_size: int | tuple[int, int] = 2, stride: int | tuple[int, int] | None = None,
               padding: str = "valid") -> np.ndarray:
    r"""Max pooling, as ``tf.nn.max_pool2d``: the largest value of each window, per channel.

    .. math:: y_{n,i,j,c} = \max_{0 \le p < k_h,\ 0 \le q < k_w} x^{pad}_{n,\,s_h i + p,\,s_w j + q,\,c}

    x : (N, H, W, C) -> (N, H_out, W_out, C). ``stride`` defaults to ``pool_size``;
    ``padding`` is ``"valid"`` or ``"same"`` (padded with :math:`-\infty`).
    """
    x, pool, stride, pads, _ = _pool_setup(x, pool_size, stride, padding)
    y, _ = _max_pool_forward(x, pool, stride, pads)
    return y


def max_pool2d_backward(dout: ArrayLike, x: ArrayLike, pool_size: int | tuple[int, int] = 2,
                        stride: int | tuple[int, int] | None = None, padding: str = "valid") -> np.ndarray:
    r"""Gradient through :func:`max_pool2d`: each window's gradient goes to its (first) maximum.

    .. math:: \frac{\partial L}{\partial x_{n,h,w,c}} = \sum_{(i,j):\ (h,w) = \arg\max \text{ of window } (i,j)}
              \frac{\partial L}{\partial y_{n,i,j,c}}

    dout : (N, H_out, W_out, C) -> dx : (N, H, W, C).
    """
    x, pool, stride, pads, out_hw = _pool_setup(x, pool_size, stride, padding)
    dout = _check_dout(dout, (x.shape[0], *out_hw, x.shape[3])).astype(x.dtype, copy=False)
    _, argmax = _max_pool_forward(x, pool, stride, pads)
    return _max_pool_backward(dout, argmax, x.shape, pool, stride, pads)


def _window_counts(x_shape, pool, stride, pads, dtype) -> np.ndarray:
    """How many real (not padded) pixels each window covers: (1, H_out, W_out, 1)."""
    ones = np.ones((1, x_shape[1], x_shape[2], 1), dtype=dtype)
    return im2col(ones, pool, stride, pads).sum(axis=(3, 4))


def avg_pool2d(x: ArrayLike, pool_size: int | tuple[int, int] = 2, stride: int | tuple[int, int] | None = None,
               padding: str = "valid") -> np.ndarray:
    r"""Average pooling, as ``tf.nn.avg_pool2d``: the mean of each window's real pixels.

    .. math:: y_{n,i,j,c} = \frac{1}{|R_{ij}|} \sum_{(h,w) \in R_{ij}} x_{n,h,w,c}

    where :math:`R_{ij}` is window :math:`(i, j)` without its padding (with
    ``"same"``, windows at the border average over fewer pixels).
    x : (N, H, W, C) -> (N, H_out, W_out, C).
    """
    x, pool, stride, pads, _ = _pool_setup(x, pool_size, stride, padding)
    sums = im2col(x, pool, stride, pads).sum(axis=(3, 4))
    return sums / _window_counts(x.shape, pool, stride, pads, x.dtype)


def avg_pool2d_backward(dout: ArrayLike, x: ArrayLike, pool_size: int | tuple[int, int] = 2,
                        stride: int | tuple[int, int] | None = None, padding: str = "valid") -> np.ndarray:
    r"""Gradient through :func:`avg_pool2d`: each window spreads its gradient evenly.

    .. math:: \frac{\partial L}{\partial x_{n,h,w,c}} = \sum_{(i,j):\ (h,w) \in R_{ij}}
              \frac{1}{|R_{ij}|} \frac{\partial L}{\partial y_{n,i,j,c}}

    dout : (N, H_out, W_out, C) -> dx : (N, H, W, C). Only the shape of ``x`` is used.
    """
    x, pool, stride, pads, out_hw = _pool_setup(x, pool_size, stride, padding)
    dout = _check_dout(dout, (x.shape[0], *out_hw, x.shape[3])).astype(x.dtype, copy=False)
    return _avg_pool_backward(dout, x.shape, pool, stride, pads)


def _avg_pool_backward(dout, x_shape, pool, stride, pads):
    share = dout / _window_counts(x_shape, pool, stride, pads, dout.dtype)
    n, h_out, w_out, c = share.shape
    dcols = np.broadcast_to(share[:, :, :, None, None, :], (n, h_out, w_out, *pool, c))
    return col2im(dcols, x_shape, stride, pads)


# --------------------------------------------------------------------- layers
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
    """

    def __init__(self, c_in: int, c_out: int, kernel_size: int | tuple[int, int] = 3, *,
                 stride: int | tuple[int, int] = 1, padding: Padding = "valid",
                 rng: np.random.Generator, init: str = "glorot_uniform"):
        super().__init__()
        self.c_in, self.c_out = positive_int(c_in, "c_in"), positive_int(c_out, "c_out")
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = _pair(stride, "stride")
        _normalise_padding(padding)  # reject a bad padding now, not at the first forward
        self.padding = padding.lower() if isinstance(padding, str) else padding
        shape = (*self.kernel_size, self.c_in, self.c_out)
        kernel = np.asarray(initializers.get(init)(shape, rng), dtype=np.float64)
        if kernel.shape != shape:
            raise ValueError(f"init returned shape {shape_str(kernel.shape)}, expected {shape_str(shape)}")
        self.params = {"W": kernel, "b": np.zeros(self.c_out)}
        self.grads = {"W": np.zeros_like(kernel), "b": np.zeros(self.c_out)}
        self._cache = None

    def forward(self, x: ArrayLike) -> np.ndarray:
        x, w, stride, pads, out_hw = _conv_setup(x, self.params["W"], self.stride, self.padding)
        y, cols = _conv_forward(x, w, self.params["b"].astype(x.dtype, copy=False), stride, pads, out_hw)
        self._cache = (cols, x.shape, pads, y.shape)
        return y

    def backward(self, dout: ArrayLike) -> np.ndarray:
        if self._cache is None:
            raise self._not_run()
        cols, x_shape, pads, y_shape = self._cache
        dout = self._check_dout(dout, y_shape)
        w = self.params["W"].astype(cols.dtype, copy=False)
        dx, dw, db = _conv_backward(dout.astype(cols.dtype, copy=False), cols, x_shape, w, self.stride, pads)
        self.grads["W"] = dw.astype(np.float64, copy=False)  # dL/dW = X_col^T G
        self.grads["b"] = db.astype(np.float64, copy=False)  # dL/db = sum of G over n, i, j
        return dx

    def __repr__(self) -> str:
        kh, kw = self.kernel_size
        return f"Conv2D({self.c_in}, {self.c_out}, ({kh}, {kw}), stride={self.stride}, padding={self.padding!r})"


class _Pool2D(Layer):
    kind = ""

    def __init__(self, pool_size: int | tuple[int, int] = 2, stride: int | tuple[int, int] | None = None,
                 padding: str = "valid"):
        super().__init__()
        self.pool_size = _pair(pool_size, "pool_size")
        self.stride = self.pool_size if stride is None else _pair(stride, "stride")
        mode = _normalise_padding(padding)
        if not isinstance(mode, str):
            raise ValueError(f"pooling padding must be 'valid' or 'same', got {padding!r}")
        self.padding = mode
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
        x, pool, stride, pads, _ = _pool_setup(x, self.pool_size, self.stride, self.padding)
        y, argmax = _max_pool_forward(x, pool, stride, pads)
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

    def forward(self, x: ArrayLike) -> np.ndarray:
        x, pool, stride, pads, _ = _pool_setup(x, self.pool_size, self.stride, self.padding)
        sums = im2col(x, pool, stride, pads).sum(axis=(3, 4))
        y = sums / _window_counts(x.shape, pool, stride, pads, x.dtype)
        self._cache = (x.shape, pads, y.shape)
        return y

    def backward(self, dout: ArrayLike) -> np.ndarray:
        if self._cache is None:
            raise self._not_run()
        x_shape, pads, y_shape = self._cache
        dout = self._check_dout(dout, y_shape)
        return _avg_pool_backward(dout, x_shape, self.pool_size, self.stride, pads)
