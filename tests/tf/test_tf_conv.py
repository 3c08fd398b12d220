"""ann_lib.conv against tf.nn.conv2d / max_pool2d / avg_pool2d, values and gradients; the Keras CNN's floor.

Shapes, strides, paddings and channel counts are drawn by hypothesis. Gradients
are compared with ``tf.GradientTape`` for a random upstream gradient ``G``: the
gradient of ``sum(f(x) * G)`` is what ``backward(G)`` must return.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from strategies import conv_cases
from tf_helpers import tape_gradient

from ann_lib import conv, pooling
from ann_lib.training import Adam
from ann_lib.conv import Conv2D
from ann_lib.pooling import AvgPool2D, MaxPool2D
from ann_lib.layers import Dense
from ann_lib.network import Sequential

RTOL, ATOL = 1e-10, 1e-10  # float64 on both sides, sums of a few hundred terms
# tf.nn.max_pool2d rounds some float64 results to float32 (seen in TF 2.21 on CPU with
# 'VALID'); the maximum itself is exact on our side, so pooling values get a float32 tolerance.
POOL_RTOL = 1e-6


def cases(max_kernel=4, explicit_padding=True):
    """Shapes, stride and padding for which the kernel fits in the padded input."""
    paddings = ("valid", "same", 1, 2) if explicit_padding else ("valid", "same")
    return conv_cases(max_side=9, max_kernel=max_kernel, max_channels=4, paddings=paddings)


def tf_padding(padding):
    """Our padding argument as tf.nn.conv2d takes it."""
    if isinstance(padding, str):
        return padding.upper()
    return [[0, 0], [padding, padding], [padding, padding], [0, 0]]


# --------------------------------------------------------------- convolution
@given(cases())
def test_conv2d_matches_tf_nn_conv2d(case):
    n, height, width, c_in, c_out, kernel, stride, padding, seed = case
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, height, width, c_in))
    w = rng.normal(size=(*kernel, c_in, c_out))
    expected = tf.nn.conv2d(x, w, strides=stride, padding=tf_padding(padding)).numpy()
    actual = conv.conv2d(x, w, stride=stride, padding=padding)
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL)


@given(cases())
def test_conv2d_gradients_match_gradient_tape(case):
    n, height, width, c_in, c_out, kernel, stride, padding, seed = case
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, height, width, c_in))
    w = rng.normal(size=(*kernel, c_in, c_out))
    upstream = rng.normal(size=conv.conv_output_shape(x.shape, w.shape, stride, padding))
    pad = tf_padding(padding)
    dx_tf = tape_gradient(lambda xt: tf.nn.conv2d(xt, w, stride, pad) * upstream, x)
    dw_tf = tape_gradient(lambda wt: tf.nn.conv2d(x, wt, stride, pad) * upstream, w)
    dx, dw, db = conv.conv2d_backward(upstream, x, w, stride=stride, padding=padding)
    np.testing.assert_allclose(dx, dx_tf, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(dw, dw_tf, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(db, upstream.sum(axis=(0, 1, 2)), rtol=RTOL, atol=ATOL)


def test_float32_matches_tf_in_float32():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 28, 28, 16)).astype(np.float32)
    w = rng.normal(size=(3, 3, 16, 32)).astype(np.float32)
    actual = conv.conv2d(x, w, padding="same")
    assert actual.dtype == np.float32
    np.testing.assert_allclose(actual, tf.nn.conv2d(x, w, 1, "SAME").numpy(), rtol=1e-4, atol=1e-4)


# ------------------------------------------------------------------- pooling
POOLS = {
    "max": (pooling.max_pool2d, pooling.max_pool2d_backward, tf.nn.max_pool2d),
    "avg": (pooling.avg_pool2d, pooling.avg_pool2d_backward, tf.nn.avg_pool2d),
}


@pytest.mark.parametrize("name", list(POOLS))
@given(case=cases(max_kernel=3, explicit_padding=False))
def test_pooling_matches_tensorflow(name, case):
    n, height, width, c, _, pool, stride, padding, seed = case
    forward, backward, tf_pool = POOLS[name]
    rng = np.random.default_rng(seed)
    # distinct values: the maximum of each window is unique, so the gradients are defined
    shape = (n, height, width, c)
    x = rng.permutation(n * height * width * c).reshape(shape) + rng.uniform(0, 0.5, shape)
    expected = tf_pool(x, pool, stride, padding.upper()).numpy()
    actual = forward(x, pool, stride, padding)
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=POOL_RTOL)
    upstream = rng.normal(size=actual.shape)
    dx_tf = tape_gradient(lambda xt: tf_pool(xt, pool, stride, padding.upper()) * upstream, x)
    np.testing.assert_allclose(backward(upstream, x, pool, stride, padding), dx_tf, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_max_pool_ties_go_where_tensorflow_sends_them(padding):
    x = np.zeros((1, 5, 5, 2))
    x[0, 1:3, 1:3, :] = 1.0  # a 2x2 plateau: every window that sees it has a tie
    upstream = np.arange(1.0, 1.0 + pooling.max_pool2d(x, 3, 1, padding).size).reshape(
        pooling.max_pool2d(x, 3, 1, padding).shape
    )
    dx_tf = tape_gradient(lambda xt: tf.nn.max_pool2d(xt, 3, 1, padding.upper()) * upstream, x)
    np.testing.assert_array_equal(pooling.max_pool2d_backward(upstream, x, 3, 1, padding), dx_tf)


# -------------------------------------------------------------------- layers
def test_layers_match_keras_layers(tf_float64):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 9, 8, 3))
    ours = [
        Conv2D(3, 5, (3, 2), stride=(2, 1), padding="same", rng=rng),
        MaxPool2D(2, padding="same"),
        AvgPool2D((2, 3), 1),
    ]
    ours[0].params["b"][:] = rng.normal(size=5)
    keras = [
        tf.keras.layers.Conv2D(5, (3, 2), strides=(2, 1), padding="same"),
        tf.keras.layers.MaxPooling2D(2, padding="same"),
        tf.keras.layers.AveragePooling2D((2, 3), strides=1),
    ]
    keras[0].build(x.shape)
    keras[0].set_weights([ours[0].params["W"], ours[0].params["b"]])
    xt = tf.constant(x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(xt)
        yt = xt
        for layer in keras:
            yt = layer(yt)
        upstream = rng.normal(size=yt.shape)
        total = tf.reduce_sum(yt * upstream)
    y = x
    for layer in ours:
        y = layer.forward(y)
    np.testing.assert_allclose(y, yt.numpy(), rtol=RTOL, atol=ATOL)
    dx = upstream
    for layer in reversed(ours):
        dx = layer.backward(dx)
    kernel_grad, bias_grad = tape.gradient(total, keras[0].trainable_weights)
    np.testing.assert_allclose(dx, tape.gradient(total, xt).numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours[0].grads["W"], kernel_grad.numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours[0].grads["b"], bias_grad.numpy(), rtol=RTOL, atol=ATOL)


# ------------------------------------------------------------------- Adam
def test_adam_matches_keras_adam(tf_float64):
    """Three steps of ann_lib.training.Adam and of tf.keras.optimizers.Adam on the same gradients.

    Keras keeps the step count and the learning rate in float32, so the factor
    sqrt(1 - beta2^t) / (1 - beta1^t) differs from ours by about 1e-5 relative;
    the updates are compared with that tolerance. The bias gets tiny gradients
    (1e-6), where the place of epsilon (added to sqrt(v), as Keras does) matters.
    """
    rng = np.random.default_rng(5)
    layer = Dense(3, 2, rng=rng)
    initial = {key: value.copy() for key, value in layer.params.items()}
    variables = [tf.Variable(initial["W"]), tf.Variable(initial["b"])]
    keras_adam = tf.keras.optimizers.Adam(learning_rate=0.01)

    model = Sequential([layer])

    ours = Adam(lr=0.01)
    for _ in range(3):
        gradients = [rng.normal(size=(3, 2)), rng.normal(size=2) * 1e-6]
        layer.grads = {"W": gradients[0], "b": gradients[1]}
        ours.step(model)
        keras_adam.apply_gradients(zip([tf.constant(g) for g in gradients], variables))
    for key, variable in zip(("W", "b"), variables):
        np.testing.assert_allclose(layer.params[key] - initial[key], variable.numpy() - initial[key], rtol=1e-4)


# -------------------------------------------------- the Keras CNN of chapter 5
ROOT = Path(__file__).resolve().parents[2]
CHAPTER = ROOT / "book" / "en" / "05-convolutional-networks.md"


def chapter_cell(marker: str) -> str:
    """The code of the chapter's one code cell that contains ``marker``."""
    cells = re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", CHAPTER.read_text(encoding="utf-8"), re.M | re.S)
    matching = [cell for cell in cells if marker in cell]
    assert len(matching) == 1, f"expected one code cell with {marker!r} in {CHAPTER.name}, found {len(matching)}"
    return matching[0]


@pytest.mark.slow
def test_keras_twin_of_the_numpy_cnn_reaches_its_bar_on_the_digits():
    """Train the chapter's Keras network by running its code cell, as the build does, in a fresh process.

    The network mirrors ``digits_cnn`` layer for layer and starts from its weights, so it
    is held to the numpy network's bar (``tests/test_cnn.py``): 95% test accuracy.

    A fresh process keeps the cell's global settings (seed, op determinism) out of
    this test session, and this session's (float64 Keras) out of the cell.
    """
    script = "\n".join([
        "import numpy as np",
        "import tensorflow as tf",
        "from ann_lib.datasets import load_digits",
        "X_train, X_test, y_train, y_test = load_digits(layout='nhwc')",
        chapter_cell("lenet = tf.keras.Sequential("),
    ])
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONHASHSEED="0", TF_CPP_MIN_LOG_LEVEL="3",
               TF_ENABLE_ONEDNN_OPTS="0", CUDA_VISIBLE_DEVICES="")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    found = re.search(r"^test accuracy: ([0-9.]+)$", result.stdout, re.M)
    assert found, result.stdout
    print(f"Keras CNN test accuracy: {found[1]}")
    assert float(found[1]) >= 0.95
