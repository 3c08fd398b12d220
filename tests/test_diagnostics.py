"""ann_lib.diagnostics: per-layer gradient norms and activation statistics (chapters 6 and 7)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import seeds

from ann_lib.diagnostics import (
    GradientNorms,
    activation_statistics,
    gradient_norm_recorder,
    gradient_norms,
    layer_activations,
    weighted_layers,
)
from ann_lib.gradcheck import numerical_gradient, relative_error
from ann_lib.layers import Activation, Dense
from ann_lib.losses import MeanSquaredError, SoftmaxCrossEntropy
from ann_lib.network import Sequential, mlp
from ann_lib.training import fit


def small_problem(seed, sizes=(3, 4, 5, 2), activation="tanh", n=6):
    rng = np.random.default_rng(seed)
    model = mlp(list(sizes), hidden_activation=activation, rng=rng)
    for _, param, _ in model.parameters():
        param[...] = rng.normal(size=param.shape)
    X = rng.normal(size=(n, sizes[0]))
    y = rng.integers(0, sizes[-1], size=n)
    return model, X, y


@given(
    sizes=st.lists(st.integers(min_value=1, max_value=4), min_size=3, max_size=5),
    activation=st.sampled_from(["sigmoid", "tanh", "softplus"]),
    seed=seeds,
)
def test_weight_norms_are_the_norms_of_central_difference_gradients(sizes, activation, seed):
    sizes[-1] = max(sizes[-1], 2)  # softmax needs two classes
    model, X, y = small_problem(seed, sizes, activation)
    loss = SoftmaxCrossEntropy()
    measured = gradient_norms(model, loss, X, y)

    def f(_):
        return loss.forward(model.forward(X), y)

    expected = [np.linalg.norm(numerical_gradient(f, layer.params["W"])) for _, layer in weighted_layers(model)]
    assert measured.weights.shape == (len(sizes) - 1,)
    assert relative_error(measured.weights, expected) < 1e-6
    assert measured.loss == pytest.approx(f(None))


@pytest.mark.parametrize("seed", range(5))
def test_signal_norms_are_the_norms_of_dL_dZ_by_central_differences(seed):
    model, X, y = small_problem(seed)
    loss = SoftmaxCrossEntropy()
    measured = gradient_norms(model, loss, X, y)
    for position, (index, _) in enumerate(weighted_layers(model)):
        below, above = Sequential(model.layers[: index + 1]), model.layers[index + 1 :]
        Z = below.forward(X).copy()  # the weighted sums of this layer

        def loss_of_Z(Z):
            out = Z
            for layer in above:
                out = layer.forward(out)
            return loss.forward(out, y)

        expected = np.linalg.norm(numerical_gradient(loss_of_Z, Z))
        assert measured.signals[position] == pytest.approx(expected, rel=1e-6)


def test_gradient_norms_change_no_parameter():
    model, X, y = small_problem(0)
    before = [param.copy() for _, param, _ in model.parameters()]
    gradient_norms(model, SoftmaxCrossEntropy(), X, y)
    assert all(np.array_equal(a, param) for a, (_, param, _) in zip(before, model.parameters()))


def test_ratio_is_first_over_last_and_inf_for_a_zero_last_gradient():
    norms = GradientNorms(weights=np.array([1e-6, 1.0, 2.0]), signals=np.ones(3), loss=1.0)
    assert norms.ratio == pytest.approx(5e-7)
    assert GradientNorms(weights=np.array([1.0, 0.0]), signals=np.ones(2), loss=0.0).ratio == math.inf


def test_a_vanishing_chain_is_measured_as_vanishing():
    """Ten sigmoid layers with tiny weights: each layer multiplies the signal by about 0.25 * ||W||."""
    model = mlp([8] + [8] * 9 + [2], hidden_activation="sigmoid", init="naive_normal", rng=np.random.default_rng(0))
    X = np.random.default_rng(1).random((16, 8))
    y = np.arange(16) % 2
    norms = gradient_norms(model, SoftmaxCrossEntropy(), X, y)
    assert norms.ratio < 1e-12
    assert np.all(np.diff(np.log(norms.signals)) > 0)  # grows towards the output every layer


def test_recorder_records_one_array_per_epoch():
    model, X, y = small_problem(3)
    loss = SoftmaxCrossEntropy()
    recorder = gradient_norm_recorder(loss, X, y, name="norms")
    history = fit(model, loss, X, y, epochs=3, lr=0.1, shuffle=False, callback=recorder)
    assert len(history.records["norms"]) == 3
    assert all(entry.shape == (3,) for entry in history.records["norms"])
    np.testing.assert_allclose(history.records["norms"][-1], gradient_norms(model, loss, X, y).weights)


def test_layer_activations_are_the_outputs_of_the_activation_layers():
    model, X, _ = small_problem(4, sizes=(3, 4, 5, 2), activation="relu")
    outputs = layer_activations(model, X)
    assert [a.shape for a in outputs] == [(6, 4), (6, 5)]
    manual = X
    expected = []
    for layer in model.layers:
        manual = layer.forward(manual)
        if isinstance(layer, Activation):
            expected.append(manual)
    for a, b in zip(outputs, expected):
        np.testing.assert_array_equal(a, b)


def test_activation_statistics_on_known_distributions():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    # huge weights: every tanh unit is pinned at +-1; a large negative bias: every ReLU unit is off
    saturated = Sequential([Dense(4, 6, rng=rng), Activation("tanh")])
    saturated.layers[0].params["W"][...] = 1e3 * np.sign(rng.normal(size=(4, 6)))
    dead = Sequential([Dense(4, 6, rng=rng), Activation("relu")])
    dead.layers[0].params["b"][...] = -1e3
    tiny = Sequential([Dense(4, 6, rng=rng, init="zeros"), Activation("sigmoid")])
    (tanh_stats,) = activation_statistics(saturated, X)
    (relu_stats,) = activation_statistics(dead, X)
    (sigmoid_stats,) = activation_statistics(tiny, X)
    assert tanh_stats.name == "tanh" and tanh_stats.saturated > 0.99 and tanh_stats.std > 0.9
    assert relu_stats.zero == 1.0 and relu_stats.saturated == 1.0 and relu_stats.mean == 0.0
    assert sigmoid_stats.mean == 0.5 and sigmoid_stats.std == 0.0 and sigmoid_stats.saturated == 0.0


@given(seed=seeds, activation=st.sampled_from(["sigmoid", "tanh", "relu"]))
def test_activation_statistics_agree_with_numpy(seed, activation):
    model, X, _ = small_problem(seed, activation=activation)
    for stats, a in zip(activation_statistics(model, X), layer_activations(model, X)):
        assert stats.mean == pytest.approx(a.mean())
        assert stats.std == pytest.approx(a.std())
        assert 0.0 <= stats.saturated <= 1.0 and 0.0 <= stats.zero <= 1.0


def test_bad_input_is_refused_with_a_clear_error():
    model, X, y = small_problem(0)
    with pytest.raises(TypeError, match="Sequential"):
        gradient_norms([Dense(2, 2, rng=np.random.default_rng(0))], SoftmaxCrossEntropy(), X, y)
    with pytest.raises(ValueError, match="no layer with weights"):
        gradient_norms(Sequential([Activation("relu")]), MeanSquaredError(), X, X)
    with pytest.raises(ValueError, match="same number of samples"):
        gradient_norms(model, SoftmaxCrossEntropy(), X, y[:-1])
    with pytest.raises(ValueError, match="no Activation layer"):
        layer_activations(Sequential([Dense(3, 2, rng=np.random.default_rng(0))]), X)
    with pytest.raises(ValueError, match="tolerance"):
        activation_statistics(model, X, tolerance=-1.0)
