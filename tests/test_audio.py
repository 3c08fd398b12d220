"""ann_lib.audio: framing, the Hann window, the STFT, the mel filterbank, log-mel spectrograms, WAV files.

TensorFlow's versions are checked in ``tests/tf/test_tf_audio.py``; here each step is held
against its formula, written out the slow way.
"""

import wave

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ann_lib import audio


@given(st.integers(1, 40), st.integers(1, 40), st.integers(0, 30))
def test_frame_keeps_only_whole_frames(length, step, extra):
    step = min(step, length)
    signal = np.arange(length + extra, dtype=float)
    frames = audio.frame(signal, length, step)
    assert frames.shape == (1 + extra // step, length)
    for t, row in enumerate(frames):
        np.testing.assert_array_equal(row, signal[t * step : t * step + length])


def test_hann_window_periodic_for_even_symmetric_for_odd_like_tensorflow():
    np.testing.assert_allclose(audio.hann_window(4), [0.0, 0.5, 1.0, 0.5], atol=1e-15)
    np.testing.assert_allclose(audio.hann_window(5), [0.0, 0.5, 1.0, 0.5, 0.0], atol=1e-15)
    np.testing.assert_allclose(audio.hann_window(4, periodic=False), [0.0, 0.75, 0.75, 0.0], atol=1e-15)
    np.testing.assert_array_equal(audio.hann_window(1), [1.0])


@given(st.integers(2, 24), st.integers(1, 24), st.integers(0, 40), st.integers(0, 2**32 - 1))
def test_stft_is_the_windowed_dft_of_every_frame(length, step, extra, seed):
    step = min(step, length)
    rng = np.random.default_rng(seed)
    signal = rng.normal(size=length + extra)
    fft_length = 1 << (length - 1).bit_length()
    X = audio.stft(signal, length, step)
    window = audio.hann_window(length)
    n = np.arange(length)
    assert X.shape == (1 + extra // step, fft_length // 2 + 1)
    for t in range(X.shape[0]):
        piece = window * signal[t * step : t * step + length]
        for k in range(X.shape[1]):
            expected = np.sum(piece * np.exp(-2j * np.pi * k * n / fft_length))
            assert abs(X[t, k] - expected) < 1e-9


def test_a_pure_tone_peaks_in_its_own_bin():
    rate, frequency = 8000, 1000.0  # bin 1000 / (8000 / 256) = 32
    t = np.arange(4000) / rate
    power = audio.power_spectrogram(np.sin(2 * np.pi * frequency * t), 200, 80)
    assert power.shape == (1 + (4000 - 200) // 80, 129)
    assert np.all(power.argmax(axis=1) == 32)


@given(st.floats(0.0, 20000.0))
def test_mel_and_hertz_are_inverse(hertz):
    assert audio.mel_to_hz(audio.hz_to_mel(hertz)) == pytest.approx(hertz, abs=1e-9)


def test_mel_scale_is_htk():
    assert audio.hz_to_mel(700.0) == pytest.approx(1127.0 * np.log(2.0))
    assert audio.hz_to_mel(1000.0) == pytest.approx(1000.0, abs=0.1)  # 1000 Hz is about 1000 mel


def test_mel_filterbank_triangles():
    weights = audio.mel_filterbank(20, 129, 8000.0, 125.0, 3800.0)
    assert weights.shape == (129, 20)
    assert np.all(weights[0] == 0.0)  # the 0 Hz bin
    assert np.all((weights >= 0) & (weights <= 1))
    centers = audio.mel_to_hz(np.linspace(audio.hz_to_mel(125.0), audio.hz_to_mel(3800.0), 22)[1:-1])
    bin_hz = np.linspace(0, 4000, 129)
    peaks = bin_hz[weights.argmax(axis=0)]
    assert np.all(np.abs(peaks - centers) <= 4000 / 128)  # each triangle peaks at the bin nearest its centre
    assert np.all(np.diff(peaks) >= 0)


def test_log_mel_of_silence_is_the_floor():
    spectrogram = audio.log_mel_spectrogram(np.zeros(800), 8000, 200, 80, num_mel_bins=16)
    assert spectrogram.shape == (8, 16)
    np.testing.assert_allclose(spectrogram, np.log(1e-6))


def test_log_mel_is_log_of_power_times_filterbank():
    rng = np.random.default_rng(0)
    signal = rng.normal(size=1600)
    expected = np.log(audio.power_spectrogram(signal, 256, 128) @ audio.mel_filterbank(24, 129, 16000.0, 80.0, 8000.0) + 1e-6)
    np.testing.assert_allclose(audio.log_mel_spectrogram(signal, 16000, 256, 128, num_mel_bins=24), expected)


def test_write_wav_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    signal = rng.normal(size=1000)
    path = tmp_path / "x.wav"
    audio.write_wav(path, signal, 8000)
    with wave.open(str(path)) as f:
        assert (f.getnchannels(), f.getsampwidth(), f.getframerate(), f.getnframes()) == (1, 2, 8000, 1000)
        pcm = np.frombuffer(f.readframes(1000), dtype="<i2")
    assert np.abs(pcm).max() == round(0.9 * 32767)
    np.testing.assert_allclose(pcm, np.round(signal / np.abs(signal).max() * 0.9 * 32767), atol=1)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: audio.stft(np.array([]), 4, 2), "signal"),
        (lambda: audio.stft(np.zeros((2, 100)), 4, 2), "signal must be 1-D"),
        (lambda: audio.stft(np.zeros(3), 4, 2), "shorter than one frame"),
        (lambda: audio.stft(np.zeros(100), 4, 5), "frame_step"),
        (lambda: audio.stft(np.zeros(100), 0, 1), "frame_length"),
        (lambda: audio.stft(np.zeros(100), 8, 4, 4), "fft_length"),
        (lambda: audio.stft(np.array([0.0, np.nan, 0.0, 0.0]), 2, 1), "NaN"),
        (lambda: audio.stft(np.array([0.0, np.inf, 0.0, 0.0]), 2, 1), "infinite"),
        (lambda: audio.log_mel_spectrogram(np.zeros(100), 0, 10, 5), "sample_rate"),
        (lambda: audio.log_mel_spectrogram(np.zeros(100), -8000, 10, 5), "sample_rate"),
        (lambda: audio.mel_filterbank(20, 129, 8000, 125, 5000), "upper_edge_hertz"),
        (lambda: audio.mel_filterbank(20, 129, 8000, -1, 3000), "lower_edge_hertz"),
        (lambda: audio.frame(np.zeros(10), 4, 8), "frame_step"),
        (lambda: audio.write_wav("x.wav", np.zeros(10), 8000), "all zeros"),
        (lambda: audio.write_wav("x.wav", np.ones(10), 0), "sample_rate"),
        (lambda: audio.write_wav("", np.ones(10), 8000), "path is empty"),
    ],
)
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_wrong_types():
    with pytest.raises(TypeError, match="signal"):
        audio.stft(["a", "b", "c", "d"], 2, 1)
    with pytest.raises(TypeError, match="path"):
        audio.write_wav(None, np.ones(10), 8000)
