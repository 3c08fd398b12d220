"""ann_lib.neuron: one sample and a batch, the AND neuron, and clear shape errors."""

import numpy as np
import pytest

from ann_lib.neuron import Neuron, weighted_sum

GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def test_weighted_sum_one_sample_and_batch():
    w, b = np.array([1.0, 2.0]), -1.0
    assert weighted_sum([3.0, 4.0], w, b).shape == ()
    assert float(weighted_sum([3.0, 4.0], w, b)) == 1 * 3 + 2 * 4 - 1
    batch = np.array([[3.0, 4.0], [0.0, 0.0], [-1.0, 0.5]])
    np.testing.assert_array_equal(weighted_sum(batch, w, b), [10.0, -1.0, -1.0])


def test_batch_equals_samples_one_by_one():
    rng = np.random.default_rng(1)
    neuron = Neuron(rng.normal(size=5), b=0.3, activation="sigmoid")
    x = rng.normal(size=(7, 5))
    np.testing.assert_allclose(neuron(x), [neuron(row) for row in x], rtol=1e-15)


@pytest.mark.parametrize(
    "w, b, truth",
    [([1.0, 1.0], -1.5, [0, 0, 0, 1]), ([1.0, 1.0], -0.5, [0, 1, 1, 1]), ([-1.0, -1.0], 1.5, [1, 1, 1, 0])],
    ids=["and", "or", "nand"],
)
def test_hand_picked_neurons_compute_logic_gates(w, b, truth):
    np.testing.assert_array_equal(Neuron(w, b)(GATE_INPUTS), truth)


def test_step_neuron_outputs_half_on_the_boundary():
    assert Neuron([1.0, 1.0], -1.0)(np.array([0.5, 0.5])) == 0.5


@pytest.mark.parametrize(
    "x, message",
    [
        (np.zeros(3), r"x has shape \(3,\), but the neuron has 2 weights; expected one sample of shape \(2,\) or a batch of shape \(N, 2\)"),
        (np.zeros((4, 3)), r"x has shape \(4, 3\), but the neuron has 2 weights"),
        (np.zeros((2, 2, 2)), r"x has shape \(2, 2, 2\)"),
        (np.float64(1.0), r"x has shape \(\)"),
    ],
)
def test_shape_errors_name_the_shapes(x, message):
    with pytest.raises(ValueError, match=message):
        Neuron([1.0, 2.0])(x)


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError, match=r"w must be a non-empty 1-D array of D weights, got shape \(2, 2\)"):
        Neuron(np.eye(2))
    with pytest.raises(ValueError, match=r"b must be a scalar, got shape \(2,\)"):
        Neuron([1.0], b=[1.0, 2.0])
    with pytest.raises(ValueError, match="w contains an infinity"):
        Neuron([np.inf])
    with pytest.raises(TypeError, match="x must hold real numbers"):
        Neuron([1.0])(["a"])
    with pytest.raises(ValueError, match="activation must be one of"):
        Neuron([1.0], activation="step")
