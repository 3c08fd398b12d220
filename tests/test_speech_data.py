"""ann_lib.datasets.speech: the source-filter synthesizer holds to its own description."""

import numpy as np
import pytest

from ann_lib.audio import power_spectrogram
from ann_lib.datasets import (
    FORMANTS,
    SAMPLE_RATE,
    VOWELS,
    WORDS,
    add_noise,
    glottal_source,
    make_speakers,
    make_utterances,
    make_vowels,
    synthesize_utterance,
    synthesize_vowel,
    vocal_tract_response,
)
from ann_lib.datasets import speech


def test_peterson_barney_table_as_printed():
    """Table II of Peterson and Barney (1952), men: a few cells checked by hand."""
    assert FORMANTS["iy"] == (270.0, 2290.0, 3010.0)
    assert FORMANTS["aa"] == (730.0, 1090.0, 2440.0)
    assert FORMANTS["uw"] == (300.0, 870.0, 2240.0)
    assert len(VOWELS) == len(FORMANTS) == 8


def test_vocabulary_uses_every_vowel_three_times():
    counts = {v: 0 for v in VOWELS}
    for vowels in WORDS.values():
        for v in vowels:
            counts[v] += 1
    assert set(counts.values()) == {3}
    assert all(word == "-".join(vowels) for word, vowels in WORDS.items())


def test_same_generator_same_data_other_generator_other_speakers():
    a = make_speakers(5, np.random.default_rng(0))
    assert a == make_speakers(5, np.random.default_rng(0))
    b = make_speakers(5, np.random.default_rng(1))
    assert not set(a) & set(b)
    w1, t1, _ = make_utterances(a, 3, np.random.default_rng(2))
    w2, t2, _ = make_utterances(a, 3, np.random.default_rng(2))
    assert t1 == t2 and all(np.array_equal(x, y) for x, y in zip(w1, w2))


def test_speakers_span_men_to_children():
    speakers = make_speakers(200, np.random.default_rng(0))
    scales = np.array([s.formant_scale for s in speakers])
    pitches = np.array([s.pitch_hz for s in speakers])
    assert 0.95 <= scales.min() and scales.max() <= 1.25
    assert np.corrcoef(scales, pitches)[0, 1] > 0.8  # shorter vocal tracts, higher voices
    assert 80 < pitches.min() and pitches.max() < 320


def test_resonators_peak_at_the_formants():
    formants = np.array(FORMANTS["aa"])
    response = np.abs(np.fft.rfft(vocal_tract_response(formants, length=1024), 8192))
    hz = np.fft.rfftfreq(8192, 1 / SAMPLE_RATE)
    peaks = [i for i in range(1, len(response) - 1) if response[i - 1] < response[i] > response[i + 1]]
    assert len(peaks) == 3
    np.testing.assert_allclose(hz[peaks], formants, atol=25.0)
    assert response[0] == pytest.approx(1.0, rel=1e-6)  # unit gain at 0 Hz


def test_glottal_source_repeats_at_the_pitch():
    source = glottal_source(np.full(4000, 125.0))  # period 64 samples
    autocorrelation = np.correlate(source, source, "full")[4000 - 1 :]
    assert 60 <= np.argmax(autocorrelation[20:200]) + 20 <= 68


def test_a_vowel_has_its_formants_in_the_spectrum():
    speaker = make_speakers(1, np.random.default_rng(3))[0]
    wave = synthesize_vowel("iy", speaker, np.random.default_rng(4), duration=0.3, snr_db=None)
    spectrum = power_spectrogram(wave, 256, 128, 1024).mean(axis=0)
    hz = np.linspace(0, SAMPLE_RATE / 2, spectrum.size)
    f1, f2, _ = speaker.formants("iy")
    low = spectrum[(hz > 150) & (hz < 600)]
    valley = spectrum[(hz > 900) & (hz < 1500)]
    assert abs(hz[(hz > 150) & (hz < 600)][low.argmax()] - f1) < 150
    assert low.max() > 10 * valley.max()  # /i/: a low F1, then a deep valley before F2


@pytest.mark.parametrize("snr", [0.0, 10.0, 20.0])
def test_noise_is_at_the_requested_ratio(snr):
    speaker = make_speakers(1, np.random.default_rng(5))[0]
    clean = synthesize_vowel("aa", speaker, np.random.default_rng(6), duration=0.5, snr_db=None)
    assert np.sqrt(np.mean(clean**2)) == pytest.approx(0.1)
    noise = add_noise(clean, snr, np.random.default_rng(7)) - clean
    measured = 10 * np.log10(np.mean(clean**2) / np.mean(noise**2))
    assert measured == pytest.approx(snr, abs=0.3)


def test_vowel_set_shapes_and_order():
    speakers = make_speakers(2, np.random.default_rng(0))
    waves, labels, ids = make_vowels(speakers, 3, np.random.default_rng(1), duration=0.2)
    assert waves.shape == (2 * 8 * 3, 1600) and labels.dtype == ids.dtype == np.int64
    assert labels.tolist() == [v for _ in speakers for v in range(8) for _ in range(3)]
    assert ids.tolist() == [s for s in range(2) for _ in range(24)]


def test_utterances_have_their_words_with_pauses():
    speakers = make_speakers(3, np.random.default_rng(0))
    waves, texts, ids = make_utterances(speakers, 20, np.random.default_rng(1), snr_db=None)
    assert all(2 <= len(t.split()) <= 4 and all(w in WORDS for w in t.split()) for t in texts)
    assert ids.shape == (20,) and set(ids.tolist()) <= {0, 1, 2}
    wave, spans = synthesize_utterance(["iy-aa", "uh-ih"], speakers[0], np.random.default_rng(2), snr_db=None)
    (s1, e1), (s2, e2) = spans
    assert 0 < s1 < e1 < s2 < e2 < wave.size
    assert np.all(wave[:s1] == 0) and np.all(wave[e1:s2] == 0)  # silence before and between words
    assert 0.24 * SAMPLE_RATE <= e1 - s1 <= 0.40 * SAMPLE_RATE  # two vowels of 120-200 ms


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: make_speakers(0, np.random.default_rng(0)), ValueError, "count"),
        (lambda: make_speakers(2, 0), TypeError, "rng"),
        (lambda: synthesize_vowel("xx", SPEAKER, np.random.default_rng(0)), ValueError, "vowel"),
        (lambda: synthesize_vowel("iy", "me", np.random.default_rng(0)), TypeError, "speaker"),
        (lambda: synthesize_vowel("iy", SPEAKER, np.random.default_rng(0), duration=-1), ValueError, "duration"),
        (lambda: synthesize_vowel("iy", SPEAKER, np.random.default_rng(0), snr_db=(30, 10)), ValueError, "snr_db"),
        (lambda: synthesize_utterance([], SPEAKER, np.random.default_rng(0)), ValueError, "words"),
        (lambda: synthesize_utterance(["hello"], SPEAKER, np.random.default_rng(0)), ValueError, "words contains an unknown word"),
        (lambda: make_utterances([], 3, np.random.default_rng(0)), ValueError, "speakers"),
        (lambda: make_utterances([SPEAKER], 3, np.random.default_rng(0), words_per_utterance=(3, 2)), ValueError,
         "words_per_utterance"),
        (lambda: add_noise(np.zeros(10), float("nan"), np.random.default_rng(0)), ValueError, "snr_db"),
        (lambda: add_noise(np.zeros((2, 2)), 10.0, np.random.default_rng(0)), ValueError, "wave"),
        (lambda: glottal_source(np.full(10, -5.0)), ValueError, "pitch_hz"),
        (lambda: vocal_tract_response([500.0, 1500.0]), ValueError, "formants_hz"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


SPEAKER = speech.make_speakers(1, np.random.default_rng(0))[0]
