"""ann_lib.layers against tf.GradientTape: the same forward values, the same gradients.

Random shapes from hypothesis; float64 throughout; tolerance 1e-10 relative.
"""

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import seeds, sizes

from ann_lib.gradcheck import relative_error
from ann_lib.layers import Activation, Dense, Flatten

TOLERANCE = 1e-10
TF_ACTIVATIONS = {
    "sigmoid": tf.math.sigmoid,
    "tanh": tf.math.tanh,
    "relu": tf.nn.relu,
    "softplus": tf.math.softplus,
    "linear": tf.identity,
}


@settings(max_examples=25)
@given(n=sizes(6), n_in=sizes(6), n_out=sizes(6), seed=seeds)
def test_dense_matches_gradient_tape(n, n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    layer = Dense(n_in, n_out, rng=rng)
    layer.params["b"][:] = rng.normal(size=n_out)
    x, upstream = rng.normal(size=(n, n_in)), rng.normal(size=(n, n_out))

    xt, Wt, bt = (tf.Variable(a, dtype=tf.float64) for a in (x, layer.params["W"], layer.params["b"]))
    with tf.GradientTape() as tape:
        yt = xt @ Wt + bt
        loss = tf.reduce_sum(yt * upstream)  # so that dL/dy = upstream
    dx_tf, dW_tf, db_tf = tape.gradient(loss, [xt, Wt, bt])

    y = layer.forward(x)
    dx = layer.backward(upstream)
    np.testing.assert_allclose(y, yt.numpy(), rtol=1e-12, atol=1e-12)
    assert relative_error(dx, dx_tf.numpy()) < TOLERANCE
    assert relative_error(layer.grads["W"], dW_tf.numpy()) < TOLERANCE
    assert relative_error(layer.grads["b"], db_tf.numpy()) < TOLERANCE


def test_dense_matches_a_keras_dense_layer():
    rng = np.random.default_rng(0)
    layer = Dense(5, 3, rng=rng)
    keras_layer = tf.keras.layers.Dense(3, dtype="float64")
    keras_layer.build((None, 5))
    keras_layer.set_weights([layer.params["W"], rng.normal(size=3)])
    layer.params["b"][:] = keras_layer.get_weights()[1]
    x = rng.normal(size=(4, 5))
    np.testing.assert_allclose(layer.forward(x), keras_layer(x).numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", sorted(TF_ACTIVATIONS))
@settings(max_examples=15)
@given(shape=st.lists(sizes(6), min_size=1, max_size=3), seed=seeds)
def test_activation_layer_matches_gradient_tape(name, shape, seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=3.0, size=shape)
    upstream = rng.normal(size=shape)
    layer = Activation(name)
    y = layer.forward(z)
    dz = layer.backward(upstream)

    zt = tf.constant(z, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(zt)
        yt = TF_ACTIVATIONS[name](zt)
        loss = tf.reduce_sum(yt * upstream)
    np.testing.assert_allclose(y, yt.numpy(), rtol=1e-12, atol=1e-15)
    assert relative_error(dz, tape.gradient(loss, zt).numpy()) < TOLERANCE


@settings(max_examples=15)
@given(shape=st.lists(sizes(6), min_size=2, max_size=4), seed=seeds)
def test_flatten_matches_keras_flatten(shape, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape)
    layer = Flatten()
    y = layer.forward(x)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        yt = tf.keras.layers.Flatten(dtype="float64")(xt)
        upstream = rng.normal(size=yt.shape)
        loss = tf.reduce_sum(yt * upstream)
    np.testing.assert_array_equal(y, yt.numpy())
    np.testing.assert_allclose(layer.backward(upstream), tape.gradient(loss, xt).numpy())
