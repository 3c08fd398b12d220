"""ann_lib.layers: forward values, backward against central differences, bad input.

Every gradient is compared with ann_lib.gradcheck.numerical_gradient in float64
and must agree to a relative error below 1e-6 (typically 1e-9 .. 1e-11).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import seeds, sizes

from ann_lib.gradcheck import numerical_gradient, relative_error
from ann_lib.layers import Activation, Dense, Flatten, Layer

TOLERANCE = 1e-6


def check_layer_gradients(layer, x, rng):
    """Backprop a random upstream gradient R through the layer, i.e. L = sum(layer(x) * R)."""
    out = layer.forward(x)
    upstream = rng.normal(size=out.shape)

    def loss(_):
        return float(np.sum(layer.forward(x) * upstream))

    layer.forward(x)
    dx = layer.backward(upstream)
    grads = {key: value.copy() for key, value in layer.grads.items()}
    errors = {"x": relative_error(dx, numerical_gradient(loss, x))}
    for key, param in layer.params.items():
        errors[key] = relative_error(grads[key], numerical_gradient(loss, param))
    return errors


@given(n=sizes(), n_in=sizes(), n_out=sizes(), seed=seeds)
def test_dense_gradients_match_central_differences(n, n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    layer = Dense(n_in, n_out, rng=rng)
    layer.params["b"][:] = rng.normal(size=n_out)
    errors = check_layer_gradients(layer, rng.normal(size=(n, n_in)), rng)
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < TOLERANCE, errors


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "softplus", "linear"])
@given(shape=st.lists(sizes(), min_size=1, max_size=3), seed=seeds)
def test_activation_gradients_match_central_differences(name, shape, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(scale=2.0, size=shape)
    x[np.abs(x) < 1e-3] = 0.5  # keep ReLU's kink further than eps away
    errors = check_layer_gradients(Activation(name), x, rng)
    assert errors["x"] < TOLERANCE, errors


@given(shape=st.lists(sizes(), min_size=2, max_size=4), seed=seeds)
def test_flatten_gradient_and_round_trip(shape, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape)
    layer = Flatten()
    y = layer.forward(x)
    assert y.shape == (shape[0], int(np.prod(shape[1:])))
    assert np.array_equal(layer.backward(y), x)
    assert check_layer_gradients(layer, x, rng)["x"] < TOLERANCE


def test_dense_forward_is_xw_plus_b():
    rng = np.random.default_rng(0)
    layer = Dense(3, 2, rng=rng)
    layer.params["b"][:] = [1.0, -1.0]
    x = rng.normal(size=(4, 3))
    np.testing.assert_allclose(layer.forward(x), x @ layer.params["W"] + layer.params["b"])


def test_dense_backward_reads_like_the_formulas():
    rng = np.random.default_rng(1)
    layer = Dense(3, 2, rng=rng)
    x, dout = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    layer.forward(x)
    dx = layer.backward(dout)
    np.testing.assert_allclose(dx, dout @ layer.params["W"].T)
    np.testing.assert_allclose(layer.grads["W"], x.T @ dout)
    np.testing.assert_allclose(layer.grads["b"], dout.sum(axis=0))
    assert set(layer.grads) == set(layer.params) == {"W", "b"}


def test_dense_initialization():
    layer = Dense(4, 6, rng=np.random.default_rng(0), init="he_normal")
    assert layer.params["W"].shape == (4, 6) and layer.params["b"].shape == (6,)
    assert not layer.params["b"].any()
    zero = Dense(4, 6, rng=np.random.default_rng(0), init="zeros")
    assert not zero.params["W"].any()
    same = Dense(4, 6, rng=np.random.default_rng(0), init="he_normal")
    assert np.array_equal(layer.params["W"], same.params["W"])
    custom = Dense(2, 2, rng=np.random.default_rng(0), init=lambda shape, rng: np.eye(2))
    assert np.array_equal(custom.params["W"], np.eye(2))


def test_step_activations_pass_no_gradient_back():
    for name in ("unit_step", "sign"):
        layer = Activation(name)
        layer.forward(np.array([[-1.0, 0.0, 2.0]]))
        assert not layer.backward(np.ones((1, 3))).any()


def test_dense_shape_errors_name_the_shapes():
    layer = Dense(3, 2, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"Dense\(3, 2\) expects x of shape \(N, 3\), got \(4, 5\)"):
        layer.forward(np.zeros((4, 5)))
    with pytest.raises(ValueError, match=r"got \(3,\)"):
        layer.forward(np.zeros(3))
    with pytest.raises(ValueError, match="Flatten"):
        layer.forward(np.zeros((2, 3, 1)))
    with pytest.raises(RuntimeError, match="before forward"):
        Dense(3, 2, rng=np.random.default_rng(0)).backward(np.zeros((4, 2)))
    layer.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"dout has shape \(4, 3\).*\(4, 2\)"):
        layer.backward(np.zeros((4, 3)))


@pytest.mark.parametrize("n_in, n_out", [(0, 2), (2, -1), (2.5, 2), (True, 2)])
def test_dense_bad_sizes(n_in, n_out):
    with pytest.raises(ValueError, match="positive integer"):
        Dense(n_in, n_out, rng=np.random.default_rng(0))


def test_bad_values_and_names():
    with pytest.raises(ValueError, match="NaN"):
        Dense(2, 2, rng=np.random.default_rng(0)).forward(np.array([[np.nan, 0.0]]))
    with pytest.raises(TypeError):
        Dense(2, 2, rng=np.random.default_rng(0)).forward([["a", "b"]])
    with pytest.raises(ValueError, match="name must be one of .*got 'swish'"):
        Activation("swish")
    with pytest.raises(ValueError, match="init must be one of .*got 'xavier'"):
        Dense(2, 2, rng=np.random.default_rng(0), init="xavier")
    with pytest.raises(TypeError, match="default_rng"):
        Dense(2, 2, rng=None)
    with pytest.raises(ValueError, match=r"\(N, \.\.\.\)"):
        Flatten().forward(np.zeros(3))
    with pytest.raises(RuntimeError):
        Activation("tanh").backward(np.zeros(3))
    with pytest.raises(NotImplementedError):
        Layer().forward(np.zeros(3))
