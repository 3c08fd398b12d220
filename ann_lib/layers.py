r"""Layers with a forward and a backward pass: the pieces backpropagation is made of.

Chapter 4 (backpropagation). A layer maps a batch ``x`` to ``y = f(x)``.
``forward(x)`` computes ``y`` and keeps what the backward pass will need;
``backward(dout)`` receives :math:`\partial L / \partial y` (``dout``, the same
shape as ``y``), stores :math:`\partial L / \partial \theta` for each parameter
in ``grads`` and returns :math:`\partial L / \partial x` (``dx``, the same shape
as ``x``). Each line of ``backward`` is one equation of the chain rule.

The layer contract
------------------
Every layer (here, in :mod:`ann_lib.conv`, :mod:`ann_lib.pooling` and in any new module)
subclasses :class:`Layer` and keeps to this:

* ``params`` maps a parameter's name to its array, ``grads`` the same names to arrays
  of the same shapes. The weight array that multiplies the input is called ``"W"`` and
  the bias ``"b"``; a layer without parameters leaves both dicts empty.
* ``forward(x)`` and ``backward(dout)`` check their argument once, on entry, through
  :mod:`ann_lib._validation` (``x`` finite, ``dout`` the shape of the last output); a
  layer called by :class:`~ann_lib.network.Sequential` or :func:`~ann_lib.training.fit`
  has its data scanned for NaN/inf once by the caller, not again per layer
  (:func:`ann_lib._validation.checked_once`).
* ``backward`` before ``forward`` raises ``RuntimeError``; ``__repr__`` shows the
  layer as it would be constructed, e.g. ``Dense(3, 2)``.
* Nobody else walks layers to find parameters: optimizers, diagnostics and
  pre-training use :meth:`ann_lib.network.Sequential.parameters` (every parameter
  with its gradient) and :meth:`ann_lib.network.Sequential.weighted_layers` (the
  layers with a ``"W"``), the one place where the convention above is read.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ann_lib import activations, initializers
from ann_lib._validation import as_float_array, finite_result, positive_int, shape_str

__all__ = ["Activation", "Dense", "Flatten", "Layer"]


class Layer:
    """The interface every layer follows.

    Attributes
    ----------
    params : dict[str, ndarray]
        The trainable arrays by name (empty for a layer without parameters).
    grads : dict[str, ndarray]
        :math:`\\partial L / \\partial` each parameter, the same keys and shapes
        as ``params``, filled by :meth:`backward`.
    """

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x: ArrayLike) -> np.ndarray:
        """``y = f(x)``, caching what :meth:`backward` needs."""
        raise NotImplementedError

    def backward(self, dout: ArrayLike) -> np.ndarray:
        """Take ``dL/dy``, fill ``grads``, return ``dL/dx``."""
        raise NotImplementedError

    def __call__(self, x: ArrayLike) -> np.ndarray:
        return self.forward(x)

    def _check_dout(self, dout: ArrayLike, expected: tuple[int, ...]) -> np.ndarray:
        dout = as_float_array(dout, "dout", finite=True)
        if dout.shape != expected:
            raise ValueError(
                f"{self!r}.backward: dout has shape {shape_str(dout.shape)}, but the last forward "
                f"output had shape {shape_str(expected)}; they must match"
            )
        return dout

    def _not_run(self) -> RuntimeError:
        return RuntimeError(f"{self!r}.backward was called before forward: there is nothing to differentiate")


class Dense(Layer):
    r"""A fully connected layer, :math:`Y = X W + \mathbf b`.

    Parameters
    ----------
    n_in, n_out : int
        Inputs per sample and units in the layer.
    rng : numpy.random.Generator
        Draws the initial weights.
    init : str or callable
        A name from :data:`ann_lib.initializers.INITIALIZERS`, or ``f(shape, rng)``.
        The bias starts at 0.

    Shapes
    ------
    ``x : (N, n_in)`` -> ``y : (N, n_out)``; ``W : (n_in, n_out)``, ``b : (n_out,)``.

    Backward, for :math:`G = \partial L / \partial Y` (``dout``):

    .. math:: \frac{\partial L}{\partial W} = X^\top G, \qquad
              \frac{\partial L}{\partial \mathbf b} = \sum_{n} G_{n,:}, \qquad
              \frac{\partial L}{\partial X} = G W^\top
    """

    def __init__(
        self, n_in: int, n_out: int, *, rng: np.random.Generator, init: str | initializers.Initializer = "glorot_uniform"
    ):
        super().__init__()
        self.n_in = positive_int(n_in, "n_in")
        self.n_out = positive_int(n_out, "n_out")
        self.init = init if isinstance(init, str) else getattr(init, "__name__", repr(init))
        weights = initializers.initial_weights(init, (self.n_in, self.n_out), rng)
        self.params = {"W": weights, "b": np.zeros(self.n_out)}
        self.grads = {"W": np.zeros_like(weights), "b": np.zeros(self.n_out)}
        self._x: np.ndarray | None = None

    @finite_result("x")
    def forward(self, x: ArrayLike) -> np.ndarray:
        x = as_float_array(x, "x", finite=True)
        if x.ndim != 2 or x.shape[1] != self.n_in:
            raise ValueError(
                f"{self!r} expects x of shape (N, {self.n_in}), got {shape_str(x.shape)}"
                + (" (use Flatten first for images)" if x.ndim > 2 else "")
            )
        self._x = x
        W, b = self.params["W"], self.params["b"]
        return x @ W + b

    @finite_result("dout")
    def backward(self, dout: ArrayLike) -> np.ndarray:
        if self._x is None:
            raise self._not_run()
        x, W = self._x, self.params["W"]
        dout = self._check_dout(dout, (x.shape[0], self.n_out))
        self.grads["W"] = x.T @ dout  # dL/dW = X^T G
        self.grads["b"] = dout.sum(axis=0)  # dL/db = sum over the batch of G
        dx = dout @ W.T  # dL/dX = G W^T
        return dx

    def __repr__(self) -> str:
        return f"Dense({self.n_in}, {self.n_out})"


class Activation(Layer):
    r"""An element-wise activation :math:`y = \phi(z)` from :mod:`ann_lib.activations`.

    Backward: :math:`\partial L / \partial z = \partial L / \partial y \odot \phi'(z)`,
    with :math:`\phi'` from the activation's registry row (computed from the output
    :math:`y` where the row says that is cheaper, as for the sigmoid and tanh).
    Any shape in, the same shape out; an infinite input gives the function's limit.
    For the unit step and the sign function :math:`\phi' = 0` everywhere: nothing
    flows back through them, which is the point of chapter 3.
    """

    def __init__(self, name: str | activations.ActivationFunction):
        super().__init__()
        self.activation = activations.lookup(name, "name")
        self.name = self.activation.name
        self._z: np.ndarray | None = None
        self._y: np.ndarray | None = None

    def forward(self, x: ArrayLike) -> np.ndarray:
        z = as_float_array(x, "x")
        y = self.activation.function(z)
        self._z, self._y = z, y
        return y

    def backward(self, dout: ArrayLike) -> np.ndarray:
        if self._z is None:
            raise self._not_run()
        dout = self._check_dout(dout, self._z.shape)
        from_output = self.activation.derivative_from_output
        if from_output is not None:
            dz = dout * from_output(self._y)  # dL/dz = dL/dy * phi'(z), phi' from y = phi(z)
        else:
            dz = dout * self.activation.derivative(self._z)  # dL/dz = dL/dy * phi'(z)
        return dz

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


class Flatten(Layer):
    """``(N, d1, d2, ...)`` -> ``(N, d1*d2*...)``; backward puts the shape back."""

    def __init__(self) -> None:
        super().__init__()
        self._shape: tuple[int, ...] | None = None

    def forward(self, x: ArrayLike) -> np.ndarray:
        x = as_float_array(x, "x", finite=True)
        if x.ndim < 2:
            raise ValueError(f"Flatten expects a batch x of shape (N, ...), got {shape_str(x.shape)}")
        self._shape = x.shape
        return x.reshape(x.shape[0], math.prod(x.shape[1:]))

    def backward(self, dout: ArrayLike) -> np.ndarray:
        if self._shape is None:
            raise self._not_run()
        dout = self._check_dout(dout, (self._shape[0], math.prod(self._shape[1:])))
        return dout.reshape(self._shape)

    def __repr__(self) -> str:
        return "Flatten()"
