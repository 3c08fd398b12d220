"""TensorFlow cross-checks (files here are named test_tf_*.py).

Every test in this folder is marked ``tf`` (the hook below), so ``-m "not tf"``
leaves them out; ``make check`` does not even collect this folder, so that the
fast lane never imports TensorFlow.
"""

from pathlib import Path

import pytest
import tensorflow as tf

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.tf)


@pytest.fixture(scope="session")
def tf_float64():
    """TensorFlow, with Keras computing in float64 for the duration of the session.

    Keras fixes its global dtype policy the first time a layer is built, so a gallery
    script run earlier in the session (in float32) would outlast set_floatx alone: the
    policy is set too.
    """
    previous, previous_policy = tf.keras.backend.floatx(), tf.keras.config.dtype_policy()
    tf.keras.backend.set_floatx("float64")
    tf.keras.config.set_dtype_policy("float64")
    yield tf
    tf.keras.config.set_dtype_policy(previous_policy)
    tf.keras.backend.set_floatx(previous)
