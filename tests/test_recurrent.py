"""ann_lib.recurrent: backpropagation through time against central differences, the decoders, bad input.

Chapter 9. Tolerance for the gradient checks: 1e-7 relative (central differences in float64).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ann_lib.gradcheck import numerical_gradient, relative_error
from ann_lib.recurrent import LSTM, RNN, beam_search, greedy_decode, orthogonal

TOLERANCE = 1e-7
small = st.integers(min_value=1, max_value=4)


def random_layer(cls, n_in, n_hidden, rng):
    layer = cls(n_in, n_hidden, rng=rng)
    layer.params["b"] += 0.5 * rng.normal(size=layer.params["b"].shape)  # gates away from their symmetric start
    return layer


@settings(max_examples=15)
@given(cls=st.sampled_from([RNN, LSTM]), n=small, steps=small, n_in=small, n_hidden=small,
       seed=st.integers(0, 2**32 - 1))
def test_backward_through_time_matches_central_differences(cls, n, steps, n_in, n_hidden, seed):
    rng = np.random.default_rng(seed)
    layer = random_layer(cls, n_in, n_hidden, rng)
    x, h0 = rng.normal(size=(n, steps, n_in)), rng.normal(size=(n, n_hidden))
    upstream = rng.normal(size=(n, steps, n_hidden))

    def loss(_):
        return float(np.sum(layer.forward(x, h0) * upstream))

    layer.forward(x, h0)
    dx = layer.backward(upstream)
    grads, dh0 = dict(layer.grads), layer.dh0
    assert relative_error(dx, numerical_gradient(loss, x)) < TOLERANCE
    assert relative_error(dh0, numerical_gradient(loss, h0)) < TOLERANCE
    for key in ("W", "U", "b"):
        assert relative_error(grads[key], numerical_gradient(loss, layer.params[key])) < TOLERANCE, key


def test_lstm_initial_cell_gradient_matches_central_differences():
    rng = np.random.default_rng(3)
    layer = random_layer(LSTM, 2, 3, rng)
    x, c0 = rng.normal(size=(2, 4, 2)), rng.normal(size=(2, 3))
    upstream = rng.normal(size=(2, 4, 3))
    layer.forward(x, None, c0)
    layer.backward(upstream)
    numeric = numerical_gradient(lambda _: float(np.sum(layer.forward(x, None, c0) * upstream)), c0)
    assert relative_error(layer.dc0, numeric) < TOLERANCE


@pytest.mark.parametrize("cls", [RNN, LSTM])
def test_forward_is_step_after_step(cls):
    rng = np.random.default_rng(0)
    layer = random_layer(cls, 3, 5, rng)
    x = rng.normal(size=(2, 6, 3))
    hs = layer.forward(x)
    h, c = np.zeros((2, 5)), np.zeros((2, 5))
    for t in range(6):
        if cls is RNN:
            h = layer.step(x[:, t], h)
        else:
            h, c = layer.step(x[:, t], h, c)
        np.testing.assert_allclose(hs[:, t], h, rtol=1e-12, atol=1e-12)


def test_lstm_forget_bias_and_weight_shapes():
    layer = LSTM(3, 4, rng=np.random.default_rng(0), forget_bias=2.5)
    assert layer.params["W"].shape == (3, 16) and layer.params["U"].shape == (4, 16)
    np.testing.assert_array_equal(layer.params["b"], np.r_[np.zeros(4), np.full(4, 2.5), np.zeros(8)])


def test_orthogonal_keeps_lengths():
    U = orthogonal((6, 6), np.random.default_rng(0))
    np.testing.assert_allclose(U.T @ U, np.eye(6), atol=1e-12)
    assert orthogonal((5, 3), np.random.default_rng(0)).shape == (5, 3)


def first_step_share(cls, seed, length=60, **kwargs):
    """||dL/dx_1|| / ||dL/dx_T|| for a loss on the last hidden state only, at initialization."""
    rng = np.random.default_rng(seed)
    layer = cls(1, 16, rng=rng, **kwargs)
    x = rng.choice([-1.0, 1.0], size=(64, length, 1))
    h = layer.forward(x)
    upstream = np.zeros_like(h)
    upstream[:, -1] = rng.normal(size=(64, 16))
    dx = np.linalg.norm(layer.backward(upstream)[..., 0], axis=0)
    return dx[0] / dx[-1]


@pytest.mark.parametrize("seed", range(4))
def test_gradient_vanishes_in_time_for_tanh_rnn_not_for_lstm_with_open_forget_gate(seed):
    """The chapter's claim at initialization, 60 steps: the tanh RNN passes < 1e-3, the LSTM (forget bias 3) > 0.1."""
    assert first_step_share(RNN, seed) < 1e-3
    assert first_step_share(LSTM, seed, forget_bias=3.0) > 0.1
    assert first_step_share(LSTM, seed, forget_bias=1.0) < 1e-3  # sigma(1) ~ 0.73 per step is not enough


@pytest.mark.parametrize("cls", [RNN, LSTM])
def test_bad_input_names_the_argument(cls):
    layer = cls(3, 4, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="x"):
        layer.forward(np.zeros((2, 5)))  # no time axis
    with pytest.raises(ValueError, match="x"):
        layer.forward(np.zeros((2, 5, 2)))  # wrong feature size
    with pytest.raises(ValueError, match="x"):
        layer.forward(np.zeros((2, 0, 3)))  # empty sequence
    with pytest.raises(ValueError, match="NaN"):
        layer.forward(np.full((2, 5, 3), np.nan))
    with pytest.raises(ValueError, match="h0"):
        layer.forward(np.zeros((2, 5, 3)), np.zeros((3, 4)))
    with pytest.raises(RuntimeError, match="before forward"):
        cls(3, 4, rng=np.random.default_rng(0)).backward(np.zeros((2, 5, 4)))
    layer.forward(np.zeros((2, 5, 3)))
    with pytest.raises(ValueError, match="dout"):
        layer.backward(np.zeros((2, 4, 4)))  # a sequence of another length
    with pytest.raises(TypeError, match="rng"):
        cls(3, 4, rng=0)
    with pytest.raises(ValueError, match="n_hidden"):
        cls(3, 0, rng=np.random.default_rng(0))


# --- decoding: a hand-made "language model" where greedy decoding is short-sighted

START, END, A, B = 0, 1, 2, 3
LOG = np.log


def toy_step(tokens, state):
    """After <start>: A 0.6, B 0.4. After A: A, B, <end> equally likely. After B: <end> 0.9. After <end>: <end>."""
    table = np.full((4, 4), 1e-12)
    table[START, [A, B]] = 0.6, 0.4
    table[A, [A, B, END]] = 1 / 3
    table[B, END] = 0.9
    table[B, A] = 0.1
    table[END, END] = 1.0
    return LOG(table[tokens]), state + 1


def test_greedy_is_short_sighted_and_beam_search_is_not():
    state = np.zeros(1)
    greedy = greedy_decode(toy_step, state, start_id=START, end_id=END, max_length=5)
    best, score = beam_search(toy_step, state, start_id=START, end_id=END, max_length=5, beam_width=2)
    assert greedy[0, 0] == A  # the likelier first word, 0.6 > 0.4, whose continuations are all weak
    assert best[0].tolist()[:2] == [B, END]  # 0.4 * 0.9 = 0.36 > 0.6 / 3 = 0.2
    np.testing.assert_allclose(score[0], LOG(0.4 * 0.9))


@settings(max_examples=30)
@given(seed=st.integers(0, 2**32 - 1), width=st.integers(2, 4))
def test_beam_search_never_scores_below_greedy_and_width_one_is_greedy(seed, width):
    table = np.log(np.random.default_rng(seed).dirichlet(np.ones(5), size=5))

    def step(tokens, state):
        return table[tokens], state

    def score(row):
        previous, total = START, 0.0
        for token in row:
            total += table[previous, token]
            if token == END:
                break
            previous = token
        return total

    state = np.zeros((3, 2))
    greedy = greedy_decode(step, state, start_id=START, end_id=END, max_length=6)
    one, _ = beam_search(step, state, start_id=START, end_id=END, max_length=6, beam_width=1)
    wide, wide_scores = beam_search(step, state, start_id=START, end_id=END, max_length=6, beam_width=width)
    np.testing.assert_array_equal(one[:, :greedy.shape[1]], greedy)
    for g, w, s in zip(greedy, wide, wide_scores):
        assert s >= score(g) - 1e-12
        np.testing.assert_allclose(score(w), s)


def test_decoders_reject_bad_arguments():
    state = np.zeros(2)
    with pytest.raises(TypeError, match="step"):
        greedy_decode("not a function", state, start_id=0, end_id=1, max_length=3)
    with pytest.raises(ValueError, match="max_length"):
        greedy_decode(toy_step, state, start_id=0, end_id=1, max_length=0)
    with pytest.raises(ValueError, match="beam_width"):
        beam_search(toy_step, state, start_id=0, end_id=1, max_length=3, beam_width=0)
    with pytest.raises(ValueError, match="state"):
        beam_search(toy_step, (np.zeros(2), np.zeros(3)), start_id=0, end_id=1, max_length=3)
    with pytest.raises(ValueError, match="log_probs"):
        greedy_decode(lambda tokens, s: (np.zeros(4), s), state, start_id=0, end_id=1, max_length=3)
