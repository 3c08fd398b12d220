"""ann_lib._validation: the one home of the argument checks, and checking once per public call.

The hostile-input suite (tests/test_hostile_input.py) calls every public function with bad
arguments; these tests pin down the helpers it relies on, and that the checks stay out of
the training loop.
"""

import subprocess
import sys

import numpy as np
import pytest

from ann_lib import _validation as v
from ann_lib.datasets import make_moons
from ann_lib.losses import SoftmaxCrossEntropy
from ann_lib.network import mlp
from ann_lib.training import TrainingDiverged, fit


def test_as_float_array_refuses_nan_always_and_inf_for_data():
    with pytest.raises(ValueError, match=r"^x contains NaN \(1 of 3 values, first at index \(1,\)\)"):
        v.as_float_array([0.0, np.nan, 1.0], "x")
    assert np.isinf(v.as_float_array([np.inf], "z")).all()  # an activation's argument may be infinite
    with pytest.raises(ValueError, match=r"^X contains an infinity \(1 of 2 values, first at index \(1,\)\)"):
        v.as_float_array([0.0, -np.inf], "X", finite=True)
    with pytest.raises(TypeError, match="^w must be a real-valued array, got None"):
        v.as_float_array(None, "w")


def test_checked_once_skips_only_the_scan_and_nests():
    with v.checked_once():
        with v.checked_once():
            assert np.isnan(v.as_float_array([np.nan], "x")).all()
        assert np.isinf(v.as_float_array([np.inf], "x", finite=True)).all()
        with pytest.raises(TypeError, match="x must hold real numbers"):
            v.as_float_array(["a"], "x")  # types are still checked
    with pytest.raises(ValueError, match="NaN"):  # and the scan is back afterwards, also after an error
        v.as_float_array([np.nan], "x")


def test_numbers_and_choices_name_the_argument():
    assert v.real_number(np.float32(0.25), "tolerance", low=0.0) == 0.25
    for bad, error in [(True, TypeError), (np.nan, ValueError), (-1.0, ValueError), ("0.1", TypeError)]:
        with pytest.raises(error, match="^tolerance "):
            v.real_number(bad, "tolerance", low=0.0)
    with pytest.raises(ValueError, match=r"^beta1 must be a finite number in \[0, 1\), got 1"):
        v.real_number(1, "beta1", low=0.0, high=1.0, high_open=True)
    with pytest.raises(ValueError, match="^layout must be one of 'flat', 'nhwc', got 'NHWC'"):
        v.choice("NHWC", ("flat", "nhwc"), "layout")
    with pytest.raises(TypeError, match=r"^stride must be an int or a pair of ints, got 1\.5"):
        v.int_pair(1.5, "stride")
    with pytest.raises(ValueError, match="^seed must be an integer >= 0"):
        v.check_seed(-1)


def test_objects_passed_as_classes_get_a_hint():
    with pytest.raises(TypeError, match=r"^loss must be a loss object .*the class SoftmaxCrossEntropy; create an instance"):
        v.check_loss(SoftmaxCrossEntropy)
    with pytest.raises(TypeError, match=r"^model must be a network .*got Dense; wrap single layers in Sequential"):
        from ann_lib.layers import Dense

        v.check_model(Dense(2, 2, rng=np.random.default_rng(0)))


def test_blame_names_the_callers_argument_and_keeps_the_type():
    with pytest.raises(TypeError, match=r"^X does not fit the model: inner message$"):
        with v.blame("X", "does not fit the model"):
            raise TypeError("inner message")


def test_fit_scans_the_data_once_per_call_not_per_layer_per_batch(monkeypatch):
    """The NaN scan (np.isnan) runs a fixed number of times, however many epochs, batches and layers."""
    X, y = make_moons(64, rng=np.random.default_rng(0))
    calls = []
    real_isnan = np.isnan
    monkeypatch.setattr(np, "isnan", lambda *a, **k: calls.append(1) or real_isnan(*a, **k))

    def count(epochs, batch_size, sizes):
        model = mlp(sizes, rng=np.random.default_rng(1))
        calls.clear()
        fit(model, SoftmaxCrossEntropy(), X, y, epochs=epochs, batch_size=batch_size, lr=0.1,
            rng=np.random.default_rng(2))
        return len(calls)

    small = count(epochs=1, batch_size=64, sizes=[2, 2])
    large = count(epochs=5, batch_size=4, sizes=[2, 8, 8, 8, 2])  # 80 batches through 7 layers
    assert small == large
    assert small <= 4


def test_infinite_data_is_a_value_error_before_training_not_a_divergence():
    X, y = make_moons(20, rng=np.random.default_rng(0))
    X[3, 1] = np.inf
    model = mlp([2, 3, 2], rng=np.random.default_rng(0))
    before = [p.copy() for _, p, _ in model.parameters()]
    with pytest.raises(ValueError, match=r"^X contains an infinity .*first at index \(3, 1\)") as caught:
        fit(model, SoftmaxCrossEntropy(), X, y, epochs=1, lr=0.1, rng=np.random.default_rng(0))
    assert not isinstance(caught.value, TrainingDiverged)
    assert all(np.array_equal(a, p) for a, (_, p, _) in zip(before, model.parameters()))


def test_diagnostics_does_not_import_training_at_run_time():
    """diagnostics needs training's History only as a type hint (under TYPE_CHECKING)."""
    code = "import sys, ann_lib.diagnostics; print('ann_lib.training' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
