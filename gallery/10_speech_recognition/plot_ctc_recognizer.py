r"""
Recognizing utterances with CTC, and their word error rate
==========================================================

.. title-ko: CTC로 발화 인식하기, 그리고 단어 오류율

.. only:: en

   The chapter's utterance recognizer. An acoustic model of two strided
   convolutions and a bidirectional GRU reads log-mel spectrograms and emits,
   at every step, a probability for each of twelve words and for the CTC
   *blank*. It is trained with ``tf.nn.ctc_loss`` on utterances of 40
   speakers, without ever being told where a word begins or ends, and tested on
   12 other speakers: greedy decoding turns its outputs into words, and
   ``ann_lib.metrics.word_error_rate`` scores them, also under more noise.

.. only:: ko

   이 장의 발화 인식기입니다. 스트라이드를 둔 합성곱 두 층과 양방향 GRU로 된 음향
   모델이 로그 멜 스펙트로그램을 읽고, 매 스텝 단어 열두 개 각각과 CTC의 *빈칸(blank)*\ 에
   확률을 냅니다. 단어가 어디서 시작하고 끝나는지 한 번도 알려 주지 않은 채 화자 40명의
   발화로 ``tf.nn.ctc_loss``\ 를 써서 학습시키고, 다른 화자 12명으로 시험합니다. 탐욕
   디코딩으로 출력을 단어로 바꾸고 ``ann_lib.metrics.word_error_rate``\ 로 채점하며,
   잡음을 더 섞어서도 채점합니다.
"""

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from ann_lib.audio import log_mel_spectrogram
from ann_lib.datasets import SAMPLE_RATE, WORDS, add_noise, make_speakers, make_utterances, synthesize_utterance
from ann_lib.metrics import word_error_rate

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()
VOCABULARY = list(WORDS)
BLANK = len(VOCABULARY)  # the last output is CTC's blank

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "a new speaker says: {}   recognized: {}": "새 화자가 말한 단어: {}   인식한 단어: {}",
    "waveform": "파형",
    "log-mel band": "로그 멜 대역",
    "P(output)": "P(출력)",
    "blank": "빈칸",
    "time (s)": "시간 (s)",
    "said": "말한 단어",
    "recognized": "인식한 단어",
    "training utterances seen": "지금까지 본 훈련 발화 수",
    "word error rate (test speakers)": "단어 오류율(테스트 화자)",
    "after {} epochs: WER {}": "{} 에포크 뒤: WER {}",
    "signal-to-noise ratio (dB)": "신호 대 잡음비 (dB)",
    "word error rate": "단어 오류율",
    "the same 300 test sentences, more noise": "같은 테스트 문장 300개에 잡음을 더 섞으면",
    "training noise": "훈련 때의 잡음",
}
# the twelve two-vowel words are the data set's words (ann_lib.datasets.speech.WORDS), written as the chapter writes them
KEPT_IN_LATIN = {"iy-aa", "ih-uw", "eh-ao", "ae-uh", "aa-eh", "ao-iy", "uh-ih", "uw-ae", "iy-uh", "ih-aa", "eh-uw", "ae-ao"}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    **Data.** 1,800 training utterances by 40 speakers, with white noise 10 to
#    30 dB below the voice; 300 test utterances by 12 other speakers, made
#    without noise so that the same sentences can be heard at several noise
#    levels. The features are those of
#    :ref:`the features example <sphx_glr__gallery_10_speech_recognition_plot_speech_features.py>`,
#    standardized per band.
#
# .. only:: ko
#
#    **데이터.** 화자 40명의 훈련 발화 1,800개에는 목소리보다 10~30 dB 낮은 백색 잡음이
#    섞여 있습니다. 다른 화자 12명의 테스트 발화 300개는 잡음 없이 만들어 두고, 같은
#    문장에 여러 수준의 잡음을 입혀 봅니다. 입력 특성은
#    :ref:`특성 예제 <sphx_glr__gallery_10_speech_recognition_plot_speech_features.py>`\ 의
#    로그 멜 스펙트로그램이고, 대역별로 표준화합니다.

train_speakers = make_speakers(40, np.random.default_rng(1))
test_speakers = make_speakers(12, np.random.default_rng(2))
train_waves, train_texts, _ = make_utterances(train_speakers, 1800, np.random.default_rng(5))
clean_test_waves, test_texts, _ = make_utterances(test_speakers, 300, np.random.default_rng(6), snr_db=None)
noise_rng = np.random.default_rng(7)
test_waves = [add_noise(w, noise_rng.uniform(10.0, 30.0), noise_rng) for w in clean_test_waves]
print(f"training: {len(train_texts)} utterances, {sum(len(t.split()) for t in train_texts)} words, "
      f"{sum(w.size for w in train_waves) / SAMPLE_RATE / 60:.1f} minutes; e.g. {train_texts[0]!r}")


def features(waves):
    return [log_mel_spectrogram(w, SAMPLE_RATE, 200, 80, num_mel_bins=32) for w in waves]


train_features = features(train_waves)
frames = np.concatenate(train_features)
mean, std = frames.mean(axis=0), frames.std(axis=0)


def batch(feature_list):
    """Standardized, zero-padded to a multiple of 4 frames: (N, T, 32) and the true lengths."""
    lengths = np.array([len(f) for f in feature_list], dtype=np.int32)
    longest = int(lengths.max()) + (-int(lengths.max())) % 4
    x = np.zeros((len(feature_list), longest, 32), dtype=np.float32)
    for i, f in enumerate(feature_list):
        x[i, : len(f)] = (f - mean) / std
    return x, lengths


def targets(texts):
    """Word indices, zero-padded: (N, L) and the true lengths."""
    ids = [[VOCABULARY.index(w) for w in text.split()] for text in texts]
    return tf.keras.utils.pad_sequences(ids, padding="post"), np.array([len(i) for i in ids], dtype=np.int32)


# %%
# .. only:: en
#
#    **The acoustic model and CTC.** Two convolutions with stride 2 turn 100
#    frames per second into 25 steps per second; a bidirectional GRU of 64 units
#    each way reads them in both directions; a dense layer gives 13 scores per
#    step (twelve words and the blank). ``tf.nn.ctc_loss`` sums the probability
#    of every alignment of the transcript to the steps. Batches hold utterances
#    of similar length; four epochs of Adam.
#
# .. only:: ko
#
#    **음향 모델과 CTC.** 스트라이드 2인 합성곱 두 층이 초당 100프레임을 초당 25스텝으로
#    줄이고, 방향마다 64유닛인 양방향 GRU가 그 스텝을 앞뒤로 읽고, 완전 연결 층이
#    스텝마다 점수 13개(단어 열두 개와 빈칸)를 냅니다. ``tf.nn.ctc_loss``\ 는 정답 단어열을
#    스텝에 정렬하는 모든 방법의 확률을 더합니다. 배치는 길이가 비슷한 발화끼리 묶고,
#    Adam으로 4 에포크 학습시킵니다.


def build_acoustic_model(bands, outputs):
    inputs = tf.keras.Input((None, bands))
    h = tf.keras.layers.Conv1D(64, 5, strides=2, padding="same", activation="relu")(inputs)
    h = tf.keras.layers.Conv1D(64, 3, strides=2, padding="same", activation="relu")(h)
    h = tf.keras.layers.Bidirectional(tf.keras.layers.GRU(64, return_sequences=True))(h)
    return tf.keras.Model(inputs, tf.keras.layers.Dense(outputs)(h))


def output_lengths(frame_lengths):
    return (frame_lengths + 3) // 4  # two strides of 2, "same" padding


model = build_acoustic_model(32, len(VOCABULARY) + 1)
optimizer = tf.keras.optimizers.Adam(4e-3)


# One graph for every batch: the batches differ in length, and tracing one per length would cost
# more than training on it.
@tf.function(input_signature=[tf.TensorSpec((None, None, 32), tf.float32), tf.TensorSpec((None,), tf.int32),
                              tf.TensorSpec((None, None), tf.int32), tf.TensorSpec((None,), tf.int32)])
def train_step(x, x_lengths, y, y_lengths):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = tf.reduce_mean(tf.nn.ctc_loss(y, logits, y_lengths, output_lengths(x_lengths),
                                             logits_time_major=False, blank_index=BLANK))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


@tf.function(input_signature=[tf.TensorSpec((None, None, 32), tf.float32)])
def scores(x):  # the model as one graph: recognize() runs eleven times
    return model(x, training=False)


def recognize(feature_list):
    """Greedy CTC decoding (tf.nn.ctc_greedy_decoder): the transcripts and the per-step log-probabilities."""
    x, lengths = batch(feature_list)
    logits = scores(x)
    decoded, _ = tf.nn.ctc_greedy_decoder(tf.transpose(logits, (1, 0, 2)), output_lengths(lengths), blank_index=BLANK)
    words = tf.sparse.to_dense(decoded[0], default_value=-1).numpy()
    texts = [" ".join(VOCABULARY[i] for i in row if i >= 0) for row in words]
    return texts, tf.nn.log_softmax(logits).numpy()


test_features = features(test_waves)
x_train, train_lengths = batch(train_features)
y_train, train_label_lengths = targets(train_texts)
by_length = np.argsort(train_lengths, kind="stable")
batches = [by_length[i : i + 48] for i in range(0, len(by_length), 48)]
order_rng = np.random.default_rng(8)
seen, test_wers, losses = [0], [word_error_rate(test_texts, recognize(test_features)[0])], []
for epoch in range(4):
    epoch_losses = []
    for b in order_rng.permutation(len(batches)):
        rows = batches[b]
        steps = int(train_lengths[rows].max()) + (-int(train_lengths[rows].max())) % 4
        epoch_losses.append(float(train_step(x_train[rows, :steps], train_lengths[rows],
                                             y_train[rows, : train_label_lengths[rows].max()], train_label_lengths[rows])))
    losses.append(np.mean(epoch_losses))
    seen.append(seen[-1] + len(train_texts))
    hypotheses = recognize(test_features)[0]
    test_wers.append(word_error_rate(test_texts, hypotheses))
    print(f"epoch {epoch + 1}: CTC loss {losses[-1]:.3f}, test WER {test_wers[-1]:.3f}")

test_wer = test_wers[-1]  # the last epoch's rate: the trained model, measured once
print(f"parameters: {model.count_params()}")
print(f"word error rate on {len(test_speakers)} new speakers: {test_wer:.4f}")
for reference, hypothesis in list(zip(test_texts, hypotheses))[:5]:
    print(f"  said: {reference:28s} recognized: {hypothesis}")

# %%
# .. only:: en
#
#    **One utterance.** The test sentence of the features example, heard for
#    the first time: waveform, log-mel spectrogram, and the model's output
#    probabilities per step. The network answers in *spikes*, one step with a
#    high probability for a word and blank everywhere else. The bottom strip
#    holds the words said (where they were spoken) and the words recognized
#    (at their spikes).
#
# .. only:: ko
#
#    **발화 하나.** 특성 예제의 테스트 문장을 처음 듣습니다. 파형, 로그 멜 스펙트로그램,
#    그리고 스텝마다 모델이 낸 출력 확률입니다. 신경망은 *뾰족한 봉우리*\ 로 답합니다.
#    한 스텝에서만 어떤 단어의 확률이 높고 나머지 스텝은 모두 빈칸입니다. 맨 아래 띠에는
#    실제로 말한 단어(말한 자리에)와 인식한 단어(봉우리 자리에)를 적었습니다.

example_words = ["iy-aa", "uh-ih", "eh-uw", "ae-ao"]
clean, spans = synthesize_utterance(example_words, test_speakers[0], np.random.default_rng(9), snr_db=None)
example = add_noise(clean, 15.0, np.random.default_rng(10))
example_features = features([example])
(example_text,), example_log_probabilities = recognize(example_features)
steps = output_lengths(len(example_features[0]))
posteriors = np.exp(example_log_probabilities[0, :steps])
best = posteriors.argmax(axis=1)
spikes = [t for t in range(steps) if best[t] != BLANK and (t == 0 or best[t] != best[t - 1])]
print("said:      ", " ".join(example_words))
print("recognized:", example_text)

duration = example.size / SAMPLE_RATE
step_seconds = 4 * 80 / SAMPLE_RATE  # one output step covers 4 frames of 10 ms
fig, axes = plt.subplots(4, 1, figsize=(7.2, 6.0), sharex=True, layout="constrained",
                         gridspec_kw={"height_ratios": [1, 1.3, 1, 0.45]})
axes[0].plot(np.arange(example.size) / SAMPLE_RATE, example, color="black", linewidth=0.4)
axes[0].set_ylabel("waveform")
for start, stop in spans:
    axes[0].axvspan(start / SAMPLE_RATE, stop / SAMPLE_RATE, color="tab:blue", alpha=0.12)
axes[1].imshow(example_features[0].T, origin="lower", aspect="auto", cmap="magma",
               extent=(0, len(example_features[0]) * 0.01, 0, 32))
axes[1].set_ylabel("log-mel band")
step_times = (np.arange(steps) + 0.5) * step_seconds
for k, word in enumerate(VOCABULARY):
    if posteriors[:, k].max() > 0.2:
        axes[2].plot(step_times, posteriors[:, k], linewidth=1.2, label=word)
axes[2].plot(step_times, posteriors[:, BLANK], color="gray", linestyle="--", linewidth=0.8, label="blank")
axes[2].set_ylabel("P(output)")
axes[2].set_ylim(0, 1.05)
axes[2].legend(ncol=5, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, 1.3), frameon=False)
words_axis = axes[3]
for (start, stop), word in zip(spans, example_words):
    words_axis.text((start + stop) / 2 / SAMPLE_RATE, 0.72, word, ha="center", va="center", fontsize=9, color="tab:blue")
for t in spikes:
    words_axis.text(step_times[t], 0.25, VOCABULARY[best[t]], ha="center", va="center", fontsize=9, color="tab:red")
words_axis.set_ylim(0, 1)
words_axis.set_yticks([0.72, 0.25], ["said", "recognized"], fontsize=8)
words_axis.tick_params(axis="y", length=0)
words_axis.set_xlabel("time (s)")
words_axis.set_xlim(0, duration)
axes[0].set_title(f"a new speaker says: {' '.join(example_words)}   recognized: {example_text}", fontsize=9)
plt.show()

# %%
# .. only:: en
#
#    **Word error rate, training and noise.** Left: the rate on the test
#    speakers after each epoch. Before training it is above 100%, since every
#    word the random network adds is an insertion; then CTC passes a plateau of
#    blanks everywhere (every word deleted, near 100%) before it drops. Right:
#    the trained model on the same 300 test sentences with more or less noise;
#    it was trained at 10 to 30 dB (shaded).
#
# .. only:: ko
#
#    **단어 오류율, 학습량과 잡음.** 왼쪽은 에포크마다 잰 테스트 화자의 단어 오류율입니다.
#    학습 전에는 100%를 넘습니다. 무작위 신경망이 덧붙이는 단어가 모두 삽입 오류이기
#    때문입니다. 이어서 CTC 학습은 모든 스텝에서 빈칸을 내는 평평한 구간(모든 단어가 삭제되어
#    100% 가까이)을 지난 뒤에 떨어집니다. 오른쪽은 학습을 마친 모델이 같은 테스트 문장
#    300개를 잡음 수준을 바꿔 가며 들은 결과입니다. 학습 때 잡음은 10~30 dB(음영)였습니다.

noise_levels = [30.0, 20.0, 10.0, 5.0, 0.0]
noise_wers = []
for snr in noise_levels:
    level_rng = np.random.default_rng(int(100 + snr))
    noisy = [add_noise(w, snr, level_rng) for w in clean_test_waves]
    noise_wers.append(word_error_rate(test_texts, recognize(features(noisy))[0]))
    print(f"SNR {snr:5.1f} dB: WER {noise_wers[-1]:.3f}")

fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 3.0), layout="constrained")
left.plot(seen, test_wers, marker="o", color="black")
left.set_xlabel("training utterances seen")
left.set_ylabel("word error rate (test speakers)")
left.set_title(f"after {len(losses)} epochs: WER {test_wer:.1%}", fontsize=9)
right.axvspan(10, 30, color="tab:green", alpha=0.12, label="training noise")
right.plot(noise_levels, noise_wers, marker="o", color="black")
for snr, value in zip(noise_levels, noise_wers):
    right.annotate(f"{value:.1%}", (snr, value), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7)
right.invert_xaxis()
right.set_xlabel("signal-to-noise ratio (dB)")
right.set_ylabel("word error rate")
right.legend(fontsize=7, loc="upper left")
right.set_title("the same 300 test sentences, more noise", fontsize=9)
for axis in (left, right):
    axis.set_ylim(bottom=0)
plt.show()
