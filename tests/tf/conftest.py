"""TensorFlow cross-checks (files here are named test_tf_*.py)."""

import pytest
import tensorflow as tf


@pytest.fixture(scope="session")
def tf_float64():
    """TensorFlow, with Keras computing in float64 for the duration of the session."""
    previous = tf.keras.backend.floatx()
    tf.keras.backend.set_floatx("float64")
    yield tf
    tf.keras.backend.set_floatx(previous)
