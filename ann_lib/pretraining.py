r"""Greedy layer-wise pre-training: restricted Boltzmann machines (CD-1) and autoencoders.

Chapter 7 (the breakthrough). Hinton, Osindero and Teh (2006) trained a deep
network one layer at a time, without labels: each layer is a restricted
Boltzmann machine (RBM) that learns to model the layer below it, trained by
contrastive divergence. Bengio, Lamblin, Popovici and Larochelle (2007) did the
same with autoencoders in place of RBMs. Either way the stack of trained layers
becomes the initial weights of a deep network, which is then *fine-tuned* with
labels by ordinary backpropagation.

Greedy layer-wise procedure
---------------------------
Given inputs :math:`H_0 = X` of shape ``(N, n_0)`` and hidden sizes
:math:`n_1, \dots, n_K`: for :math:`k = 1, \dots, K`, train one model (RBM or
autoencoder) with :math:`n_{k-1}` inputs and :math:`n_k` hidden units on
:math:`H_{k-1}`, keep its encoder :math:`(W_k, \mathbf c_k)`, and pass the data
up, :math:`H_k = \sigma(H_{k-1} W_k + \mathbf c_k)`. Layer :math:`k` is never
changed after it is trained ("greedy").

Randomness only through an explicit ``numpy.random.Generator``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import (
    as_float_array,
    check_instance,
    check_rng,
    choice,
    not_empty,
    positive_int,
    positive_number,
    shape_str,
    standard_deviation,
)
from ann_lib.activations import sigmoid, softplus
from ann_lib.layers import Activation, Dense
from ann_lib.losses import BinaryCrossEntropy
from ann_lib.network import Sequential
from ann_lib.training import TrainingDiverged, fit

__all__ = [
    "RBM",
    "Autoencoder",
    "CDStep",
    "PretrainedLayer",
    "greedy_layerwise",
    "initialize_from",
]


def _unit_interval_batch(X: ArrayLike, n_features: int, name: str = "X") -> np.ndarray:
    X = as_float_array(X, name)
    if X.ndim != 2 or X.shape[1] != n_features:
        raise ValueError(f"{name} must have shape (N, {n_features}), got {shape_str(X.shape)}")
    if X.size and (X.min() < 0.0 or X.max() > 1.0):
        raise ValueError(
            f"{name} must hold values in [0, 1] (pixel intensities or probabilities), "
            f"got values from {X.min():g} to {X.max():g}"
        )
    return X


@dataclass(frozen=True)
class CDStep:
    r"""One step of CD-1 on a batch: the estimated gradient and the chain it came from.

    Attributes
    ----------
    grads : dict
        ``"W" : (n_visible, n_hidden)``, ``"b" : (n_visible,)``, ``"c" : (n_hidden,)``;
        the direction that *increases* the log-likelihood (approximately).
    reconstruction : (N, n_visible)
        :math:`V_1`, the mean-field reconstruction of the batch.
    error : float
        :math:`\operatorname{mean}\,(V_0 - V_1)^2`, the squared reconstruction error.
    """

    grads: dict[str, np.ndarray]
    reconstruction: np.ndarray
    error: float


class RBM:
    r"""A restricted Boltzmann machine with binary visible and hidden units.

    Energy of a joint state :math:`(\mathbf v, \mathbf h) \in \{0,1\}^{D} \times \{0,1\}^{H}`,
    with :math:`W : (D, H)`, visible biases :math:`\mathbf b : (D,)` and hidden biases
    :math:`\mathbf c : (H,)`:

    .. math:: E(\mathbf v, \mathbf h) = -\mathbf v^\top W \mathbf h - \mathbf b^\top \mathbf v - \mathbf c^\top \mathbf h,
              \qquad p(\mathbf v, \mathbf h) = e^{-E(\mathbf v, \mathbf h)} / Z .

    There are no connections within a layer, so the conditionals factorize:

    .. math:: p(h_j = 1 \mid \mathbf v) = \sigma(c_j + \mathbf v^\top W_{:j}), \qquad
              p(v_i = 1 \mid \mathbf h) = \sigma(b_i + W_{i:} \mathbf h).

    Summing the hidden units out gives the free energy,
    :math:`p(\mathbf v) = e^{-F(\mathbf v)} / Z` with

    .. math:: F(\mathbf v) = -\mathbf b^\top \mathbf v - \sum_j \ln\!\big(1 + e^{c_j + \mathbf v^\top W_{:j}}\big).

    Parameters
    ----------
    n_visible, n_hidden : int
    rng : numpy.random.Generator
        Draws the initial weights, :math:`W_{ij} \sim \mathcal N(0, \text{std}^2)`;
        both biases start at 0.
    std : float
        The weights' initial standard deviation, 0.01 by default (Hinton's
        practical recommendation).
    """

    def __init__(self, n_visible: int, n_hidden: int, *, rng: np.random.Generator, std: float = 0.01):
        self.n_visible = positive_int(n_visible, "n_visible")
        self.n_hidden = positive_int(n_hidden, "n_hidden")
        std = positive_number(std, "std")
        standard_deviation(std, "std")  # a variance std**2 that float64 holds
        rng = check_rng(rng, "RBM")
        self.params: dict[str, np.ndarray] = {
            "W": rng.normal(0.0, std, size=(self.n_visible, self.n_hidden)),
            "b": np.zeros(self.n_visible),
            "c": np.zeros(self.n_hidden),
        }

    def hidden_probabilities(self, v: ArrayLike) -> np.ndarray:
        r""":math:`P(H = 1 \mid V) = \sigma(V W + \mathbf c)`; ``v : (N, D)`` -> ``(N, H)``."""
        v = _unit_interval_batch(v, self.n_visible, "v")
        return sigmoid(v @ self.params["W"] + self.params["c"])

    def visible_probabilities(self, h: ArrayLike) -> np.ndarray:
        r""":math:`P(V = 1 \mid H) = \sigma(H W^\top + \mathbf b)`; ``h : (N, H)`` -> ``(N, D)``."""
        h = _unit_interval_batch(h, self.n_hidden, "h")
        return sigmoid(h @ self.params["W"].T + self.params["b"])

    def free_energy(self, v: ArrayLike) -> np.ndarray:
        r""":math:`F(\mathbf v)` for each row of ``v : (N, D)``; returns ``(N,)``."""
        v = _unit_interval_batch(v, self.n_visible, "v")
        return -(v @ self.params["b"]) - softplus(v @ self.params["W"] + self.params["c"]).sum(axis=1)

    def contrastive_divergence(self, v0: ArrayLike, rng: np.random.Generator) -> CDStep:
        r"""CD-1: one step of Gibbs sampling from the data, and the gradient estimate.

        .. math::
            P_0 = \sigma(V_0 W + \mathbf c), \quad H_0 \sim \operatorname{Bernoulli}(P_0), \quad
            V_1 = \sigma(H_0 W^\top + \mathbf b), \quad P_1 = \sigma(V_1 W + \mathbf c),

        .. math::
            \Delta W = \tfrac1N \big(V_0^\top P_0 - V_1^\top P_1\big), \quad
            \Delta \mathbf b = \overline{V_0 - V_1}, \quad
            \Delta \mathbf c = \overline{P_0 - P_1}.

        The exact gradient of :math:`\operatorname{mean} \ln p(\mathbf v)` is the
        positive phase (data) minus an expectation under the model, which needs
        :math:`Z`; CD-1 replaces the model's expectation by the one-step
        reconstruction :math:`V_1`. With :math:`V_1` held fixed, the estimate is
        exactly :math:`\nabla_\theta \operatorname{mean}\,\big(F(V_1) - F(V_0)\big)`.
        The reconstruction uses probabilities rather than binary samples, which
        reduces the noise (Hinton's practical guide does the same).

        ``v0 : (N, D)`` with values in [0, 1] (probabilities are used as they are).
        """
        rng = check_rng(rng, "contrastive_divergence")
        v0 = not_empty(_unit_interval_batch(v0, self.n_visible, "v0"), "v0")
        W, b, c = self.params["W"], self.params["b"], self.params["c"]
        n = v0.shape[0]
        p0 = sigmoid(v0 @ W + c)  # positive phase
        h0 = (rng.random(p0.shape) < p0).astype(np.float64)  # binary hidden sample
        v1 = sigmoid(h0 @ W.T + b)  # mean-field reconstruction
        p1 = sigmoid(v1 @ W + c)  # negative phase
        grads = {
            "W": (v0.T @ p0 - v1.T @ p1) / n,
            "b": (v0 - v1).mean(axis=0),
            "c": (p0 - p1).mean(axis=0),
        }
        return CDStep(grads=grads, reconstruction=v1, error=float(np.mean((v0 - v1) ** 2)))

    def fit(
        self, X: ArrayLike, *, epochs: int, lr: float, batch_size: int, rng: np.random.Generator
    ) -> list[float]:
        r"""Train by CD-1 in mini-batches, :math:`\theta \leftarrow \theta + \eta\,\Delta\theta`.

        ``X : (N, D)`` in [0, 1]. Returns the mean squared reconstruction error
        of each epoch (a rough progress measure; CD does not minimize it).
        """
        X = not_empty(_unit_interval_batch(X, self.n_visible), "X")
        epochs = positive_int(epochs, "epochs")
        lr = positive_number(lr, "lr")
        batch_size = positive_int(batch_size, "batch_size")
        rng = check_rng(rng, "RBM.fit")
        errors = []
        for epoch in range(1, epochs + 1):
            order = rng.permutation(len(X))
            total = 0.0
            for batch_index, start in enumerate(range(0, len(X), batch_size), start=1):
                batch = X[order[start : start + batch_size]]
                step = self.contrastive_divergence(batch, rng)
                with np.errstate(over="ignore", invalid="ignore"):
                    updated = {key: self.params[key] + lr * grad for key, grad in step.grads.items()}
                if not all(np.isfinite(value).all() for value in updated.values()):
                    problem = "a parameter is not finite"
                elif np.all((step.reconstruction == 0.0) | (step.reconstruction == 1.0)):
                    problem = ("every unit is saturated (the reconstruction is exactly 0 or 1 everywhere), "
                               "so CD-1 has stopped learning")
                else:
                    problem = ""
                if problem:
                    raise TrainingDiverged(
                        f"RBM training diverged at epoch {epoch}, batch {batch_index}: {problem}. "
                        f"The learning rate lr={lr:g} is probably too large; try e.g. lr={lr / 10:g}. "
                        "The RBM keeps its last parameters before this step.",
                        epoch=epoch, batch=batch_index,
                    )
                for key, value in updated.items():
                    self.params[key][...] = value  # ascent on the log-likelihood
                total += step.error * len(batch)
            errors.append(total / len(X))
        return errors

    def transform(self, X: ArrayLike) -> np.ndarray:
        """The representation passed to the next layer: :meth:`hidden_probabilities`."""
        return self.hidden_probabilities(_unit_interval_batch(X, self.n_visible, "X"))

    def log_likelihood_exact(self, X: ArrayLike) -> float:
        r"""The mean :math:`\ln p(\mathbf v)` over the rows of ``X``, with :math:`Z` by enumeration.

        :math:`\ln Z = \ln \sum_{\mathbf v \in \{0,1\}^D} e^{-F(\mathbf v)}`, a sum of
        :math:`2^D` terms: only for tiny machines (``n_visible <= 16``), e.g. in tests.
        """
        X = not_empty(_unit_interval_batch(X, self.n_visible, "X"), "X")
        if self.n_visible > 16:
            raise ValueError(f"exact enumeration needs n_visible <= 16 (2**D states), got {self.n_visible}")
        states = ((np.arange(2**self.n_visible)[:, None] >> np.arange(self.n_visible)) & 1).astype(np.float64)
        negative_f = -self.free_energy(states)
        shift = negative_f.max()
        log_z = shift + math.log(np.exp(negative_f - shift).sum())
        return float(np.mean(-self.free_energy(X)) - log_z)

    def __repr__(self) -> str:
        return f"RBM({self.n_visible}, {self.n_hidden})"


class Autoencoder:
    r"""A one-hidden-layer autoencoder: encode with a sigmoid layer, decode back to the input.

    .. math:: H = \sigma(X W + \mathbf c), \qquad \hat X = \sigma(H W' + \mathbf b'),

    with untied weights :math:`W : (D, H)`, :math:`W' : (H, D)`, trained to
    minimize the cross-entropy reconstruction loss (inputs in [0, 1], as in
    Bengio et al. 2007)

    .. math:: L = -\frac{1}{N D} \sum_{n, i} \big(x_{ni} \ln \hat x_{ni} + (1 - x_{ni}) \ln (1 - \hat x_{ni})\big)

    by the book's own backpropagation and SGD (:func:`ann_lib.training.fit` with
    the input as its own target).

    Parameters
    ----------
    n_visible, n_hidden : int
    rng : numpy.random.Generator
    init : str
        Initializer of both weight matrices (:mod:`ann_lib.initializers`).
    """

    def __init__(self, n_visible: int, n_hidden: int, *, rng: np.random.Generator, init: str = "glorot_uniform"):
        self.n_visible = positive_int(n_visible, "n_visible")
        self.n_hidden = positive_int(n_hidden, "n_hidden")
        rng = check_rng(rng, "Autoencoder")
        self.encoder = Dense(self.n_visible, self.n_hidden, rng=rng, init=init)
        self.decoder = Dense(self.n_hidden, self.n_visible, rng=rng, init=init)
        # the decoder outputs logits; the loss applies the sigmoid stably
        self.model = Sequential([self.encoder, Activation("sigmoid"), self.decoder])
        self.loss = BinaryCrossEntropy(from_logits=True)

    def fit(
        self, X: ArrayLike, *, epochs: int, lr: float, batch_size: int, rng: np.random.Generator
    ) -> list[float]:
        """Minimize the reconstruction loss by SGD; returns the loss of each epoch."""
        X = not_empty(_unit_interval_batch(X, self.n_visible), "X")
        history = fit(
            self.model, self.loss, X, X,
            epochs=positive_int(epochs, "epochs"), batch_size=positive_int(batch_size, "batch_size"),
            lr=positive_number(lr, "lr"), rng=check_rng(rng, "Autoencoder.fit"),
        )
        return history.loss

    def transform(self, X: ArrayLike) -> np.ndarray:
        r"""The code :math:`H = \sigma(X W + \mathbf c)`, ``(N, D)`` -> ``(N, H)``."""
        X = _unit_interval_batch(X, self.n_visible)
        return sigmoid(X @ self.encoder.params["W"] + self.encoder.params["b"])

    def reconstruct(self, X: ArrayLike) -> np.ndarray:
        r""":math:`\hat X = \sigma(H W' + \mathbf b')`, ``(N, D)``."""
        return sigmoid(self.transform(X) @ self.decoder.params["W"] + self.decoder.params["b"])

    def __repr__(self) -> str:
        return f"Autoencoder({self.n_visible}, {self.n_hidden})"


@dataclass
class PretrainedLayer:
    """One layer of a greedily pre-trained stack.

    Attributes
    ----------
    W : (n_in, n_out) ndarray
    b : (n_out,) ndarray
        The encoder's weights and bias, ready for a ``Dense(n_in, n_out)`` layer.
    errors : list of float
        The layer's training curve (reconstruction error per epoch).
    """

    W: np.ndarray
    b: np.ndarray
    errors: list[float] = field(default_factory=list)


def greedy_layerwise(
    X: ArrayLike,
    hidden_sizes: Sequence[int],
    *,
    method: str = "rbm",
    epochs: int = 10,
    lr: float = 0.1,
    batch_size: int = 32,
    rng: np.random.Generator,
) -> list[PretrainedLayer]:
    r"""Pre-train a stack of sigmoid layers one at a time, without labels.

    Layer :math:`k` (an :class:`RBM` trained by CD-1, or an :class:`Autoencoder`)
    is trained on :math:`H_{k-1}`, the representation the layers below give to
    ``X`` (:math:`H_0 = X`), and then fixed; the data is passed up through it,
    :math:`H_k = \sigma(H_{k-1} W_k + \mathbf c_k)`.

    Parameters
    ----------
    X : (N, D)
        Unlabelled inputs in [0, 1].
    hidden_sizes : sequence of int
        :math:`n_1, \dots, n_K`, the widths of the layers to pre-train.
    method : {"rbm", "autoencoder"}
    epochs, lr, batch_size :
        The training of every layer.
    rng : numpy.random.Generator

    Returns
    -------
    list of PretrainedLayer
        ``K`` layers; layer ``k`` has ``W : (n_{k-1}, n_k)``, ``b : (n_k,)``.
    """
    method = choice(method, ("rbm", "autoencoder"), "method")
    if isinstance(hidden_sizes, (str, bytes)) or not hasattr(hidden_sizes, "__iter__"):
        raise TypeError(f"hidden_sizes must be a list of layer widths, got {hidden_sizes!r}")
    sizes = list(hidden_sizes)
    if not sizes:
        raise ValueError("hidden_sizes must list at least one layer width")
    for size in sizes:
        positive_int(size, "hidden_sizes")
    epochs, batch_size = positive_int(epochs, "epochs"), positive_int(batch_size, "batch_size")
    lr = positive_number(lr, "lr")
    rng = check_rng(rng, "greedy_layerwise")
    X = as_float_array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must have shape (N, D), got {shape_str(X.shape)}")
    representation = not_empty(_unit_interval_batch(X, X.shape[1]), "X")
    stack = []
    for n_hidden in sizes:
        n_visible = representation.shape[1]
        if method == "rbm":
            rbm = RBM(n_visible, n_hidden, rng=rng)
            errors = rbm.fit(representation, epochs=epochs, lr=lr, batch_size=batch_size, rng=rng)
            layer = PretrainedLayer(W=rbm.params["W"].copy(), b=rbm.params["c"].copy(), errors=errors)
            representation = rbm.transform(representation)
        else:
            autoencoder = Autoencoder(n_visible, n_hidden, rng=rng)
            errors = autoencoder.fit(representation, epochs=epochs, lr=lr, batch_size=batch_size, rng=rng)
            encoder = autoencoder.encoder.params
            layer = PretrainedLayer(W=encoder["W"].copy(), b=encoder["b"].copy(), errors=errors)
            representation = autoencoder.transform(representation)
        stack.append(layer)
    return stack


def initialize_from(model: Sequential, stack: Sequence[PretrainedLayer]) -> Sequential:
    """Copy a pre-trained stack into the first ``len(stack)`` weighted layers of ``model``.

    The remaining layers (typically the output layer) keep their own
    initialization. Returns ``model`` (changed in place).

    Raises
    ------
    ValueError
        If the model has fewer weighted layers than the stack, or a shape differs.
    """
    model = check_instance(model, Sequential, "model")
    if isinstance(stack, (str, bytes)) or not hasattr(stack, "__iter__"):
        raise TypeError(f"stack must be a list of PretrainedLayer (from greedy_layerwise), got {type(stack).__name__}")
    stack = list(stack)
    targets = [layer for _, layer in model.weighted_layers()]
    if len(stack) > len(targets):
        raise ValueError(f"the stack has {len(stack)} layers but model {model!r} has only {len(targets)} weighted layers")
    weights = []
    for index, (pretrained, layer) in enumerate(zip(stack, targets)):
        if not (hasattr(pretrained, "W") and hasattr(pretrained, "b")):
            raise TypeError(f"stack[{index}] must be a PretrainedLayer with W and b, got {type(pretrained).__name__}")
        W = as_float_array(pretrained.W, f"stack[{index}].W", finite=True)
        b = as_float_array(pretrained.b, f"stack[{index}].b", finite=True)
        if W.shape != layer.params["W"].shape or b.shape != layer.params["b"].shape:
            raise ValueError(
                f"pre-trained layer stack[{index}] has W {shape_str(W.shape)} and b "
                f"{shape_str(b.shape)}, but {layer!r} needs W {shape_str(layer.params['W'].shape)} "
                f"and b {shape_str(layer.params['b'].shape)}"
            )
        weights.append((W, b))
    for (W, b), layer in zip(weights, targets):
        layer.params["W"][...] = W
        layer.params["b"][...] = b
    return model
