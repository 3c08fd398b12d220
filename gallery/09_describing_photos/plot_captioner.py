r"""
A captioner: a CNN encoder, a recurrent decoder, and attention
==============================================================

.. title-ko: 캡션 생성기: CNN 인코더, 순환 디코더, 어텐션

.. only:: en

   A small image-captioning network in ``tf.keras``, trained once on the
   synthetic scenes of ``ann_lib.datasets.captions`` (they stand in for
   photographs; they are not photographs). A convolutional encoder turns a
   32×32 scene into a 4×4 grid of feature vectors; a GRU decoder, started from
   the image, writes the caption one word at a time and looks back at the grid
   through dot-product attention. It is trained with teacher forcing, then
   decoded greedily and by beam search (``ann_lib.recurrent``), and scored by
   exact match and by corpus BLEU-4 (``ann_lib.metrics.bleu``) on new scenes
   and on a compositional split whose colour–shape pairs it never saw.

.. only:: ko

   ``tf.keras``\ 로 만든 작은 이미지 캡션 생성 신경망을
   ``ann_lib.datasets.captions``\ 의 합성 장면으로 한 번 학습시킵니다(장면은 사진을
   대신할 뿐, 사진이 아닙니다).
   합성곱 인코더가 32×32 장면을 4×4 격자의 특성 벡터로 바꾸고, 이미지에서 출발한 GRU
   디코더가 단어를 하나씩 써 나가며 내적 어텐션으로 격자를 다시 들여다봅니다. 교사
   강요로 학습시킨 뒤 탐욕 디코딩과 빔 서치(``ann_lib.recurrent``)로 캡션을 만들고,
   새 장면과, 한 번도 보지 못한 색–모양 조합으로 이루어진 조합 분할에서 정확 일치율과
   말뭉치 BLEU-4(``ann_lib.metrics.bleu``)로 점수를 매깁니다.
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
#    The data: 6,000 training scenes, and two held-out splits of 500. Captions
#    become rows of token ids, ``<start> a large red circle ... <end>``,
#    padded with ``<pad>`` to one length.
#
# .. only:: ko
#
#    데이터는 훈련 장면 6,000개와 평가용 분할 두 개(각 500개)입니다. 캡션은
#    ``<start> a large red circle ... <end>`` 꼴의 토큰 번호 행이 되고, ``<pad>``\ 로
#    길이를 맞춥니다.

splits = caption_splits(n_train=6000, n_test=500, n_compositional=500, seed=0)
tokenizer = caption_tokenizer()
MAX_TOKENS = 18  # <start> + at most 16 words + <end>
train_ids = tokenizer.encode_batch(splits["train"].captions, MAX_TOKENS)
print(f"vocabulary: {len(tokenizer)} tokens; train ids {train_ids.shape}")
print("example:", splits["train"].captions[0], "->", train_ids[0].tolist())

# %%
# .. only:: en
#
#    The model. The encoder is three convolution–pooling stages (32×32 → 4×4),
#    plus a learned vector per grid position, so that "above" and "left of"
#    can be read from *where* a feature sits. The decoder embeds the previous
#    word, runs a GRU whose initial state is computed from the image, and at
#    every step compares its output with the 16 grid vectors (dot products,
#    softmax): the weighted average of the grid, the *context*, joins the GRU
#    output to predict the next word.
#
# .. only:: ko
#
#    모델입니다. 인코더는 합성곱–풀링 단계 세 개(32×32 → 4×4)에, 격자 위치마다 학습되는
#    벡터를 하나씩 더합니다. 그래야 "above"나 "left of"를 특성이 *어디에* 있는지에서
#    읽어 낼 수 있습니다. 디코더는 앞 단어를 임베딩하고, 초기 상태를 이미지에서 계산한
#    GRU를 돌리고, 매 단계 GRU의 출력을 격자 벡터 16개와 비교합니다(내적 후 소프트맥스).
#    그 가중치로 평균한 격자, 곧 *문맥* 벡터가 GRU 출력과 함께 다음 단어를 예측합니다.

UNITS, EMBEDDING = 96, 64
layers = tf.keras.layers


class GridPosition(layers.Layer):
    """Adds a learned vector to each of the grid's positions."""

    def build(self, input_shape):
        self.position = self.add_weight(shape=tuple(input_shape[1:]), initializer="zeros", name="position")

    def call(self, features):
        return features + self.position


def build_captioner(vocabulary_size, units=UNITS, embedding=EMBEDDING):
    """Encoder, the decoder's layers, the training model and a one-step model."""
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
        logits = to_vocabulary(mix(layers.Concatenate()([outputs, context])))
        return logits, state, weights

    tokens = tf.keras.Input((MAX_TOKENS - 1,), dtype="int32")
    grid_out, h0_out = encoder(image)
    logits, _, _ = decode(tokens, grid_out, h0_out)
    training_model = tf.keras.Model([image, tokens], logits, name="captioner")

    last_token = tf.keras.Input((1,), dtype="int32")
    grid_in, state_in = tf.keras.Input((16, units)), tf.keras.Input((units,))
    step_logits, step_state, step_weights = decode(last_token, grid_in, state_in)
    step_model = tf.keras.Model([last_token, grid_in, state_in], [step_logits[:, 0], step_state, step_weights[:, 0]])
    return encoder, training_model, step_model


encoder, captioner, step_model = build_captioner(len(tokenizer))
print(f"parameters: {captioner.count_params():,}")

# %%
# .. only:: en
#
#    Training with teacher forcing: the decoder's input is the true caption
#    shifted right (``<start> a large ...``), its target the same caption
#    shifted left (``a large ... <end>``), and padding carries no weight. Adam
#    holds its learning rate for half the run, then lets it fall to 0 along a
#    cosine.
#
# .. only:: ko
#
#    교사 강요로 학습시킵니다. 디코더의 입력은 정답 캡션을 오른쪽으로 한 칸 민 것
#    (``<start> a large ...``)이고, 목표는 왼쪽으로 한 칸 민 것(``a large ... <end>``)이며,
#    패딩에는 가중치를 주지 않습니다. Adam의 학습률은 처음 절반 동안 그대로 두었다가
#    코사인 곡선을 따라 0까지 내립니다.


class HoldThenCosine(tf.keras.optimizers.schedules.LearningRateSchedule):
    """The learning rate `peak` for `hold` steps, then a cosine decay to 0 at `total`."""

    def __init__(self, peak, hold, total):
        self.peak, self.hold, self.total = peak, hold, total

    def __call__(self, step):
        progress = tf.clip_by_value((tf.cast(step, tf.float32) - self.hold) / (self.total - self.hold), 0.0, 1.0)
        return self.peak * 0.5 * (1.0 + tf.cos(np.pi * progress))


EPOCHS, BATCH = 4, 64
steps = EPOCHS * int(np.ceil(len(train_ids) / BATCH))
captioner.compile(
    optimizer=tf.keras.optimizers.Adam(HoldThenCosine(4e-3, steps // 2, steps)),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)
history = captioner.fit(
    [splits["train"].images, train_ids[:, :-1]], train_ids[:, 1:],
    sample_weight=(train_ids[:, 1:] != tokenizer.pad_id).astype("float32"),
    batch_size=BATCH, epochs=EPOCHS, shuffle=True, verbose=0,
)
print("loss per epoch:", np.round(history.history["loss"], 4).tolist())

# %%
# .. only:: en
#
#    Decoding. The step function the two decoders of ``ann_lib.recurrent``
#    call: given the last word of every sequence and the state (the image's
#    grid and the GRU state), return the log probabilities of the next word
#    and the new state.
#
# .. only:: ko
#
#    디코딩입니다. ``ann_lib.recurrent``\ 의 두 디코더가 부르는 한 단계 함수는 각 시퀀스의
#    마지막 단어와 상태(이미지의 격자와 GRU 상태)를 받아, 다음 단어의 로그 확률과 새
#    상태를 돌려줍니다.


@tf.function(input_signature=[tf.TensorSpec((None,), tf.int32), tf.TensorSpec((None, 16, UNITS), tf.float32),
                              tf.TensorSpec((None, UNITS), tf.float32)])
def next_word(tokens, grid, hidden):  # one compiled graph for every batch size: no Python per layer and step
    logits, hidden, _ = step_model([tokens[:, None], grid, hidden], training=False)
    return tf.nn.log_softmax(logits), hidden


def step(tokens, state):
    grid, hidden = state
    log_probs, hidden = next_word(tokens.astype("int32"), grid, hidden)
    return log_probs.numpy(), (grid, hidden.numpy())


def caption_images(images, method):
    grid, h0 = (a.numpy() for a in encoder(images, training=False))
    ids = dict(start_id=tokenizer.start_id, end_id=tokenizer.end_id, max_length=MAX_TOKENS)
    if method == "greedy":
        tokens = greedy_decode(step, (grid, h0), **ids)
    else:
        tokens, _ = beam_search(step, (grid, h0), beam_width=3, **ids)
    return [tokenizer.decode(row) for row in tokens]


METHODS = ("greedy", "beam (B=3)")
SPLITS = ("test", "compositional")
generated, results = {}, {}
for split in SPLITS:
    references = splits[split].captions
    for method in METHODS:
        hypotheses = caption_images(splits[split].images, "greedy" if method == "greedy" else "beam")
        generated[split, method] = hypotheses
        results[split, method] = {
            "exact_match": float(np.mean([h == r for h, r in zip(hypotheses, references)])),
            "bleu4": bleu([[r.split()] for r in references], [h.split() for h in hypotheses]),
        }
        print(f"{split:13s} {method:10s} exact match {results[split, method]['exact_match']:.3f}  "
              f"BLEU-4 {results[split, method]['bleu4']:.3f}")

# %%
# .. only:: en
#
#    Held-out scenes and what the captioner says about them, greedy decoding:
#    the top row from the new scenes of the training distribution, the bottom
#    row from the compositional split. A green caption matches the reference
#    exactly; a red one does not, and the reference is printed under it. Both
#    rows show correct and wrong captions where the split has both.
#
# .. only:: ko
#
#    평가용 장면과 캡션 생성기가 붙인 캡션입니다(탐욕 디코딩). 위 줄은 훈련 분포에서
#    새로 뽑은 장면, 아래 줄은 조합 분할의 장면입니다. 초록색 캡션은 정답과 정확히
#    일치하고, 빨간색은 일치하지 않으며 그 아래에 정답을 적었습니다. 분할에 맞은 캡션과
#    틀린 캡션이 모두 있으면 두 가지를 다 보여 줍니다.


def wrap(caption):
    for word in (" above", " below", " left of"):
        caption = caption.replace(word, "\n" + word.strip())
    return caption


def pick(split, count=4):
    """Indices of correct and wrong greedy captions, alternating where both exist."""
    hypotheses, references = generated[split, "greedy"], splits[split].captions
    right = [i for i, (h, r) in enumerate(zip(hypotheses, references)) if h == r]
    wrong = [i for i, (h, r) in enumerate(zip(hypotheses, references)) if h != r]
    chosen = [i for pair in zip(right, wrong) for i in pair][:count]
    rest = iter(right[len(chosen) // 2:] + wrong[len(chosen) // 2:])
    while len(chosen) < count:
        chosen.append(next(rest))
    return chosen


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
#    The scores: exact match (the whole caption right) and corpus BLEU-4, for
#    both decoding methods on both splits.
#
# .. only:: ko
#
#    점수입니다. 두 분할에서 두 디코딩 방법의 정확 일치율(캡션 전체가 맞은 비율)과
#    말뭉치 BLEU-4입니다.

fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.0), sharey=True, layout="constrained")
for axis, metric, title in zip(axes, ("exact_match", "bleu4"), ("exact match", "corpus BLEU-4")):
    for offset, method in zip((-0.2, 0.2), METHODS):
        values = [results[split, method][metric] for split in SPLITS]
        bars = axis.bar(np.arange(2) + offset, values, width=0.38, label=method)
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
#    Where the decoder looks. For one compositional scene, the attention
#    weights over the 4×4 grid while it writes each word (greedy decoding).
#
# .. only:: ko
#
#    디코더가 어디를 보는지 살펴봅니다. 조합 분할의 장면 하나에 대해, 단어를 하나씩 쓸
#    때마다 4×4 격자에 놓이는 어텐션 가중치입니다(탐욕 디코딩).

index = next(i for i, objects in enumerate(splits["compositional"].objects) if len(objects) == 2)
grid, hidden = (a.numpy() for a in encoder(splits["compositional"].images[index:index + 1], training=False))
token, words, maps = np.array([tokenizer.start_id]), [], []
for _ in range(MAX_TOKENS):
    logits, hidden, weights = step_model([token[:, None].astype("int32"), grid, hidden], training=False)
    token, hidden = np.argmax(logits.numpy(), axis=1), hidden.numpy()
    if token[0] == tokenizer.end_id:
        break
    words.append(tokenizer.vocabulary[token[0]])
    maps.append(weights.numpy()[0].reshape(4, 4))
columns = 6
rows = int(np.ceil((len(words) + 1) / columns))
fig, axes = plt.subplots(rows, columns, figsize=(7.2, 1.3 * rows + 0.4), layout="constrained")
axes = axes.ravel()
axes[0].imshow(splits["compositional"].images[index], interpolation="nearest")
axes[0].set_title("scene", fontsize=8)
for axis, word, weights in zip(axes[1:], words, maps):
    axis.imshow(splits["compositional"].images[index], interpolation="nearest")
    axis.imshow(weights, cmap="gray", alpha=0.6, extent=(-0.5, 31.5, 31.5, -0.5), vmin=0, vmax=weights.max())
    axis.set_title(word, fontsize=8)
for axis in axes:
    axis.set_axis_off()
fig.suptitle(f"generated: {' '.join(words)}\nreference: {splits['compositional'].captions[index]}", fontsize=8)
plt.show()

