r"""One artificial neuron: a weighted sum followed by an activation function.

Chapter 1 (artificial neural networks).

.. math:: z = \mathbf{w} \cdot \mathbf{x} + b, \qquad y = \phi(z)

Shapes: one sample ``x : (D,)`` gives a scalar; a batch ``x : (N, D)`` gives ``(N,)``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ann_lib import activations
from ann_lib._validation import as_float_array, finite_result, shape_str

__all__ = ["Neuron", "weighted_sum"]


def _check_weights(w: ArrayLike, b: float) -> tuple[np.ndarray, float]:
    w = as_float_array(w, "w", finite=True)
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"w must be a non-empty 1-D array of D weights, got shape {shape_str(w.shape)}")
    b_array = as_float_array(b, "b", finite=True)
    if b_array.ndim != 0:
        raise ValueError(f"b must be a scalar, got shape {shape_str(b_array.shape)}")
    return w, float(b_array)


@finite_result("x", "w", "b")
def weighted_sum(x: ArrayLike, w: ArrayLike, b: float = 0.0) -> np.ndarray:
    r"""The neuron's weighted sum :math:`z = \mathbf{w} \cdot \mathbf{x} + b`.

    Parameters
    ----------
    x : (D,) or (N, D)
        One sample, or a batch of N samples, with D inputs each.
    w : (D,)
        The weights.
    b : float
        The bias.

    Returns
    -------
    z : () or (N,)
        A 0-d array for one sample, one value per sample for a batch.

    Raises
    ------
    ValueError
        If ``x`` is not 1-D or 2-D, or its last axis is not ``D = len(w)``.
    """
    w, b = _check_weights(w, b)
    x = as_float_array(x, "x", finite=True)
    d = w.shape[0]
    if x.ndim not in (1, 2) or x.shape[-1] != d:
        raise ValueError(
            f"x has shape {shape_str(x.shape)}, but the neuron has {d} weights; "
            f"expected one sample of shape ({d},) or a batch of shape (N, {d}) (w has shape ({d},))"
        )
    return np.asarray(x @ w + b)


class Neuron:
    r"""A single neuron :math:`y = \phi(\mathbf{w} \cdot \mathbf{x} + b)`.

    Parameters
    ----------
    w : (D,)
        The weights.
    b : float
        The bias.
    activation : str or Activation
        A name from :data:`ann_lib.activations.ACTIVATIONS`; the default is the
        unit step of the perceptron.

    Examples
    --------
    >>> import numpy as np
    >>> n = Neuron(w=[1.0, 1.0], b=-1.5)          # fires only when both inputs are 1
    >>> n(np.array([[0, 0], [0, 1], [1, 0], [1, 1]])).tolist()
    [0.0, 0.0, 0.0, 1.0]
    """

    def __init__(self, w: ArrayLike, b: float = 0.0, activation: str | activations.ActivationFunction = "unit_step"):
        self.w, self.b = _check_weights(w, b)
        self.activation = activations.lookup(activation, "activation")

    @property
    def n_inputs(self) -> int:
        """D, the number of inputs."""
        return self.w.shape[0]

    def weighted_sum(self, x: ArrayLike) -> np.ndarray:
        """:math:`z` for one sample ``(D,)`` or a batch ``(N, D)``; see :func:`weighted_sum`."""
        return weighted_sum(x, self.w, self.b)

    def forward(self, x: ArrayLike) -> np.ndarray:
        r"""The output :math:`y = \phi(z)`: shape ``()`` for one sample, ``(N,)`` for a batch."""
        return self.activation(self.weighted_sum(x))

    __call__ = forward

    def __repr__(self) -> str:
        return f"Neuron(w={self.w.tolist()}, b={self.b}, activation={self.activation.name!r})"
