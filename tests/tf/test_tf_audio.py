"""ann_lib.audio against tf.signal: the STFT, the Hann window, the mel filterbank, a log-mel pipeline.

The conventions matched (see the module's docstring): frames without end padding, the
periodic Hann window (periodic for even lengths, as TensorFlow's), ``fft_length`` the next
power of two, the HTK mel formula with triangles in mel space and a zero row for 0 Hz.
Tolerance: both sides compute in float64; the largest difference is held below 1e-9 of
the largest magnitude (the chapter states the same bound).
"""

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st

from ann_lib import audio

pytestmark = pytest.mark.tf

RTOL = 1e-9  # relative to the largest magnitude, float64 on both sides


def close(ours, theirs):
    assert ours.shape == theirs.shape
    assert np.max(np.abs(ours - theirs)) <= RTOL * max(np.max(np.abs(theirs)), 1e-300)


@given(
    st.integers(1, 300),  # frame_length
    st.integers(1, 300),  # frame_step (clipped to frame_length)
    st.integers(0, 500),  # samples beyond the first frame
    st.sampled_from([None, 0, 1, 2]),  # fft_length: default, or the next power of two times 2**k
    st.integers(0, 2**32 - 1),
)
def test_stft_matches_tf_signal_stft(frame_length, frame_step, extra, fft_power, seed):
    frame_step = min(frame_step, frame_length)
    fft_length = None if fft_power is None else (1 << (frame_length - 1).bit_length()) << fft_power
    signal = np.random.default_rng(seed).normal(size=frame_length + extra)
    theirs = tf.signal.stft(tf.constant(signal), frame_length, frame_step, fft_length).numpy()
    close(audio.stft(signal, frame_length, frame_step, fft_length), theirs)


@pytest.mark.parametrize("length", [1, 2, 3, 4, 5, 8, 199, 200, 256])
@pytest.mark.parametrize("periodic", [True, False])
def test_hann_window_matches_tf(length, periodic):
    theirs = tf.signal.hann_window(length, periodic=periodic, dtype=tf.float64).numpy()
    np.testing.assert_allclose(audio.hann_window(length, periodic=periodic), theirs, atol=1e-15)


@given(
    st.integers(1, 64),
    st.sampled_from([33, 65, 129, 257]),
    st.sampled_from([8000.0, 16000.0, 22050.0]),
    st.floats(0.0, 300.0),
    st.floats(0.5, 1.0),
)
def test_mel_filterbank_matches_tf(num_mel_bins, num_spectrogram_bins, sample_rate, lower, upper_fraction):
    upper = max(upper_fraction * sample_rate / 2, lower + 100.0)
    theirs = tf.signal.linear_to_mel_weight_matrix(
        num_mel_bins, num_spectrogram_bins, sample_rate, lower, upper, dtype=tf.float64
    ).numpy()
    ours = audio.mel_filterbank(num_mel_bins, num_spectrogram_bins, sample_rate, lower, upper)
    np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_mel_filterbank_defaults_are_tf_defaults():
    theirs = tf.signal.linear_to_mel_weight_matrix(dtype=tf.float64).numpy()
    np.testing.assert_allclose(audio.mel_filterbank(), theirs, atol=1e-12)


def test_log_mel_spectrogram_matches_the_tf_pipeline():
    from ann_lib.datasets import make_speakers, synthesize_utterance

    speaker = make_speakers(1, np.random.default_rng(0))[0]
    wave, _ = synthesize_utterance(["iy-aa", "uh-ih"], speaker, np.random.default_rng(1))
    power = tf.abs(tf.signal.stft(tf.constant(wave), 200, 80)) ** 2
    mel = tf.signal.linear_to_mel_weight_matrix(32, 129, 8000.0, 80.0, 4000.0, dtype=tf.float64)
    theirs = tf.math.log(tf.tensordot(power, mel, 1) + 1e-6).numpy()
    ours = audio.log_mel_spectrogram(wave, 8000, 200, 80, num_mel_bins=32)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9)
