r"""
Scenes, captions and a compositional split
==========================================

.. title-ko: 장면과 캡션, 그리고 조합 분할

.. only:: en

   The data the chapter's captioner learns from, before any model: the
   synthetic scenes of ``ann_lib.datasets.captions`` (they stand in for
   photographs; they are not photographs), the one caption each scene has, the
   token ids a decoder reads and writes, and the split that keeps three
   colour–shape pairs out of training to test whether a model can compose
   colours and shapes it knows into a pair it has never seen.

.. only:: ko

   이 장의 캡션 생성기가 배우는 데이터를 모델 없이 살펴봅니다.
   ``ann_lib.datasets.captions``\ 의 합성 장면(사진을 대신할 뿐 사진이 아닙니다),
   장면마다 하나뿐인 캡션, 디코더가 읽고 쓰는 토큰 번호, 그리고 색–모양 조합 세
   가지를 훈련에서 빼 둔 분할입니다. 이 분할은 모델이 아는 색과 아는 모양을 한 번도
   보지 못한 조합으로 엮을 수 있는지 시험합니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.datasets import CAPTION_COLORS, CAPTION_SHAPES, HELD_OUT_PAIRS, caption_splits, caption_tokenizer

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "Training scenes and their captions": "훈련 장면과 그 캡션",
    "Objects per colour–shape pair (outlined: held out of training)":
        "색–모양 조합별 물체 수(테두리: 훈련에서 뺀 조합)",
    "training\n(first {} of 6,000 scenes)": "훈련\n(장면 6,000개 가운데 처음 {}개)",
    "new scenes\n({} scenes)": "새 장면\n(장면 {}개)",
    "compositional\n({} scenes)": "조합 분할\n(장면 {}개)",
}
#: the captions and the tick labels are the data set's English words, which the Korean chapter quotes as they are
KEPT_IN_LATIN = {"small", "large", "red", "green", "blue", "yellow", "white", "circle", "square", "triangle",
                 "left", "of", "above", "below"}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    A scene is 32×32 pixels with one to three objects in different columns of
#    a 3×3 grid. Its caption names the objects from left to right and says,
#    between neighbours, whether the left one sits higher (``above``), lower
#    (``below``) or in the same row (``left of``). The reading order is fixed,
#    so every scene has exactly one caption. The first training scenes:
#
# .. only:: ko
#
#    장면은 32×32 픽셀이고, 물체 한 개에서 세 개가 3×3 격자의 서로 다른 열에 놓입니다.
#    캡션은 물체를 왼쪽부터 차례로 말하고, 이웃한 두 물체 사이에는 왼쪽 물체가 더 높은
#    행에 있으면 ``above``, 더 낮으면 ``below``, 같은 행이면 ``left of``\ 라고 씁니다.
#    읽는 순서가 정해져 있으니 장면마다 캡션은 정확히 하나입니다. 처음 몇 개의 훈련
#    장면입니다.

# The captioner trains on the first 6,000 scenes of this generator; the first 1,000 are the same
# scenes, and enough to count what the splits hold.
N_TRAIN = 1000
splits = caption_splits(n_train=N_TRAIN, n_test=500, n_compositional=500, seed=0)
train = splits["train"]


def wrap(caption):
    for word in (" above", " below", " left of"):
        caption = caption.replace(word, "\n" + word.strip())
    return caption


fig, axes = plt.subplots(2, 4, figsize=(7.2, 4.6), layout="constrained")
for index, axis in enumerate(axes.ravel()):
    axis.imshow(train.images[index], interpolation="nearest")
    axis.set_xticks([])
    axis.set_yticks([])
    axis.set_xlabel(wrap(train.captions[index]), fontsize=7)
fig.suptitle("Training scenes and their captions", fontsize=10)
plt.show()

# %%
# .. only:: en
#
#    The vocabulary is the fifteen words a caption can hold plus four tokens:
#    ``<pad>`` fills a batch to one length, ``<start>`` is the decoder's first
#    input, ``<end>`` its last output, and ``<unk>`` stands for any other word.
#    For training with teacher forcing a row of ids gives two: the decoder reads
#    the row without its last id and must predict the row without its first, so
#    at every step the target is the next word; a padded step carries no weight.
#
# .. only:: ko
#
#    어휘는 캡션에 나올 수 있는 단어 열다섯 개에 토큰 네 개를 더한 것입니다. ``<pad>``\ 는
#    배치의 길이를 맞추고, ``<start>``\ 는 디코더의 첫 입력, ``<end>``\ 는 마지막
#    출력이며, ``<unk>``\ 는 그 밖의 모든 단어를 나타냅니다. 교사 강요로 학습할 때는 번호
#    행 하나가 둘이 됩니다. 디코더는 마지막 번호를 뺀 행을 읽고 첫 번호를 뺀 행을
#    예측해야 하므로, 스텝마다 목표는 다음 단어입니다. 패딩 스텝에는 가중치가 없습니다.

tokenizer = caption_tokenizer()
print(f"{len(tokenizer)} tokens:", " ".join(tokenizer.vocabulary))
ids = tokenizer.encode_batch(train.captions[2:3], 18)[0]  # 18 ids: <start>, at most 16 words, <end>
print("caption:      ", train.captions[2])
print("ids:          ", ids.tolist())
print("decoder reads:", " ".join(tokenizer.vocabulary[i] for i in ids[:-1][:6]), "...")
print("and predicts: ", " ".join(tokenizer.vocabulary[i] for i in ids[1:][:6]), "...")
print("weights:      ", (ids[1:] != tokenizer.pad_id).astype(int).tolist())

# %%
# .. only:: en
#
#    The split. Training scenes and the new scenes of the first held-out split
#    draw every object from twelve of the fifteen colour–shape pairs; every
#    scene of the compositional split holds at least one of the other three.
#    Each colour and each shape of a held-out pair is common in training, only
#    never together: a model that has learned colour and shape as separate
#    properties could name a red triangle; one that has learned the twelve pairs
#    as wholes cannot.
#
# .. only:: ko
#
#    분할입니다. 훈련 장면과 첫 평가용 분할의 새 장면은 색–모양 조합 열다섯 가지 가운데
#    열두 가지에서만 물체를 뽑고, 조합 분할의 장면은 모두 나머지 세 가지를 적어도 하나
#    담습니다. 뺀 조합의 색과 모양은 각각 훈련에 흔하게 나오지만 함께 나오지는 않습니다.
#    색과 모양을 따로따로의 속성으로 배운 모델이라면 빨간 삼각형을 말할 수 있고, 조합
#    열두 가지를 통째로 배운 모델이라면 말하지 못합니다.

colors, shapes = list(CAPTION_COLORS), list(CAPTION_SHAPES)


def pair_counts(split):
    """Objects per (colour, shape): a (5, 3) array."""
    counts = np.zeros((len(colors), len(shapes)), dtype=int)
    for objects in split.objects:
        for color, shape, *_ in objects:
            counts[colors.index(color), shapes.index(shape)] += 1
    return counts


counts = {name: pair_counts(split) for name, split in splits.items()}
for name, table in counts.items():
    held_out = sum(table[colors.index(c), shapes.index(s)] for c, s in HELD_OUT_PAIRS)
    print(f"{name:13s} {len(splits[name].captions):4d} scenes, {table.sum():5d} objects, {held_out:4d} of a held-out pair")

titles = {"train": "training\n(first {} of 6,000 scenes)", "test": "new scenes\n({} scenes)",
          "compositional": "compositional\n({} scenes)"}
fig, axes = plt.subplots(1, 3, figsize=(7.2, 3.4), layout="constrained")
for axis, (name, table) in zip(axes, counts.items()):
    axis.imshow(table, cmap="Blues", vmin=0, vmax=table.max() * 1.3)
    for (row, column), value in np.ndenumerate(table):
        axis.text(column, row, str(value), ha="center", va="center", fontsize=8)
    for color, shape in HELD_OUT_PAIRS:
        axis.add_patch(plt.Rectangle((shapes.index(shape) - 0.5, colors.index(color) - 0.5), 1, 1,
                                     fill=False, edgecolor="tab:red", linewidth=2))
    axis.set_xticks(range(len(shapes)), shapes, fontsize=8)
    axis.set_yticks(range(len(colors)), colors, fontsize=8)
    axis.set_title(titles[name].format(f"{len(splits[name].captions):,}"), fontsize=9)
fig.suptitle("Objects per colour–shape pair (outlined: held out of training)", fontsize=10)
plt.show()
