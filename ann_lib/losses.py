r"""Loss functions, with the gradient that starts backpropagation.

Chapter 4 (backpropagation). A loss object compares a batch of predictions with
its targets: ``forward(pred, target)`` returns the loss as a float, averaged
over the batch, and ``backward()`` returns :math:`\partial L / \partial
\text{pred}`, an array of ``pred``'s shape, which is the ``dout`` the last layer
receives.

The cross-entropies take logits (the last layer's weighted sums, before any
sigmoid or softmax) and are computed in a form that never overflows: the
log-sum-exp trick for the softmax, :math:`\max(z, 0) - z t + \ln(1 + e^{-|z|})`
for the sigmoid.
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import as_float_array, finite_result, not_empty, shape_str
from ann_lib.activations import sigmoid

__all__ = [
    "BinaryCrossEntropy",
    "Loss",
    "MeanSquaredError",
    "SoftmaxCrossEntropy",
    "log_softmax",
    "softmax",
]


def _check_logits(logits: ArrayLike, axis: int) -> np.ndarray:
    z = as_float_array(logits, "logits", finite=True)
    if z.ndim == 0:
        raise ValueError("logits must have at least one axis, got a scalar")
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral) or not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis must be an integer from {-z.ndim} to {z.ndim - 1} for logits of shape "
                         f"{shape_str(z.shape)}, got {axis!r}")
    if z.shape[axis] == 0:
        raise ValueError(f"logits has no classes along axis {axis} (shape {shape_str(z.shape)})")
    return z


@finite_result("logits")
def log_softmax(logits: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""Log of the softmax along ``axis``, by the log-sum-exp trick.

    .. math:: \log \operatorname{softmax}(\mathbf z)_k = z_k - m - \ln \sum_j e^{z_j - m},
              \qquad m = \max_j z_j

    Every exponent is :math:`\le 0`, so nothing overflows: ``log_softmax([1000, 0])``
    is ``[0, -1000]``. ``logits`` must be finite: :math:`\pm\infty` has no softmax.
    """
    z = _check_logits(logits, axis)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


@finite_result("logits")
def softmax(logits: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""Softmax along ``axis``, :math:`\operatorname{softmax}(\mathbf z)_k = e^{z_k} / \sum_j e^{z_j}`.

    Computed as :math:`e^{z_k - m} / \sum_j e^{z_j - m}` with :math:`m = \max_j z_j`.
    ``logits : (..., K)`` -> probabilities of the same shape, summing to 1 along ``axis``.
    ``logits`` must be finite.
    """
    z = _check_logits(logits, axis)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


class Loss:
    """The interface: ``forward(pred, target) -> float`` then ``backward() -> dL/dpred``."""

    def forward(self, pred: ArrayLike, target: ArrayLike) -> float:
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, pred: ArrayLike, target: ArrayLike) -> float:
        return self.forward(pred, target)

    def _not_run(self) -> RuntimeError:
        return RuntimeError(f"{type(self).__name__}.backward was called before forward")

    @staticmethod
    def _match(pred: ArrayLike, target: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Both as float arrays of one shape; a target (N,) matches a prediction (N, 1)."""
        pred = as_float_array(pred, "pred", finite=True)
        target = as_float_array(target, "target", finite=True)
        if pred.ndim == 0:
            raise ValueError("pred must be a batch, shape (N,) or (N, K), got a scalar")
        not_empty(pred, "pred")
        if pred.ndim == 2 and pred.shape[1] == 1 and target.shape == (pred.shape[0],):
            target = target[:, None]
        if pred.shape != target.shape:
            raise ValueError(
                f"pred has shape {shape_str(pred.shape)} but target has shape {shape_str(target.shape)}; "
                "they must match (a target (N,) also matches a pred (N, 1))"
            )
        return pred, target


class MeanSquaredError(Loss):
    r"""The mean of the squared errors over every element of the batch.

    .. math:: L = \frac{1}{N K} \sum_{n=1}^{N} \sum_{k=1}^{K} (\hat y_{nk} - t_{nk})^2,
              \qquad \frac{\partial L}{\partial \hat y_{nk}} = \frac{2}{N K} (\hat y_{nk} - t_{nk})

    ``pred, target : (N,)`` or ``(N, K)``; the same as ``tf.keras.losses.MeanSquaredError``.
    """

    @finite_result("pred", "target")
    def forward(self, pred: ArrayLike, target: ArrayLike) -> float:
        pred, target = self._match(pred, target)
        self._diff = pred - target
        return float(np.mean(self._diff**2))

    def backward(self) -> np.ndarray:
        if not hasattr(self, "_diff"):
            raise self._not_run()
        return 2.0 * self._diff / self._diff.size


class BinaryCrossEntropy(Loss):
    r"""Cross-entropy for targets :math:`t \in [0, 1]`, averaged over every element.

    With ``from_logits=True`` (the default) ``pred`` is the logit :math:`z` and
    :math:`p = \sigma(z)`:

    .. math:: \ell = -t \ln p - (1 - t) \ln (1 - p) = \max(z, 0) - z t + \ln(1 + e^{-|z|}),
              \qquad \frac{\partial \ell}{\partial z} = \sigma(z) - t

    The right-hand form never overflows. With ``from_logits=False`` ``pred`` is
    the probability :math:`p`, clipped to :math:`[\epsilon, 1 - \epsilon]`,
    :math:`\epsilon = 10^{-7}` as in Keras, and
    :math:`\partial \ell / \partial p = (p - t) / (p (1 - p))` inside the clip.
    The loss is the mean of :math:`\ell` over the batch (and over the outputs).
    """

    epsilon = 1e-7

    def __init__(self, from_logits: bool = True):
        if not isinstance(from_logits, (bool, np.bool_)):
            raise TypeError(f"from_logits must be True or False, got {from_logits!r}")
        self.from_logits = bool(from_logits)

    def forward(self, pred: ArrayLike, target: ArrayLike) -> float:
        pred, target = self._match(pred, target)
        if ((target < 0) | (target > 1)).any():
            raise ValueError(f"target must lie in [0, 1], got values from {target.min()} to {target.max()}")
        self._pred, self._target = pred, target
        if self.from_logits:
            z, t = pred, target
            loss = np.maximum(z, 0.0) - z * t + np.log1p(np.exp(-np.abs(z)))
        else:
            if ((pred < 0) | (pred > 1)).any():
                raise ValueError(
                    "with from_logits=False, pred must be probabilities in [0, 1]; "
                    f"got values from {pred.min()} to {pred.max()} (pass logits with from_logits=True)"
                )
            p, t = np.clip(pred, self.epsilon, 1.0 - self.epsilon), target
            loss = -(t * np.log(p) + (1.0 - t) * np.log1p(-p))
        return float(np.mean(loss))

    def backward(self) -> np.ndarray:
        if not hasattr(self, "_pred"):
            raise self._not_run()
        pred, t = self._pred, self._target
        if self.from_logits:
            dpred = sigmoid(pred) - t  # d loss / dz = sigma(z) - t
        else:
            inside = (pred > self.epsilon) & (pred < 1.0 - self.epsilon)
            p = np.clip(pred, self.epsilon, 1.0 - self.epsilon)
            dpred = np.where(inside, (p - t) / (p * (1.0 - p)), 0.0)
        return dpred / pred.size


class SoftmaxCrossEntropy(Loss):
    r"""Softmax followed by cross-entropy, on logits, averaged over the batch.

    .. math:: L = -\frac{1}{N} \sum_{n=1}^{N} \sum_{k=1}^{K} t_{nk} \log \operatorname{softmax}(\mathbf z_n)_k,
              \qquad \frac{\partial L}{\partial z_{nk}} = \frac{1}{N}\left(\operatorname{softmax}(\mathbf z_n)_k - t_{nk}\right)

    ``logits : (N, K)``; ``target`` either integer labels ``(N,)`` in
    ``0 .. K-1`` (as ``sparse_categorical_crossentropy``) or one-hot rows, or any
    probability rows, ``(N, K)`` (as ``categorical_crossentropy``). For rows of
    ``t`` that do not sum to 1 the gradient is :math:`(s_n p_{nk} - t_{nk}) / N`
    with :math:`s_n = \sum_k t_{nk}`.
    """

    @finite_result("pred", "target")
    def forward(self, pred: ArrayLike, target: ArrayLike) -> float:
        z = as_float_array(pred, "pred", finite=True)
        if z.ndim != 2:
            raise ValueError(f"pred (the logits) must have shape (N, K), got {shape_str(z.shape)}")
        not_empty(z, "pred")
        n, k = z.shape
        try:
            target_array = np.asarray(target)
        except (TypeError, ValueError) as error:  # a ragged list
            raise TypeError(f"target must be labels (N,) or rows (N, K); could not convert it: {error}") from None
        if target_array.ndim == 1:
            if target_array.shape[0] != n:
                raise ValueError(
                    f"pred (the logits) has shape {shape_str(z.shape)} but the labels target have shape "
                    f"{shape_str(target_array.shape)}; expected ({n},)"
                )
            if target_array.dtype.kind not in "iu":
                raise TypeError(f"target labels (N,) must be integers, got dtype {target_array.dtype}")
            if target_array.min() < 0 or target_array.max() >= k:
                raise ValueError(
                    f"target labels must lie in 0..{k - 1} for {k} classes, got values from "
                    f"{target_array.min()} to {target_array.max()}"
                )
            t = np.zeros_like(z)
            t[np.arange(n), target_array] = 1.0
        else:
            t = as_float_array(target_array, "target", finite=True)
            if t.shape != z.shape:
                raise ValueError(
                    f"pred (the logits) has shape {shape_str(z.shape)} but target has shape {shape_str(t.shape)}; "
                    f"expected integer labels ({n},) or one-hot rows ({n}, {k})"
                )
            if (t < 0).any():
                row = int(np.argwhere(t < 0)[0][0])
                raise ValueError(f"target rows must be one-hot or probabilities, >= 0; row {row} is {t[row].tolist()}")
        log_p = log_softmax(z)
        self._p, self._t = np.exp(log_p), t
        return float(-(t * log_p).sum() / n)

    def backward(self) -> np.ndarray:
        if not hasattr(self, "_p"):
            raise self._not_run()
        p, t = self._p, self._t
        # dL/dz = (softmax(z) - t) / N when each row of t sums to 1 (as labels do)
        return (p * t.sum(axis=1, keepdims=True) - t) / p.shape[0]
