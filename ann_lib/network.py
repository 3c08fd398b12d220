r"""A network as a stack of layers, and the multilayer perceptron built from it.

Chapter 4 (backpropagation). The forward pass runs the layers in order; the
backward pass runs them in reverse, each layer turning
:math:`\partial L / \partial(\text{its output})` into
:math:`\partial L / \partial(\text{its input})`: the chain rule, one layer at a time.
"""

from __future__ import annotations

import contextlib

from typing import Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike

from ann_lib import activations, initializers
from ann_lib._validation import as_float_array, check_rng, checked_once, positive_int, scan_skipped, too_large
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
        if isinstance(layers, (str, bytes)) or not hasattr(layers, "__iter__"):
            raise TypeError(f"layers must be a list of layers, got {type(layers).__name__}")
        layers = list(layers)
        if not layers:
            raise ValueError("Sequential needs at least one layer in layers, got none")
        for index, layer in enumerate(layers):
            missing = [name for name in ("forward", "backward", "params", "grads") if not hasattr(layer, name)]
            if missing or isinstance(layer, type):
                raise TypeError(
                    f"layer {index} of layers ({type(layer).__name__}) is not a layer instance: "
                    + (f"it has no {', '.join(missing)}" if missing else "it is a class; create an instance")
                )
        self.layers = layers

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Run ``x`` through every layer, caching for :meth:`backward`.

        ``x`` is checked (finite real numbers) once here, not again by every layer.
        Called by a user (not from inside a training loop), every layer's output is
        checked to be finite: an ``x`` so large that a layer overflows is a ``ValueError``.
        """
        return self._outputs(x)[-1]

    def _outputs(self, x: ArrayLike, name: str = "x") -> list[np.ndarray]:
        """Every layer's output for ``x``, in order (the last is :meth:`forward`'s result).

        Outside :func:`~ann_lib._validation.checked_once` each output must be finite, or a
        ``ValueError`` names ``name``, the caller's argument (an overflow of a hidden layer
        hides behind a saturated activation otherwise).
        """
        x = given = as_float_array(x, name, finite=True)
        check = not scan_skipped()
        outputs = []
        with checked_once(), np.errstate(over="ignore", invalid="ignore") if check else contextlib.nullcontext():
            for index, layer in enumerate(self.layers):
                x = layer.forward(x)
                if check and not np.isfinite(x).all():
                    # the input or the weights (grown by training) may be to blame: name both
                    weights = {f"layer {index}'s {key}": value for key, value in layer.params.items()}
                    raise too_large([name, *weights], f"{self!r}.forward (at layer {index}, {layer!r})",
                                    {name: given, **weights})
                outputs.append(x)
        return outputs

    __call__ = forward

    def backward(self, dout: ArrayLike) -> np.ndarray:
        """Backpropagate ``dL/d(output)`` through every layer; returns ``dL/dx``.

        Outside a training loop, ``dx`` and every gradient must be finite, or a ``ValueError`` names ``dout``.
        """
        dout = as_float_array(dout, "dout", finite=True)
        check = not scan_skipped()
        with checked_once(), np.errstate(over="ignore", invalid="ignore") if check else contextlib.nullcontext():
            for layer in reversed(self.layers):
                dout = layer.backward(dout)
        if check and not (np.isfinite(dout).all() and all(np.isfinite(g).all() for _, _, g in self.parameters())):
            raise too_large(["dout"], f"{self!r}.backward")
        return dout

    def predict(self, x: ArrayLike) -> np.ndarray:
        """The network's output for ``x`` (logits, if the last layer is Dense)."""
        return self.forward(x)

    def parameters(self) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """``(name, param, grad)`` for every parameter, named like ``"0.W"`` (layer 0's W).

        The one way to walk a model's parameters (the layer contract in :mod:`ann_lib.layers`):
        the optimizers use it. ``param`` and ``grad`` are the layer's own arrays.
        """
        for index, layer in enumerate(self.layers):
            for key, value in layer.params.items():
                yield f"{index}.{key}", value, layer.grads[key]

    def weighted_layers(self) -> list[tuple[int, Layer]]:
        """``(index, layer)`` for every layer with a weight array ``params["W"]``, from the input side.

        In an MLP these are the Dense layers; in a CNN also the Conv2D layers.
        """
        return [(index, layer) for index, layer in enumerate(self.layers) if "W" in layer.params]

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
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
        raise TypeError(f"sizes must be a list of layer widths, e.g. [2, 2, 1]; got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least the inputs and the outputs, e.g. [2, 2, 1]; got {sizes!r}")
    for size in sizes:
        try:
            positive_int(size, "sizes")
        except ValueError:
            raise ValueError(f"sizes must be positive integers, got {sizes!r}") from None
    hidden = activations.lookup(hidden_activation, "hidden_activation")
    output = None if output_activation is None else activations.lookup(output_activation, "output_activation")
    check_rng(rng, "mlp")
    initializers.lookup(init, "init")
    layers: list[Layer] = []
    for index, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Dense(n_in, n_out, rng=rng, init=init))
        if index < len(sizes) - 2:
            layers.append(Activation(hidden))
    if output is not None:
        layers.append(Activation(output))
    return Sequential(layers)
