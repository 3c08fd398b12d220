r"""Training by mini-batch stochastic gradient descent.

Chapter 4 (backpropagation). One step of gradient descent moves every parameter
against its gradient,

.. math:: \theta \leftarrow \theta - \eta \, \frac{\partial L}{\partial \theta},

where :math:`\eta` is the learning rate and :math:`L` the loss of one
mini-batch. An epoch is one pass over the training set in mini-batches.

Training that blows up stops with :class:`TrainingDiverged`, which names the
epoch and the batch and suggests a smaller learning rate; the model keeps the
last finite parameters, never NaN.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import (
    as_array,
    as_float_array,
    blame,
    check_loss,
    check_model,
    check_seed,
    LARGEST_STD,
    TooLarge,
    checked_once,
    flag,
    non_negative_int,
    positive_int,
    positive_number,
    real_number,
    shape_str,
    too_large,
)
from ann_lib.losses import Loss
from ann_lib.network import Sequential

__all__ = ["SGD", "Adam", "DataTooLarge", "History", "TrainingDiverged", "fit"]


class TrainingDiverged(FloatingPointError):
    """Training produced a non-finite loss or parameter.

    Attributes ``epoch`` and ``batch`` (both counted from 1) say where.
    """

    def __init__(self, message: str, *, epoch: int, batch: int):
        super().__init__(message)
        self.epoch = epoch
        self.batch = batch


class DataTooLarge(TrainingDiverged, TooLarge):
    """Training overflowed because ``X`` or ``y`` is too large, not because of the learning rate.

    Both a :class:`TrainingDiverged` (training stopped, where ``epoch`` and ``batch`` say) and a
    ``ValueError`` whose message names ``X`` and ``y``.
    """


class SGD:
    r"""Plain gradient descent, :math:`\theta \leftarrow \theta - \eta \, \partial L / \partial \theta`.

    Parameters
    ----------
    lr : float
        The learning rate :math:`\eta > 0`.
    """

    def __init__(self, lr: float):
        self.lr = positive_number(lr, "lr")

    def step(self, model: Sequential) -> None:
        """Update every layer's ``params`` from its ``grads``, in place.

        All new values are computed first; if any is not finite, a
        ``FloatingPointError`` is raised and no parameter changes.
        """
        updates = []
        with np.errstate(over="raise", invalid="raise"):
            for name, value, grad in check_model(model).parameters():
                new_value = value - self.lr * grad
                if not np.isfinite(new_value).all():
                    raise FloatingPointError(f"the update of parameter {name} is not finite")
                updates.append((value, new_value))
        for value, new_value in updates:
            value[...] = new_value

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr:g})"


class Adam:
    r"""Gradient descent with momentum and a per-parameter step size (Adam).

    For each parameter :math:`\theta` with gradient :math:`g`, at step :math:`t`:

    .. math::
        m \leftarrow \beta_1 m + (1 - \beta_1) g, \qquad
        v \leftarrow \beta_2 v + (1 - \beta_2) g^2, \\
        \theta \leftarrow \theta - \eta \, \frac{\sqrt{1 - \beta_2^t}}{1 - \beta_1^t} \, \frac{m}{\sqrt{v} + \epsilon}

    :math:`m` averages the gradients (momentum), :math:`v` their squares, so that
    every parameter moves by about :math:`\eta` per step whatever the scale of
    its gradient; the factor with :math:`t` corrects for :math:`m` and :math:`v`
    starting at 0. This is the form ``tf.keras.optimizers.Adam`` computes (with
    :math:`\epsilon` added to :math:`\sqrt{v}` before the correction), and the
    defaults are Keras's.

    It has the interface of :class:`ann_lib.training.SGD`: ``step(model)`` and ``lr``,
    so it can be passed to :func:`ann_lib.training.fit` as ``optimizer``.
    """

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-7):
        self.lr = positive_number(lr, "lr")
        self.beta1 = real_number(beta1, "beta1", low=0.0, high=1.0, high_open=True)
        self.beta2 = real_number(beta2, "beta2", low=0.0, high=1.0, high_open=True)
        self.epsilon = positive_number(epsilon, "epsilon")
        self.t = 0
        self._moments: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def step(self, model: Sequential) -> None:
        """Update every layer's ``params`` from its ``grads``, in place.

        As with ``SGD``: if any new value is not finite, ``FloatingPointError`` is
        raised and nothing changes (neither the parameters nor the moments).
        """
        t = self.t + 1
        # bias correction: m and v start at 0
        step_size = self.lr * math.sqrt(1.0 - self.beta2**t) / (1.0 - self.beta1**t)
        updates = []
        with np.errstate(over="raise", invalid="raise"):
            for name, value, grad in check_model(model).parameters():
                m, v = self._moments.get(name, (np.zeros_like(value), np.zeros_like(value)))
                if m.shape != value.shape:
                    raise ValueError(
                        f"Adam was used with another model: parameter {name} of model has shape "
                        f"{value.shape}, its moments {m.shape}; use one Adam per model"
                    )
                m_new = self.beta1 * m + (1.0 - self.beta1) * grad
                v_new = self.beta2 * v + (1.0 - self.beta2) * grad * grad
                new_value = value - step_size * m_new / (np.sqrt(v_new) + self.epsilon)
                if not np.isfinite(new_value).all():
                    raise FloatingPointError(f"the update of parameter {name} is not finite")
                updates.append((name, value, new_value, m_new, v_new))
        for name, value, new_value, m_new, v_new in updates:
            value[...] = new_value
            self._moments[name] = (m_new, v_new)
        self.t = t

    def __repr__(self) -> str:
        return f"Adam(lr={self.lr:g})"


@dataclass
class History:
    """What :func:`fit` recorded.

    Attributes
    ----------
    loss : list of float
        The mean training loss of each epoch (over its mini-batches, weighted by
        their sizes), as the parameters were during that epoch.
    records : dict of lists
        Anything a callback adds with :meth:`record`, e.g. per-layer gradient norms.
    """

    loss: list[float] = field(default_factory=list)
    records: dict[str, list] = field(default_factory=dict)

    def record(self, name: str, value: object) -> None:
        """Append ``value`` to ``records[name]``."""
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, got {type(name).__name__}")
        self.records.setdefault(name, []).append(value)

    @property
    def epochs(self) -> int:
        """How many epochs ran."""
        return len(self.loss)


def _as_rng(rng: np.random.Generator | int | None) -> np.random.Generator | None:
    if rng is None or isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(check_seed(rng, "rng"))
    raise TypeError(f"rng must be a numpy.random.Generator or an int seed, got {type(rng).__name__}")


def _peak(array: np.ndarray) -> float:
    """The largest magnitude in ``array`` (0 for an empty one)."""
    return float(np.max(np.abs(array))) if array.size else 0.0


def _diverged(epoch: int, batch: int, n_batches: int, lr: float, what: str) -> TrainingDiverged:
    return TrainingDiverged(
        f"training diverged at epoch {epoch}, batch {batch} of {n_batches}: {what}. "
        f"The learning rate lr={lr:g} is probably too large; try a smaller one, e.g. lr={lr / 10:g}. "
        "The model keeps its last finite parameters.",
        epoch=epoch,
        batch=batch,
    )


def fit(
    model: Sequential,
    loss: Loss,
    X: ArrayLike,
    y: ArrayLike,
    *,
    epochs: int,
    batch_size: int | None = None,
    optimizer: SGD | None = None,
    lr: float | None = None,
    rng: np.random.Generator | int | None = None,
    shuffle: bool = True,
    callback: Callable[[int, Sequential, History], bool | None] | None = None,
) -> History:
    r"""Train ``model`` on ``(X, y)`` by mini-batch gradient descent.

    Each step: forward the batch, ``loss.forward``, ``loss.backward`` gives
    :math:`\partial L / \partial \hat y`, ``model.backward`` fills every layer's
    gradients, ``optimizer.step`` updates the parameters.

    Parameters
    ----------
    model : Sequential
    loss : Loss
        e.g. :class:`ann_lib.losses.BinaryCrossEntropy`.
    X : (N, ...)
        Inputs, one sample per row.
    y : (N, ...)
        Targets, the same N.
    epochs : int
        Passes over the data.
    batch_size : int, optional
        Samples per step; ``None`` means the whole set (full-batch gradient descent).
    optimizer, lr :
        Either an optimizer with ``step(model)`` or a learning rate for :class:`SGD`.
    rng : numpy.random.Generator or int
        Shuffles the samples at the start of each epoch; required when ``shuffle``.
    shuffle : bool
    callback : callable, optional
        ``callback(epoch, model, history)`` after each epoch (``epoch`` from 1),
        when ``model``'s layers still hold the last batch's gradients. Returning
        ``True`` stops training.

    Returns
    -------
    History

    Raises
    ------
    ValueError
        If ``X`` and ``y`` have different numbers of samples, or an argument is out of range.
    TrainingDiverged
        If a loss or an updated parameter is not finite (overflow, NaN); a
        :class:`DataTooLarge` (also a ``ValueError``) when the data are to blame: the
        first batch overflowed before any update, or ``X`` or ``y`` holds values whose
        squares overflow (above about 1.3e154).
    """
    model, loss = check_model(model), check_loss(loss)
    X = as_float_array(X, "X", finite=True)
    y_array = as_array(y, "y")
    as_float_array(y_array, "y", finite=True)  # real, finite targets; y keeps its dtype (labels stay ints)
    if X.ndim == 0 or y_array.ndim == 0 or X.shape[0] != y_array.shape[0]:
        raise ValueError(
            f"X has shape {shape_str(X.shape)} but y has shape {shape_str(y_array.shape)}; "
            "they need the same number of samples along the first axis"
        )
    n = X.shape[0]
    if n == 0 or X.size == 0:
        raise ValueError(f"X is empty (shape {shape_str(X.shape)}): there is nothing to train on")
    epochs = non_negative_int(epochs, "epochs")
    batch_size = n if batch_size is None else positive_int(batch_size, "batch_size")
    if (optimizer is None) == (lr is None):
        raise ValueError("give either optimizer=SGD(lr) or lr=..., exactly one of them")
    if optimizer is None:
        optimizer = SGD(lr)
    elif isinstance(optimizer, type) or not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"optimizer must be an optimizer object such as SGD(lr) or Adam(lr), got {optimizer!r}")
    rng = _as_rng(rng)
    shuffle = flag(shuffle, "shuffle")
    if shuffle and rng is None:
        raise ValueError("fit shuffles the samples each epoch: pass rng=numpy.random.default_rng(seed), or shuffle=False")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function callback(epoch, model, history) or None, got {callback!r}")
    step_lr = getattr(optimizer, "lr", float("nan"))

    history = History()
    n_batches = math.ceil(n / batch_size)
    stepped = False  # has any parameter been updated yet?
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n) if shuffle else np.arange(n)
        total = 0.0
        for batch in range(1, n_batches + 1):
            index = order[(batch - 1) * batch_size : batch * batch_size]
            X_batch, y_batch = X[index], y_array[index]
            try:
                with np.errstate(over="raise", invalid="raise", divide="raise"), checked_once():
                    with blame("X", "does not fit the model"):
                        pred = model.forward(X_batch)
                    with blame("y", f"does not fit the loss {type(loss).__name__} and the model's output"):
                        batch_loss = loss.forward(pred, y_batch)
                    if not math.isfinite(batch_loss):
                        raise FloatingPointError(f"the loss is {batch_loss}")
                    model.backward(loss.backward())
                    stepped = True  # from here on an overflow may come from the learning rate
                    optimizer.step(model)
            except FloatingPointError as error:
                # before any update, or with data whose squares overflow, the learning rate is not to blame
                if not stepped or max(_peak(X), _peak(y_array)) > LARGEST_STD:
                    message = str(too_large(["X", "y"], "fit", {"X": X, "y": y_array}))
                    raise DataTooLarge(f"training stopped at epoch {epoch}, batch {batch} of {n_batches}: {message}. "
                                       "The model keeps its last finite parameters.", epoch=epoch, batch=batch) from error
                raise _diverged(epoch, batch, n_batches, step_lr, str(error) or "overflow") from error
            total += batch_loss * len(index)
        history.loss.append(total / n)
        if callback is not None and callback(epoch, model, history):
            break
    return history
