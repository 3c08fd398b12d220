r"""A small convolutional network for the 8x8 digits, trained from scratch (chapter 5).

The network is LeNet's pattern at the digits' scale: convolution, ReLU, max
pooling, twice, then two dense layers::

    x (N, 8, 8, 1)
    Conv2D 5x5, 16 filters, 'same'  -> (N, 8, 8, 16)   ReLU
    MaxPool2D 2x2                   -> (N, 4, 4, 16)
    Conv2D 3x3, 32 filters, 'same'  -> (N, 4, 4, 32)   ReLU
    MaxPool2D 2x2                   -> (N, 2, 2, 32)
    Flatten                         -> (N, 128)
    Dense 128 -> 64                                    ReLU
    Dense 64 -> 10                  logits

It is built from :mod:`ann_lib.conv`, :mod:`ann_lib.pooling` and the shared
layers, losses and training loop of chapter 4. The training loop's plain :class:`~ann_lib.training.SGD`
works but wanders (the test accuracy jumps between epochs); :class:`~ann_lib.training.Adam`, the
optimizer the chapter's Keras model uses too, gets there in a few epochs and
stays there. (The orientation tuning of chapter 5's experiment is in :mod:`ann_lib.orientation`.)
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import (
    as_float_array,
    as_image_batch,
    as_labels,
    blame,
    check_instance,
    check_rng,
    check_seed,
    checked_once,
    finite_result,
    too_large,
    positive_int,
    shape_str,
)
from ann_lib.conv import Conv2D
from ann_lib.layers import Activation, Dense, Flatten, Layer
from ann_lib.losses import SoftmaxCrossEntropy
from ann_lib.network import Sequential
from ann_lib.pooling import MaxPool2D
from ann_lib.training import Adam, DataTooLarge, History, fit

__all__ = ["TRAINING", "digits_cnn", "layer_outputs", "predict_labels", "train_digits_cnn"]

#: The recipe the chapter, the gallery and the tests use for the digits.
TRAINING = {"epochs": 10, "batch_size": 32, "lr": 0.003, "seed": 0}


def _positive_ints(values: Sequence[int], name: str) -> tuple[int, ...]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence of positive integers, got {values!r}")
    values = tuple(values)
    if not values:
        raise ValueError(f"{name} must have at least one entry")
    return tuple(positive_int(v, name) for v in values)


def digits_cnn(*, rng: np.random.Generator, channels: Sequence[int] = (16, 32),
               kernel_sizes: Sequence[int] = (5, 3), hidden: int = 64, n_classes: int = 10,
               image_shape: tuple[int, int, int] = (8, 8, 1)) -> Sequential:
    r"""The chapter's CNN: (convolution, ReLU, 2x2 max pooling) per entry of ``channels``, then two dense layers.

    Convolution ``l`` has ``channels[l]`` filters of size ``kernel_sizes[l]`` (5x5, then 3x3,
    by default). Convolutions use ``'same'`` padding, so only the poolings shrink the image:
    an ``H x W`` image leaves the last pooling as
    :math:`\lfloor H / 2^L \rfloor \times \lfloor W / 2^L \rfloor \times C_L`.
    Weights start with He's initialisation (the layers feed ReLUs), biases at 0.

    ``x : (N, H, W, C)`` -> logits ``(N, n_classes)``.
    """
    check_rng(rng, "digits_cnn")
    channels = _positive_ints(channels, "channels")
    kernel_sizes = _positive_ints(kernel_sizes, "kernel_sizes")
    hidden, n_classes = positive_int(hidden, "hidden"), positive_int(n_classes, "n_classes")
    if isinstance(image_shape, (str, bytes)) or not hasattr(image_shape, "__len__") or len(image_shape) != 3:
        raise ValueError(f"image_shape must be (H, W, C), got {image_shape!r}")
    height, width, c_in = (positive_int(s, "image_shape") for s in image_shape)
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
    X_train = as_image_batch(X_train, "X_train")
    y_train = as_labels(y_train, "y_train", n_samples=len(X_train), n_classes=10)
    batch_size = positive_int(batch_size, "batch_size")
    rng = np.random.default_rng(check_seed(seed))
    model = digits_cnn(rng=rng, image_shape=X_train.shape[1:])
    try:
        history = fit(model, SoftmaxCrossEntropy(), X_train, y_train, epochs=epochs, batch_size=batch_size,
                      optimizer=Adam(lr), rng=rng, callback=callback)
    except DataTooLarge as error:
        raise DataTooLarge(f"X_train is too large to train on: {error}", epoch=error.epoch, batch=error.batch) from None
    return model, history


def predict_labels(model: Sequential, X: ArrayLike, batch_size: int = 512) -> np.ndarray:
    """The predicted class of each sample, ``argmax`` of the logits, computed in batches. ``(N,)`` int.

    An empty ``X`` gives an empty array of labels.
    """
    model = check_instance(model, Sequential, "model")
    X = as_float_array(X, "X", finite=True)
    if X.ndim < 2:
        raise ValueError(f"X must be a batch (N, ...), e.g. images (N, H, W, C), got {shape_str(X.shape)}")
    batch_size = positive_int(batch_size, "batch_size")
    if len(X) == 0:
        return np.zeros(0, dtype=np.int64)
    labels, finite = [], True
    with checked_once(), blame("X", "does not fit the model"), np.errstate(over="ignore", invalid="ignore"):
        for i in range(0, len(X), batch_size):
            logits = model.predict(X[i : i + batch_size])
            finite = finite and bool(np.isfinite(logits).all())  # an argmax of inf or NaN is no prediction
            labels.append(logits.argmax(axis=1))
    if not finite:
        raise too_large(["X"], "predict_labels", {"X": X})
    return np.concatenate(labels)


@finite_result("x")
def layer_outputs(model: Sequential, x: ArrayLike) -> list[tuple[str, np.ndarray]]:
    """What each layer of ``model`` makes of ``x``: ``[(repr(layer), output), ...]`` in order.

    For the feature maps of one image, pass a batch of one, ``x : (1, H, W, C)``.
    """
    model = check_instance(model, Sequential, "model")
    x = as_float_array(x, "x", finite=True)
    outputs = []
    with checked_once(), blame("x", "does not fit the model"):
        for layer in model.layers:
            x = layer.forward(x)
            outputs.append((repr(layer), x))
    return outputs
