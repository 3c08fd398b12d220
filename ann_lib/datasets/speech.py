r"""Synthesized speech standing in for recordings: vowels, words and utterances (chapter 10).

Nothing here is recorded speech. Each sound comes from the *source-filter* model
of speech production: a glottal pulse train at the speaker's pitch (the source)
passes through three resonators at the vowel's formant frequencies (the filter,
the vocal tract), and white noise is added at a chosen signal-to-noise ratio.

* The formant frequencies are the averages for men that Peterson and Barney
  measured from 33 men's recordings of /hVd/ words (1952, Table II), for eight of
  their ten vowels (``FORMANTS``).
* A speaker has a pitch and a vocal-tract *scale*: a shorter vocal tract raises all
  formants by the same factor (women's and children's averages in the same table
  lie roughly 15% and 30% above the men's), and every speaker has small personal
  deviations from the averages. Test sets use speakers never heard in training.
* A word is a fixed sequence of two vowels (``WORDS``, twelve words named by
  their vowels in ARPAbet, e.g. ``"iy-aa"``); an utterance is a sequence of words
  with pauses between them.

Everything random is drawn from an explicit ``numpy.random.Generator``. The
sample rate is 8000 Hz, that of telephone speech. This module imports only numpy.
"""

from __future__ import annotations

import functools
import math
import numbers
from dataclasses import dataclass

import numpy as np

from ann_lib._validation import LARGEST_STD, as_float_array, check_rng, positive_int, positive_number, shape_str

__all__ = [
    "VOWELS",
    "IPA",
    "KEY_WORDS",
    "FORMANTS",
    "WORDS",
    "SAMPLE_RATE",
    "Speaker",
    "make_speakers",
    "glottal_source",
    "vocal_tract_response",
    "synthesize_vowel",
    "synthesize_utterance",
    "add_noise",
    "make_vowels",
    "make_utterances",
]

SAMPLE_RATE = 8000  #: samples per second, as in telephone speech
_LONGEST_DURATION = 86400.0  # seconds: a day of samples is 5 GB already; longer means a slip of the unit

#: The eight vowels, in ARPAbet (the names the Praat copy of Peterson and Barney's data uses).
VOWELS: tuple[str, ...] = ("iy", "ih", "eh", "ae", "aa", "ao", "uh", "uw")
#: The same vowels in the International Phonetic Alphabet.
IPA: tuple[str, ...] = ("i", "ɪ", "ɛ", "æ", "ɑ", "ɔ", "ʊ", "u")
#: The /hVd/ words Peterson and Barney's speakers read, one per vowel.
KEY_WORDS: tuple[str, ...] = ("heed", "hid", "head", "had", "hod", "hawed", "hood", "who'd")
#: Average formants F1, F2, F3 in Hz of men's vowels, Peterson and Barney (1952), Table II.
FORMANTS: dict[str, tuple[float, float, float]] = {
    "iy": (270.0, 2290.0, 3010.0),
    "ih": (390.0, 1990.0, 2550.0),
    "eh": (530.0, 1840.0, 2480.0),
    "ae": (660.0, 1720.0, 2410.0),
    "aa": (730.0, 1090.0, 2440.0),
    "ao": (570.0, 840.0, 2410.0),
    "uh": (440.0, 1020.0, 2240.0),
    "uw": (300.0, 870.0, 2240.0),
}
_BANDWIDTHS = np.array([70.0, 100.0, 140.0])  # Hz, of the three resonators
#: The vocabulary: twelve two-vowel words, every vowel in three of them.
WORDS: dict[str, tuple[str, str]] = {
    f"{a}-{b}": (a, b)
    for a, b in [
        ("iy", "aa"), ("ih", "uw"), ("eh", "ao"), ("ae", "uh"), ("aa", "eh"), ("ao", "iy"),
        ("uh", "ih"), ("uw", "ae"), ("iy", "uh"), ("ih", "aa"), ("eh", "uw"), ("ae", "ao"),
    ]
}  # fmt: skip


@dataclass(frozen=True)
class Speaker:
    """A synthetic speaker.

    Attributes
    ----------
    pitch_hz : the fundamental frequency of the voice, in Hz.
    formant_scale : the factor on every formant (1 is the men's average; a shorter
        vocal tract gives a larger factor).
    deviations : (8, 3) the speaker's own factor on each vowel's F1, F2, F3, near 1.
    """

    pitch_hz: float
    formant_scale: float
    deviations: tuple[tuple[float, float, float], ...]

    def __post_init__(self) -> None:
        for name in ("pitch_hz", "formant_scale"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < np.inf:
                raise ValueError(f"{name} must be a positive finite number, got {value!r}")
            object.__setattr__(self, name, float(value))
        if not self.pitch_hz < SAMPLE_RATE / 2:
            raise ValueError(f"pitch_hz must be below {SAMPLE_RATE / 2:g} Hz, got {self.pitch_hz!r}")
        deviations = as_float_array(self.deviations, "deviations")
        if deviations.shape != (len(VOWELS), 3) or not np.all((deviations > 0) & np.isfinite(deviations)):
            raise ValueError(
                f"deviations must be ({len(VOWELS)}, 3) positive finite factors, got shape {shape_str(deviations.shape)}"
            )
        object.__setattr__(self, "deviations", tuple(map(tuple, deviations.astype(float).tolist())))

    def formants(self, vowel: str) -> np.ndarray:
        """This speaker's F1, F2, F3 of ``vowel``, in Hz."""
        index = _vowel_index(vowel)
        return np.asarray(FORMANTS[vowel]) * self.formant_scale * np.asarray(self.deviations[index])


def _vowel_index(vowel: object) -> int:
    if not isinstance(vowel, str) or vowel not in VOWELS:
        raise ValueError(f"vowel must be one of {', '.join(VOWELS)}, got {vowel!r}")
    return VOWELS.index(vowel)


def _check_speaker(speaker: object, name: str = "speaker") -> Speaker:
    if not isinstance(speaker, Speaker):
        raise TypeError(f"{name} must be a Speaker (from make_speakers), got {type(speaker).__name__}")
    return speaker


def make_speakers(count: int, rng: np.random.Generator) -> list[Speaker]:
    r"""Draw ``count`` speakers: vocal-tract scale, pitch and personal deviations.

    The formant scale :math:`s` is uniform on :math:`[0.95, 1.25]`; the pitch follows
    it, :math:`f_0 = 100 \cdot 2^{(s - 0.95)/0.3 \cdot 1.2} \cdot e^{\epsilon}` Hz with
    :math:`\epsilon \sim \mathcal N(0, 0.1^2)` (about 100 Hz for the longest vocal tracts,
    230 Hz for the shortest); each formant of each vowel gets a personal factor
    :math:`e^{\delta}`, :math:`\delta \sim \mathcal N(0, 0.03^2)`. Two calls with
    different generators give different people: draw test speakers separately.
    Chapter 10.
    """
    count = positive_int(count, "count")
    rng = check_rng(rng, "rng")
    speakers = []
    for _ in range(count):
        scale = rng.uniform(0.95, 1.25)
        pitch = 100.0 * 2.0 ** ((scale - 0.95) / 0.3 * 1.2) * np.exp(rng.normal(0.0, 0.1))
        deviations = np.exp(rng.normal(0.0, 0.03, size=(len(VOWELS), 3)))
        speakers.append(Speaker(float(pitch), float(scale), tuple(map(tuple, deviations.tolist()))))
    return speakers


def glottal_source(pitch_hz: np.ndarray, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    r"""A train of Rosenberg glottal pulses, differentiated (the lips radiate the flow's derivative).

    Within each period (phase :math:`\varphi \in [0, 1)`) the glottal flow opens for
    40% of the period and closes in 16%:

    .. math:: g(\varphi) = \begin{cases} \tfrac12\big(1 - \cos(\pi\varphi/0.4)\big) & \varphi < 0.4 \\
              \cos\big(\tfrac{\pi}{2}(\varphi - 0.4)/0.16\big) & 0.4 \le \varphi < 0.56 \\ 0 & \text{otherwise}
              \end{cases}

    Parameters
    ----------
    pitch_hz : (S,) the pitch at each sample, in Hz (positive, below the Nyquist frequency).

    Returns
    -------
    source : (S,) :math:`g[n] - g[n-1]`. Chapter 10.
    """
    sample_rate = positive_int(sample_rate, "sample_rate")
    pitch = as_float_array(pitch_hz, "pitch_hz").astype(np.float64)
    if pitch.ndim != 1 or pitch.size == 0 or not np.all((pitch > 0) & (pitch < sample_rate / 2)):
        raise ValueError(f"pitch_hz must be a non-empty 1-D array of pitches in (0, {sample_rate / 2:g}) Hz")
    phase = np.cumsum(pitch / sample_rate) % 1.0
    opening, closing = 0.4, 0.16
    flow = np.where(
        phase < opening,
        0.5 * (1.0 - np.cos(np.pi * phase / opening)),
        np.where(phase < opening + closing, np.cos(0.5 * np.pi * (phase - opening) / closing), 0.0),
    )
    return np.diff(flow, prepend=0.0)


def vocal_tract_response(formants_hz: np.ndarray, sample_rate: int = SAMPLE_RATE, length: int = 256) -> np.ndarray:
    r"""Impulse response of three resonators in cascade, one per formant.

    Each resonator is the two-pole filter :math:`y[n] = A x[n] + B y[n-1] + C y[n-2]`
    with poles :math:`r e^{\pm i\theta}`, :math:`r = e^{-\pi b / f_s}` (bandwidth :math:`b`),
    :math:`\theta = 2\pi F / f_s`, :math:`B = 2r\cos\theta`, :math:`C = -r^2` and unit gain
    at 0 Hz, :math:`A = 1 - B - C`. Its impulse response is
    :math:`h[n] = A\, r^n \sin((n+1)\theta) / \sin\theta`; the three are convolved.

    Returns
    -------
    h : (length,) Chapter 10.
    """
    sample_rate = positive_int(sample_rate, "sample_rate")
    length = positive_int(length, "length")
    formants = as_float_array(formants_hz, "formants_hz").astype(np.float64)
    if formants.shape != (3,) or not np.all((formants > 0) & (formants < sample_rate / 2)):
        raise ValueError(f"formants_hz must be 3 frequencies in (0, {sample_rate / 2:g}) Hz, got {formants_hz!r}")
    n = np.arange(length)
    response = np.zeros(length)
    response[0] = 1.0
    for frequency, bandwidth in zip(formants, _BANDWIDTHS):
        r = np.exp(-np.pi * bandwidth / sample_rate)
        theta = 2.0 * np.pi * frequency / sample_rate
        gain = 1.0 - 2.0 * r * np.cos(theta) + r * r
        h = gain * r**n * np.sin((n + 1) * theta) / np.sin(theta)
        response = np.convolve(response, h)[:length]
    return response


@functools.lru_cache(maxsize=8)
def _unit_circle(size: int) -> tuple[np.ndarray, np.ndarray]:
    z = np.exp(-2j * np.pi * np.arange(size // 2 + 1) / size)[:, None]
    return z, z * z


def _filter(source: np.ndarray, formants: np.ndarray) -> np.ndarray:
    """``source`` through the three resonators of each row of ``formants`` (V, 3): (V, S), by FFT.

    Uses the resonators' exact frequency response: the same filter as convolving with
    :func:`vocal_tract_response` (their responses die out long before the zero padding wraps around).
    """
    size = 1 << (source.size + 512).bit_length()
    z1, z2 = _unit_circle(size)  # e^{-i omega}, e^{-2 i omega}: (F, 1)
    r = np.exp(-np.pi * _BANDWIDTHS / SAMPLE_RATE)  # (3,)
    b, c = 2.0 * r * np.cos(2.0 * np.pi * formants / SAMPLE_RATE), -r * r  # (V, 3), (3,)
    denominators = 1.0 - b[:, None, :] * z1 - c * z2  # (V, F, 3)
    response = np.prod(1.0 - b - c, axis=1)[:, None] / np.prod(denominators, axis=2)
    return np.fft.irfft(np.fft.rfft(source, size) * response, size)[:, : source.size]


def _check_snr(snr_db: object) -> tuple[float, float]:
    """``snr_db`` as a (low, high) range in dB; a single number is a range of one value."""
    if isinstance(snr_db, numbers.Real) and not isinstance(snr_db, bool):
        low = high = float(snr_db)
    elif isinstance(snr_db, tuple) and len(snr_db) == 2 and all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in snr_db
    ):
        low, high = float(snr_db[0]), float(snr_db[1])
    else:
        raise ValueError(f"snr_db must be a number of dB or a (low, high) tuple, got {snr_db!r}")
    if not (np.isfinite(low) and np.isfinite(high) and low <= high):
        raise ValueError(f"snr_db must be finite with low <= high, got {snr_db!r}")
    _noise_std(low)
    return low, high


def _noise_std(snr_db: float) -> float:
    """The noise's standard deviation at ``snr_db`` for a voiced RMS of 0.1; too low an SNR is a ``ValueError``."""
    if snr_db < _LOWEST_SNR_DB:
        raise ValueError(f"snr_db must be at least {_LOWEST_SNR_DB:g} dB (below it the noise's variance overflows "
                         f"float64: the signal would be nothing but noise), got {snr_db!r}")
    return 0.1 * 10.0 ** (-snr_db / 20.0)


#: The lowest SNR whose noise has a finite variance: 0.1 * 10**(-snr/20) <= LARGEST_STD.
_LOWEST_SNR_DB = -20.0 * math.log10(LARGEST_STD / 0.1)


def _voice(vowels: list[str], durations: np.ndarray, speaker: Speaker, rng: np.random.Generator) -> np.ndarray:
    """One voiced stretch: the vowels in turn, 30 ms raised-cosine crossfades between them, soft onset and offset."""
    rate = SAMPLE_RATE
    lengths = np.round(np.asarray(durations) * rate).astype(int)
    total = int(lengths.sum())
    t = np.arange(total) / rate
    # pitch: the speaker's, a slow drift, and a little jitter
    pitch = speaker.pitch_hz * np.exp(rng.normal(0.0, 0.04)) * (1.0 - 0.08 * t / max(t[-1], 1e-3))
    pitch *= 1.0 + 0.01 * np.sin(2 * np.pi * rng.uniform(3.0, 6.0) * t + rng.uniform(0, 2 * np.pi))
    source = glottal_source(pitch, rate) + rng.normal(0.0, 0.002, total)  # a little breath
    tokens = np.array([speaker.formants(v) for v in vowels]) * np.exp(rng.normal(0.0, 0.025, (len(vowels), 3)))
    tokens = np.minimum(tokens, 0.475 * rate)  # keep F3 below the Nyquist frequency (3800 Hz at 8 kHz)
    filtered = _filter(source, tokens)  # (V, S): the whole stretch through each vowel's tract
    # vowel i's weight rises across boundary i - 1 and falls across boundary i (30 ms either side)
    fade = 0.03 * rate
    rises = [0.5 - 0.5 * np.cos(np.pi * np.clip((np.arange(total) - b + fade) / (2 * fade), 0.0, 1.0))
             for b in np.cumsum(lengths)[:-1]]
    rises = [np.ones(total)] + rises + [np.zeros(total)]
    out = sum(filtered[i] * rises[i] * (1.0 - rises[i + 1]) for i in range(len(vowels)))
    edge = min(int(0.02 * rate), total // 2)
    envelope = np.ones(total)
    envelope[:edge] = np.sin(0.5 * np.pi * np.arange(edge) / edge) ** 2
    envelope[total - edge :] = envelope[:edge][::-1]
    return out * envelope


def _normalize(signal: np.ndarray, voiced: np.ndarray) -> np.ndarray:
    """Scale so that the voiced samples have RMS 0.1."""
    return signal * (0.1 / np.sqrt(np.mean(signal[voiced] ** 2)))


def add_noise(wave: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    r"""Add white Gaussian noise at ``snr_db`` dB below the voiced part's power.

    The synthesizer's waves have voiced RMS 0.1, so the noise has standard deviation
    :math:`0.1 \cdot 10^{-\mathrm{SNR}/20}`.

    Parameters
    ----------
    wave : (S,) a clean wave from :func:`synthesize_vowel` or :func:`synthesize_utterance`
        (``snr_db=None``).
    snr_db : the signal-to-noise ratio in dB. Chapter 10.
    """
    rng = check_rng(rng, "rng")
    if isinstance(snr_db, bool) or not isinstance(snr_db, numbers.Real) or not np.isfinite(snr_db):
        raise ValueError(f"snr_db must be a finite number of dB, got {snr_db!r}")
    std = _noise_std(float(snr_db))
    x = as_float_array(wave, "wave")
    if x.ndim != 1 or x.size == 0 or not np.isfinite(x).all():
        raise ValueError(f"wave must be a non-empty 1-D array of finite samples, got shape {x.shape}")
    return x + rng.normal(0.0, std, x.size)


def _noisy(wave: np.ndarray, snr_db: object, rng: np.random.Generator) -> np.ndarray:
    if snr_db is None:
        return wave
    low, high = _check_snr(snr_db)
    return add_noise(wave, rng.uniform(low, high), rng)


def synthesize_vowel(
    vowel: str,
    speaker: Speaker,
    rng: np.random.Generator,
    duration: float = 0.25,
    snr_db: float | tuple[float, float] | None = 20.0,
) -> np.ndarray:
    """One vowel of ``duration`` seconds by ``speaker``, with white noise at ``snr_db`` dB.

    The voiced part's RMS is 0.1. ``snr_db`` may be a (low, high) range to draw from,
    or None for no noise (see :func:`add_noise`).

    Returns
    -------
    wave : (round(duration * 8000),) Chapter 10.
    """
    _vowel_index(vowel)
    speaker = _check_speaker(speaker)
    rng = check_rng(rng, "rng")
    duration = positive_number(duration, "duration")
    if not 0.05 <= duration <= _LONGEST_DURATION:
        raise ValueError(f"duration must be between 0.05 s and {_LONGEST_DURATION:g} s (a day), got {duration!r}")
    if snr_db is not None:
        _check_snr(snr_db)
    wave = _voice([vowel], np.array([duration]), speaker, rng)
    return _noisy(_normalize(wave, np.ones(wave.size, bool)), snr_db, rng)


def synthesize_utterance(
    words: list[str] | tuple[str, ...],
    speaker: Speaker,
    rng: np.random.Generator,
    snr_db: float | tuple[float, float] | None = 20.0,
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Say ``words`` (from ``WORDS``) in turn, with pauses, and add noise (none if ``snr_db`` is None).

    Each vowel lasts 120-200 ms; pauses between words last 60-200 ms; 100-150 ms of
    silence (noise only) come before and after.

    Returns
    -------
    wave : (S,) the utterance, voiced RMS 0.1.
    spans : list of (start, stop) sample indices of each word. Chapter 10.
    """
    speaker = _check_speaker(speaker)
    rng = check_rng(rng, "rng")
    if not isinstance(words, (list, tuple)) or not words:
        raise ValueError(f"words must be a non-empty list of words from WORDS, got {words!r}")
    for word in words:
        if not isinstance(word, str) or word not in WORDS:
            raise ValueError(f"words contains an unknown word, {word!r}; expected words from WORDS: {', '.join(WORDS)}")
    if snr_db is not None:
        _check_snr(snr_db)
    rate = SAMPLE_RATE
    pieces = [np.zeros(int(rng.uniform(0.10, 0.15) * rate))]
    spans = []
    position = pieces[0].size
    for i, word in enumerate(words):
        vowels = list(WORDS[word])
        voiced = _voice(vowels, rng.uniform(0.12, 0.20, size=len(vowels)), speaker, rng)
        pieces.append(voiced)
        spans.append((position, position + voiced.size))
        position += voiced.size
        gap = rng.uniform(0.06, 0.20) if i < len(words) - 1 else rng.uniform(0.10, 0.15)
        pieces.append(np.zeros(int(gap * rate)))
        position += pieces[-1].size
    wave = np.concatenate(pieces)
    voiced_mask = np.zeros(wave.size, bool)
    for start, stop in spans:
        voiced_mask[start:stop] = True
    return _noisy(_normalize(wave, voiced_mask), snr_db, rng), spans


def make_vowels(
    speakers: list[Speaker],
    per_vowel: int,
    rng: np.random.Generator,
    duration: float = 0.25,
    snr_db: float | tuple[float, float] | None = (10.0, 30.0),
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``per_vowel`` tokens of every vowel from every speaker, in a fixed order.

    Returns
    -------
    waves : (N, round(duration * 8000)) float64, N = len(speakers) * 8 * per_vowel.
    labels : (N,) int64, indices into ``VOWELS``.
    speaker_ids : (N,) int64, indices into ``speakers``. Chapter 10.
    """
    _check_speakers(speakers)
    per_vowel = positive_int(per_vowel, "per_vowel")
    rng = check_rng(rng, "rng")
    if snr_db is not None:
        _check_snr(snr_db)
    waves, labels, ids = [], [], []
    for s, speaker in enumerate(speakers):
        for v, vowel in enumerate(VOWELS):
            for _ in range(per_vowel):
                waves.append(synthesize_vowel(vowel, speaker, rng, duration, snr_db))
                labels.append(v)
                ids.append(s)
    return np.stack(waves), np.array(labels, dtype=np.int64), np.array(ids, dtype=np.int64)


def _check_speakers(speakers: object) -> None:
    if not isinstance(speakers, (list, tuple)) or not speakers:
        raise ValueError(f"speakers must be a non-empty list of Speaker, got {type(speakers).__name__}")
    for speaker in speakers:
        _check_speaker(speaker, "every element of speakers")


def make_utterances(
    speakers: list[Speaker],
    count: int,
    rng: np.random.Generator,
    words_per_utterance: tuple[int, int] = (2, 4),
    snr_db: float | tuple[float, float] | None = (10.0, 30.0),
) -> tuple[list[np.ndarray], list[str], np.ndarray]:
    """``count`` utterances of 2-4 random words (uniform over ``WORDS``), each by a random speaker.

    Returns
    -------
    waves : list of (S_i,) float64 arrays (lengths differ).
    transcripts : list of str, the words separated by single spaces.
    speaker_ids : (count,) int64, indices into ``speakers``. Chapter 10.
    """
    _check_speakers(speakers)
    count = positive_int(count, "count")
    rng = check_rng(rng, "rng")
    if (
        not isinstance(words_per_utterance, tuple)
        or len(words_per_utterance) != 2
        or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in words_per_utterance)
        or not 1 <= words_per_utterance[0] <= words_per_utterance[1]
    ):
        raise ValueError(f"words_per_utterance must be (low, high) with 1 <= low <= high, got {words_per_utterance!r}")
    if snr_db is not None:
        _check_snr(snr_db)
    vocabulary = list(WORDS)
    waves, transcripts = [], []
    ids = rng.integers(0, len(speakers), size=count)
    for i in range(count):
        length = int(rng.integers(words_per_utterance[0], words_per_utterance[1] + 1))
        words = [vocabulary[j] for j in rng.integers(0, len(vocabulary), size=length)]
        wave, _ = synthesize_utterance(words, speakers[ids[i]], rng, snr_db)
        waves.append(wave)
        transcripts.append(" ".join(words))
    return waves, transcripts, ids.astype(np.int64)
