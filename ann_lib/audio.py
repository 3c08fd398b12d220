"""From a waveform to a spectrogram: framing, windowing, the STFT and the mel scale (chapter 10).

A speech recognizer does not look at samples. It cuts the waveform into short
overlapping frames, weights each frame with a window, takes the Fourier
transform of every frame (the short-time Fourier transform), keeps the power,
and pools the power into bands that are narrow at low frequencies and wide at
high ones (the mel scale). This module writes each step in numpy, with the same
conventions as TensorFlow, so that ``tests/tf/test_tf_audio.py`` can hold the
two against each other:

* frames start at ``0, frame_step, 2 frame_step, ...`` and only whole frames are
  kept: no padding at either end (``tf.signal.frame(..., pad_end=False)``);
* the window is the *periodic* Hann window,
  :math:`w[n] = \\tfrac12 - \\tfrac12 \\cos(2\\pi n / N)` for :math:`n = 0, \\dots, N-1`
  (``tf.signal.hann_window(N, periodic=True)``; like TensorFlow's, it is periodic
  for even :math:`N` only and symmetric for odd :math:`N`);
* ``fft_length`` defaults to the smallest power of two that holds a frame, and a
  frame shorter than ``fft_length`` is zero-padded at its end (``tf.signal.stft``);
* the mel scale is the HTK formula :math:`m = 1127 \\ln(1 + f / 700)`, with
  triangular filters that peak at 1 and a zero row for the 0 Hz bin
  (``tf.signal.linear_to_mel_weight_matrix``).
"""

from __future__ import annotations

import numbers
import os

import numpy as np
from numpy.typing import ArrayLike

from ann_lib._validation import as_float_array, finite_result, positive_int, positive_number, shape_str

__all__ = [
    "frame",
    "hann_window",
    "stft",
    "power_spectrogram",
    "hz_to_mel",
    "mel_to_hz",
    "mel_filterbank",
    "log_mel_spectrogram",
    "write_wav",
]


def _signal(signal: ArrayLike, frame_length: int) -> np.ndarray:
    """A 1-D, finite, real signal that holds at least one frame, as float64."""
    x = as_float_array(signal, "signal")
    if x.ndim != 1:
        raise ValueError(f"signal must be 1-D (samples,), got shape {shape_str(x.shape)}")
    if x.size == 0:
        raise ValueError("signal is empty; expected at least one frame of samples")
    if not np.isfinite(x).all():
        raise ValueError(f"signal contains {int((~np.isfinite(x)).sum())} infinite values; expected finite samples")
    if x.size < frame_length:
        raise ValueError(
            f"signal has {x.size} samples, shorter than one frame (frame_length={frame_length}); "
            "pad it or use a shorter frame"
        )
    return x.astype(np.float64, copy=False)


def _frame_args(frame_length: object, frame_step: object) -> tuple[int, int]:
    frame_length = positive_int(frame_length, "frame_length")
    frame_step = positive_int(frame_step, "frame_step")
    if frame_step > frame_length:
        raise ValueError(
            f"frame_step={frame_step} is larger than frame_length={frame_length}; "
            "samples between frames would be skipped (expected frame_step <= frame_length)"
        )
    return frame_length, frame_step


def _fft_length(fft_length: object, frame_length: int) -> int:
    if fft_length is None:
        return 1 << (frame_length - 1).bit_length()  # the next power of two, as tf.signal.stft
    fft_length = positive_int(fft_length, "fft_length")
    if fft_length < frame_length:
        raise ValueError(f"fft_length={fft_length} is shorter than frame_length={frame_length}; expected >=")
    return fft_length


def frame(signal: ArrayLike, frame_length: int, frame_step: int) -> np.ndarray:
    r"""Cut a signal into overlapping frames; only whole frames are kept.

    .. math:: F[t, n] = x[t \cdot \text{step} + n], \quad
              t = 0, \dots, \left\lfloor \frac{S - \text{length}}{\text{step}} \right\rfloor

    Parameters
    ----------
    signal : (S,) samples, at least ``frame_length`` of them.
    frame_length, frame_step : samples per frame and between frame starts (step <= length).

    Returns
    -------
    frames : (T, frame_length), a copy. Chapter 10.
    """
    frame_length, frame_step = _frame_args(frame_length, frame_step)
    x = _signal(signal, frame_length)
    return _frame(x, frame_length, frame_step)


def _frame(x: np.ndarray, frame_length: int, frame_step: int) -> np.ndarray:
    count = 1 + (x.size - frame_length) // frame_step
    starts = frame_step * np.arange(count)[:, None]
    return x[starts + np.arange(frame_length)[None, :]]


def hann_window(length: int, periodic: bool = True) -> np.ndarray:
    r"""The Hann window of ``length`` samples.

    .. math:: w[n] = \tfrac12 - \tfrac12 \cos\!\left(\frac{2\pi n}{N}\right), \quad n = 0, \dots, \text{length} - 1,

    with :math:`N = \text{length}` (periodic, the default, as for spectral analysis) or
    :math:`N = \text{length} - 1` (symmetric). As in ``tf.signal.hann_window``, the
    periodic form applies to even lengths only: an odd length gets the symmetric
    window, and length 1 gets ``[1.0]``. Returns ``(length,)``. Chapter 10.
    """
    length = positive_int(length, "length")
    if not isinstance(periodic, (bool, np.bool_)):
        raise TypeError(f"periodic must be True or False, got {periodic!r}")
    if length == 1:
        return np.ones(1)
    denominator = length if periodic and length % 2 == 0 else length - 1
    return 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(length) / denominator)


@finite_result("signal")
def stft(signal: ArrayLike, frame_length: int, frame_step: int, fft_length: int | None = None) -> np.ndarray:
    r"""The short-time Fourier transform, as ``tf.signal.stft`` computes it.

    .. math:: X[t, k] = \sum_{n=0}^{L-1} w[n]\, x[t \cdot \text{step} + n]\, e^{-2\pi i k n / K},
              \quad k = 0, \dots, K/2

    with :math:`L` = ``frame_length``, :math:`w` the periodic Hann window and
    :math:`K` = ``fft_length`` (default: the next power of two :math:`\ge L`; the
    windowed frame is zero-padded to :math:`K`). No padding at the signal's end.

    Parameters
    ----------
    signal : (S,) real samples, at least one frame.
    frame_length, frame_step : positive ints, ``frame_step <= frame_length``.
    fft_length : int >= frame_length, or None.

    Returns
    -------
    X : (T, K // 2 + 1) complex128. Chapter 10.
    """
    frame_length, frame_step = _frame_args(frame_length, frame_step)
    fft_length = _fft_length(fft_length, frame_length)
    x = _signal(signal, frame_length)
    frames = _frame(x, frame_length, frame_step) * hann_window(frame_length)
    return np.fft.rfft(frames, n=fft_length, axis=-1)


@finite_result("signal")
def power_spectrogram(
    signal: ArrayLike, frame_length: int, frame_step: int, fft_length: int | None = None
) -> np.ndarray:
    r"""The power :math:`|X[t, k]|^2` of the STFT. Returns ``(T, fft_length // 2 + 1)``. Chapter 10."""
    return np.abs(stft(signal, frame_length, frame_step, fft_length)) ** 2


def _frequencies(hertz: ArrayLike, name: str) -> np.ndarray:
    f = as_float_array(hertz, name)
    if not np.isfinite(f).all() or (f < 0).any():
        raise ValueError(f"{name} must be finite frequencies >= 0 Hz, got min {np.min(f)!r}")
    return f


@finite_result("hertz")
def hz_to_mel(hertz: ArrayLike) -> np.ndarray:
    r"""Hertz to mels by the HTK formula :math:`m = 1127 \ln(1 + f/700)` (TensorFlow's). Chapter 10."""
    return 1127.0 * np.log1p(_frequencies(hertz, "hertz") / 700.0)


@finite_result("mels")
def mel_to_hz(mels: ArrayLike) -> np.ndarray:
    r"""Mels to hertz, the inverse of :func:`hz_to_mel`: :math:`f = 700 (e^{m/1127} - 1)`. Chapter 10."""
    return 700.0 * np.expm1(_frequencies(mels, "mels") / 1127.0)


def mel_filterbank(
    num_mel_bins: int = 20,
    num_spectrogram_bins: int = 129,
    sample_rate: float = 8000.0,
    lower_edge_hertz: float = 125.0,
    upper_edge_hertz: float = 3800.0,
) -> np.ndarray:
    r"""Triangular mel filters, the matrix ``tf.signal.linear_to_mel_weight_matrix`` returns.

    The ``num_mel_bins + 2`` edges are equally spaced in mels between the lower and
    the upper edge; filter :math:`j` rises from edge :math:`j` to 1 at edge
    :math:`j+1` and falls to 0 at edge :math:`j+2`, linearly *in mels*:

    .. math:: W[k, j] = \max\!\Big(0, \min\!\Big(\frac{m_k - e_j}{e_{j+1} - e_j},
              \frac{e_{j+2} - m_k}{e_{j+2} - e_{j+1}}\Big)\Big),

    where :math:`m_k` is the mel value of spectrogram bin :math:`k` (bins spaced
    evenly from 0 Hz to the Nyquist frequency). The row of the 0 Hz bin is zero.
    Defaults are TensorFlow's.

    Returns
    -------
    W : (num_spectrogram_bins, num_mel_bins); ``power @ W`` gives mel-band energies. Chapter 10.
    """
    num_mel_bins = positive_int(num_mel_bins, "num_mel_bins")
    num_spectrogram_bins = positive_int(num_spectrogram_bins, "num_spectrogram_bins")
    if num_spectrogram_bins < 2:
        raise ValueError(f"num_spectrogram_bins must be at least 2 (0 Hz and Nyquist), got {num_spectrogram_bins}")
    sample_rate = positive_number(sample_rate, "sample_rate")
    if isinstance(lower_edge_hertz, bool) or not isinstance(lower_edge_hertz, numbers.Real) or not (
        0.0 <= lower_edge_hertz < np.inf
    ):
        raise ValueError(f"lower_edge_hertz must be a finite number >= 0, got {lower_edge_hertz!r}")
    upper_edge_hertz = positive_number(upper_edge_hertz, "upper_edge_hertz")
    if not lower_edge_hertz < upper_edge_hertz <= sample_rate / 2:
        raise ValueError(
            f"expected 0 <= lower_edge_hertz < upper_edge_hertz <= sample_rate / 2 = {sample_rate / 2:g}, "
            f"got lower_edge_hertz={lower_edge_hertz!r}, upper_edge_hertz={upper_edge_hertz!r}"
        )
    bin_mels = hz_to_mel(np.linspace(0.0, sample_rate / 2, num_spectrogram_bins)[1:])[:, None]
    edges = np.linspace(hz_to_mel(lower_edge_hertz), hz_to_mel(upper_edge_hertz), num_mel_bins + 2)
    lower, center, upper = edges[:-2], edges[1:-1], edges[2:]
    rising = (bin_mels - lower) / (center - lower)
    falling = (upper - bin_mels) / (upper - center)
    weights = np.maximum(0.0, np.minimum(rising, falling))
    return np.vstack([np.zeros((1, num_mel_bins)), weights])


@finite_result("signal")
def log_mel_spectrogram(
    signal: ArrayLike,
    sample_rate: float,
    frame_length: int,
    frame_step: int,
    fft_length: int | None = None,
    num_mel_bins: int = 40,
    lower_edge_hertz: float = 80.0,
    upper_edge_hertz: float | None = None,
    floor: float = 1e-6,
) -> np.ndarray:
    r"""The log of the mel-band energies of the power spectrogram.

    .. math:: S[t, j] = \ln\Big(\varepsilon + \sum_k |X[t, k]|^2\, W[k, j]\Big)

    with :math:`X` from :func:`stft`, :math:`W` from :func:`mel_filterbank` and
    :math:`\varepsilon` = ``floor``, which keeps silence finite. ``upper_edge_hertz``
    defaults to the Nyquist frequency ``sample_rate / 2``.

    Returns
    -------
    S : (T, num_mel_bins). Chapter 10.
    """
    sample_rate = positive_number(sample_rate, "sample_rate")
    floor = positive_number(floor, "floor")
    frame_length, frame_step = _frame_args(frame_length, frame_step)
    if _fft_length(fft_length, frame_length) < 2:
        raise ValueError(f"frame_length={frame_length} gives one frequency bin; a mel spectrogram needs at least "
                         "two (0 Hz and the Nyquist frequency): use frame_length >= 2 (or fft_length >= 2)")
    power = power_spectrogram(signal, frame_length, frame_step, fft_length)
    weights = mel_filterbank(
        num_mel_bins,
        power.shape[1],
        sample_rate,
        lower_edge_hertz,
        sample_rate / 2 if upper_edge_hertz is None else upper_edge_hertz,
    )
    return np.log(power @ weights + floor)


_LARGEST_WAV_RATE = 2**32 - 1  # the header stores the sample rate as an unsigned 32-bit int


def write_wav(path: str | os.PathLike, signal: ArrayLike, sample_rate: int) -> None:
    """Write a mono 16-bit PCM WAV file; the signal is scaled so that its peak is 0.9 of full scale.

    Parameters
    ----------
    path : file name.
    signal : (S,) finite samples, not all zero.
    sample_rate : samples per second, a positive int below 2**32 (the header's field). Chapter 10.
    """
    import wave

    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file name (str or os.PathLike), got {type(path).__name__}")
    if not os.fspath(path):
        raise ValueError("path is empty; expected a file name such as 'speech.wav'")
    sample_rate = positive_int(sample_rate, "sample_rate")
    if sample_rate > _LARGEST_WAV_RATE:
        raise ValueError(f"sample_rate must fit the WAV header's 32 bits (at most {_LARGEST_WAV_RATE}), got {sample_rate}")
    x = _signal(signal, 1)
    peak = np.max(np.abs(x))
    if peak == 0:
        raise ValueError("signal is all zeros; there is nothing to hear")
    pcm = np.round(x / peak * 0.9 * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm.tobytes())
