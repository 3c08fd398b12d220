r"""
A small CNN from scratch: what it learns and where it fails
===========================================================

.. title-ko: 처음부터 만든 작은 CNN: 무엇을 배우고 어디서 틀리는가

.. only:: en

   The chapter's convolutional network, written with ``ann_lib`` alone (numpy),
   trained once on scikit-learn's 8 x 8 digits, and looked at four ways: the
   filters of its first layer and their orientation tuning, the feature maps
   one digit produces layer by layer, the confusion matrix on the test set, and
   the test digits it gets wrong.

.. only:: ko

   이 장의 합성곱 신경망을 ``ann_lib`` (numpy)만으로 만들어 scikit-learn의 8×8 숫자
   데이터로 한 번 학습시키고, 네 가지로 들여다봅니다. 첫 층의 필터와 그 방향 선택성,
   숫자 하나가 층을 지나며 만드는 특성 맵, 테스트 세트의 혼동 행렬, 그리고 틀린 테스트
   숫자들입니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.cnn import layer_outputs, predict_labels, train_digits_cnn
from ann_lib.datasets import load_digits
from ann_lib.metrics import accuracy, confusion_matrix
from ann_lib.orientation import tuning_curves

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "silent": "반응 없음",
    "learned 5x5 filters (preferred orientation, selectivity) and their tuning curves":
        "학습된 5×5 필터(선호 방향, 방향 선택성)와 조율 곡선",
    "bar orientation (degrees)": "막대 방향(도)",
    "input\n{}": "입력\n{}",
    "conv 5x5 + ReLU\n{}":
        "합성곱 5×5 + ReLU\n{}",
    "conv 3x3 + ReLU\n{}":
        "합성곱 3×3 + ReLU\n{}",
    "max pool\n{}": "최대 풀링\n{}",
    "one test digit (label {}) through the network": "테스트 숫자 하나(레이블 {})가 신경망을 지나는 모습",
    "predicted digit": "예측한 숫자",
    "true digit": "실제 숫자",
    "numpy CNN, test accuracy {}": "numpy CNN, 테스트 정확도 {}",
    "true {}, pred {}": "실제 {}, 예측 {}",
    "{} of {} test digits misclassified": "테스트 숫자 {1}개 중 {0}개를 잘못 분류",
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    The fixed stratified split (1347 training and 450 test images) and the
#    chapter's training recipe: 10 epochs of Adam on mini-batches of 32, seeded,
#    so the network is the same on every run.
#
# .. only:: ko
#
#    고정된 층화 분할(훈련용 1,347장, 테스트용 450장)과 이 장의 학습 방법을 그대로
#    씁니다. 크기 32인 미니배치로 Adam을 10에포크 돌리고 시드를 고정했으므로, 실행할
#    때마다 같은 신경망이 나옵니다.

X_train, X_test, y_train, y_test = load_digits(layout="nhwc")
model, history = train_digits_cnn(X_train, y_train)
y_pred = predict_labels(model, X_test)
print(model)
print("loss per epoch:", np.round(history.loss, 3))
print(f"test accuracy: {accuracy(y_test, y_pred):.4f}")

# %%
# .. only:: en
#
#    **The first layer's filters.** The sixteen 5 x 5 kernels the network
#    learned (red excites, blue inhibits), each above its tuning curve: the
#    unit's response to bars of light at every orientation, measured exactly as
#    for the Gabor filters (the bias included, rectified). They are sorted by
#    orientation selectivity, from 1 (one orientation only) to 0 (all alike).
#    Many units come out orientation-selective, with one clear peak; others
#    answer a broad range, and a unit may stay silent for every bright bar.
#    Nothing told them to prefer orientations: ten epochs of telling digits
#    apart were enough.
#
# .. only:: ko
#
#    **첫 층의 필터.** 신경망이 학습한 5×5 커널 열여섯 개(빨간색은 흥분, 파란색은 억제)를
#    그 아래의 방향 조율 곡선과 함께 보여 줍니다. 조율 곡선은 모든 방향의 빛 막대에 대한
#    유닛의 반응을 가보르 필터 때와 똑같이(편향을 더하고 정류해서) 잰 것입니다. 필터는 방향
#    선택성이 높은 순서로, 곧 1(한 방향에만 반응)에서 0(모든 방향에 똑같이 반응) 순서로
#    놓았습니다. 많은 유닛이 봉우리 하나가 뚜렷한 방향 선택적 유닛이 되었고, 어떤 유닛은
#    넓은 범위에 반응하며, 밝은 막대에는 전혀 반응하지 않는 유닛도 있을 수 있습니다. 방향을
#    가리라고 알려 준 적은 없습니다. 숫자를 구별하는 학습 10에포크면 충분했습니다.

first = model.layers[0]
kernels, biases = first.params["W"], first.params["b"]
angles = np.arange(0.0, 180.0, 5.0)
curves = tuning_curves(kernels, angles, biases)  # (angles, 16)
preferred = angles[curves.argmax(axis=0)]
# orientation selectivity: the length of the mean response vector on the doubled-angle circle,
# 1 for a unit that answers one orientation only, 0 for one that answers all alike
doubled = np.exp(2j * np.deg2rad(angles))[:, None]
total = curves.sum(axis=0)
selectivity = np.abs((curves * doubled).sum(axis=0)) / np.where(total > 0, total, 1.0)
order = np.argsort(-selectivity)  # most orientation-selective first
print("orientation selectivity, sorted:", np.round(selectivity[order], 2))

fig, axes = plt.subplots(
    4, 8, figsize=(7.2, 3.9), layout="constrained", gridspec_kw={"height_ratios": [1, 0.7, 1, 0.7]}
)
limit = np.abs(kernels).max()
for position, unit in enumerate(order):
    row, column = 2 * (position // 8), position % 8
    image_axis, curve_axis = axes[row, column], axes[row + 1, column]
    image_axis.imshow(kernels[:, :, 0, unit], cmap="RdBu_r", vmin=-limit, vmax=limit)
    image_axis.set_xticks([])
    image_axis.set_yticks([])
    if total[unit] > 0:
        image_axis.set_title(f"{preferred[unit]:g}°, {selectivity[unit]:.2f}", fontsize=7)
        curve_axis.plot(angles, curves[:, unit], color="black")
    else:
        image_axis.set_title("silent", fontsize=7)
    curve_axis.set_xlim(0, 180)
    curve_axis.set_ylim(bottom=0)
    curve_axis.set_xticks([0, 90, 180], ["0", "90", "180"] if row == 2 else [], fontsize=6)
    curve_axis.set_yticks([])
fig.suptitle("learned 5x5 filters (preferred orientation, selectivity) and their tuning curves", fontsize=9)
fig.supxlabel("bar orientation (degrees)", fontsize=8)
plt.show()

# %%
# .. only:: en
#
#    **Feature maps.** One test digit on its way through the network. Each small
#    image is one channel: after the first convolution and ReLU (16 maps of
#    8 x 8), after max pooling (4 x 4), after the second convolution and ReLU
#    (32 maps of 4 x 4, the first 16 shown) and after the second pooling (2 x 2).
#    One colour scale per layer, dark for 0. The maps shrink and grow more
#    abstract; the last 2 x 2 x 32 = 128 numbers are all the dense layers see.
#
# .. only:: ko
#
#    **특성 맵.** 테스트 숫자 하나가 신경망을 지나가는 모습입니다. 작은 그림 하나가 채널
#    하나입니다. 첫 합성곱과 ReLU를 지난 뒤(8×8 맵 16개), 최대 풀링 뒤(4×4), 두 번째
#    합성곱과 ReLU 뒤(4×4 맵 32개 가운데 앞의 16개), 두 번째 풀링 뒤(2×2)입니다.
#    색 척도는 층마다 하나이고, 0이 가장 어둡습니다. 맵은 작아지면서 점점 추상적이 되고,
#    마지막 2×2×32 = 128개의 수가 완전 연결 층이 보는 전부입니다.

digit_index = int(np.flatnonzero(y_pred == y_test)[0])  # the first correctly classified test digit
digit = X_test[digit_index : digit_index + 1]
outputs = layer_outputs(model, digit)
# (index of the layer whose output is shown, maps shown, label)
stages = [
    (0, 1, "input"),
    (1, 16, "conv 5x5 + ReLU"),
    (2, 16, "max pool"),
    (4, 16, "conv 3x3 + ReLU"),
    (5, 16, "max pool"),
]
fig, axes = plt.subplots(len(stages), 16, figsize=(7.2, 2.9), layout="constrained")
for row, (layer_index, count, label) in enumerate(stages):
    maps = digit[0] if label == "input" else outputs[layer_index][1][0]
    for column in range(16):
        axis = axes[row, column]
        axis.set_xticks([])
        axis.set_yticks([])
        if column < count:
            # one colour scale per layer, so that maps of one layer can be compared
            axis.imshow(maps[:, :, column], cmap="gray_r" if label == "input" else "viridis", vmin=0, vmax=maps.max())
        else:
            axis.set_axis_off()
    shape = "x".join(str(s) for s in maps.shape)
    axes[row, 0].set_ylabel(f"{label}\n{shape}", rotation=0, ha="right", va="center", fontsize=7)
fig.suptitle(f"one test digit (label {y_test[digit_index]}) through the network", fontsize=9)
plt.show()

# %%
# .. only:: en
#
#    **Confusion matrix.** Rows are the true digits, columns the predicted ones;
#    everything off the diagonal is a mistake.
#
# .. only:: ko
#
#    **혼동 행렬.** 행은 실제 숫자, 열은 예측한 숫자입니다. 대각선 밖의 수는 모두 틀린
#    예측입니다.

matrix = confusion_matrix(y_test, y_pred, 10)
fig, axis = plt.subplots(figsize=(4.4, 3.8), layout="constrained")
image = axis.imshow(matrix, cmap="Blues")
for true in range(10):
    for predicted in range(10):
        if matrix[true, predicted]:
            color = "white" if matrix[true, predicted] > matrix.max() / 2 else "black"
            axis.text(predicted, true, str(matrix[true, predicted]), ha="center", va="center", fontsize=8, color=color)
axis.set_xticks(range(10))
axis.set_yticks(range(10))
axis.set_xlabel("predicted digit")
axis.set_ylabel("true digit")
axis.set_title(f"numpy CNN, test accuracy {accuracy(y_test, y_pred):.1%}", fontsize=9)
fig.colorbar(image, ax=axis, shrink=0.8)
plt.show()

# %%
# .. only:: en
#
#    **The mistakes.** Every misclassified test digit, with its true label and
#    the network's guess. Many are hard for a person too at 8 x 8 pixels.
#
# .. only:: ko
#
#    **틀린 숫자.** 잘못 분류한 테스트 숫자를 모두, 실제 레이블과 신경망의 예측과 함께
#    보여 줍니다. 8×8 픽셀에서는 사람이 보기에도 어려운 것이 많습니다.

wrong = np.flatnonzero(y_pred != y_test)
columns = 8
rows = max(1, int(np.ceil(len(wrong) / columns)))
fig, axes = plt.subplots(rows, columns, figsize=(7.2, 1.05 * rows + 0.3), layout="constrained", squeeze=False)
for axis in axes.flat:
    axis.set_axis_off()
for axis, index in zip(axes.flat, wrong):
    axis.imshow(X_test[index, :, :, 0], cmap="gray_r")
    axis.set_title(f"true {y_test[index]}, pred {y_pred[index]}", fontsize=7)
fig.suptitle(f"{len(wrong)} of {len(y_test)} test digits misclassified", fontsize=9)
plt.show()
