r"""
Eight vowels, new voices: a small CNN on log-mel spectrograms
=============================================================

.. title-ko: 모음 여덟 개, 처음 듣는 목소리: 로그 멜 스펙트로그램을 읽는 작은 CNN

.. only:: en

   The chapter's isolated-sound recognizer. Synthetic speakers say the eight
   vowels of Peterson and Barney's /hVd/ words; the formants of every speaker
   are scaled by the length of their vocal tract, so the same vowel lies at
   different frequencies in different voices. A convolutional network learns the
   vowels from the log-mel spectrograms of 40 speakers and is tested on 12
   speakers it has never heard.

.. only:: ko

   이 장의 단독 모음 인식기입니다. 합성한 화자들이 Peterson과 Barney의 /hVd/ 단어에
   나오는 모음 여덟 개를 발음합니다. 화자마다 성도 길이에 따라 포먼트가 비례해서
   달라지므로, 같은 모음도 목소리에 따라 다른 주파수에 놓입니다. 합성곱 신경망이
   화자 40명의 로그 멜 스펙트로그램으로 모음을 배우고, 한 번도 듣지 못한 화자
   12명으로 시험을 봅니다.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from ann_lib.audio import log_mel_spectrogram, write_wav
from ann_lib.datasets import FORMANTS, IPA, KEY_WORDS, SAMPLE_RATE, VOWELS, make_speakers, make_vowels
from ann_lib.metrics import accuracy, confusion_matrix

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "training speakers": "훈련 화자",
    "test speakers": "테스트 화자",
    "F1 and F2 of every speaker's vowels; letters: Peterson & Barney's men":
        "모든 화자 모음의 F1과 F2; 글자: Peterson & Barney의 남성 화자",
    "recognized vowel": "인식한 모음",
    "vowel said": "발음한 모음",
    "CNN on log-mel spectrograms, {} new speakers: accuracy {}": "로그 멜 스펙트로그램을 읽는 CNN, 새 화자 {}명: 정확도 {}",
}
# the vowels' key words are English words said aloud (h_d), kept as spoken; F1/F2 are formants
KEPT_IN_LATIN = {"Peterson", "Barney", "heed", "hid", "head", "had", "hod", "hawed", "hood", "who'd"}
# sphinx_gallery_end_ignore

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()

# %%
# .. only:: en
#
#    **Speakers.** Training and test speakers come from separate random
#    generators, so no test voice is heard in training. Each dot is one
#    speaker's F1 and F2 for one vowel; the black letters are Peterson and
#    Barney's averages for men. Shorter vocal tracts move a speaker's whole
#    vowel pattern down and to the left (both axes are inverted, so higher
#    formants lie away from the origin), so one speaker's /ɔ/ can sit where
#    another's /ɑ/ does: the vowel is a pattern, not a pair of frequencies.
#
# .. only:: ko
#
#    **화자.** 훈련 화자와 테스트 화자는 서로 다른 난수 생성기에서 나오므로, 테스트
#    목소리는 훈련 중에 한 번도 나오지 않습니다. 점 하나는 한 화자가 낸 한 모음의 F1과
#    F2입니다. 검은 글자는 Peterson과 Barney가 잰 남성 평균입니다. 성도가 짧을수록
#    화자의 모음 전체가 왼쪽 아래로(두 축이 뒤집혀 있으므로 포먼트가 높아지는 쪽으로)
#    옮겨 가므로, 어떤 화자의 /ɔ/가 다른 화자의 /ɑ/
#    자리에 올 수 있습니다. 모음은 주파수 한 쌍이 아니라 패턴입니다.

train_speakers = make_speakers(40, np.random.default_rng(1))
test_speakers = make_speakers(12, np.random.default_rng(2))
print(f"training speakers: {len(train_speakers)}, pitch {min(s.pitch_hz for s in train_speakers):.0f}"
      f"-{max(s.pitch_hz for s in train_speakers):.0f} Hz")
print(f"test speakers:     {len(test_speakers)}, pitch {min(s.pitch_hz for s in test_speakers):.0f}"
      f"-{max(s.pitch_hz for s in test_speakers):.0f} Hz")

fig, axis = plt.subplots(figsize=(6.4, 4.4), layout="constrained")
colors = plt.cm.tab10(np.arange(len(VOWELS)))
for v, vowel in enumerate(VOWELS):
    for speakers, marker, alpha in ((train_speakers, "o", 0.35), (test_speakers, "^", 0.9)):
        points = np.array([speaker.formants(vowel)[:2] for speaker in speakers])
        axis.scatter(points[:, 1], points[:, 0], s=14, marker=marker, color=colors[v], alpha=alpha)
    f1, f2, _ = FORMANTS[vowel]
    axis.text(f2, f1, IPA[v], fontsize=14, ha="center", va="center", weight="bold")
axis.scatter([], [], marker="o", color="gray", label="training speakers")
axis.scatter([], [], marker="^", color="gray", label="test speakers")
axis.invert_xaxis()
axis.invert_yaxis()  # the phonetician's vowel chart: front vowels left, high vowels up
axis.set_xlabel("F2 (Hz)")
axis.set_ylabel("F1 (Hz)")
axis.set_title("F1 and F2 of every speaker's vowels; letters: Peterson & Barney's men")
axis.legend(loc="lower left", fontsize="small")
plt.show()

# %%
# .. only:: en
#
#    **Data.** Six tokens of every vowel from every training speaker (1,920
#    sounds) and five from every test speaker (480), each 0.25 s long with white
#    noise at 10 to 30 dB below the voice. Each becomes a log-mel spectrogram
#    computed by ``ann_lib.audio`` (25 ms frames every 10 ms, 32 mel bands),
#    standardized with the training set's mean and spread per band. One test
#    speaker's eight vowels are saved as a WAV file for the chapter's page.
#
# .. only:: ko
#
#    **데이터.** 훈련 화자마다 모음별로 여섯 번(소리 1,920개), 테스트 화자마다 다섯
#    번(480개)씩 발음합니다. 소리 하나는 0.25초이고, 목소리보다 10~30 dB 낮은 백색
#    잡음이 섞여 있습니다. 소리마다 ``ann_lib.audio``\ 로 로그 멜 스펙트로그램을
#    계산하고(10 ms마다 25 ms 프레임, 멜 대역 32개), 훈련 세트의 대역별 평균과 표준편차로
#    표준화합니다. 테스트 화자 한 명의 모음 여덟 개를 WAV 파일로 저장해 이 장의 본문에서
#    들을 수 있게 합니다.

X_train, y_train, _ = make_vowels(train_speakers, 6, np.random.default_rng(3))
X_test, y_test, _ = make_vowels(test_speakers, 5, np.random.default_rng(4))


def features(waves):
    """Log-mel spectrograms, (N, 23 frames, 32 bands)."""
    return np.stack([log_mel_spectrogram(w, SAMPLE_RATE, 200, 80, num_mel_bins=32) for w in waves])


F_train, F_test = features(X_train), features(X_test)
mean, std = F_train.mean(axis=(0, 1)), F_train.std(axis=(0, 1))
F_train = ((F_train - mean) / std)[..., None].astype("float32")
F_test = ((F_test - mean) / std)[..., None].astype("float32")
print("features: train", F_train.shape, "test", F_test.shape)

# The build keeps this script's outputs in _gallery/10_speech_recognition; run alone, the file lands here.
output = Path("../../_gallery/10_speech_recognition")
output = output if output.is_dir() else Path(".")
first_speaker = [5 * v for v in range(len(VOWELS))]  # test speaker 0, first token of each vowel
pause = np.zeros(int(0.15 * SAMPLE_RATE))
write_wav(output / "vowels.wav", np.concatenate([np.concatenate([X_test[i], pause]) for i in first_speaker]), SAMPLE_RATE)
print("wrote vowels.wav:", ", ".join(KEY_WORDS))

# %%
# .. only:: en
#
#    **The network.** Two 3 x 3 convolutions with max pooling over time and
#    frequency, then one dense layer: about 15,000 weights, trained for three
#    epochs with Adam.
#
# .. only:: ko
#
#    **신경망.** 시간과 주파수 방향으로 3×3 합성곱과 최대 풀링을 두 번 하고, 완전
#    연결 층 하나로 분류합니다. 가중치는 약 15,000개이고, Adam으로 3에포크 학습시킵니다.


def build_vowel_cnn(input_shape, classes):
    return tf.keras.Sequential([
        tf.keras.Input(input_shape),
        tf.keras.layers.Conv2D(16, 3, activation="relu", padding="same"),
        tf.keras.layers.MaxPool2D(2),
        tf.keras.layers.Conv2D(32, 3, activation="relu", padding="same"),
        tf.keras.layers.MaxPool2D(2),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dropout(0.3),
        tf.keras.layers.Dense(classes),
    ])


model = build_vowel_cnn(F_train.shape[1:], len(VOWELS))
model.compile(optimizer=tf.keras.optimizers.Adam(3e-3),
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
history = model.fit(F_train, y_train, batch_size=32, epochs=3, verbose=0)
y_pred = np.argmax(model(F_test, training=False).numpy(), axis=1)
test_accuracy = accuracy(y_test, y_pred)
print(f"parameters: {model.count_params()}")
print("training loss per epoch:", np.round(history.history["loss"], 3))
print(f"test accuracy on {len(test_speakers)} new speakers: {test_accuracy:.4f}")

# %%
# .. only:: en
#
#    **Confusion matrix.** Rows are the vowels said, columns the vowels
#    recognized, on the test speakers. The few mistakes fall between vowels
#    whose formant patterns are close once speakers are mixed.
#
# .. only:: ko
#
#    **혼동 행렬.** 행은 발음한 모음, 열은 인식한 모음이고, 테스트 화자의 결과입니다.
#    몇 안 되는 실수는 화자가 섞이면 포먼트 패턴이 가까워지는 모음들 사이에서 나옵니다.

matrix = confusion_matrix(y_test, y_pred, len(VOWELS))
labels = [f"{ipa} ({word})" for ipa, word in zip(IPA, KEY_WORDS)]
fig, axis = plt.subplots(figsize=(5.6, 4.6), layout="constrained")
image = axis.imshow(matrix, cmap="Blues")
for true in range(len(VOWELS)):
    for predicted in range(len(VOWELS)):
        if matrix[true, predicted]:
            color = "white" if matrix[true, predicted] > matrix.max() / 2 else "black"
            axis.text(predicted, true, str(matrix[true, predicted]), ha="center", va="center", fontsize=8, color=color)
axis.set_xticks(range(len(VOWELS)), labels, rotation=45, ha="right", fontsize=8)
axis.set_yticks(range(len(VOWELS)), labels, fontsize=8)
axis.set_xlabel("recognized vowel")
axis.set_ylabel("vowel said")
axis.set_title(f"CNN on log-mel spectrograms, {len(test_speakers)} new speakers: accuracy {test_accuracy:.1%}", fontsize=9)
fig.colorbar(image, ax=axis, shrink=0.8)
plt.show()
