"""ann_lib.initializers: the fans, the exact formulas (by sample statistics) and bad shapes."""

import math

import numpy as np
import pytest

from ann_lib import initializers

SHAPES = [(200, 300), (3, 3, 64, 128)]  # a dense layer and a conv kernel, 60 000 and 73 728 values


def expected_variance(name, shape):
    fan_in, fan_out = initializers.fans(shape)
    return {
        "naive_normal": 0.01**2,
        "lecun_normal": 1.0 / fan_in,
        "glorot_uniform": 2.0 / (fan_in + fan_out),  # a^2 / 3 with a = sqrt(6 / (fan_in + fan_out))
        "glorot_normal": 2.0 / (fan_in + fan_out),
        "he_uniform": 2.0 / fan_in,  # a^2 / 3 with a = sqrt(6 / fan_in)
        "he_normal": 2.0 / fan_in,
    }[name]


RANDOM = ["naive_normal", "lecun_normal", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal"]


def test_fans_dense_and_conv():
    assert initializers.fans((5, 7)) == (5, 7)
    assert initializers.fans((3, 3, 16, 32)) == (3 * 3 * 16, 3 * 3 * 32)
    assert initializers.fans((5, 4, 8)) == (20, 40)  # a 1-D kernel (k, c_in, c_out)
    assert initializers.fans([2, 3]) == (2, 3)
    assert initializers.fans((np.int64(4), np.int32(6))) == (4, 6)


@pytest.mark.parametrize("name", RANDOM)
@pytest.mark.parametrize("shape", SHAPES)
def test_sample_mean_and_variance_match_the_formula(name, shape):
    w = initializers.get(name)(shape, np.random.default_rng(0))
    assert w.shape == shape and w.dtype == np.float64
    n = w.size
    variance = expected_variance(name, shape)
    # standard errors: the mean sigma/sqrt(n); the variance at most sigma^2 sqrt(2/n) (normal)
    assert abs(w.mean()) < 5 * math.sqrt(variance / n)
    assert w.var() == pytest.approx(variance, rel=5 * math.sqrt(2 / n))


@pytest.mark.parametrize("name", ["glorot_uniform", "he_uniform"])
def test_uniform_limits(name):
    shape = (200, 300)
    fan_in, fan_out = initializers.fans(shape)
    limit = math.sqrt(6 / (fan_in + fan_out)) if name == "glorot_uniform" else math.sqrt(6 / fan_in)
    w = initializers.get(name)(shape, np.random.default_rng(1))
    assert np.abs(w).max() <= limit
    assert np.abs(w).max() > 0.999 * limit
    # uniform: a fifth of the values in each fifth of [-a, a]
    counts, _ = np.histogram(w, bins=5, range=(-limit, limit))
    assert np.all(np.abs(counts / w.size - 0.2) < 0.01)


@pytest.mark.parametrize("name", ["naive_normal", "lecun_normal", "glorot_normal", "he_normal"])
def test_normal_shape_of_the_distribution(name):
    w = initializers.get(name)((300, 300), np.random.default_rng(2))
    within_one_sigma = np.mean(np.abs(w) < w.std())
    assert within_one_sigma == pytest.approx(0.6827, abs=0.006)  # a uniform would give 0.577
    assert np.abs(w).max() > 3.5 * w.std()  # untruncated: 90 000 draws reach past 3.5 sigma


def test_naive_normal_std_argument():
    w = initializers.naive_normal((100, 100), np.random.default_rng(3), std=0.5)
    assert w.std() == pytest.approx(0.5, rel=0.03)
    with pytest.raises(ValueError, match="std"):
        initializers.naive_normal((2, 2), np.random.default_rng(3), std=-1.0)


def test_zeros_needs_no_rng_and_takes_any_rank():
    assert not initializers.zeros((3, 4)).any()
    assert initializers.zeros((5,)).shape == (5,)
    assert initializers.zeros((2, 2), np.random.default_rng(0)).dtype == np.float64


@pytest.mark.parametrize("name", RANDOM)
def test_same_seed_same_values_other_seed_other_values(name):
    init = initializers.get(name)
    a = init((4, 5), np.random.default_rng(7))
    assert np.array_equal(a, init((4, 5), np.random.default_rng(7)))
    assert not np.array_equal(a, init((4, 5), np.random.default_rng(8)))


@pytest.mark.parametrize(
    "shape, message",
    [
        ((), "empty"),
        ((0, 3), "positive"),
        ((4, -1), "positive"),
        ((2.5, 3), "integers"),
        ((True, 3), "integers"),
        ("abc", "tuple"),
        ((7,), "rank 1"),
        ((1, 1, 1, 1, 1, 2), "rank 6"),
    ],
)
def test_nonsense_shapes_raise_value_error(shape, message):
    with pytest.raises(ValueError, match=message):
        initializers.fans(shape)
    with pytest.raises(ValueError):
        initializers.glorot_uniform(shape, np.random.default_rng(0))


def test_missing_rng_is_a_type_error_that_says_what_to_pass():
    with pytest.raises(TypeError, match="default_rng"):
        initializers.he_normal((3, 3), None)
    with pytest.raises(TypeError, match="default_rng"):
        initializers.glorot_uniform((3, 3), 42)


def test_get():
    assert initializers.get("he_normal") is initializers.he_normal
    assert initializers.get(initializers.zeros) is initializers.zeros
    assert set(initializers.INITIALIZERS) >= {"zeros", "lecun_normal", "glorot_uniform", "he_normal"}
    with pytest.raises(ValueError, match="name must be one of 'zeros', .*got 'xavier'"):
        initializers.get("xavier")
    with pytest.raises(TypeError):
        initializers.get(3)
