"""ann_lib's MLP against the same network in TensorFlow: gradients and one SGD step."""

import numpy as np
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import seeds

from ann_lib import datasets
from ann_lib.gradcheck import relative_error
from ann_lib.layers import Dense
from ann_lib.losses import BinaryCrossEntropy, SoftmaxCrossEntropy
from ann_lib.network import mlp
from ann_lib.training import SGD, fit

TOLERANCE = 1e-10
TF_ACTIVATIONS = {"sigmoid": tf.math.sigmoid, "tanh": tf.math.tanh, "relu": tf.nn.relu}


@settings(max_examples=20)
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=5), min_size=2, max_size=4),
    n=st.integers(min_value=1, max_value=6),
    activation=st.sampled_from(sorted(TF_ACTIVATIONS)),
    seed=seeds,
)
def test_mlp_gradients_match_gradient_tape(sizes, n, activation, seed):
    rng = np.random.default_rng(seed)
    model = mlp(sizes, hidden_activation=activation, rng=rng)
    for _, param, _ in model.parameters():
        param[...] = rng.normal(size=param.shape)
    x = rng.normal(size=(n, sizes[0]))
    if sizes[-1] > 1:
        target = rng.integers(0, sizes[-1], size=n)
        loss, tf_loss = SoftmaxCrossEntropy(), tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")
    else:
        target = rng.integers(0, 2, size=(n, 1)).astype(float)
        loss, tf_loss = BinaryCrossEntropy(), tf.keras.losses.BinaryCrossentropy(from_logits=True, dtype="float64")

    value = loss.forward(model.forward(x), target)
    model.backward(loss.backward())

    variables = [tf.Variable(param) for _, param, _ in model.parameters()]
    with tf.GradientTape() as tape:
        h = tf.constant(x)
        for i in range(0, len(variables), 2):
            h = h @ variables[i] + variables[i + 1]
            if i + 2 < len(variables):
                h = TF_ACTIVATIONS[activation](h)
        tf_value = tf_loss(target, h)
    tf_grads = tape.gradient(tf_value, variables)
    assert abs(value - float(tf_value)) < 1e-12 * max(1.0, abs(value))
    for (name, _, grad), tf_grad in zip(model.parameters(), tf_grads):
        assert relative_error(grad, tf_grad.numpy()) < TOLERANCE, name


def test_one_epoch_of_sgd_matches_keras(tf_float64):
    # model.fit casts the data to floatx: the fixture makes that float64
    X, y = datasets.make_moons(64, noise=0.1, rng=np.random.default_rng(0))
    model = mlp([2, 8, 2], hidden_activation="tanh", rng=np.random.default_rng(1))
    keras_model = tf.keras.Sequential([
        tf.keras.Input((2,), dtype="float64"),
        tf.keras.layers.Dense(8, activation="tanh", dtype="float64"),
        tf.keras.layers.Dense(2, dtype="float64"),
    ])
    keras_model.set_weights([param.copy() for _, param, _ in model.parameters()])
    keras_model.compile(
        optimizer=tf.keras.optimizers.SGD(learning_rate=0.3),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64"),
    )
    # the same mini-batches in the same order: no shuffling on either side
    fit(model, SoftmaxCrossEntropy(), X, y, epochs=1, batch_size=16, optimizer=SGD(0.3), shuffle=False)
    keras_model.fit(X, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
    for (name, param, _), keras_param in zip(model.parameters(), keras_model.get_weights()):
        np.testing.assert_allclose(param, keras_param, rtol=1e-10, atol=1e-12, err_msg=name)


def test_dense_backward_equals_the_tape_on_a_batch_of_images():
    rng = np.random.default_rng(2)
    from ann_lib.layers import Flatten
    from ann_lib.network import Sequential

    model = Sequential([Flatten(), Dense(8 * 8, 10, rng=rng)])
    x = rng.uniform(size=(5, 8, 8, 1))
    labels = rng.integers(0, 10, size=5)
    loss = SoftmaxCrossEntropy()
    loss.forward(model(x), labels)
    dx = model.backward(loss.backward())
    W = tf.Variable(model.layers[1].params["W"])
    xt = tf.constant(x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(xt)
        logits = tf.reshape(xt, (5, 64)) @ W
        value = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")(labels, logits)
    assert relative_error(dx, tape.gradient(value, xt).numpy()) < TOLERANCE
    assert relative_error(model.layers[1].grads["W"], tape.gradient(value, W).numpy()) < TOLERANCE
