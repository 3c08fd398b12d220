r"""
A single-shot grid detector, non-maximum suppression and mAP
============================================================

.. title-ko: 한 번에 보는 격자 탐지기, 비최대 억제, mAP

.. only:: en

   Detection (DET) asks for every object in the image. A small convolutional
   network divides a 48×48 scene into a 6×6 grid of cells; each cell predicts
   whether an object's centre falls into it (objectness), which of the twelve
   classes it is, and its box. Overlapping predictions of one object are
   thinned by non-maximum suppression (``ann_lib.boxes``), and the detector is
   scored by average precision per class at IoU 0.5, and their mean, mAP@0.5
   (``ann_lib.metrics``).

.. only:: ko

   탐지(DET)는 이미지 속 물체를 모두 찾아야 합니다. 작은 합성곱 신경망이 48×48 장면을
   6×6 격자 칸으로 나누고, 칸마다 물체의 중심이 그 칸에 있는지(물체일 확률), 열두
   클래스 중 무엇인지, 그리고 그 상자를 예측합니다. 한 물체에 대한 겹친 예측은
   비최대 억제(``ann_lib.boxes``)로 솎아 내고, 탐지기는 IoU 0.5에서 클래스마다 잰 평균
   정밀도와 그 평균인 mAP@0.5(``ann_lib.metrics``)로 채점합니다.
"""

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from ann_lib.boxes import non_max_suppression
from ann_lib.datasets import SCENE_CLASSES, make_detection_scenes
from ann_lib.metrics import mean_average_precision

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "square {}": "정사각형 {}",
    "disc {}": "원판 {}",
    "triangle {}": "삼각형 {}",
    "cross {}": "십자 {}",
    "ring {}": "고리 {}",
    "diamond {}": "마름모 {}",
    "recall": "재현율",
    "precision": "정밀도",
    "12 classes, mAP@0.5 = {}": "클래스 12개, mAP@0.5 = {}",
}
KEPT_IN_LATIN = {"mAP"}  # mean average precision, as the chapter writes it
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    The data: 1,200 training and 400 held-out scenes with two to four objects
#    each. The target of a grid cell is zero unless an object's centre lies in
#    it; then it holds 1 (objectness), the class, the centre's position inside
#    the cell (two numbers in [0, 1]) and the box's width and height divided by
#    the image side.
#
# .. only:: ko
#
#    데이터는 물체가 두 개에서 네 개 있는 장면으로, 훈련용 1,200장과 테스트용 400장입니다.
#    격자 칸의 목표값은 물체의 중심이 그 칸에 있을 때만 채워집니다. 그때는 1(물체),
#    클래스, 칸 안에서 중심의 위치([0, 1] 범위의 두 수), 그리고 상자의 너비와 높이를
#    이미지 한 변의 길이로 나눈 값이 들어갑니다.

SIZE, GRID, N_CLASSES = 48, 6, len(SCENE_CLASSES)
CELL = SIZE // GRID
train = make_detection_scenes(1200, size=SIZE, rng=np.random.default_rng(3))
test = make_detection_scenes(400, size=SIZE, rng=np.random.default_rng(4))


def grid_targets(scenes):
    """(N, GRID, GRID, 6): objectness, class, centre x and y in the cell, width and height / SIZE."""
    targets = np.zeros((len(scenes.images), GRID, GRID, 6), dtype=np.float32)
    for n, (labels, boxes) in enumerate(zip(scenes.labels, scenes.boxes)):
        for label, (x0, y0, x1, y1) in zip(labels, boxes):
            cx, cy = (x0 + x1) / 2 / CELL, (y0 + y1) / 2 / CELL
            column, row = int(cx), int(cy)
            targets[n, row, column] = [1, label, cx - column, cy - row, (x1 - x0) / SIZE, (y1 - y0) / SIZE]
    return targets


def build_detector(seed=0):
    """Four 3×3 convolutions with batch normalization, three poolings (48 -> 6), a 1×1 output layer."""
    tf.keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()  # the same figure on every build
    inputs = tf.keras.Input((SIZE, SIZE, 3))
    hidden = inputs
    for filters, pool in ((16, True), (32, True), (64, True), (64, False)):
        hidden = tf.keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(hidden)
        hidden = tf.keras.layers.BatchNormalization(momentum=0.9)(hidden)
        hidden = tf.keras.layers.ReLU()(hidden)
        if pool:
            hidden = tf.keras.layers.MaxPooling2D()(hidden)
    outputs = tf.keras.layers.Conv2D(1 + N_CLASSES + 4, 1)(hidden)  # objectness, classes, box
    return tf.keras.Model(inputs, outputs)


def detection_loss(targets, outputs):
    """Objectness cross-entropy on every cell; class cross-entropy and box error on cells with an object."""
    has_object = targets[..., 0]
    objectness = tf.nn.sigmoid_cross_entropy_with_logits(has_object, outputs[..., 0])
    class_loss = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.cast(targets[..., 1], tf.int32),
                                                                outputs[..., 1:1 + N_CLASSES])
    box_loss = tf.reduce_sum(tf.square(tf.sigmoid(outputs[..., 1 + N_CLASSES:]) - targets[..., 2:]), axis=-1)
    n_objects = tf.maximum(tf.reduce_sum(has_object), 1.0)
    return (tf.reduce_sum(objectness) + tf.reduce_sum(has_object * class_loss)
            + 5.0 * tf.reduce_sum(has_object * box_loss)) / n_objects


def train_detector(model, scenes, epochs=5, batch_size=32, learning_rate=2e-3):
    """Adam at a constant learning rate; returns the mean training loss per epoch."""
    optimizer = tf.keras.optimizers.Adam(learning_rate)

    @tf.function
    def step(images, targets):
        with tf.GradientTape() as tape:
            loss = detection_loss(targets, model(images, training=True))
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
        return loss

    data = tf.data.Dataset.from_tensor_slices((scenes.images * 2 - 1, grid_targets(scenes)))
    losses = []
    for epoch in range(epochs):  # full batches only: a last, smaller batch would trace `step` again
        batches = data.shuffle(len(scenes.images), seed=epoch).batch(batch_size, drop_remainder=True)
        batch_losses = [float(step(images, targets)) for images, targets in batches]
        losses.append(np.mean(batch_losses))
    return losses


def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    """Per image: boxes (D, 4), labels (D,), scores (D,) after non-maximum suppression per class."""
    outputs = model(images * 2 - 1, training=False).numpy()
    objectness = 1 / (1 + np.exp(-outputs[..., 0]))
    logits = outputs[..., 1:1 + N_CLASSES]
    probabilities = np.exp(logits - logits.max(-1, keepdims=True))
    probabilities /= probabilities.sum(-1, keepdims=True)
    box = 1 / (1 + np.exp(-outputs[..., 1 + N_CLASSES:]))
    rows, columns = np.mgrid[0:GRID, 0:GRID]
    cx, cy = (columns + box[..., 0]) * CELL, (rows + box[..., 1]) * CELL
    half_w, half_h = box[..., 2] * SIZE / 2, box[..., 3] * SIZE / 2
    all_boxes = np.stack([cx - half_w, cy - half_h, cx + half_w, cy + half_h], -1).reshape(len(images), -1, 4)
    all_scores = (objectness * probabilities.max(-1)).reshape(len(images), -1)
    all_labels = probabilities.argmax(-1).reshape(len(images), -1)
    detections = []
    for boxes, scores, labels in zip(all_boxes, all_scores, all_labels):
        keep = scores > score_threshold
        boxes, scores, labels = boxes[keep], scores[keep], labels[keep]
        kept = [index for label in np.unique(labels) for index in
                np.flatnonzero(labels == label)[non_max_suppression(boxes[labels == label], scores[labels == label],
                                                                    iou_threshold)]]
        kept = np.array(sorted(kept, key=lambda i: -scores[i]), dtype=int)
        detections.append((boxes[kept].reshape(-1, 4), labels[kept], scores[kept]))
    return detections


detector = build_detector()
losses = train_detector(detector, train)
print(f"parameters: {detector.count_params()}")
print("training loss per epoch:", np.round(losses, 3))

# %%
# .. only:: en
#
#    Detections on the held-out scenes, and mAP@0.5. The raw grid makes 36
#    predictions per scene; keeping those that score above 0.05 and suppressing
#    overlaps leaves a short list per image.
#
# .. only:: ko
#
#    테스트 장면에서 탐지하고 mAP@0.5를 잽니다. 격자는 장면마다 예측 36개를 내놓습니다.
#    점수가 0.05를 넘는 것만 남기고 겹친 것을 억제하면 이미지마다 짧은 목록이 남습니다.

detections = detect(detector, test.images)
before_nms = detect(detector, test.images, iou_threshold=1.0)
result = mean_average_precision([d[0] for d in detections], [d[1] for d in detections], [d[2] for d in detections],
                                list(test.boxes), list(test.labels), n_classes=N_CLASSES)
without_nms = mean_average_precision([d[0] for d in before_nms], [d[1] for d in before_nms],
                                     [d[2] for d in before_nms], list(test.boxes), list(test.labels),
                                     n_classes=N_CLASSES)
print(f"objects in the test scenes: {int(result.n_positives.sum())}")
print(f"detections kept: {sum(len(d[2]) for d in detections)} (without suppression: "
      f"{sum(len(d[2]) for d in before_nms)})")
print("AP@0.5 per class:", np.round(result.ap, 3))
print(f"mAP@0.5 = {result.mean_ap:.3f}   (without non-maximum suppression: {without_nms.mean_ap:.3f})")

# %%
# .. only:: en
#
#    Left: three test scenes with the detections that score above 0.3 (orange)
#    and the true boxes (green). Right: the precision-recall curve of every
#    class, all detections of the class over the 400 scenes ranked by score.
#
# .. only:: ko
#
#    왼쪽은 테스트 장면 세 장에 점수가 0.3을 넘는 탐지(주황색)와 정답 상자(초록색)를 그린
#    것입니다. 오른쪽은 클래스마다 400장에 걸친 모든 탐지를 점수순으로 늘어놓고 그린
#    정밀도-재현율 곡선입니다.

fig = plt.figure(figsize=(7.2, 3.0), layout="constrained")
panels = fig.subfigures(1, 2, width_ratios=[1.6, 1])
scene_axes = panels[0].subplots(1, 3)
for axis, index in zip(scene_axes, range(3)):
    axis.imshow(test.images[index], extent=(0, SIZE, SIZE, 0))
    for x0, y0, x1, y1 in test.boxes[index]:
        axis.add_patch(plt.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, color="lime", lw=1.2))
    for (x0, y0, x1, y1), label, score in zip(*detections[index]):
        if score > 0.3:
            axis.add_patch(plt.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, color="orange", lw=1.2))
            axis.text(x0, y0 - 1, f"{SCENE_CLASSES[label].split()[1]} {score:.2f}", color="orange", fontsize=5)
    axis.set_xticks([])
    axis.set_yticks([])
curve_axis = panels[1].subplots()
for label in range(N_CLASSES):
    order = np.argsort(-result.scores[label], kind="stable")
    hits = result.is_true_positive[label][order]
    recall = np.cumsum(hits) / result.n_positives[label]
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    curve_axis.plot(recall, precision, linewidth=0.8, color=f"C{label % 10}", alpha=0.8)
curve_axis.set_xlabel("recall")
curve_axis.set_ylabel("precision")
curve_axis.set_xlim(0, 1.02)
curve_axis.set_ylim(0, 1.02)
curve_axis.set_title(f"12 classes, mAP@0.5 = {result.mean_ap:.3f}", fontsize="small")
curve_axis.grid(True, alpha=0.3)
plt.show()
