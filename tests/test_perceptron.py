"""ann_lib.perceptron: the rule converges on AND and OR, and never on XOR."""

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import seeds

from ann_lib import datasets
from ann_lib.perceptron import Perceptron

# Stated bound: from zero weights or small random ones (std 0.1), any learning
# rate in [0.01, 2], samples in any order, AND, OR and NAND are learned within
# CONVERGENCE_EPOCHS epochs (the worst of 500 random runs took 13).
CONVERGENCE_EPOCHS = 25


def gate(name, activation):
    X, y = datasets.logic_gate(name)
    return X, (2 * y - 1 if activation == "sign" else y)


def test_the_chapters_runs_from_zero_weights():
    # lr = 1, zero weights, rows in the order of the truth table
    X, y = datasets.logic_gate("and")
    p = Perceptron(2)
    assert p.fit(X, y, epochs=20).tolist() == [2, 3, 3, 2, 1, 0]
    assert p.predict(X).tolist() == [0, 0, 0, 1]
    X, y = datasets.logic_gate("or")
    p = Perceptron(2)
    assert p.fit(X, y, epochs=20).tolist() == [2, 2, 1, 0]
    assert p.predict(X).tolist() == [0, 1, 1, 1]


@pytest.mark.parametrize("name", ["and", "or", "nand"])
@pytest.mark.parametrize("activation", ["unit_step", "sign"])
@given(seed=seeds, lr=st.floats(0.01, 2.0), random_start=st.booleans())
def test_converges_on_separable_gates(name, activation, seed, lr, random_start):
    X, y = gate(name, activation)
    rng = np.random.default_rng(seed)
    p = Perceptron(2, lr=lr, activation=activation, rng=rng if random_start else None)
    mistakes = p.fit(X, y, epochs=CONVERGENCE_EPOCHS, rng=rng)
    assert mistakes[-1] == 0, mistakes
    assert len(mistakes) <= CONVERGENCE_EPOCHS
    # zero mistakes means every point is strictly on its own side of the line
    z = p.weighted_sum(X)
    assert np.all(np.where(y == 1, z > 0, z < 0))
    assert np.array_equal(p.predict(X), y)


@pytest.mark.parametrize("activation", ["unit_step", "sign"])
@given(seed=seeds, lr=st.floats(0.01, 2.0), random_start=st.booleans())
def test_never_reaches_zero_mistakes_on_xor(activation, seed, lr, random_start):
    X, y = gate("xor", activation)
    rng = np.random.default_rng(seed)
    p = Perceptron(2, lr=lr, activation=activation, rng=rng if random_start else None)
    mistakes = p.fit(X, y, epochs=50, rng=rng)
    assert len(mistakes) == 50 and mistakes.min() >= 1


@given(
    w1=st.floats(-1e6, 1e6), w2=st.floats(-1e6, 1e6), b=st.floats(-1e6, 1e6),
)
def test_no_line_classifies_xor(w1, w2, b):
    # The chapter's proof, tested: for every (w1, w2, b) one of the four points is
    # on the wrong side (or on the line). If (0,1) and (1,0) are positive and (0,0)
    # negative, then w1 + w2 + b > -b > 0, so (1,1) is positive too.
    X, y = datasets.logic_gate("xor")
    z = X @ np.array([w1, w2]) + b
    correct = np.where(y == 1, z > 0, z < 0)
    assert not correct.all()


def test_no_line_on_a_grid_of_weights():
    X, y = datasets.logic_gate("xor")
    grid = np.linspace(-3, 3, 25)
    for w1, w2, b in itertools.product(grid, grid, grid):
        z = X @ np.array([w1, w2]) + b
        assert not np.all(np.where(y == 1, z > 0, z < 0))


def test_update_rule_by_hand():
    p = Perceptron(2, lr=0.5)
    # zero weights: z = 0 for (1, 1), the step gives 0.5, a mistake for target 1
    p.fit(np.array([[1.0, 1.0]]), np.array([1]), epochs=1, stop_when_converged=False)
    np.testing.assert_allclose(p.w, [0.25, 0.25])  # w + 0.5 * (1 - 0.5) * x
    assert p.b == pytest.approx(0.25)


def test_bad_input():
    p = Perceptron(2)
    X, y = datasets.logic_gate("and")
    with pytest.raises(ValueError, match="must be 0 or 1"):
        p.fit(X, 2 * y - 1)
    with pytest.raises(ValueError, match="must be -1 or 1"):
        Perceptron(2, activation="sign").fit(X, y)
    with pytest.raises(ValueError, match=r"X has shape \(4, 2\) but y has shape \(3,\)"):
        p.fit(X, y[:3])
    with pytest.raises(ValueError, match=r"X must have shape \(N, 2\), got \(4, 3\)"):
        p.predict(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="activation"):
        Perceptron(2, activation="sigmoid")
    with pytest.raises(ValueError, match="lr"):
        Perceptron(2, lr=0)
    with pytest.raises(ValueError, match="n_inputs"):
        Perceptron(0)
    with pytest.raises(ValueError, match="epochs"):
        p.fit(X, y, epochs=0)
