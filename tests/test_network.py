"""ann_lib.network: the MLP's structure, and backpropagation through the whole network."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import seeds

from ann_lib.gradcheck import numerical_gradient, relative_error
from ann_lib.layers import Activation, Dense
from ann_lib.losses import BinaryCrossEntropy, MeanSquaredError, SoftmaxCrossEntropy
from ann_lib.network import Sequential, mlp

TOLERANCE = 1e-6


@given(
    sizes=st.lists(st.integers(min_value=1, max_value=4), min_size=2, max_size=4),
    n=st.integers(min_value=1, max_value=5),
    activation=st.sampled_from(["sigmoid", "tanh", "softplus"]),
    seed=seeds,
)
def test_backprop_through_an_mlp_matches_central_differences(sizes, n, activation, seed):
    rng = np.random.default_rng(seed)
    model = mlp(sizes, hidden_activation=activation, rng=rng)
    for _, param, _ in model.parameters():
        param[...] = rng.normal(size=param.shape)  # non-zero biases too
    x = rng.normal(size=(n, sizes[0]))
    if sizes[-1] > 1:
        loss, target = SoftmaxCrossEntropy(), rng.integers(0, sizes[-1], size=n)
    else:
        loss, target = BinaryCrossEntropy(), rng.integers(0, 2, size=n)

    def f(_):
        return loss.forward(model.forward(x), target)

    f(None)
    dx = model.backward(loss.backward())
    analytic = {name: grad.copy() for name, _, grad in model.parameters()}
    for name, param, _ in model.parameters():
        error = relative_error(analytic[name], numerical_gradient(f, param))
        assert error < TOLERANCE, (name, error)
    assert relative_error(dx, numerical_gradient(f, x)) < TOLERANCE


def test_mlp_structure():
    model = mlp([2, 3, 4, 1], hidden_activation="tanh", output_activation="sigmoid", rng=np.random.default_rng(0))
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Dense", "Activation", "Dense", "Activation", "Dense", "Activation"]
    assert [layer.name for layer in model.layers if isinstance(layer, Activation)] == ["tanh", "tanh", "sigmoid"]
    assert [(layer.n_in, layer.n_out) for layer in model.layers if isinstance(layer, Dense)] == [(2, 3), (3, 4), (4, 1)]
    assert model.n_params == (2 * 3 + 3) + (3 * 4 + 4) + (4 * 1 + 1)
    assert [name for name, _, _ in model.parameters()][:2] == ["0.W", "0.b"]
    assert model.predict(np.zeros((5, 2))).shape == (5, 1)
    assert "Dense(2, 3)" in repr(model)


def test_mlp_without_output_activation_returns_logits():
    model = mlp([2, 2], rng=np.random.default_rng(0))
    assert len(model.layers) == 1
    x = np.array([[1.0, 2.0]])
    np.testing.assert_allclose(model(x), x @ model.layers[0].params["W"])


def test_mlp_is_reproducible_from_its_rng():
    a = mlp([3, 5, 2], rng=np.random.default_rng(4))
    b = mlp([3, 5, 2], rng=np.random.default_rng(4))
    for (_, p, _), (_, q, _) in zip(a.parameters(), b.parameters()):
        assert np.array_equal(p, q)


def test_sequential_backward_chains_the_layers():
    rng = np.random.default_rng(1)
    model = Sequential([Dense(2, 3, rng=rng), Activation("tanh"), Dense(3, 1, rng=rng)])
    x = rng.normal(size=(4, 2))
    loss = MeanSquaredError()
    loss.forward(model(x), np.zeros((4, 1)))
    dx = model.backward(loss.backward())
    assert dx.shape == x.shape
    for layer in model.layers:
        for key in layer.params:
            assert layer.grads[key].shape == layer.params[key].shape


def test_bad_input():
    with pytest.raises(ValueError, match="at least the inputs and the outputs"):
        mlp([3], rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="positive integers"):
        mlp([3, 0, 1], rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="at least one layer"):
        Sequential([])
    with pytest.raises(TypeError, match="layer 1 .* is not a layer"):
        Sequential([Dense(2, 2, rng=np.random.default_rng(0)), "relu"])
    model = mlp([2, 3, 1], rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"expects x of shape \(N, 2\), got \(4, 3\)"):
        model.forward(np.zeros((4, 3)))
