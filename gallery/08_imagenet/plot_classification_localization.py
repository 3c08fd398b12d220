r"""
Classification and localization with one small network
======================================================

.. title-ko: 작은 신경망 하나로 하는 분류와 위치 추정

.. only:: en

   A small convolutional network with two heads, one for the class and one for
   the box, is trained on one-object scenes from ``ann_lib.datasets.make_scenes``.
   It is scored the way ILSVRC scored its entries: top-1 and top-5 error for
   classification (CLS), and the localization error (LOC), for which a guess
   counts only with the right class *and* a box that overlaps the true box with
   an IoU of at least 0.5. The lecture's three panels, "correct", "bad
   localization" and "bad classification", are then drawn from the network's
   own predictions.

.. only:: ko

   ``ann_lib.datasets.make_scenes``\ 가 만든 물체 하나짜리 장면으로, 클래스를 맞히는
   머리와 상자를 맞히는 머리, 출력이 두 개인 작은 합성곱 신경망을 학습시킵니다.
   점수는 ILSVRC가 참가작을 채점한 방식 그대로 매깁니다. 분류(CLS)는 상위 1 오류율과
   상위 5 오류율로, 위치 추정(LOC)은 클래스가 맞고 *동시에* 상자가 정답 상자와 IoU
   0.5 이상으로 겹쳐야 맞은 것으로 치는 위치 추정 오류율로 잽니다. 마지막으로 강의의
   세 그림, "정답", "잘못된 위치 추정", "잘못된 분류"를 신경망이 실제로 내놓은 예측으로
   그립니다.
"""

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from ann_lib.boxes import iou
from ann_lib.datasets import SCENE_CLASSES, make_scenes
from ann_lib.metrics import localization_error, top_k_error

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "Correct": "맞힘",
    "Bad localization": "위치 추정 실패",
    "Bad classification": "분류 실패",
    "none in\nthe test set": "테스트 세트에\n없음",
    "true: {}\nguess: {}\nIoU {}": "정답: {}\n추측: {}\nIoU {}",
    "red {}": "빨간 {}",
    "blue {}": "파란 {}",
    "square": "정사각형",
    "disc": "원판",
    "triangle": "삼각형",
    "cross": "십자",
    "ring": "고리",
    "diamond": "마름모",
    "IoU, predicted vs true box": "예측한 상자와 정답 상자의 IoU",
    "top-1 err {}, LOC err {}": "상위 1 오류율 {}\nLOC 오류율 {}",  # two lines: Hangul is wider
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    The data: 3,000 training scenes and 600 held-out test scenes of 32×32
#    pixels, twelve classes (six shapes in two colours) on cluttered
#    backgrounds. The network sees pixels scaled to [-1, 1]; its box targets
#    are the corners divided by the image side, so they lie in [0, 1].
#
# .. only:: ko
#
#    데이터는 32×32 픽셀 장면으로, 훈련용 3,000장과 따로 떼어 둔 테스트용 600장입니다.
#    클래스는 열두 개(도형 여섯 가지 × 색 두 가지)이고 배경이 어수선합니다. 신경망에는
#    픽셀 값을 [-1, 1]로 바꿔 넣고, 상자 목표값은 꼭짓점 좌표를 이미지 한 변의 길이로
#    나누어 [0, 1] 범위에 둡니다.

SIZE, N_CLASSES = 32, len(SCENE_CLASSES)
train = make_scenes(3000, size=SIZE, rng=np.random.default_rng(1))
test = make_scenes(600, size=SIZE, rng=np.random.default_rng(2))


def scale_images(images):
    return images * 2.0 - 1.0


def build_classifier_localizer(seed=0):
    """Three convolution + pooling stages, one dense layer, then a class head and a box head."""
    tf.keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()  # the same figure on every build
    inputs = tf.keras.Input((SIZE, SIZE, 3))
    hidden = inputs
    for filters in (16, 32, 64):
        hidden = tf.keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(hidden)
        hidden = tf.keras.layers.MaxPooling2D()(hidden)
    hidden = tf.keras.layers.Flatten()(hidden)
    hidden = tf.keras.layers.Dense(128, activation="relu")(hidden)
    class_logits = tf.keras.layers.Dense(N_CLASSES, name="class")(hidden)
    box = tf.keras.layers.Dense(4, activation="sigmoid", name="box")(hidden)  # corners / SIZE
    return tf.keras.Model(inputs, {"class": class_logits, "box": box})


def train_classifier_localizer(model, scenes, epochs=6, box_weight=20.0):
    """Adam, batches of 64: cross-entropy for the class plus box_weight times the squared box error."""
    model.compile(
        optimizer=tf.keras.optimizers.Adam(2e-3),
        loss={"class": tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), "box": "mse"},
        loss_weights={"class": 1.0, "box": box_weight},
    )
    targets = {"class": scenes.labels, "box": scenes.boxes / SIZE}
    return model.fit(scale_images(scenes.images), targets, batch_size=64, epochs=epochs, shuffle=True, verbose=0)


def predict(model, images):
    """Class scores (N, C) and one box (N, 4) in pixels; the box is made valid (x_min <= x_max)."""
    outputs = model(scale_images(images), training=False)
    corners = outputs["box"].numpy() * SIZE
    boxes = np.concatenate([np.minimum(corners[:, :2], corners[:, 2:]), np.maximum(corners[:, :2], corners[:, 2:])], 1)
    return outputs["class"].numpy(), boxes


model = build_classifier_localizer()
history = train_classifier_localizer(model, train)
print(f"parameters: {model.count_params()}")
print("training loss per epoch:", np.round(history.history["loss"], 3))

# %%
# .. only:: en
#
#    The scores, all computed by ``ann_lib.metrics`` on the held-out scenes.
#    The network predicts one box; ILSVRC allowed a box per guess, so each of
#    the five guesses gets that same box.
#
# .. only:: ko
#
#    점수는 모두 ``ann_lib.metrics``\ 가 테스트 장면에서 계산합니다. 이 신경망은 상자를
#    하나만 내놓습니다. ILSVRC는 추측마다 상자를 하나씩 낼 수 있었으므로, 다섯 추측에
#    모두 같은 상자를 붙입니다.

scores, predicted_boxes = predict(model, test.images)
top1_error = top_k_error(scores, test.labels, k=1)
top5_error = top_k_error(scores, test.labels, k=5)
top5_labels = np.argsort(-scores, axis=1, kind="stable")[:, :5]
five_boxes = np.repeat(predicted_boxes[:, None, :], 5, axis=1)
localization = localization_error(top5_labels, five_boxes, test.labels, test.boxes)
one_guess = localization_error(top5_labels[:, :1], five_boxes[:, :1], test.labels, test.boxes)
box_iou = iou(predicted_boxes, test.boxes)

print(f"top-1 error {top1_error:.3f} (top-1 accuracy {1 - top1_error:.3f})")
print(f"top-5 error {top5_error:.3f}")
print(f"localization error, 5 guesses (ILSVRC rule): {localization.error:.3f}")
print(f"localization error, 1 guess: {one_guess.error:.3f}")
for outcome in ("correct", "bad localization", "bad classification"):
    print(f"  1 guess, {outcome:18s}: {np.sum(one_guess.outcomes == outcome)} of {len(test.labels)}")
print(f"median IoU of the predicted box with the true box: {np.median(box_iou):.2f}")

# %%
# .. only:: en
#
#    With twelve classes, five guesses almost always include the right one, so
#    the panels use the network's single best guess (top-1) to find one test
#    scene of each kind. Green: the true box; orange: the predicted box.
#
# .. only:: ko
#
#    클래스가 열두 개뿐이면 다섯 번 추측에 정답이 거의 언제나 들어 있으므로, 세 그림은
#    신경망의 가장 좋은 추측 하나(상위 1)로 각 경우에 해당하는 테스트 장면을 하나씩
#    찾습니다. 초록색은 정답 상자, 주황색은 예측한 상자입니다.

titles = {"correct": "Correct", "bad localization": "Bad localization", "bad classification": "Bad classification"}
fig, axes = plt.subplots(1, 4, figsize=(7.2, 2.4), layout="constrained",
                         gridspec_kw={"width_ratios": [1, 1, 1, 1.3]})
for axis, (outcome, title) in zip(axes, titles.items()):
    found = np.flatnonzero(one_guess.outcomes == outcome)
    axis.set_title(title, fontsize="small")
    axis.set_xticks([])
    axis.set_yticks([])
    if len(found) == 0:
        axis.text(0.5, 0.5, "none in\nthe test set", ha="center", va="center", transform=axis.transAxes)
        continue
    index = found[0]
    axis.imshow(test.images[index], extent=(0, SIZE, SIZE, 0))
    for box, colour in ((test.boxes[index], "lime"), (predicted_boxes[index], "orange")):
        axis.add_patch(plt.Rectangle(box[:2], box[2] - box[0], box[3] - box[1], fill=False, color=colour, lw=1.5))
    axis.set_xlabel(f"true: {SCENE_CLASSES[test.labels[index]]}\nguess: {SCENE_CLASSES[top5_labels[index, 0]]}\n"
                    f"IoU {box_iou[index]:.3f}", fontsize="x-small")
axes[3].hist(box_iou, bins=np.linspace(0, 1, 21), color="C1")
axes[3].axvline(0.5, color="k", linestyle="--", linewidth=1)
axes[3].set_xlabel("IoU, predicted vs true box", fontsize="small")
axes[3].set_title(f"top-1 err {top1_error:.3f}, LOC err {localization.error:.3f}", fontsize="small")
axes[3].tick_params(labelsize="x-small")
plt.show()
