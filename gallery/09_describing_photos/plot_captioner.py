r"""
A captioner: a CNN encoder, a recurrent decoder, and attention
==============================================================

.. title-ko: 캡션 생성기: CNN 인코더, 순환 디코더, 어텐션

.. only:: en

   A small image-captioning network in ``tf.keras``, trained once on the
   chapter's synthetic scenes, decoded greedily and by beam search
   (``ann_lib.recurrent``), scored by exact match and corpus BLEU-4
   (``ann_lib.metrics.bleu``) on new scenes and on the compositional split,
   and watched while it writes: where its attention looks.

.. only:: ko

   ``tf.keras``\ 로 만든 작은 이미지 캡션 생성 신경망을 이 장의 합성 장면으로 한 번
   학습시킵니다. 탐욕 디코딩과 빔 서치(``ann_lib.recurrent``)로 캡션을 만들고, 새
   장면과 조합 분할에서 정확 일치율과 말뭉치 BLEU-4(``ann_lib.metrics.bleu``)로 채점한
   뒤, 캡션을 쓰는 동안 어텐션이 어디를 보는지 봅니다.
"""

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from ann_lib.datasets import caption_splits, caption_tokenizer
from ann_lib.metrics import bleu
from ann_lib.recurrent import beam_search, greedy_decode

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()  # the same captions on every run

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "{}\n(reference:\n{})": "{}\n(정답:\n{})",
    "generated: {}\nreference: {}": "생성: {}\n정답: {}",
    "Held-out scenes, greedy captions (green = exact match)": "평가용 장면과 탐욕 디코딩 캡션(초록 = 정확 일치)",
    "new scenes": "새 장면",
    "compositional": "조합 분할",
    "exact match": "정확 일치율",
    "greedy": "탐욕 디코딩",
    "beam (B=3)": "빔 서치(B=3)",
    "corpus BLEU-4": "말뭉치 BLEU-4",
    "scene": "장면",
}
#: the captions are the data set's English sentences, which the Korean chapter quotes as they are
KEPT_IN_LATIN = {"small", "large", "red", "green", "blue", "yellow", "white", "circle", "square", "triangle",
                 "left", "of", "above", "below"}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    The scenes of :ref:`the data example <sphx_glr__gallery_09_describing_photos_plot_caption_data.py>`:
#    6,000 training scenes and two held-out splits of 500, the captions as rows
#    of token ids.
#
# .. only:: ko
#
#    데이터는 :ref:`데이터 예제 <sphx_glr__gallery_09_describing_photos_plot_caption_data.py>`\ 에서
#    본 그대로입니다. 훈련 장면 6,000개와 평가용 분할 두 개(각 500개)이고, 캡션은 토큰
#    번호 행입니다.

splits = caption_splits(n_train=6000, n_test=500, n_compositional=500, seed=0)
tokenizer = caption_tokenizer()
MAX_TOKENS = 18  # <start> + at most 16 words + <end>
train_ids = tokenizer.encode_batch(splits["train"].captions, MAX_TOKENS)
print(f"vocabulary: {len(tokenizer)} tokens; train ids {train_ids.shape}")

# %%
# .. only:: en
#
#    The model. Three convolution–pooling stages take a scene to a 4×4 grid of
#    features, plus a learned vector per grid position. A GRU, started from the
#    image, reads the previous word; at every step dot-product attention over
#    the 16 grid vectors gives a *context* that joins its output to predict the
#    next word.
#
# .. only:: ko
#
#    모델입니다. 합성곱–풀링 단계 세 개가 장면을 특성의 4×4 격자로 만들고, 격자 위치마다
#    학습되는 벡터를 더합니다. 이미지에서 출발한 GRU가 앞 단어를 읽고, 스텝마다 격자 벡터
#    16개에 대한 내적 어텐션이 *문맥* 벡터를 만들어 GRU 출력과 함께 다음 단어를 예측합니다.

UNITS, EMBEDDING = 96, 64
layers = tf.keras.layers


class GridPosition(layers.Layer):
    """Adds a learned vector to each of the grid's positions."""

    def build(self, input_shape):
        self.position = self.add_weight(shape=tuple(input_shape[1:]), initializer="zeros", name="position")

    def call(self, features):
        return features + self.position


def build_captioner(vocabulary_size, units=UNITS, embedding=EMBEDDING):
    """The encoder, the training model and a one-step model that share the decoder's layers."""
    image = tf.keras.Input((32, 32, 3))
    x = image
    for filters in (16, 32, 64):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    grid = layers.Dense(units)(GridPosition()(layers.Reshape((16, 64))(x)))  # (N, 16, units)
    h0 = layers.Dense(units, activation="tanh")(layers.GlobalAveragePooling1D()(grid))
    encoder = tf.keras.Model(image, [grid, h0], name="encoder")

    embed = layers.Embedding(vocabulary_size, embedding)
    gru = layers.GRU(units, return_sequences=True, return_state=True)
    attention = layers.Attention()  # softmax(h . grid) weighted sum of the grid
    mix = layers.Dense(units, activation="tanh")
    to_vocabulary = layers.Dense(vocabulary_size)

    def decode(tokens, grid, state):
        outputs, state = gru(embed(tokens), initial_state=state)
        context, weights = attention([outputs, grid], return_attention_scores=True)
        return to_vocabulary(mix(layers.Concatenate()([outputs, context]))), state, weights

    tokens = tf.keras.Input((MAX_TOKENS - 1,), dtype="int32")
    training_model = tf.keras.Model([image, tokens], decode(tokens, *encoder(image))[0], name="captioner")
    last_token = tf.keras.Input((1,), dtype="int32")
    grid_in, state_in = tf.keras.Input((16, units)), tf.keras.Input((units,))
    logits, state, weights = decode(last_token, grid_in, state_in)
    step_model = tf.keras.Model([last_token, grid_in, state_in], [logits[:, 0], state, weights[:, 0]])
    return encoder, training_model, step_model


encoder, captioner, step_model = build_captioner(len(tokenizer))
print(f"parameters: {captioner.count_params():,}")

# %%
# .. only:: en
#
#    Training with teacher forcing: the decoder reads the caption without its
#    last token and predicts it without its first; padding carries no weight.
#    Adam holds its learning rate for half the run, then lowers it to 0 along a
#    cosine.
#
# .. only:: ko
#
#    교사 강요로 학습시킵니다. 디코더는 마지막 토큰을 뺀 캡션을 읽고 첫 토큰을 뺀 캡션을
#    예측하며, 패딩에는 가중치를 주지 않습니다. Adam의 학습률은 처음 절반 동안 그대로
#    두었다가 코사인 곡선을 따라 0까지 내립니다.


class HoldThenCosine(tf.keras.optimizers.schedules.LearningRateSchedule):
    """The learning rate `peak` for `hold` steps, then a cosine decay to 0 at `total`."""

    def __init__(self, peak, hold, total):
        self.peak, self.hold, self.total = peak, hold, total

    def __call__(self, step):
        progress = tf.clip_by_value((tf.cast(step, tf.float32) - self.hold) / (self.total - self.hold), 0.0, 1.0)
        return self.peak * 0.5 * (1.0 + tf.cos(np.pi * progress))


EPOCHS, BATCH = 4, 64
steps = EPOCHS * int(np.ceil(len(train_ids) / BATCH))
captioner.compile(optimizer=tf.keras.optimizers.Adam(HoldThenCosine(4e-3, steps // 2, steps)),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
history = captioner.fit([splits["train"].images, train_ids[:, :-1]], train_ids[:, 1:],
                        sample_weight=(train_ids[:, 1:] != tokenizer.pad_id).astype("float32"),
                        batch_size=BATCH, epochs=EPOCHS, shuffle=True, verbose=0)
print("loss per epoch:", np.round(history.history["loss"], 4).tolist())

# %%
# .. only:: en
#
#    Decoding and scoring. Both decoders of ``ann_lib.recurrent`` call a step
#    function: the last words and the state (the image's grid, the GRU state)
#    in, the next word's log probabilities and the new state out.
#
# .. only:: ko
#
#    디코딩과 채점입니다. ``ann_lib.recurrent``\ 의 두 디코더는 스텝마다 함수 하나를 부릅니다.
#    마지막 단어들과 상태(이미지의 격자, GRU 상태)를 받아 다음 단어의 로그 확률과 새 상태를
#    돌려주는 함수입니다.


@tf.function(input_signature=[tf.TensorSpec((None,), tf.int32), tf.TensorSpec((None, 16, UNITS), tf.float32),
                              tf.TensorSpec((None, UNITS), tf.float32)])
def next_word(tokens, grid, hidden):  # one compiled graph for every batch size: no Python per layer and step
    logits, hidden, _ = step_model([tokens[:, None], grid, hidden], training=False)
    return tf.nn.log_softmax(logits), hidden


def step(tokens, state):
    log_probs, hidden = next_word(tokens.astype("int32"), *state)
    return log_probs.numpy(), (state[0], hidden.numpy())


def caption_images(images, method):
    grid, h0 = (a.numpy() for a in encoder(images, training=False))
    ids = dict(start_id=tokenizer.start_id, end_id=tokenizer.end_id, max_length=MAX_TOKENS)
    tokens = greedy_decode(step, (grid, h0), **ids) if method == "greedy" else beam_search(
        step, (grid, h0), beam_width=3, **ids)[0]
    return [tokenizer.decode(row) for row in tokens]


METHODS, SPLITS = ("greedy", "beam (B=3)"), ("test", "compositional")
generated, results = {}, {}
for split in SPLITS:
    references = splits[split].captions
    for method in METHODS:
        hypotheses = generated[split, method] = caption_images(splits[split].images, method)
        results[split, method] = {
            "exact_match": float(np.mean([h == r for h, r in zip(hypotheses, references)])),
            "bleu4": bleu([[r.split()] for r in references], [h.split() for h in hypotheses]),
        }
        print(f"{split:13s} {method:10s} exact match {results[split, method]['exact_match']:.3f}  "
              f"BLEU-4 {results[split, method]['bleu4']:.3f}")

# %%
# .. only:: en
#
#    Held-out scenes and their greedy captions: new scenes (top) and
#    compositional ones (bottom), correct and wrong where a split has both. A
#    green caption matches its reference; under a red one the reference follows.
#
# .. only:: ko
#
#    평가용 장면과 탐욕 디코딩 캡션입니다. 위 줄은 새 장면, 아래 줄은 조합 분할의
#    장면이고, 분할에 맞은 캡션과 틀린 캡션이 모두 있으면 둘 다 보여 줍니다. 초록색
#    캡션은 정답과 일치하고, 빨간색 캡션 아래에는 정답을 적었습니다.


def wrap(caption):
    for word in (" above", " below", " left of"):
        caption = caption.replace(word, "\n" + word.strip())
    return caption


def pick(split, count=4):
    """Indices of correct and wrong greedy captions, alternating where both exist."""
    same = [h == r for h, r in zip(generated[split, "greedy"], splits[split].captions)]
    right, wrong = [i for i, s in enumerate(same) if s], [i for i, s in enumerate(same) if not s]
    chosen = [i for pair in zip(right, wrong) for i in pair][:count]
    rest = right[len(chosen) // 2:] + wrong[len(chosen) // 2:]
    return chosen + rest[:count - len(chosen)]


fig, axes = plt.subplots(2, 4, figsize=(7.2, 5.4), layout="constrained")
for row, split in zip(axes, SPLITS):
    for axis, index in zip(row, pick(split)):
        hypothesis, reference = generated[split, "greedy"][index], splits[split].captions[index]
        axis.imshow(splits[split].images[index], interpolation="nearest")
        axis.set_xticks([])
        axis.set_yticks([])
        text = wrap(hypothesis) + ("" if hypothesis == reference else "\n(reference:\n" + wrap(reference) + ")")
        axis.set_xlabel(text, fontsize=6.5, color="tab:green" if hypothesis == reference else "tab:red")
    row[0].set_ylabel("new scenes" if split == "test" else "compositional", fontsize=9)
fig.suptitle("Held-out scenes, greedy captions (green = exact match)", fontsize=10)
plt.show()

# %%
# .. only:: en
#
#    The scores of both decoding methods on both splits.
#
# .. only:: ko
#
#    두 분할에서 두 디코딩 방법이 받은 점수입니다.

fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.0), sharey=True, layout="constrained")
for axis, metric, title in zip(axes, ("exact_match", "bleu4"), ("exact match", "corpus BLEU-4")):
    for offset, method in zip((-0.2, 0.2), METHODS):
        bars = axis.bar(np.arange(2) + offset, [results[split, method][metric] for split in SPLITS], width=0.38,
                        label=method)
        axis.bar_label(bars, fmt="%.3f", fontsize=8)
    axis.set_xticks(np.arange(2), ["new scenes", "compositional"])
    axis.set_ylim(0, 1.12)
    axis.set_title(title, fontsize=10)
axes[0].axhline(0.9, color="gray", lw=0.8, ls="--")
axes[0].legend(fontsize=8, loc="upper right")
plt.show()

# %%
# .. only:: en
#
#    Where the decoder looks: for one compositional scene, the attention
#    weights over the 4×4 grid while it writes each word (greedy decoding).
#
# .. only:: ko
#
#    디코더가 어디를 보는지 살펴봅니다. 조합 분할의 장면 하나에 대해, 단어를 하나씩 쓸
#    때마다 4×4 격자에 놓이는 어텐션 가중치입니다(탐욕 디코딩).

index = next(i for i, objects in enumerate(splits["compositional"].objects) if len(objects) == 2)
scene = splits["compositional"].images[index]
grid, hidden = (a.numpy() for a in encoder(scene[None], training=False))
token, words, maps = np.array([tokenizer.start_id]), [], []
for _ in range(MAX_TOKENS):
    logits, hidden, weights = step_model([token[:, None].astype("int32"), grid, hidden], training=False)
    token, hidden = np.argmax(logits.numpy(), axis=1), hidden.numpy()
    if token[0] == tokenizer.end_id:
        break
    words.append(tokenizer.vocabulary[token[0]])
    maps.append(weights.numpy()[0].reshape(4, 4))
rows = int(np.ceil((len(words) + 1) / 6))
fig, axes = plt.subplots(rows, 6, figsize=(7.2, 1.3 * rows + 0.4), layout="constrained")
axes = axes.ravel()
axes[0].imshow(scene, interpolation="nearest")
axes[0].set_title("scene", fontsize=8)
for axis, word, weights in zip(axes[1:], words, maps):
    axis.imshow(scene, interpolation="nearest")
    axis.imshow(weights, cmap="gray", alpha=0.6, extent=(-0.5, 31.5, 31.5, -0.5), vmin=0, vmax=weights.max())
    axis.set_title(word, fontsize=8)
for axis in axes:
    axis.set_axis_off()
fig.suptitle(f"generated: {' '.join(words)}\nreference: {splits['compositional'].captions[index]}", fontsize=8)
plt.show()
