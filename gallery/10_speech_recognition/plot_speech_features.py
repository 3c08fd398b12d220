r"""
What a recognizer hears: utterances and their log-mel features
==============================================================

.. title-ko: 인식기가 듣는 것: 발화와 로그 멜 특성

.. only:: en

   The input of the chapter's utterance recognizer, before any model: a
   synthetic utterance of ``ann_lib.datasets`` (not recorded speech), the mel
   filters of ``ann_lib.audio`` that pool its spectrogram into 32 bands, the
   log-mel spectrogram the network reads, and how the same words change with
   the speaker and with noise.

.. only:: ko

   이 장의 발화 인식기가 받는 입력을 모델 없이 살펴봅니다. ``ann_lib.datasets``\ 로
   합성한 발화(녹음한 음성이 아닙니다), 스펙트로그램을 대역 32개로 모으는
   ``ann_lib.audio``\ 의 멜 필터, 신경망이 읽는 로그 멜 스펙트로그램, 그리고 같은
   단어가 화자와 잡음에 따라 어떻게 달라지는지입니다.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.audio import hz_to_mel, log_mel_spectrogram, mel_filterbank, power_spectrogram, write_wav
from ann_lib.datasets import SAMPLE_RATE, add_noise, make_speakers, synthesize_utterance

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "32 mel filters on the 129 bins of a 256-point FFT": "256점 FFT의 빈 129개 위에 놓인 멜 필터 32개",
    "frequency (Hz)": "주파수 (Hz)",
    "filter weight": "필터 가중치",
    "filter width (Hz)": "필터 폭 (Hz)",
    "a test speaker says: {}": "테스트 화자가 말한 단어: {}",
    "waveform": "파형",
    "log-mel band": "로그 멜 대역",
    "time (s)": "시간 (s)",
    "formant scale {}, pitch {} Hz": "포먼트 배율 {}, 피치 {} Hz",
    "the first speaker, SNR {} dB": "첫 번째 화자, SNR {} dB",
    "The same four words: three new speakers (top), more and more noise (bottom)":
        "같은 단어 네 개: 새 화자 세 명(위), 점점 더 센 잡음(아래)",
}
# the words are the data set's two-vowel words (ann_lib.datasets.speech.WORDS); SNR and FFT as the chapter writes them
KEPT_IN_LATIN = {"iy-aa", "uh-ih", "eh-uw", "ae-ao", "SNR", "FFT"}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    **Mel filters.** A frame of 25 ms (200 samples at 8000 Hz), zero-padded to
#    256, gives 129 frequency bins 31.25 Hz apart. The recognizer does not read
#    them one by one: 32 triangular filters, equally spaced on the mel scale
#    between 80 Hz and 4000 Hz, pool them into bands that are a few bins wide at
#    low frequencies and several hundred hertz wide at high ones, as hearing
#    resolves pitch.
#
# .. only:: ko
#
#    **멜 필터.** 25 ms 프레임(8,000 Hz에서 샘플 200개)에 0을 채워 256개로 늘리면 31.25 Hz
#    간격의 주파수 빈 129개가 나옵니다. 인식기는 빈을 하나하나 읽지 않습니다. 80 Hz에서
#    4,000 Hz 사이에 멜 척도로 같은 간격을 둔 삼각형 필터 32개가 빈들을 대역으로 모으는데,
#    청각이 음높이를 가려 듣는 방식처럼 대역이 낮은 주파수에서는 빈 몇 개 폭이고 높은
#    주파수에서는 수백 Hz 폭입니다.

filters = mel_filterbank(32, 129, SAMPLE_RATE, 80.0, 4000.0)
bins = np.linspace(0, SAMPLE_RATE / 2, 129)  # the centre frequency of each bin
covered = [bins[filters[:, j] > 0] for j in range(32)]
widths = np.array([c[-1] - c[0] + bins[1] for c in covered])  # Hz from the first to the last bin it weighs
centres = bins[filters.argmax(axis=0)]
print(f"mel scale: 80 Hz = {hz_to_mel(80.0):.0f} mel, 4000 Hz = {hz_to_mel(4000.0):.0f} mel")
print(f"bins per filter: {len(covered[0])} for the first, {len(covered[-1])} for the last")

fig, (bank, width) = plt.subplots(1, 2, figsize=(7.2, 2.8), width_ratios=[2.2, 1], layout="constrained")
for j in range(32):
    bank.plot(bins, filters[:, j], linewidth=0.9, color=("tab:blue", "tab:orange")[j % 2])
bank.plot(bins, np.zeros_like(bins), "|", color="gray", markersize=4)  # the bins
bank.set_xlabel("frequency (Hz)")
bank.set_ylabel("filter weight")
width.plot(centres, widths, marker="o", markersize=3, color="black")
width.set_xlabel("frequency (Hz)")
width.set_ylabel("filter width (Hz)")
fig.suptitle("32 mel filters on the 129 bins of a 256-point FFT", fontsize=10)
plt.show()

# %%
# .. only:: en
#
#    **An utterance, from samples to features.** One of the test speakers says
#    four words, with noise 15 dB below the voice;
#    :ref:`the recognizer <sphx_glr__gallery_10_speech_recognition_plot_ctc_recognizer.py>`
#    follows this same utterance through the trained network. The power
#    spectrogram shows each vowel as a steady stack of harmonics whose strongest
#    regions are the formants; the log-mel spectrogram keeps that pattern in 32
#    bands per 10 ms frame. This is what the network reads, after each band is
#    standardized with the mean and deviation of the training frames. The
#    utterance is saved as a WAV file.
#
# .. only:: ko
#
#    **샘플에서 특성까지, 발화 하나.** 테스트 화자 한 명이 목소리보다 15 dB 낮은 잡음
#    속에서 단어 네 개를 말합니다.
#    :ref:`인식기 예제 <sphx_glr__gallery_10_speech_recognition_plot_ctc_recognizer.py>`\ 는 바로
#    이 발화가 학습된 신경망을 지나는 과정을 따라갑니다. 파워 스펙트로그램에서 모음은
#    배음이 층층이 쌓인 고른 무늬로 보이고, 그 가운데 가장 센 곳이 포먼트입니다. 로그 멜
#    스펙트로그램은 10 ms 프레임마다 대역 32개로 그 무늬를 간직합니다. 신경망이 읽는 것이
#    이것이며, 대역마다 훈련 프레임의 평균과 표준 편차로 표준화한 뒤에 읽습니다. 이 발화는
#    WAV 파일로도 저장합니다.

test_speakers = make_speakers(12, np.random.default_rng(2))  # the recognizer's test speakers
example_words = ["iy-aa", "uh-ih", "eh-uw", "ae-ao"]
clean, spans = synthesize_utterance(example_words, test_speakers[0], np.random.default_rng(9), snr_db=None)
example = add_noise(clean, 15.0, np.random.default_rng(10))


def log_mel(wave):
    return log_mel_spectrogram(wave, SAMPLE_RATE, 200, 80, num_mel_bins=32)  # 25 ms frames every 10 ms


power_db = 10 * np.log10(power_spectrogram(example, 200, 80) + 1e-10)
features = log_mel(example)
print(f"{example.size} samples = {example.size / SAMPLE_RATE:.2f} s -> power {power_db.shape} -> log-mel {features.shape}")

output = Path("../../_gallery/10_speech_recognition")  # where the build keeps this script's outputs
output = output if output.is_dir() else Path(".")
write_wav(output / "utterance.wav", example, SAMPLE_RATE)

seconds = len(features) * 0.01
fig, axes = plt.subplots(3, 1, figsize=(7.2, 5.2), sharex=True, layout="constrained",
                         gridspec_kw={"height_ratios": [1, 1.4, 1.1]})
axes[0].plot(np.arange(example.size) / SAMPLE_RATE, example, color="black", linewidth=0.4)
for start, stop in spans:
    axes[0].axvspan(start / SAMPLE_RATE, stop / SAMPLE_RATE, color="tab:blue", alpha=0.12)
axes[0].set_ylabel("waveform")
axes[1].imshow(power_db.T, origin="lower", aspect="auto", cmap="magma", extent=(0, seconds, 0, SAMPLE_RATE / 2),
               vmin=power_db.max() - 80)  # brighter is more power: 80 dB from black to white
axes[1].set_ylabel("frequency (Hz)")
axes[2].imshow(features.T, origin="lower", aspect="auto", cmap="magma", extent=(0, seconds, 0, 32))
axes[2].set_ylabel("log-mel band")
axes[2].set_xlabel("time (s)")
axes[0].set_title(f"a test speaker says: {' '.join(example_words)}", fontsize=9)
plt.show()

# %%
# .. only:: en
#
#    **Speakers and noise.** The same four words by three other test speakers
#    with noise 30 dB below the voice (top: a longer vocal tract puts the
#    formants, and the pattern, lower in the bands), and by the first speaker
#    with noise 30, 10 and 0 dB below the voice (bottom), on one colour scale. The recognizer is trained on 40 speakers
#    with noise between 10 and 30 dB; what it makes of 0 dB is the last figure
#    of its example.
#
# .. only:: ko
#
#    **화자와 잡음.** 위 줄은 다른 테스트 화자 세 명이 목소리보다 30 dB 낮은 잡음 속에서
#    같은 단어 네 개를 말한 것입니다. 성도가 길수록 포먼트가 낮아져 무늬도 아래 대역으로
#    내려갑니다. 아래 줄은 첫 번째 화자의 같은 말에 목소리보다 30, 10, 0 dB 낮은 잡음을
#    섞은 것입니다. 여섯 그림의 색 눈금은 같습니다. 인식기는
#    화자 40명의 말에 10~30 dB의 잡음을 섞어 학습합니다. 0 dB에서 인식기가 어떻게 되는지는
#    인식기 예제의 마지막 그림에 있습니다.

by_scale = sorted(test_speakers[1:], key=lambda speaker: speaker.formant_scale)
voices = [by_scale[0], by_scale[len(by_scale) // 2], by_scale[-1]]  # the longest, a middle and the shortest tract
noise_levels = [30.0, 10.0, 0.0]
spoken = [synthesize_utterance(example_words, speaker, np.random.default_rng(seed), snr_db=30.0)[0]
          for speaker, seed in zip(voices, (11, 12, 13))]
spoken += [add_noise(clean, snr, np.random.default_rng(int(100 + snr))) for snr in noise_levels]
images = [log_mel(wave) for wave in spoken]
low, high = min(image.min() for image in images), max(image.max() for image in images)  # one colour scale for all

fig, axes = plt.subplots(2, 3, figsize=(7.2, 4.0), sharey=True, layout="constrained")
for axis, wave, image in zip(axes.ravel(), spoken, images):
    axis.imshow(image.T, origin="lower", aspect="auto", cmap="magma", extent=(0, wave.size / SAMPLE_RATE, 0, 32),
                vmin=low, vmax=high)
for axis, speaker in zip(axes[0], voices):
    axis.set_title(f"formant scale {speaker.formant_scale:.2f}, pitch {speaker.pitch_hz:.0f} Hz", fontsize=8)
for axis, snr in zip(axes[1], noise_levels):
    axis.set_title(f"the first speaker, SNR {snr:.0f} dB", fontsize=8)
    axis.set_xlabel("time (s)")
for row in axes:
    row[0].set_ylabel("log-mel band")
fig.suptitle("The same four words: three new speakers (top), more and more noise (bottom)", fontsize=10)
plt.show()
