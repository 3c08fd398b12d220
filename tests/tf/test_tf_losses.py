"""ann_lib.losses against tf.keras.losses and tf.GradientTape (float64).

Keras losses compute in floatx (float32) unless told otherwise: each is built with
dtype="float64" here, so the tests do not depend on the order they run in.
"""

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import seeds, sizes

from ann_lib.gradcheck import relative_error
from ann_lib.losses import BinaryCrossEntropy, MeanSquaredError, SoftmaxCrossEntropy, log_softmax, softmax
from tf_helpers import tape_gradient

TOLERANCE = 1e-10


def keras_value_and_gradient(keras_loss, pred, target):
    pred_t = tf.constant(pred, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(pred_t)
        value = keras_loss(tf.constant(target, dtype=tf.float64), pred_t)
    return float(value), tape.gradient(value, pred_t).numpy()


def check(ours, keras_loss, pred, target, keras_target=None):
    value = ours.forward(pred, target)
    grad = ours.backward()
    keras_value, keras_grad = keras_value_and_gradient(keras_loss, pred, target if keras_target is None else keras_target)
    assert value == pytest.approx(keras_value, rel=1e-12, abs=1e-12)
    assert relative_error(grad, keras_grad) < TOLERANCE


@settings(max_examples=25)
@given(n=sizes(6), k=sizes(6), seed=seeds)
def test_mse_matches_keras(n, k, seed):
    rng = np.random.default_rng(seed)
    check(MeanSquaredError(), tf.keras.losses.MeanSquaredError(dtype="float64"), rng.normal(size=(n, k)), rng.normal(size=(n, k)))


@settings(max_examples=25)
@given(n=sizes(6), k=sizes(6), seed=seeds)
def test_binary_cross_entropy_from_logits_matches_keras(n, k, seed):
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=4.0, size=(n, k))
    target = rng.integers(0, 2, size=(n, k)).astype(float)
    check(BinaryCrossEntropy(), tf.keras.losses.BinaryCrossentropy(from_logits=True, dtype="float64"), logits, target)


@settings(max_examples=25)
@given(n=sizes(6), seed=seeds)
def test_binary_cross_entropy_from_probabilities_matches_keras(n, seed):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.01, 0.99, size=(n, 1))
    target = rng.integers(0, 2, size=(n, 1)).astype(float)
    check(BinaryCrossEntropy(from_logits=False), tf.keras.losses.BinaryCrossentropy(dtype="float64"), p, target)


@settings(max_examples=25)
@given(n=sizes(6), k=st.integers(min_value=2, max_value=6), seed=seeds)
def test_softmax_cross_entropy_matches_keras(n, k, seed):
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=4.0, size=(n, k))
    labels = rng.integers(0, k, size=n)
    check(SoftmaxCrossEntropy(), tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64"), logits, labels)
    check(SoftmaxCrossEntropy(), tf.keras.losses.CategoricalCrossentropy(from_logits=True, dtype="float64"), logits, np.eye(k)[labels])


@settings(max_examples=25)
@given(n=sizes(6), k=sizes(6), seed=seeds)
def test_softmax_and_log_softmax_match_tf(n, k, seed):
    z = np.random.default_rng(seed).normal(scale=10.0, size=(n, k))
    np.testing.assert_allclose(softmax(z), tf.nn.softmax(z).numpy(), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(log_softmax(z), tf.nn.log_softmax(z).numpy(), rtol=1e-12, atol=1e-12)
    # the softmax's Jacobian, contracted with a weight vector: d/dz sum(c * softmax(z))
    c = np.arange(1.0, k + 1.0)
    p = softmax(z)
    ours = p * (c - (p * c).sum(axis=1, keepdims=True))
    theirs = tape_gradient(lambda t: tf.nn.softmax(t) * c, z)
    assert relative_error(ours, theirs) < TOLERANCE


def test_huge_logits_agree_with_keras():
    logits = np.array([[1000.0, -1000.0, 0.0]])
    check(SoftmaxCrossEntropy(), tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64"), logits, np.array([1]))
    check(BinaryCrossEntropy(), tf.keras.losses.BinaryCrossentropy(from_logits=True, dtype="float64"), np.array([[800.0], [-800.0]]), np.array([[0.0], [0.0]]))
