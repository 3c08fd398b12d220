r"""
Which learning rate? Depth makes the answer narrower
====================================================

.. title-ko: 어떤 학습률을 써야 할까: 층이 깊을수록 답이 좁아진다

.. only:: en

   The lecture's second cause of the second winter is that there was no
   theory for choosing a network's parameters, only know-how. Here is the
   know-how problem made concrete: sigmoid networks with the naive
   initialization :math:`\mathcal N(0, 0.01^2)`, one to nine hidden layers of
   64 units, each trained for 20 epochs with seven learning rates; then the
   same sweep for the nine-hidden-layer sigmoid network with Glorot's
   initialization, and for a nine-hidden-layer ReLU network with He's.
   Each cell is the accuracy on a validation set held out from the training
   set (the test set is not touched).

.. only:: ko

   강의가 꼽은 두 번째 빙하기의 둘째 원인은 파라미터를 고를 이론이 없고 노하우만
   있었다는 것입니다. 여기서는 그 문제를 눈에 보이게 만듭니다. 나이브 초기화
   :math:`\mathcal N(0, 0.01^2)`\ 를 쓴 시그모이드 신경망에 64개 유닛의 은닉층을 한
   개에서 아홉 개까지 두고, 학습률 일곱 가지로 각각 20에포크 동안 학습시킵니다.
   이어서 Glorot 초기화를 쓴 은닉층 아홉 개의 시그모이드 신경망과, He 초기화를 쓴
   은닉층 아홉 개의 ReLU 신경망도 똑같이 훑어봅니다. 칸마다 적힌 수는
   훈련 세트에서 떼어 둔 검증 세트의 정확도입니다(테스트 세트는 건드리지 않습니다).
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.datasets import load_digits
from ann_lib.losses import SoftmaxCrossEntropy
from ann_lib.metrics import accuracy
from ann_lib.network import mlp
from ann_lib.training import TrainingDiverged, fit

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "{}, N(0, 0.01²), {} hidden": "{0}, N(0, 0.01²), 은닉층 {1}개",
    "{}, Glorot, {} hidden": "{0}, Glorot, 은닉층 {1}개",
    "{}, He, {} hidden": "{0}, He, 은닉층 {1}개",
    "div": "발산",
    "learning rate $\\eta$": "학습률 $\\eta$",
    "Validation accuracy after 20 epochs": "20 에포크 뒤의 검증 정확도",
    "accuracy": "정확도",
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    A validation split: the last 269 of the 1347 training images. Every run
#    starts from the same seed, so a row differs from the next only in depth
#    and a column from the next only in learning rate.
#
# .. only:: ko
#
#    검증 세트는 훈련 이미지 1,347장 가운데 마지막 269장입니다. 모든 실행이 같은
#    시드에서 출발하므로, 이웃한 행은 깊이만, 이웃한 열은 학습률만 다릅니다.

X_train, _, y_train, _ = load_digits(seed=0)
X_fit, X_validation = X_train[:1078], X_train[1078:]
y_fit, y_validation = y_train[:1078], y_train[1078:]

learning_rates = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
rows = [("sigmoid", "naive_normal", hidden) for hidden in (1, 2, 3, 5, 9)]
rows += [("sigmoid", "glorot_uniform", 9), ("relu", "he_normal", 9)]
scheme_names = {"naive_normal": "N(0, 0.01²)", "glorot_uniform": "Glorot", "he_normal": "He"}
row_labels = [
    f"{'sigmoid' if activation == 'sigmoid' else 'ReLU'}, {scheme_names[init]}, {hidden} hidden"
    for activation, init, hidden in rows
]

scores = np.full((len(rows), len(learning_rates)), np.nan)  # NaN marks a run that diverged
for row, (activation, init, hidden) in enumerate(rows):
    for column, lr in enumerate(learning_rates):
        model = mlp([64] + [64] * hidden + [10], hidden_activation=activation, init=init, rng=np.random.default_rng(0))
        try:
            fit(model, SoftmaxCrossEntropy(), X_fit, y_fit, epochs=20, batch_size=32, lr=lr, rng=np.random.default_rng(1))
        except TrainingDiverged:
            continue
        scores[row, column] = accuracy(y_validation, model.predict(X_validation))
    cells = " ".join("  div" if np.isnan(s) else f"{s:5.3f}" for s in scores[row])
    print(f"{row_labels[row]:30s} {cells}")

# %%
# .. only:: en
#
#    With one hidden layer the sigmoid network learns for a wide range of
#    learning rates. Every added layer narrows the range and pushes it towards
#    larger rates, until with five and with nine hidden layers no learning
#    rate in the sweep does better than chance (one digit in ten). A better
#    initialization alone does not rescue the deep sigmoid network: with
#    Glorot's it is still at chance everywhere in 20 epochs. The ReLU network
#    with He initialization, as deep as the deepest sigmoid one, has a band of
#    good learning rates again, and beyond it diverges.
#
# .. only:: ko
#
#    은닉층이 하나인 시그모이드 신경망은 넓은 범위의 학습률에서 학습이 됩니다. 층을
#    하나 더할 때마다 그 범위가 좁아지고 큰 학습률 쪽으로 밀려나다가, 은닉층이 다섯
#    개와 아홉 개가 되면 어떤 학습률도 우연 수준(열 개 중 하나)을 넘지 못합니다.
#    초기화만 바꾸어서는 깊은 시그모이드 신경망을 구하지 못합니다. Glorot 초기화를
#    써도 20에포크 안에는 모든 학습률에서 우연 수준입니다. 가장 깊은 시그모이드
#    신경망과 깊이가 같은, He 초기화를 쓴 ReLU 신경망에는 다시 좋은 학습률의 띠가
#    생기고, 그보다 크면 발산합니다.

fig, axis = plt.subplots(figsize=(7.2, 4.0), layout="constrained")
image = axis.imshow(np.nan_to_num(scores, nan=0.0), cmap="viridis", vmin=0.0, vmax=1.0, aspect="auto")
for row in range(len(rows)):
    for column in range(len(learning_rates)):
        value = scores[row, column]
        text = "div" if np.isnan(value) else f"{value:.2f}"
        axis.text(column, row, text, ha="center", va="center", fontsize=8,
                  color="black" if not np.isnan(value) and value > 0.5 else "white")
axis.axhline(4.5, color="white", linewidth=2)  # below: the nine-hidden-layer networks started otherwise
axis.set_xticks(range(len(learning_rates)), [f"{lr:g}" for lr in learning_rates])
axis.set_yticks(range(len(rows)), row_labels, fontsize="small")
axis.set_xlabel(r"learning rate $\eta$")
axis.set_title("Validation accuracy after 20 epochs")
fig.colorbar(image, ax=axis, label="accuracy")
plt.show()
