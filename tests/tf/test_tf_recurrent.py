"""ann_lib.recurrent against TensorFlow, and the chapter 9 experiments' claims.

- backpropagation through time against tf.GradientTape on the same equations (float64, 1e-10 relative);
- one step and a whole sequence against Keras's SimpleRNN and LSTM with the same weights;
- (slow) the gallery scripts, run as they run in the build, hold the chapter's thresholds.
"""


import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from ann_lib.gradcheck import relative_error
from ann_lib.recurrent import LSTM, RNN

pytestmark = pytest.mark.tf
TOLERANCE = 1e-10
small = st.integers(min_value=1, max_value=5)


def tf_rnn(x, h0, W, U, b):
    h, outputs = h0, []
    for t in range(x.shape[1]):
        h = tf.tanh(x[:, t] @ W + h @ U + b)
        outputs.append(h)
    return tf.stack(outputs, axis=1)


def tf_lstm(x, h0, W, U, b):
    h, c, outputs = h0, tf.zeros_like(h0), []
    for t in range(x.shape[1]):
        i, f, g, o = tf.split(x[:, t] @ W + h @ U + b, 4, axis=1)
        c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
        h = tf.sigmoid(o) * tf.tanh(c)
        outputs.append(h)
    return tf.stack(outputs, axis=1)


@settings(max_examples=12)
@given(cls=st.sampled_from([RNN, LSTM]), n=small, steps=small, n_in=small, n_hidden=small,
       seed=st.integers(0, 2**32 - 1))
def test_backward_through_time_matches_gradient_tape(cls, n, steps, n_in, n_hidden, seed):
    rng = np.random.default_rng(seed)
    layer = cls(n_in, n_hidden, rng=rng)
    layer.params["b"] += 0.5 * rng.normal(size=layer.params["b"].shape)
    x, h0 = rng.normal(size=(n, steps, n_in)), rng.normal(size=(n, n_hidden))
    upstream = rng.normal(size=(n, steps, n_hidden))

    variables = [tf.Variable(a, dtype=tf.float64) for a in (x, h0, layer.params["W"], layer.params["U"],
                                                            layer.params["b"])]
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum((tf_rnn if cls is RNN else tf_lstm)(*variables) * upstream)
    dx_tf, dh0_tf, dW_tf, dU_tf, db_tf = (g.numpy() for g in tape.gradient(loss, variables))

    hs = layer.forward(x, h0)
    dx = layer.backward(upstream)
    np.testing.assert_allclose(hs, (tf_rnn if cls is RNN else tf_lstm)(*variables).numpy(), rtol=1e-12, atol=1e-12)
    assert relative_error(dx, dx_tf) < TOLERANCE
    assert relative_error(layer.dh0, dh0_tf) < TOLERANCE
    for key, tf_grad in zip("WUb", (dW_tf, dU_tf, db_tf)):
        assert relative_error(layer.grads[key], tf_grad) < TOLERANCE, key


def keras_twin(layer):
    """The Keras cell and layer matching an ann_lib RNN or LSTM, holding the same weights (float64)."""
    Cell = tf.keras.layers.SimpleRNNCell if isinstance(layer, RNN) else tf.keras.layers.LSTMCell
    cell = Cell(layer.n_hidden, dtype="float64")
    cell.build((None, layer.n_in))
    weights = [layer.params["W"], layer.params["U"], layer.params["b"]]
    cell.set_weights(weights)
    whole = tf.keras.layers.RNN(Cell(layer.n_hidden, dtype="float64"), return_sequences=True, dtype="float64")
    whole.build((None, None, layer.n_in))
    whole.set_weights(weights)
    return cell, whole


@pytest.mark.parametrize("cls", [RNN, LSTM])
def test_one_step_and_a_sequence_match_keras_with_the_same_weights(cls):
    rng = np.random.default_rng(0)
    layer = cls(3, 5, rng=rng)
    layer.params["b"] += rng.normal(size=layer.params["b"].shape)
    cell, whole = keras_twin(layer)
    x_t, h = rng.normal(size=(4, 3)), rng.normal(size=(4, 5))
    if cls is RNN:
        keras_h, _ = cell(x_t, [h])
        np.testing.assert_allclose(layer.step(x_t, h), keras_h.numpy(), rtol=1e-12, atol=1e-12)
    else:
        c = rng.normal(size=(4, 5))
        keras_h, (_, keras_c) = cell(x_t, [h, c])
        ours_h, ours_c = layer.step(x_t, h, c)
        np.testing.assert_allclose(ours_h, keras_h.numpy(), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(ours_c, keras_c.numpy(), rtol=1e-12, atol=1e-12)
    x = rng.normal(size=(2, 7, 3))
    np.testing.assert_allclose(layer.forward(x), whole(x).numpy(), rtol=1e-12, atol=1e-12)



def test_captioner_reaches_ninety_percent_exact_match_with_beam_search(gallery_results):
    """The chapter's numbers: the model trained once in plot_captioner.py, scored by its own decoding code."""
    script = gallery_results("09_describing_photos", "plot_captioner.py")
    results = script["results"]
    assert results["test", "beam (B=3)"]["exact_match"] >= 0.90
    assert results["test", "beam (B=3)"]["bleu4"] >= 0.90
    for method in ("greedy", "beam (B=3)"):  # reported as measured; they must at least be scores
        assert 0.0 <= results["compositional", method]["exact_match"] <= 1.0
        assert 0.0 <= results["compositional", method]["bleu4"] <= 1.0
    # the scores are computed from the captions the script shows
    generated, references = script["generated"], script["splits"]["test"].captions
    hypotheses = generated["test", "beam (B=3)"]
    assert np.mean([h == r for h, r in zip(hypotheses, references)]) == results["test", "beam (B=3)"]["exact_match"]


def test_vanishing_in_time_script_shows_the_claim(gallery_results):
    script = gallery_results("09_describing_photos", "plot_vanishing_in_time.py")
    before, after, curves = script["before"], script["after"], script["curves"]
    assert before["tanh RNN"][0] / before["tanh RNN"][-1] < 1e-3
    assert before["LSTM, forget bias 3"][0] / before["LSTM, forget bias 3"][-1] > 0.1
    assert after["tanh RNN"][0] / after["tanh RNN"][-1] < 1e-3
    assert curves["LSTM, forget bias 3"][-1][1] >= 0.95
    assert curves["tanh RNN"][-1][1] <= 0.6
