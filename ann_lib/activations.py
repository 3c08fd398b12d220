r"""The eight activation functions of the lecture's table, and their derivatives.

Chapter 2 (activation functions). Every function takes an array ``z`` of any
shape and returns an array of the same shape. Floating input keeps its dtype
(float32 stays float32); integer input is computed in float64. Input that is not
a real number raises ``TypeError``; NaN raises ``ValueError``.

Conventions at the points where a derivative does not exist are decided once,
here, and tested in ``tests/test_activations.py``:

============================  =====================================================
function                      derivative used at its non-differentiable points
============================  =====================================================
``unit_step`` (0.5 at 0)      0 everywhere, also at 0 (the true derivative is a spike)
``sign`` (0 at 0)             0 everywhere, also at 0
``piecewise_linear``          0 at :math:`z = \pm 1/2` (the table puts both breaks
                              on the flat pieces)
``relu``                      0 at :math:`z = 0` (as ``tf.nn.relu``'s gradient)
============================  =====================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import as_float_array, choice

__all__ = [
    "ACTIVATIONS",
    "ActivationFunction",
    "get",
    "linear",
    "linear_grad",
    "piecewise_linear",
    "piecewise_linear_grad",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "sign",
    "sign_grad",
    "softplus",
    "softplus_grad",
    "tanh",
    "tanh_grad",
    "unit_step",
    "unit_step_grad",
]


def unit_step(z: ArrayLike) -> np.ndarray:
    r"""Unit step (Heaviside), with the lecture's value 0.5 at 0.

    .. math:: \phi(z) = 0 \ (z < 0), \quad 0.5 \ (z = 0), \quad 1 \ (z > 0)

    z : (...) -> (...)
    """
    z = as_float_array(z, "z")
    return np.heaviside(z, 0.5)


def unit_step_grad(z: ArrayLike) -> np.ndarray:
    r""":math:`\phi'(z) = 0` for :math:`z \neq 0`; 0 by convention at :math:`z = 0`."""
    z = as_float_array(z, "z")
    return np.zeros_like(z)


def sign(z: ArrayLike) -> np.ndarray:
    r"""Sign (signum), 0 at 0.

    .. math:: \phi(z) = -1 \ (z < 0), \quad 0 \ (z = 0), \quad 1 \ (z > 0)
    """
    z = as_float_array(z, "z")
    return np.sign(z)


def sign_grad(z: ArrayLike) -> np.ndarray:
    r""":math:`\phi'(z) = 0` for :math:`z \neq 0`; 0 by convention at :math:`z = 0`."""
    z = as_float_array(z, "z")
    return np.zeros_like(z)


def linear(z: ArrayLike) -> np.ndarray:
    r"""Linear (identity), :math:`\phi(z) = z`. Returns a copy."""
    z = as_float_array(z, "z")
    return z.copy()


def linear_grad(z: ArrayLike) -> np.ndarray:
    r""":math:`\phi'(z) = 1`."""
    z = as_float_array(z, "z")
    return np.ones_like(z)


def piecewise_linear(z: ArrayLike) -> np.ndarray:
    r"""Piece-wise linear, with breaks at :math:`\pm 1/2`.

    .. math:: \phi(z) = 1 \ (z \ge \tfrac12), \quad z + \tfrac12 \ (-\tfrac12 < z < \tfrac12),
              \quad 0 \ (z \le -\tfrac12)
    """
    z = as_float_array(z, "z")
    return np.clip(z + 0.5, 0.0, 1.0)


def piecewise_linear_grad(z: ArrayLike) -> np.ndarray:
    r""":math:`\phi'(z) = 1` on :math:`(-\tfrac12, \tfrac12)`, else 0 (0 at both breaks)."""
    z = as_float_array(z, "z")
    return ((z > -0.5) & (z < 0.5)).astype(z.dtype)


def sigmoid(z: ArrayLike) -> np.ndarray:
    r"""Logistic sigmoid, computed without overflow.

    .. math:: \sigma(z) = \frac{1}{1 + e^{-z}}

    For :math:`z < 0` it uses the equal form :math:`e^{z} / (1 + e^{z})`, so
    that :math:`e^{-z}` is never evaluated for a large negative :math:`z`.
    """
    z = as_float_array(z, "z")
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(z.dtype, copy=False)


def sigmoid_grad(z: ArrayLike) -> np.ndarray:
    r""":math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z))`."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: ArrayLike) -> np.ndarray:
    r"""Hyperbolic tangent, :math:`\tanh z = (e^z - e^{-z}) / (e^z + e^{-z})`.

    Computed by ``numpy.tanh``, which saturates to :math:`\pm 1` without overflow.
    """
    z = as_float_array(z, "z")
    return np.tanh(z)


def tanh_grad(z: ArrayLike) -> np.ndarray:
    r""":math:`\tanh'(z) = 1 - \tanh^2 z`."""
    t = tanh(z)
    return 1.0 - t * t


def relu(z: ArrayLike) -> np.ndarray:
    r"""Rectified linear unit, :math:`\phi(z) = \max(0, z)`."""
    z = as_float_array(z, "z")
    return np.maximum(z, 0.0)


def relu_grad(z: ArrayLike) -> np.ndarray:
    r""":math:`\phi'(z) = 1` for :math:`z > 0`, else 0 (0 at :math:`z = 0`, as in TensorFlow)."""
    z = as_float_array(z, "z")
    return (z > 0).astype(z.dtype)


def softplus(z: ArrayLike) -> np.ndarray:
    r"""Softplus, :math:`\phi(z) = \ln(1 + e^z)`, computed without overflow.

    Evaluated as :math:`\ln(e^0 + e^z)` by ``numpy.logaddexp``, which is
    :math:`\max(0, z) + \ln(1 + e^{-|z|})`: ``softplus(1000)`` is exactly 1000.
    """
    z = as_float_array(z, "z")
    return np.logaddexp(0.0, z).astype(z.dtype, copy=False)


def softplus_grad(z: ArrayLike) -> np.ndarray:
    r""":math:`\phi'(z) = \sigma(z)`: softplus is the integral of the sigmoid."""
    return sigmoid(z)


def _sigmoid_grad_from_output(y: np.ndarray) -> np.ndarray:
    return y * (1.0 - y)  # sigma' = sigma (1 - sigma)


def _tanh_grad_from_output(y: np.ndarray) -> np.ndarray:
    return 1.0 - y * y  # tanh' = 1 - tanh^2


def _linear_grad_from_output(y: np.ndarray) -> np.ndarray:
    return np.ones_like(y)


@dataclass(frozen=True)
class ActivationFunction:
    """One row of the lecture's table (chapter 2): the one home of everything about an activation.

    ``layers.Activation``, the tests and the gallery read these rows; adding an
    activation means adding a row here (see CONTRIBUTING.md).

    Attributes
    ----------
    name : the ``ann_lib`` name, e.g. ``"relu"``.
    title : the row's name as the table gives it.
    function, derivative : the numpy implementations above, :math:`\\phi(z)` and :math:`\\phi'(z)`.
    equation : the row's equation in LaTeX, exactly as the table gives it.
    example : the table's "Example" column.
    output_range : the closed interval that holds every output.
    tensorflow : the TensorFlow counterpart, or ``None`` where TensorFlow has none.
    label : a short name for a figure panel, e.g. ``"ReLU"``.
    value_breaks : the points where :math:`\\phi` jumps (its value there is ``function``'s).
    slope_breaks : the kinks, where :math:`\\phi'` jumps; ``derivative`` gives the convention there.
    derivative_from_output : :math:`\\phi'` computed from :math:`y = \\phi(z)` when that is
        cheaper (sigmoid, tanh, linear), else ``None``; the layer's backward pass uses it.
    """

    name: str
    title: str
    function: Callable[[ArrayLike], np.ndarray]
    derivative: Callable[[ArrayLike], np.ndarray]
    equation: str
    example: str
    output_range: tuple[float, float]
    tensorflow: str | None
    label: str = ""
    value_breaks: tuple[float, ...] = ()
    slope_breaks: tuple[float, ...] = ()
    derivative_from_output: Callable[[np.ndarray], np.ndarray] | None = None

    def __post_init__(self) -> None:
        for field_name in ("name", "title", "equation", "example", "label"):
            if not isinstance(getattr(self, field_name), str):
                raise TypeError(f"{field_name} must be a str, got {type(getattr(self, field_name)).__name__}")
        if not self.name:
            raise ValueError("name must not be empty")
        for field_name in ("function", "derivative"):
            if not callable(getattr(self, field_name)):
                got = type(getattr(self, field_name)).__name__
                raise TypeError(f"{field_name} must be a callable z -> array, got {got}")
        if self.derivative_from_output is not None and not callable(self.derivative_from_output):
            raise TypeError("derivative_from_output must be a callable y -> array or None")
        bounds = as_float_array(self.output_range, "output_range")
        if bounds.shape != (2,) or not bounds[0] <= bounds[1]:
            raise ValueError(f"output_range must be an interval (low, high) with low <= high, got {self.output_range!r}")
        object.__setattr__(self, "output_range", (float(bounds[0]), float(bounds[1])))
        for field_name in ("value_breaks", "slope_breaks"):
            points = as_float_array(getattr(self, field_name), field_name, finite=True)
            if points.ndim != 1:
                raise ValueError(f"{field_name} must be a tuple of points, got {getattr(self, field_name)!r}")
            object.__setattr__(self, field_name, tuple(float(p) for p in points))
        if self.tensorflow is not None and not isinstance(self.tensorflow, str):
            raise TypeError(f"tensorflow must be a name like 'tf.nn.relu' or None, got {type(self.tensorflow).__name__}")
        if not self.label:
            object.__setattr__(self, "label", self.name.replace("_", " "))

    def __call__(self, z: ArrayLike) -> np.ndarray:
        return self.function(z)


_INF = float("inf")

#: The lecture's table, row by row, in its order.
ACTIVATIONS: dict[str, ActivationFunction] = {
    a.name: a
    for a in (
        ActivationFunction(
            "unit_step", "Unit step (Heaviside)", unit_step, unit_step_grad,
            r"\phi(z) = \begin{cases} 0, & z < 0, \\ 0.5, & z = 0, \\ 1, & z > 0, \end{cases}",
            "Perceptron variant", (0.0, 1.0), None,
            label="unit step", value_breaks=(0.0,),
        ),
        ActivationFunction(
            "sign", "Sign (Signum)", sign, sign_grad,
            r"\phi(z) = \begin{cases} -1, & z < 0, \\ 0, & z = 0, \\ 1, & z > 0, \end{cases}",
            "Perceptron variant", (-1.0, 1.0), "tf.math.sign",
            label="sign", value_breaks=(0.0,),
        ),
        ActivationFunction(
            "linear", "Linear", linear, linear_grad,
            r"\phi(z) = z",
            "Adaline, linear regression", (-_INF, _INF), "tf.keras.activations.linear",
            label="linear", derivative_from_output=_linear_grad_from_output,
        ),
        ActivationFunction(
            "piecewise_linear", "Piece-wise linear", piecewise_linear, piecewise_linear_grad,
            r"\phi(z) = \begin{cases} 1, & z \geq \frac{1}{2}, \\ z + \frac{1}{2}, & "
            r"-\frac{1}{2} < z < \frac{1}{2}, \\ 0, & z \leq -\frac{1}{2}, \end{cases}",
            "Support vector machine", (0.0, 1.0), None,
            label="piece-wise linear", slope_breaks=(-0.5, 0.5),
        ),
        ActivationFunction(
            "sigmoid", "Logistic (sigmoid)", sigmoid, sigmoid_grad,
            r"\phi(z) = \frac{1}{1 + e^{-z}}",
            "Logistic regression, Multi-layer NN", (0.0, 1.0), "tf.nn.sigmoid",
            label="logistic (sigmoid)", derivative_from_output=_sigmoid_grad_from_output,
        ),
        ActivationFunction(
            "tanh", "Hyperbolic tangent", tanh, tanh_grad,
            r"\phi(z) = \frac{e^z - e^{-z}}{e^z + e^{-z}}",
            "Multi-layer Neural Networks", (-1.0, 1.0), "tf.math.tanh",
            label="tanh", derivative_from_output=_tanh_grad_from_output,
        ),
        ActivationFunction(
            "relu", "Rectifier, ReLU (Rectified Linear Unit)", relu, relu_grad,
            r"\phi(z) = \max(0, z)",
            "Multi-layer Neural Networks", (0.0, _INF), "tf.nn.relu",
            label="ReLU", slope_breaks=(0.0,),
        ),
        ActivationFunction(
            "softplus", "Rectifier, softplus", softplus, softplus_grad,
            r"\phi(z) = \ln(1 + e^z)",
            "Multi-layer Neural Networks", (0.0, _INF), "tf.nn.softplus",
            label="softplus",
        ),
    )
}


def get(name: str | ActivationFunction) -> ActivationFunction:
    """Look an activation up by name; an :class:`ActivationFunction` passes through."""
    return lookup(name, "name")


def lookup(value: str | ActivationFunction, argument: str) -> ActivationFunction:
    """:func:`get` for a caller whose own argument is called ``argument`` (``activation``, ``name``).

    For ann_lib's own modules (layers, network, neuron), so that errors name the reader's argument.
    """
    if isinstance(value, ActivationFunction):
        return value
    if not isinstance(value, str):
        raise TypeError(
            f"{argument} must be an activation name (str) or an ActivationFunction, got {type(value).__name__}"
        )
    return ACTIVATIONS[choice(value, ACTIVATIONS, argument)]
