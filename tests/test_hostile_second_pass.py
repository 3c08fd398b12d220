"""The examples of issue 23, each the representative of a family the hostile-input suite now tries everywhere.

Finite input that overflows on the way, arguments that mean nothing (flags that are strings, a
spread of 1e300, ids outside a vocabulary), crashes from inside, errors that blame the wrong
argument, and valid input that was refused. ``tests/test_hostile_input.py`` runs the families
over every public callable; these tests pin the exact answers.
"""

from __future__ import annotations

import numpy as np
import pytest

from ann_lib import _validation, boxes, gradcheck, initializers, losses
from ann_lib.audio import log_mel_spectrogram, write_wav
from ann_lib.conv import conv2d
from ann_lib.datasets import make_moons
from ann_lib.datasets.captions import caption_tokenizer
from ann_lib.datasets.speech import add_noise, make_speakers, synthesize_vowel
from ann_lib.envs import Runner, clearance
from ann_lib.metrics import accuracy
from ann_lib.metrics.ilsvrc import localization_error
from ann_lib.metrics.ranking import ndcg_at_k, precision_at_k
from ann_lib.neuron import weighted_sum
from ann_lib.pooling import avg_pool2d
from ann_lib.recommender import MatrixFactorization
from ann_lib.recurrent import LSTM, RNN, beam_search, greedy_decode
from ann_lib.rl import QLearning, evaluate, linear_schedule
from ann_lib.training import DataTooLarge, TrainingDiverged


def rng():
    return np.random.default_rng(0)


# ------------------------------------------------------------------ the shared checks


@pytest.mark.parametrize("value", [True, False, np.bool_(True), np.False_])
def test_flag_takes_real_bools(value):
    assert _validation.flag(value, "terminated") is bool(value)


@pytest.mark.parametrize("value", ["no", "", "False", 0, 1, None, 1.0])
def test_flag_refuses_what_is_not_a_bool(value):
    with pytest.raises(TypeError, match="terminated must be True or False"):
        _validation.flag(value, "terminated")


def test_standard_deviation_needs_a_finite_variance():
    assert _validation.standard_deviation(0.5, "std") == 0.5
    assert _validation.standard_deviation(1e150, "std") == 1e150
    with pytest.raises(ValueError, match="std must be at most"):
        _validation.standard_deviation(1e300, "std")
    with pytest.raises(TypeError, match="std"):
        _validation.standard_deviation(True, "std")


def test_finite_result_names_the_arguments_and_is_off_inside_checked_once():
    @_validation.finite_result("x")
    def square(x):
        return np.asarray(x) ** 2

    assert square(np.array([3.0])).tolist() == [9.0]
    with pytest.raises(_validation.TooLarge, match=r"x holds values too large .*x 1e\+300"):
        square(np.array([1e300]))
    with _validation.checked_once(), np.errstate(over="ignore"):
        assert np.isinf(square(np.array([1e300]))).all()  # a training loop checks its loss instead


def test_scaled_down_is_exact_and_leaves_ordinary_values_alone():
    a = np.array([1.5, -2.0])
    assert _validation.scaled_down(a)[0] is a
    (b,) = _validation.scaled_down(np.array([1.7e308, -3.0]))
    assert np.abs(b).max() < 1 and np.ldexp(b[0], 1024) == 1.7e308


# ------------------------------------------------------------------ family 1: overflow on the way


def test_iou_of_identical_float16_boxes_is_one_and_localization_inherits_it():
    box = np.array([0, 0, 300, 300], dtype=np.float16)
    assert boxes.iou(box, box) == 1.0
    result = localization_error(np.array([[1]]), box[None, None], np.array([1]), box[None])
    assert result.error == 0.0 and result.outcomes.tolist() == ["correct"]


def test_iou_of_huge_boxes_is_their_ratio_and_ordinary_results_do_not_move():
    assert boxes.iou([0, 0, 1e300, 1e300], [0, 0, 1e300, 2e300]) == 0.5
    assert boxes.iou([0, 0, 2, 2], [1, 1, 3, 3]) == 1 / 7
    a = np.float32([[0, 0, 2, 2], [1, 1, 4, 5]])
    expected = np.float32(1) / np.float32(7)
    assert boxes.iou(a[0], a[0]) == 1.0 and boxes.iou(a, np.float32([1, 1, 3, 3]))[0] == pytest.approx(expected, abs=0)
    with pytest.raises(ValueError, match="boxes holds values too large"):
        boxes.box_area(np.array([0, 0, 300, 300], dtype=np.float16))


@pytest.mark.parametrize("call, name", [
    (lambda: losses.MeanSquaredError()(np.array([1e300]), np.zeros(1)), "pred"),
    (lambda: weighted_sum(np.full((2, 3), 1e300), np.full(3, 1e300)), "x"),
    (lambda: conv2d(np.full((1, 4, 4, 1), 1e308), np.full((3, 3, 1, 1), 2.0)), "x"),
    (lambda: avg_pool2d(np.full((1, 4, 4, 1), 1.7e308)), "x"),
    (lambda: log_mel_spectrogram(np.full(800, 1e300), 8000.0, 200, 80), "signal"),
    (lambda: synthesize_vowel("aa", make_speakers(1, rng())[0], rng(), snr_db=-7000.0), "snr_db"),
    (lambda: add_noise(np.ones(10), -7000.0, rng()), "snr_db"),
])
def test_an_overflow_is_an_error_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        call()


def test_relative_error_and_ndcg_are_computed_without_overflow():
    assert gradcheck.relative_error(np.array([1e300]), np.array([-1e300])) == 1.0
    assert gradcheck.relative_error(np.array([3.0, 4.0]), np.array([3.0, 4.0])) == 0.0
    gains = np.array([[1e308, 0.0, 1.7e308]])
    assert ndcg_at_k(gains, np.array([[3.0, 2.0, 1.0]]), 3) == pytest.approx(ndcg_at_k(gains / 1e308, [[3.0, 2.0, 1.0]], 3))


def test_fit_als_on_huge_ratings_names_them_and_keeps_the_model():
    model = MatrixFactorization(2, 2, n_factors=1, rng=rng())
    P = model.P.copy()
    with pytest.raises(ValueError, match="ratings"):
        model.fit_als(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([4.0, 1.0, 2.0, 5.0]) * 1e300)
    assert np.array_equal(model.P, P)


def test_a_reward_near_the_float64_maximum_leaves_the_q_table_finite():
    agent = QLearning(2, 2, lr=1.0, gamma=0.5)
    agent.update(0, 0, 1e308, 1, False)
    with pytest.raises(ValueError, match="reward"):
        agent.update(0, 0, 1.7e308, 0, False)  # 1.7e308 + 0.5 * 1e308 overflows
    assert np.isfinite(agent.table).all() and agent.table[0, 0] == 1e308


def test_fit_names_data_too_large_and_it_is_still_a_divergence():
    from ann_lib.losses import SoftmaxCrossEntropy
    from ann_lib.network import mlp

    model = mlp([3, 4, 2], rng=rng())
    with pytest.raises(DataTooLarge, match=r"\bX\b") as caught:
        model_input = np.full((4, 3), 1.7e308)
        from ann_lib.training import fit

        fit(model, SoftmaxCrossEntropy(), model_input, np.array([0, 1, 0, 1]), epochs=1, lr=0.1, rng=rng())
    assert isinstance(caught.value, TrainingDiverged) and isinstance(caught.value, ValueError)


# ------------------------------------------------------------------ family 2: arguments that mean nothing


def test_meaningless_spreads_and_flags_are_refused():
    with pytest.raises(TypeError, match="std"):
        initializers.naive_normal((2, 2), rng(), std=True)
    with pytest.raises(ValueError, match="std"):
        initializers.naive_normal((2, 2), rng(), std=1e300)
    with pytest.raises(ValueError, match="noise"):
        make_moons(10, noise=1e308, rng=rng())
    with pytest.raises(TypeError, match="terminated"):
        QLearning(2, 2).update(0, 0, 1.0, 1, terminated="no")
    with pytest.raises(TypeError, match="crashed"):
        clearance([{"cleared": 3, "crashed": "no"}])
    assert clearance([{"cleared": 3, "crashed": np.True_}]) == 0.75


def test_meaningless_targets_labels_and_ids_are_refused():
    with pytest.raises(ValueError, match="target"):
        losses.SoftmaxCrossEntropy()(np.zeros((1, 2)), np.array([[-1.0, 2.0]]))
    with pytest.raises(ValueError, match="y_true"):
        accuracy(np.array([1e300, 0.0]), np.array([0, 0]))
    with pytest.raises(ValueError, match="ids"):
        caption_tokenizer().decode(np.array([[1, 4, 2], [1, 5, 2]]))


def _step(tokens, state):
    table = np.log(np.full((4, 4), 0.25))
    return table[np.asarray(tokens)], state


@pytest.mark.parametrize("decode", [greedy_decode, beam_search])
def test_decoders_check_the_ids_against_the_vocabulary_and_what_step_returns(decode):
    with pytest.raises(ValueError, match="end_id=4 is outside the vocabulary"):
        decode(_step, np.zeros(1), start_id=0, end_id=4, max_length=3)
    with pytest.raises(ValueError, match="start_id"):
        decode(_step, np.zeros(1), start_id=7, end_id=1, max_length=3)
    with pytest.raises(TypeError, match="step"):
        decode(lambda tokens, state: (np.full((len(tokens), 4), "x"), state), np.zeros(1), start_id=0, end_id=1,
               max_length=3)


@pytest.mark.parametrize("t", [float("nan"), -1, -0.5, True])
def test_linear_schedule_refuses_a_step_that_is_no_step(t):
    schedule = linear_schedule(1.0, 0.1, 10)
    assert schedule(5) == pytest.approx(0.55) and schedule(20) == pytest.approx(0.1)
    with pytest.raises((ValueError, TypeError), match=r"\bt\b"):
        schedule(t)


# ------------------------------------------------------------------ families 3 and 4: crashes, wrong blame


def test_discretize_refuses_a_speed_feature_outside_its_range():
    env = Runner()
    features, _ = env.reset(seed=0)
    features = features.copy()
    features[7] = -1.0
    for batch in (features, features[None]):
        with pytest.raises(ValueError, match=r"feature 7 \(speed"):
            env.discretize(batch)


def test_evaluate_names_make_env_when_it_returns_no_environment():
    with pytest.raises(TypeError, match="make_env must return an environment"):
        evaluate(lambda: 3, lambda obs: np.zeros(len(obs), dtype=int), [0])


@pytest.mark.parametrize("layer", [RNN, LSTM])
def test_a_bad_recurrent_init_is_named(layer):
    with pytest.raises(ValueError, match="recurrent_init returned shape"):
        layer(3, 4, rng=rng(), recurrent_init=lambda shape, rng: np.zeros(1))


def test_errors_name_the_callers_argument():
    with pytest.raises(ValueError, match="frame_length=1"):
        log_mel_spectrogram(np.ones(100), 8000.0, 1, 1)
    with pytest.raises(ValueError, match="sample_rate"):
        write_wav("never-written.wav", np.ones(10), 10**10)
    model = MatrixFactorization(3, 2, n_factors=1, reg=0.0, rng=rng())
    with pytest.raises(ValueError, match="user 2"):
        model.fit_als(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([4.0, 1.0, 2.0, 5.0]))


def test_fit_als_with_zero_regularization_works_when_the_ratings_determine_the_factors():
    model = MatrixFactorization(2, 2, n_factors=1, reg=0.0, rng=rng())
    history = model.fit_als(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([4.0, 1.0, 2.0, 5.0]), sweeps=3)
    assert np.isfinite(history).all() and history[-1] <= history[0] + 1e-9


# ------------------------------------------------------------------ family 5: valid input refused


def test_ranking_metrics_take_boolean_relevance_as_their_docstrings_advise():
    ratings = np.array([[5.0, 3.0, 0.0, 4.0], [1.0, 4.0, 5.0, 0.0]])
    scores = np.array([[0.9, 0.8, 0.1, 0.2], [0.3, 0.2, 0.9, 0.1]])
    assert precision_at_k(ratings >= 4, scores, 2) == precision_at_k((ratings >= 4).astype(float), scores, 2) == 0.5
    assert ndcg_at_k(ratings >= 4, scores, 2) == ndcg_at_k((ratings >= 4).astype(float), scores, 2)
