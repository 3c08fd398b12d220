r"""A network as a stack of layers, and the multilayer perceptron built from it.

Chapter 4 (backpropagation). The forward pass runs the layers in order; the
backward pass runs them in reverse, each layer turning
:math:`\partial L / \partial(\text{its output})` into
:math:`\partial L / \partial(\text{its input})`: the chain rule, one layer at a time.
"""

from __future__ import annotations

import numbers
from typing import Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike

from ann_lib import initializers
from ann_lib.layers import Activation, Dense, Layer

__all__ = ["Sequential", "mlp"]


class Sequential:
    """Layers applied one after another.

    Parameters
    ----------
    layers : sequence of Layer
        Each must have ``forward``, ``backward``, ``params`` and ``grads``.
    """

    def __init__(self, layers: Sequence[Layer]):
        layers = list(layers)
        if not layers:
            raise ValueError("Sequential needs at least one layer, got none")
        for index, layer in enumerate(layers):
            missing = [name for name in ("forward", "backward", "params", "grads") if not hasattr(layer, name)]
            if missing:
                raise TypeError(
                    f"layer {index} ({type(layer).__name__}) is not a layer: it has no {', '.join(missing)}"
                )
        self.layers = layers

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Run ``x`` through every layer, caching for :meth:`backward`."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    __call__ = forward

    def backward(self, dout: ArrayLike) -> np.ndarray:
        """Backpropagate ``dL/d(output)`` through every layer; returns ``dL/dx``."""
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def predict(self, x: ArrayLike) -> np.ndarray:
        """The network's output for ``x`` (logits, if the last layer is Dense)."""
        return self.forward(x)

    def parameters(self) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """``(name, param, grad)`` for every parameter, named like ``"0.W"`` (layer 0's W)."""
        for index, layer in enumerate(self.layers):
            for key, value in layer.params.items():
                yield f"{index}.{key}", value, layer.grads[key]

    @property
    def n_params(self) -> int:
        """The number of trainable numbers."""
        return sum(value.size for _, value, _ in self.parameters())

    def __repr__(self) -> str:
        return "Sequential([" + ", ".join(repr(layer) for layer in self.layers) + "])"


def mlp(
    sizes: Sequence[int],
    *,
    hidden_activation: str = "sigmoid",
    output_activation: str | None = None,
    rng: np.random.Generator,
    init: str | initializers.Initializer = "glorot_uniform",
) -> Sequential:
    r"""A multilayer perceptron: Dense, activation, Dense, activation, ..., Dense.

    ``sizes = [2, 2, 1]`` gives 2 inputs, one hidden layer of 2 units and 1
    output: :math:`\hat y = \phi_\text{out}(\phi(X W_1 + \mathbf b_1) W_2 + \mathbf b_2)`.
    With ``output_activation=None`` the network returns the last weighted sums
    (logits), which is what the cross-entropy losses expect.
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least the inputs and the outputs, e.g. [2, 2, 1]; got {sizes!r}")
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size <= 0:
            raise ValueError(f"sizes must be positive integers, got {sizes!r}")
    layers: list[Layer] = []
    for index, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Dense(n_in, n_out, rng=rng, init=init))
        if index < len(sizes) - 2:
            layers.append(Activation(hidden_activation))
    if output_activation is not None:
        layers.append(Activation(output_activation))
    return Sequential(layers)
