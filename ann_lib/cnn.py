r"""A small convolutional network for the 8x8 digits, trained from scratch (chapter 5).

The network is LeNet's pattern at the digits' scale: convolution, ReLU, max
pooling, twice, then two dense layers::

    x (N, 8, 8, 1)
    Conv2D 3x3, 16 filters, 'same'  -> (N, 8, 8, 16)   ReLU
    MaxPool2D 2x2                   -> (N, 4, 4, 16)
    Conv2D 3x3, 32 filters, 'same'  -> (N, 4, 4, 32)   ReLU
    MaxPool2D 2x2                   -> (N, 2, 2, 32)
    Flatten                         -> (N, 128)
    Dense 128 -> 64                                    ReLU
    Dense 64 -> 10                  logits

It is built from :mod:`ann_lib.conv` and the shared layers, losses and training
loop of chapter 4. The training loop's plain :class:`~ann_lib.training.SGD`
works but wanders (the test accuracy jumps between epochs); :class:`~ann_lib.training.Adam`, the
optimizer the chapter's Keras model uses too, gets there in a few epochs and
stays there.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import as_float_array, positive_int, shape_str
from ann_lib.conv import Conv2D, MaxPool2D, conv2d
from ann_lib.layers import Activation, Dense, Flatten, Layer
from ann_lib.losses import SoftmaxCrossEntropy
from ann_lib.network import Sequential
from ann_lib.training import Adam, History, fit

__all__ = [
    "TRAINING",
    "digits_cnn",
    "gabor_filter",
    "layer_outputs",
    "oriented_bars",
    "predict_labels",
    "train_digits_cnn",
    "tuning_curves",
]

#: The recipe the chapter, the gallery and the tests use for the digits.
TRAINING = {"epochs": 10, "batch_size": 32, "lr": 0.003, "seed": 0}


def digits_cnn(*, rng: np.random.Generator, channels: Sequence[int] = (16, 32),
               kernel_sizes: Sequence[int] = (5, 3), hidden: int = 64, n_classes: int = 10,
               image_shape: tuple[int, int, int] = (8, 8, 1)) -> Sequential:
    r"""The chapter's CNN: (3x3 convolution, ReLU, 2x2 max pooling) per entry of ``channels``, then two dense layers.

    Convolutions use ``'same'`` padding, so only the poolings shrink the image:
    an ``H x W`` image leaves the last pooling as
    :math:`\lfloor H / 2^L \rfloor \times \lfloor W / 2^L \rfloor \times C_L`.
    Weights start with He's initialisation (the layers feed ReLUs), biases at 0.

    ``x : (N, H, W, C)`` -> logits ``(N, n_classes)``.
    """
    height, width, c_in = image_shape
    layers: list[Layer] = []
    if len(kernel_sizes) != len(channels):
        raise ValueError(
            f"kernel_sizes {tuple(kernel_sizes)} and channels {tuple(channels)} must have one entry per convolution"
        )
    for c_out, kernel_size in zip(channels, kernel_sizes):
        layers += [
            Conv2D(c_in, c_out, kernel_size, padding="same", rng=rng, init="he_normal"),
            Activation("relu"),
            MaxPool2D(2),
        ]
        height, width, c_in = height // 2, width // 2, c_out
    if height < 1 or width < 1:
        raise ValueError(
            f"image_shape {image_shape} is too small for {len(channels)} poolings of 2x2; "
            "use fewer entries in channels"
        )
    layers += [
        Flatten(),
        Dense(height * width * c_in, hidden, rng=rng, init="he_normal"),
        Activation("relu"),
        Dense(hidden, n_classes, rng=rng),
    ]
    return Sequential(layers)


def train_digits_cnn(X_train: ArrayLike, y_train: ArrayLike, *, epochs: int = TRAINING["epochs"],
                     batch_size: int = TRAINING["batch_size"], lr: float = TRAINING["lr"],
                     seed: int = TRAINING["seed"],
                     callback: Callable[[int, Sequential, History], bool | None] | None = None,
                     ) -> tuple[Sequential, History]:
    """Build :func:`digits_cnn` and train it with :class:`Adam` and softmax cross-entropy.

    ``X_train : (N, 8, 8, 1)``, ``y_train : (N,)`` integer labels. One
    ``numpy.random.default_rng(seed)`` draws the initial weights and then shuffles
    the batches, so the same arguments give the same network.
    """
    rng = np.random.default_rng(seed)
    model = digits_cnn(rng=rng, image_shape=tuple(np.shape(X_train)[1:]))
    history = fit(model, SoftmaxCrossEntropy(), X_train, y_train, epochs=epochs, batch_size=batch_size,
                  optimizer=Adam(lr), rng=rng, callback=callback)
    return model, history


def predict_labels(model: Sequential, X: ArrayLike, batch_size: int = 512) -> np.ndarray:
    """The predicted class of each sample, ``argmax`` of the logits, computed in batches. ``(N,)`` int."""
    X = np.asarray(X)
    return np.concatenate([model.predict(X[i : i + batch_size]).argmax(axis=1)
                           for i in range(0, len(X), batch_size)])


def layer_outputs(model: Sequential, x: ArrayLike) -> list[tuple[str, np.ndarray]]:
    """What each layer of ``model`` makes of ``x``: ``[(repr(layer), output), ...]`` in order.

    For the feature maps of one image, pass a batch of one, ``x : (1, H, W, C)``.
    """
    outputs = []
    for layer in model.layers:
        x = layer.forward(x)
        outputs.append((repr(layer), x))
    return outputs


# ------------------------------------------- orientation selectivity (Hubel and Wiesel)
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
    offsets = (np.arange(supersample) + 0.5) / supersample - 0.5
    sub_x = (x[:, :, None, None] + offsets[None, None, None, :]).reshape(size, size, 1, supersample)
    sub_y = (y[:, :, None, None] - offsets[None, None, :, None]).reshape(size, size, supersample, 1)
    theta = np.deg2rad(as_float_array(np.atleast_1d(angles), "angles"))[:, None, None, None, None]
    distance = np.abs(-sub_x * np.sin(theta) + sub_y * np.cos(theta))  # (A, size, size, s, s)
    return (distance <= width / 2.0).mean(axis=(3, 4))[..., None]


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
    theta = np.deg2rad(float(angle))
    u = x * np.cos(theta) + y * np.sin(theta)
    v = -x * np.sin(theta) + y * np.cos(theta)
    g = np.exp(-(v**2 + (aspect * u) ** 2) / (2 * sigma**2)) * np.cos(2 * np.pi * v / wavelength)
    g = g - g.mean()
    return g / np.linalg.norm(g)


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
    kernels = as_float_array(kernels, "kernels")
    if kernels.ndim != 4 or kernels.shape[2] != 1 or kernels.shape[0] != kernels.shape[1]:
        raise ValueError(
            f"kernels must have shape (k, k, 1, F) (square, one input channel), got {shape_str(kernels.shape)}"
        )
    bars = oriented_bars(kernels.shape[0], angles, width)
    responses = conv2d(bars, kernels, bias, padding="valid")  # (A, 1, 1, F)
    return np.maximum(responses[:, 0, 0, :], 0.0)
