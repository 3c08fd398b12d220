"""ann_lib.losses: values, stability, gradients against central differences, bad input."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import seeds, sizes

from ann_lib.gradcheck import numerical_gradient, relative_error
from ann_lib.losses import (
    BinaryCrossEntropy,
    MeanSquaredError,
    SoftmaxCrossEntropy,
    log_softmax,
    softmax,
)

TOLERANCE = 1e-6


def gradient_error(loss, pred, target):
    loss.forward(pred, target)
    analytic = loss.backward()
    assert analytic.shape == pred.shape
    numeric = numerical_gradient(lambda p: loss.forward(p, target), pred)
    return relative_error(analytic, numeric)


@given(n=sizes(6), k=sizes(6), seed=seeds)
def test_mse_gradient(n, k, seed):
    rng = np.random.default_rng(seed)
    assert gradient_error(MeanSquaredError(), rng.normal(size=(n, k)), rng.normal(size=(n, k))) < TOLERANCE


@given(n=sizes(6), k=sizes(6), seed=seeds)
def test_binary_cross_entropy_from_logits_gradient(n, k, seed):
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=3.0, size=(n, k))
    target = rng.integers(0, 2, size=(n, k)).astype(float)
    assert gradient_error(BinaryCrossEntropy(), logits, target) < TOLERANCE


@given(n=sizes(6), seed=seeds)
def test_binary_cross_entropy_from_probabilities_gradient(n, seed):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.05, 0.95, size=(n, 1))
    target = rng.uniform(0, 1, size=(n, 1))
    assert gradient_error(BinaryCrossEntropy(from_logits=False), p, target) < TOLERANCE


@given(n=sizes(6), k=st.integers(min_value=2, max_value=6), seed=seeds, one_hot=st.booleans())
def test_softmax_cross_entropy_gradient(n, k, seed, one_hot):
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=3.0, size=(n, k))
    labels = rng.integers(0, k, size=n)
    target = np.eye(k)[labels] if one_hot else labels
    assert gradient_error(SoftmaxCrossEntropy(), logits, target) < TOLERANCE


@given(n=sizes(6), k=st.integers(min_value=2, max_value=6), seed=seeds)
def test_softmax_cross_entropy_gradient_for_soft_targets(n, k, seed):
    rng = np.random.default_rng(seed)
    target = rng.uniform(0, 1, size=(n, k))  # rows need not sum to 1
    assert gradient_error(SoftmaxCrossEntropy(), rng.normal(size=(n, k)), target) < TOLERANCE


def test_values_by_hand():
    assert MeanSquaredError().forward([[1.0], [3.0]], [[0.0], [1.0]]) == pytest.approx((1 + 4) / 2)
    p = 1 / (1 + np.exp(-0.3))
    assert BinaryCrossEntropy().forward([[0.3]], [[1.0]]) == pytest.approx(-np.log(p))
    assert BinaryCrossEntropy(from_logits=False).forward([[0.8]], [[0.0]]) == pytest.approx(-np.log(0.2))
    logits = np.array([[1.0, 2.0, 3.0]])
    expected = -np.log(np.exp(1.0) / np.exp(logits).sum())
    assert SoftmaxCrossEntropy().forward(logits, np.array([0])) == pytest.approx(expected)


def test_labels_and_one_hot_agree():
    rng = np.random.default_rng(0)
    logits, labels = rng.normal(size=(5, 4)), np.array([0, 3, 1, 1, 2])
    a, b = SoftmaxCrossEntropy(), SoftmaxCrossEntropy()
    assert a.forward(logits, labels) == pytest.approx(b.forward(logits, np.eye(4)[labels]))
    np.testing.assert_allclose(a.backward(), b.backward())


def test_target_of_shape_n_matches_prediction_of_shape_n_by_1():
    loss = MeanSquaredError()
    assert loss.forward(np.array([[1.0], [2.0]]), np.array([1, 0])) == pytest.approx(2.0)
    assert loss.backward().shape == (2, 1)


def test_softmax_is_stable_and_sums_to_one():
    z = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
    p = softmax(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(log_softmax([1000.0, 0.0]), [0.0, -1000.0])
    np.testing.assert_allclose(np.exp(log_softmax(z)), p)
    np.testing.assert_allclose(softmax(z + 50.0), p)  # shift invariance


def test_cross_entropies_are_finite_for_huge_logits():
    bce = BinaryCrossEntropy()
    assert bce.forward([[1000.0], [-1000.0]], [[0.0], [1.0]]) == pytest.approx(1000.0)
    assert np.isfinite(bce.backward()).all()
    sce = SoftmaxCrossEntropy()
    assert sce.forward([[1000.0, -1000.0]], [1]) == pytest.approx(2000.0)
    np.testing.assert_allclose(sce.backward(), [[1.0, -1.0]])
    assert BinaryCrossEntropy(from_logits=False).forward([[0.0], [1.0]], [[1.0], [0.0]]) < 17


def test_bad_input():
    with pytest.raises(ValueError, match=r"pred has shape \(3, 2\) but target has shape \(3,\)"):
        MeanSquaredError().forward(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        BinaryCrossEntropy().forward([[0.0]], [[2.0]])
    with pytest.raises(ValueError, match="probabilities"):
        BinaryCrossEntropy(from_logits=False).forward([[1.5]], [[1.0]])
    with pytest.raises(ValueError, match=r"0\.\.2 for 3 classes"):
        SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(TypeError, match="integers"):
        SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"expected \(2,\)"):
        SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"shape \(N, K\)"):
        SoftmaxCrossEntropy().forward(np.zeros(3), np.array([0]))
    with pytest.raises(ValueError, match="NaN"):
        MeanSquaredError().forward([[np.nan]], [[0.0]])
    for loss in (MeanSquaredError(), BinaryCrossEntropy(), SoftmaxCrossEntropy()):
        with pytest.raises(RuntimeError, match="before forward"):
            loss.backward()
