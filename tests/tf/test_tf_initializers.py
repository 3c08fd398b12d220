"""ann_lib.initializers against tf.keras.initializers of the same name, by statistics.

The values cannot agree (different generators, and Keras truncates its normals),
so the test compares what the formulas fix: the mean and the variance, for a
dense shape and a convolution kernel shape (which also checks the fans).
"""

import math

import numpy as np
import pytest
import tensorflow as tf

from ann_lib import initializers

KERAS = {
    "lecun_normal": tf.keras.initializers.LecunNormal,
    "glorot_uniform": tf.keras.initializers.GlorotUniform,
    "glorot_normal": tf.keras.initializers.GlorotNormal,
    "he_uniform": tf.keras.initializers.HeUniform,
    "he_normal": tf.keras.initializers.HeNormal,
}


@pytest.mark.parametrize("name", sorted(KERAS))
@pytest.mark.parametrize("shape", [(256, 128), (3, 3, 32, 64)])
def test_same_mean_and_variance_as_keras(name, shape):
    ours = initializers.get(name)(shape, np.random.default_rng(0))
    theirs = KERAS[name](seed=0)(shape, dtype="float64").numpy()
    assert ours.shape == theirs.shape == shape
    n = ours.size
    variance = theirs.var()
    assert ours.var() == pytest.approx(variance, rel=10 * math.sqrt(2 / n))
    assert abs(ours.mean() - theirs.mean()) < 10 * math.sqrt(variance / n)


def test_zeros_is_keras_zeros():
    assert np.array_equal(initializers.zeros((3, 4)), tf.keras.initializers.Zeros()((3, 4)).numpy())


@pytest.mark.parametrize("name", ["glorot_uniform", "he_uniform"])
def test_same_uniform_limit_as_keras(name):
    shape = (3, 3, 32, 64)
    ours = initializers.get(name)(shape, np.random.default_rng(1))
    theirs = KERAS[name](seed=1)(shape, dtype="float64").numpy()
    assert np.abs(ours).max() == pytest.approx(np.abs(theirs).max(), rel=1e-3)
