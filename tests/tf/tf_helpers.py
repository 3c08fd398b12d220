"""Helpers for the TensorFlow cross-checks: import with ``from tf_helpers import ...``."""

import numpy as np
import tensorflow as tf


def tape_gradient(fn, x: np.ndarray) -> np.ndarray:
    """The gradient of ``sum(fn(x))`` with respect to ``x``, by ``tf.GradientTape`` in float64.

    Where the output does not depend on ``x`` through any differentiable op (a
    step built from comparisons, say), TensorFlow's answer is zero.
    """
    xt = tf.constant(x, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = tf.reduce_sum(fn(xt))
    return tape.gradient(y, xt, unconnected_gradients=tf.UnconnectedGradients.ZERO).numpy()
