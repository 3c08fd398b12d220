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
    """TensorFlow, with Keras computing in float64 for the duration of the session."""
    previous = tf.keras.backend.floatx()
    tf.keras.backend.set_floatx("float64")
    yield tf
    tf.keras.backend.set_floatx(previous)
