r"""Looking inside a network: per-layer gradient norms and activation statistics.

Chapters 6 (the second winter) and 7 (the breakthrough). A deep network that
does not learn usually shows it layer by layer before it shows it in the loss:
the gradients reaching the first layers are many orders of magnitude smaller
(vanishing) or larger (exploding) than those of the last layers, or the hidden
units sit in the flat parts of their activation function (saturation).

For a stack of weighted layers :math:`\ell = 1, \dots, L` with weighted sums
:math:`Z_\ell = A_{\ell-1} W_\ell + \mathbf b_\ell` and activations
:math:`A_\ell = \phi(Z_\ell)`, backpropagation computes the *signal*
:math:`\Delta_\ell = \partial L / \partial Z_\ell` from the top down,

.. math:: \Delta_{\ell-1} = \big(\Delta_\ell W_\ell^\top\big) \odot \phi'(Z_{\ell-1}),
          \qquad \frac{\partial L}{\partial W_\ell} = A_{\ell-1}^\top \Delta_\ell ,

so every layer it passes multiplies it by a weight matrix and by the
activation's slope. :func:`gradient_norms` reports
:math:`\lVert \partial L / \partial W_\ell \rVert_F` and
:math:`\lVert \Delta_\ell \rVert_F` for every weighted layer;
:func:`activation_statistics` reports the distribution of every
:math:`A_\ell`.

The functions run the model's own ``forward`` and ``backward``; they change no
parameter (only the layers' caches and ``grads``, as any backward pass does).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import (
    as_array,
    as_float_array,
    blame,
    check_instance,
    check_loss,
    checked_once,
    finite_result,
    not_empty,
    real_number,
    shape_str,
)
from ann_lib.layers import Activation, Layer
from ann_lib.losses import Loss
from ann_lib.network import Sequential

if TYPE_CHECKING:  # only for the type hint of a callback; not a dependency of this module
    from ann_lib.training import History

__all__ = [
    "ActivationStats",
    "GradientNorms",
    "activation_statistics",
    "gradient_norm_recorder",
    "gradient_norms",
    "layer_activations",
    "weighted_layers",
]


def _check_model(model: object) -> Sequential:
    return check_instance(model, Sequential, "model", hint="wrap single layers in Sequential([...])")


def _check_batch(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """``X`` finite and not empty, ``y`` finite with the same number of samples; checked once."""
    X = not_empty(as_float_array(X, "X", finite=True), "X")
    y_array = as_array(y, "y")
    as_float_array(y_array, "y", finite=True)
    if y_array.ndim == 0 or X.shape[0] != y_array.shape[0]:
        raise ValueError(
            f"X has shape {shape_str(X.shape)} but y has shape {shape_str(y_array.shape)}; "
            "they need the same number of samples"
        )
    return X, y_array


def weighted_layers(model: Sequential) -> list[tuple[int, Layer]]:
    """``(index, layer)`` for every layer of ``model`` that has a weight array ``params["W"]``.

    In an MLP these are the Dense layers, numbered here from the input side.

    Raises
    ------
    ValueError
        If the model has no weighted layer at all.
    """
    found = _check_model(model).weighted_layers()
    if not found:
        raise ValueError(f"{model!r} has no layer with weights params['W']; there is nothing to measure")
    return found


@dataclass(frozen=True)
class GradientNorms:
    r"""Per-layer gradient sizes of one batch, first weighted layer first.

    Attributes
    ----------
    weights : (L,) ndarray
        :math:`\lVert \partial L / \partial W_\ell \rVert_F`, the Frobenius norm of
        each weighted layer's weight gradient.
    signals : (L,) ndarray
        :math:`\lVert \Delta_\ell \rVert_F = \lVert \partial L / \partial Z_\ell \rVert_F`,
        the gradient that reaches each weighted layer's output, over the batch.
    loss : float
        The batch loss at which they were measured.
    """

    weights: np.ndarray
    signals: np.ndarray
    loss: float

    @property
    def ratio(self) -> float:
        r""":math:`\lVert \partial L / \partial W_1 \rVert_F \,/\, \lVert \partial L / \partial W_L \rVert_F`,
        first layer over last; far below 1 means the gradient vanishes on its way down,
        far above 1 that it explodes. ``inf`` if the last layer's gradient is exactly 0."""
        first, last = float(self.weights[0]), float(self.weights[-1])
        return first / last if last > 0 else math.inf


@finite_result("X", "y")
def gradient_norms(model: Sequential, loss: Loss, X: ArrayLike, y: ArrayLike) -> GradientNorms:
    r"""One forward and backward pass on ``(X, y)``; the size of the gradient at every weighted layer.

    Parameters
    ----------
    model : Sequential
    loss : Loss
        e.g. :class:`ann_lib.losses.SoftmaxCrossEntropy`.
    X : (N, ...)
        A batch of inputs.
    y : (N, ...)
        Its targets.

    Returns
    -------
    GradientNorms
        ``weights[l]`` is :math:`\lVert A_{\ell-1}^\top \Delta_\ell \rVert_F` and
        ``signals[l]`` is :math:`\lVert \Delta_\ell \rVert_F` for the ``l``-th
        weighted layer (from the input side), both shape ``(L,)``.

    Raises
    ------
    ValueError
        If ``X`` and ``y`` hold different numbers of samples, or the model has no weights.
    """
    model = _check_model(model)
    loss = check_loss(loss)
    layers = weighted_layers(model)
    X, y_array = _check_batch(X, y)
    signal_at = {}
    with blame("X", "does not fit the model"):
        pred = model._outputs(X, "X")[-1]  # every layer's output checked: finite
    with checked_once():
        with blame("y", f"does not fit the loss {type(loss).__name__} and the model's output"):
            batch_loss = loss.forward(pred, y_array)
        dout = loss.backward()
        for index in range(len(model.layers) - 1, -1, -1):
            signal_at[index] = dout  # dL/d(output of layer index)
            dout = model.layers[index].backward(dout)
    weights = np.array([np.linalg.norm(layer.grads["W"]) for _, layer in layers])
    signals = np.array([np.linalg.norm(signal_at[index]) for index, _ in layers])
    return GradientNorms(weights=weights, signals=signals, loss=float(batch_loss))


def gradient_norm_recorder(
    loss: Loss, X: ArrayLike, y: ArrayLike, *, name: str = "gradient_norms"
) -> Callable[[int, Sequential, History], None]:
    """A callback for :func:`ann_lib.training.fit` that records per-layer weight-gradient norms.

    After each epoch it measures :func:`gradient_norms` on the fixed probe batch
    ``(X, y)`` (not on the epoch's last mini-batch, whose size and content vary)
    and appends the ``(L,)`` array ``weights`` to ``history.records[name]``.
    Call it once with ``epoch=0`` before training to record the initial state
    in the same list.
    """
    loss = check_loss(loss)
    X, y = _check_batch(X, y)
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, the key in history.records, got {type(name).__name__}")

    def callback(epoch: int, model: Sequential, history: History) -> None:
        history.record(name, gradient_norms(model, loss, X, y).weights)

    return callback


@finite_result("X")
def layer_activations(model: Sequential, X: ArrayLike) -> list[np.ndarray]:
    r"""The output :math:`A_\ell` of every activation layer of ``model`` for the batch ``X``.

    One forward pass. Returns a list with one array per :class:`~ann_lib.layers.Activation`
    layer, in order from the input side; each is a copy, shape ``(N, n_units)``
    for an MLP. An output activation (after the last Dense layer), if there is
    one, is included as the last entry.
    """
    model = _check_model(model)
    x = not_empty(as_float_array(X, "X", finite=True), "X")
    with blame("X", "does not fit the model"):
        every = model._outputs(x, "X")  # every layer's output checked: finite
    outputs = [np.array(out, copy=True) for layer, out in zip(model.layers, every) if isinstance(layer, Activation)]
    if not outputs:
        raise ValueError(f"{model!r} has no Activation layer")
    return outputs


@dataclass(frozen=True)
class ActivationStats:
    r"""The distribution of one layer's activations over a batch.

    Attributes
    ----------
    name : str
        The activation function, e.g. ``"tanh"``.
    mean, std : float
        Over every unit and sample.
    saturated : float
        The fraction of outputs within ``tolerance`` of a finite end of the
        function's range (:math:`|a| > 0.99` for tanh; :math:`a < 0.01` or
        :math:`a > 0.99` for the sigmoid, with the default tolerance), where
        :math:`\phi'` is nearly 0. For ReLU, whose range is :math:`[0, \infty)`,
        it counts outputs within ``tolerance`` of 0.
    zero : float
        The fraction of outputs exactly 0 (a ReLU unit that passes no gradient).
    """

    name: str
    mean: float
    std: float
    saturated: float
    zero: float


@finite_result("X")
def activation_statistics(model: Sequential, X: ArrayLike, *, tolerance: float = 0.01) -> list[ActivationStats]:
    r"""Mean, standard deviation and saturated fraction of every activation layer's output.

    Parameters
    ----------
    model : Sequential
    X : (N, ...)
        A batch of inputs.
    tolerance : float
        How close to an end of the range :math:`[lo, hi]` counts as saturated:
        :math:`a \le lo + \text{tolerance}` or :math:`a \ge hi - \text{tolerance}`
        (only finite ends count).

    Returns
    -------
    list of ActivationStats
        One per activation layer, from the input side.
    """
    tolerance = real_number(tolerance, "tolerance", low=0.0)
    model = _check_model(model)
    names = [layer.name for layer in model.layers if isinstance(layer, Activation)]
    ranges = [layer.activation.output_range for layer in model.layers if isinstance(layer, Activation)]
    stats = []
    for name, (low, high), a in zip(names, ranges, layer_activations(model, X)):
        near_end = np.zeros(a.shape, dtype=bool)
        if math.isfinite(low):
            near_end |= a <= low + tolerance
        if math.isfinite(high):
            near_end |= a >= high - tolerance
        stats.append(
            ActivationStats(
                name=name,
                mean=float(a.mean()),
                std=float(a.std()),
                saturated=float(near_end.mean()),
                zero=float((a == 0).mean()),
            )
        )
    return stats
