"""Every activation and derivative against TensorFlow, on random inputs and at the breaks."""

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from tf_helpers import tape_gradient

from ann_lib.activations import ACTIVATIONS

# TensorFlow counterparts. Where TensorFlow has no function with the table's
# definition, the composition is written out.
TF_FUNCTIONS = {
    "unit_step": lambda z: tf.experimental.numpy.heaviside(z, tf.constant(0.5, z.dtype)),
    "sign": tf.math.sign,
    "linear": tf.keras.activations.linear,
    "piecewise_linear": lambda z: tf.clip_by_value(z + 0.5, 0.0, 1.0),
    "sigmoid": tf.nn.sigmoid,
    "tanh": tf.math.tanh,
    "relu": tf.nn.relu,
    "softplus": tf.nn.softplus,
}

ELEMENTS = st.floats(-30, 30, allow_nan=False, width=64).filter(lambda v: min(abs(v), abs(abs(v) - 0.5)) > 1e-9)
ARRAYS = hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=6), elements=ELEMENTS)


def test_every_row_has_a_counterpart():
    assert set(TF_FUNCTIONS) == set(ACTIVATIONS)
    for name, activation in ACTIVATIONS.items():
        if activation.tensorflow is not None:  # the registry names a real TF function
            module, _, attr = activation.tensorflow.rpartition(".")
            obj = tf
            for part in module.split(".")[1:]:
                obj = getattr(obj, part)
            assert getattr(obj, attr) is TF_FUNCTIONS[name], name


@pytest.mark.parametrize("name", list(ACTIVATIONS))
@given(z=ARRAYS)
def test_function_matches_tensorflow(name, z):
    expected = TF_FUNCTIONS[name](tf.constant(z, dtype=tf.float64)).numpy()
    np.testing.assert_allclose(ACTIVATIONS[name](z), expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
@given(z=ARRAYS)
def test_derivative_matches_gradient_tape(name, z):
    expected = tape_gradient(TF_FUNCTIONS[name], z)
    # Derivatives such as 1 - tanh(z)^2 cancel near saturation: a one-ulp difference
    # in tanh(z) between two libraries is an absolute error of about 2.2e-16 there.
    np.testing.assert_allclose(ACTIVATIONS[name].derivative(z), expected, rtol=1e-12, atol=1e-14)


def test_conventions_at_the_breaks_against_tensorflow():
    z = np.array([-0.5, 0.0, 0.5])
    # ReLU, sign and unit step: TensorFlow's gradient at 0 is 0, as ours.
    for name in ("relu", "sign", "unit_step"):
        np.testing.assert_array_equal(ACTIVATIONS[name].derivative(z), tape_gradient(TF_FUNCTIONS[name], z))
    # Piece-wise linear: tf.clip_by_value passes the gradient at both breaks (1);
    # the table puts the breaks on the flat pieces, so ann_lib says 0 there.
    np.testing.assert_array_equal(tape_gradient(TF_FUNCTIONS["piecewise_linear"], z), [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(ACTIVATIONS["piecewise_linear"].derivative(z), [0.0, 1.0, 0.0])


def test_float32_agrees_with_tensorflow_float32():
    z = np.linspace(-20, 20, 401, dtype=np.float32)
    for name, activation in ACTIVATIONS.items():
        ours = activation(z)
        assert ours.dtype == np.float32
        np.testing.assert_allclose(ours, TF_FUNCTIONS[name](tf.constant(z)).numpy(), rtol=2e-6, atol=1e-7, err_msg=name)
