r"""Rosenblatt's perceptron and its learning rule.

Chapter 3 (the XOR problem). A perceptron is one neuron with a threshold
output, :math:`\hat y = \phi(\mathbf w \cdot \mathbf x + b)`, where :math:`\phi`
is the unit step (targets 0 and 1) or the sign function (targets -1 and 1).
It learns one sample at a time:

.. math:: \mathbf w \leftarrow \mathbf w + \eta \, (t - \hat y) \, \mathbf x, \qquad
          b \leftarrow b + \eta \, (t - \hat y)

A correct answer (:math:`\hat y = t`) changes nothing; a wrong one moves the
boundary towards the sample's side. A sample exactly on the boundary gets the
unit step's 0.5 (or the sign's 0), which is neither class: it counts as a mistake
and triggers an update. So zero mistakes in an epoch means every sample lies
strictly on its own side of the line.

If a line separates the classes, the rule finds one after finitely many
mistakes (the perceptron convergence theorem); on XOR no line exists, so every
epoch has at least one mistake, forever.
"""

from __future__ import annotations


import numpy as np
from numpy.typing import ArrayLike

from ann_lib import activations
from ann_lib._validation import (
    as_float_array,
    choice,
    flag,
    not_empty,
    positive_int,
    positive_number,
    shape_str,
    too_large,
)

__all__ = ["Perceptron"]

_TARGETS = {"unit_step": (0.0, 1.0), "sign": (-1.0, 1.0)}


class Perceptron:
    """A single threshold neuron trained by the perceptron rule.

    Parameters
    ----------
    n_inputs : int
        D, inputs per sample.
    lr : float
        The learning rate :math:`\\eta > 0`.
    activation : {"unit_step", "sign"}
        The output function; targets are ``{0, 1}`` for the unit step and
        ``{-1, 1}`` for the sign.
    rng : numpy.random.Generator, optional
        If given, the weights start as small Gaussian noise (standard deviation
        0.1); otherwise at zero.

    Attributes
    ----------
    w : (D,) float64
    b : float
    """

    def __init__(
        self,
        n_inputs: int,
        *,
        lr: float = 1.0,
        activation: str = "unit_step",
        rng: np.random.Generator | None = None,
    ):
        self.n_inputs = positive_int(n_inputs, "n_inputs")
        self.lr = positive_number(lr, "lr")
        self.activation = choice(activation, _TARGETS, "activation")
        self._phi = activations.get(activation).function
        if rng is None:
            self.w = np.zeros(self.n_inputs)
            self.b = 0.0
        elif isinstance(rng, np.random.Generator):
            self.w = rng.normal(0.0, 0.1, size=self.n_inputs)
            self.b = float(rng.normal(0.0, 0.1))
        else:
            raise TypeError(f"rng must be a numpy.random.Generator or None, got {type(rng).__name__}")

    def _check_x(self, X: ArrayLike) -> np.ndarray:
        X = as_float_array(X, "X", finite=True)
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise ValueError(f"X must have shape (N, {self.n_inputs}), got {shape_str(X.shape)}")
        return X

    def weighted_sum(self, X: ArrayLike) -> np.ndarray:
        r""":math:`z = X \mathbf w + b`; ``X : (N, D)`` -> ``(N,)``."""
        return self._check_x(X) @ self.w + self.b

    def predict(self, X: ArrayLike) -> np.ndarray:
        r""":math:`\hat y = \phi(z)`; ``X : (N, D)`` -> ``(N,)`` (0.5 or 0 on the boundary)."""
        return self._phi(self.weighted_sum(X))

    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        *,
        epochs: int = 100,
        rng: np.random.Generator | None = None,
        stop_when_converged: bool = True,
    ) -> np.ndarray:
        """Apply the rule sample by sample, epoch after epoch.

        Parameters
        ----------
        X : (N, D)
        y : (N,)
            Targets in ``{0, 1}`` (unit step) or ``{-1, 1}`` (sign).
        epochs : int
            At most this many passes over the data.
        rng : numpy.random.Generator, optional
            If given, each epoch visits the samples in a new random order;
            otherwise in the given order.
        stop_when_converged : bool
            Stop after the first epoch without a mistake (nothing would change
            afterwards).

        Returns
        -------
        mistakes : (epochs run,) int64
            The number of samples that were misclassified (and so caused an
            update) in each epoch. The perceptron has converged when the last
            entry is 0.
        """
        X = not_empty(self._check_x(X), "X")
        t = as_float_array(y, "y")
        if t.shape != (X.shape[0],):
            raise ValueError(f"X has shape {shape_str(X.shape)} but y has shape {shape_str(t.shape)}; expected y ({X.shape[0]},)")
        allowed = _TARGETS[self.activation]
        if not np.isin(t, allowed).all():
            raise ValueError(
                f"with activation={self.activation!r} the targets y must be {allowed[0]:g} or {allowed[1]:g}, "
                f"got {sorted(set(t.tolist()))}"
            )
        epochs = positive_int(epochs, "epochs")
        if rng is not None and not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator or None, got {type(rng).__name__}")
        stop_when_converged = flag(stop_when_converged, "stop_when_converged")
        mistakes = []
        w, b = self.w, self.b
        with np.errstate(over="ignore", invalid="ignore"):  # checked once, after the epochs
            for _ in range(int(epochs)):
                order = rng.permutation(len(X)) if rng is not None else range(len(X))
                count = 0
                for i in order:
                    x_i, t_i = X[i], t[i]
                    y_i = float(self._phi(x_i @ self.w + self.b))
                    if y_i != t_i:
                        count += 1
                        self.w = self.w + self.lr * (t_i - y_i) * x_i  # w <- w + eta (t - y) x
                        self.b = self.b + self.lr * (t_i - y_i)  # b <- b + eta (t - y)
                mistakes.append(count)
                if stop_when_converged and count == 0:
                    break
            overflowed = not (np.isfinite(self.w).all() and np.isfinite(self.b)
                              and np.isfinite(X @ self.w).all())  # the weighted sums the rule compared
        if overflowed:
            self.w, self.b = w, b
            raise too_large(["X"], "Perceptron.fit (the weights or weighted sums overflow)", {"X": X})
        return np.array(mistakes, dtype=np.int64)

    def __repr__(self) -> str:
        return f"Perceptron(w={self.w.tolist()}, b={self.b:g}, activation={self.activation!r})"
