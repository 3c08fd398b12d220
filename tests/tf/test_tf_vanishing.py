"""Chapter 6's vanishing-gradient picture, confirmed with tf.keras and tf.GradientTape."""

import numpy as np
import pytest
import tensorflow as tf

from ann_lib.datasets import load_digits
from ann_lib.diagnostics import gradient_norms, weighted_layers
from ann_lib.losses import SoftmaxCrossEntropy
from ann_lib.network import mlp

SIZES = [64] + [64] * 9 + [10]


@pytest.fixture(scope="module")
def digits():
    return load_digits(seed=0)


def keras_mlp(activation, kernel_initializer):
    """The chapter's ten Dense layers in tf.keras, computing in float64."""
    layers = [tf.keras.Input(shape=(SIZES[0],), dtype="float64")]
    for units in SIZES[1:-1]:
        layers.append(tf.keras.layers.Dense(units, activation=activation, kernel_initializer=kernel_initializer,
                                            dtype="float64"))
    layers.append(tf.keras.layers.Dense(SIZES[-1], kernel_initializer=kernel_initializer, dtype="float64"))
    return tf.keras.Sequential(layers)


def keras_gradient_norms(model, X, y):
    """||dL/dW|| of every Dense kernel for the mean softmax cross-entropy, by tf.GradientTape."""
    with tf.GradientTape() as tape:
        logits = model(X)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    kernels = [layer.kernel for layer in model.layers]
    return np.array([tf.norm(g).numpy() for g in tape.gradient(loss, kernels)])


@pytest.mark.parametrize(
    "activation, init", [("sigmoid", "naive_normal"), ("tanh", "glorot_uniform"), ("relu", "he_normal")]
)
def test_same_weights_give_the_same_per_layer_norms(digits, activation, init):
    X_train, _, y_train, _ = digits
    ours = mlp(SIZES, hidden_activation=activation, init=init, rng=np.random.default_rng(0))
    theirs = keras_mlp(activation, "zeros")
    for keras_layer, (_, dense) in zip(theirs.layers, weighted_layers(ours)):
        keras_layer.set_weights([dense.params["W"], dense.params["b"]])
    expected = gradient_norms(ours, SoftmaxCrossEntropy(), X_train, y_train).weights
    np.testing.assert_allclose(keras_gradient_norms(theirs, X_train, y_train), expected, rtol=1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_keras_own_initializers_show_the_same_picture(digits, seed):
    X_train, _, y_train, _ = digits
    naive = keras_gradient_norms(
        keras_mlp("sigmoid", tf.keras.initializers.RandomNormal(stddev=0.01, seed=seed)), X_train, y_train
    )
    he = keras_gradient_norms(keras_mlp("relu", tf.keras.initializers.HeNormal(seed=seed)), X_train, y_train)
    assert naive[0] / naive[-1] < 1e-3
    assert np.all(np.diff(np.log(naive)) > 0)  # smaller at every step towards the input
    assert 0.1 < he[0] / he[-1] < 10.0
