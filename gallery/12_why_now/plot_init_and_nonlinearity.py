r"""
Bad initialization and the wrong non-linearity, two by two
==========================================================

.. title-ko: 잘못된 초기화와 잘못된 비선형성: 2×2 실험

.. only:: en

   Hinton's third and fourth reasons as one experiment. Chapter 6's ten-layer
   network on the digits, built four ways: sigmoid or ReLU units, each with the
   naive initialization :math:`\mathcal N(0, 0.01^2)` or with a scale of chapter 7
   (Glorot's for the sigmoid, although Glorot and Bengio derived it for tanh-like
   units of slope 1 at 0; He's for ReLU). Each is trained with three learning
   rates, and the best is kept.

.. only:: ko

   Hinton의 셋째, 넷째 이유를 실험 하나로 묶습니다. 6장의 열 층짜리 신경망을 숫자
   손글씨 데이터에 네 가지로 만듭니다. 유닛은 시그모이드나 ReLU이고, 각각 단순한
   초기화 :math:`\mathcal N(0, 0.01^2)`\ 이나 7장의 스케일(시그모이드에는 Glorot, ReLU에는
   He)로 초기화합니다. Glorot 초기화의 스케일은 Glorot와 Bengio가 0에서 기울기가 1인 tanh 같은
   유닛을 가정하고 유도한 것입니다. 저마다 학습률 세 개로 학습시켜 가장 좋은
   결과를 씁니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.datasets import load_digits
from ann_lib.diagnostics import gradient_norms
from ann_lib.losses import SoftmaxCrossEntropy
from ann_lib.metrics import accuracy
from ann_lib.network import mlp
from ann_lib.training import TrainingDiverged, fit

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "acc {}\n(lr {})\n|dL/dW1|\n{}": "정확도 {}\n(학습률 {})\n|dL/dW1|\n{}",
    "naive N(0, 0.01²)": "단순한 N(0, 0.01²)",
    "scaled (Glorot / He)": "크기를 맞춘 Glorot / He",
    "best test accuracy, 15 epochs": "최고 테스트 정확도, 15 에포크",
    "epoch": "에포크",
    "training loss": "훈련 손실",
    "training loss of the best run": "가장 좋은 실행의 훈련 손실",
}
KEPT_IN_LATIN = {"dL", "dW1", "relu", "naive_normal", "glorot_uniform", "he_normal"}  # ann_lib's names
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    **The four networks.** Ten weight layers, nine hidden layers of 64 units,
#    as in chapter 6. Before training, ``ann_lib.diagnostics.gradient_norms``
#    measures the gradient that reaches the first layer; then each
#    network gets 15 epochs of plain mini-batch gradient descent (batches of 32)
#    at learning rates 0.03, 0.3 and 3, and is scored on the 450 test images.
#
# .. only:: ko
#
#    **네 신경망.** 6장과 같이 가중치 층이 열 개이고 은닉층 아홉 개에 유닛이 64개씩
#    있습니다. 학습 전에 ``ann_lib.diagnostics.gradient_norms``\ 로 첫 층까지 오는
#    기울기의 크기를 재고, 다음에 학습률 0.03, 0.3, 3으로 저마다
#    보통의 미니배치 경사 하강법(배치 크기 32)을 15에포크 돌린 뒤 테스트 이미지
#    450장으로 평가합니다.

X_train, X_test, y_train, y_test = load_digits(seed=0)
sizes = [64] + [64] * 9 + [10]
activations = ["sigmoid", "relu"]
initializations = {"sigmoid": ["naive_normal", "glorot_uniform"], "relu": ["naive_normal", "he_normal"]}
learning_rates = [0.03, 0.3, 3.0]
loss = SoftmaxCrossEntropy()

results = {}
for activation in activations:
    for column, init in enumerate(initializations[activation]):
        norms = gradient_norms(mlp(sizes, hidden_activation=activation, init=init, rng=np.random.default_rng(0)),
                               loss, X_train, y_train)
        first_layer = norms.weights[0]  # ||dL/dW_1||: what the layer next to the input gets
        best = (-1.0, None, None)
        for lr in learning_rates:
            model = mlp(sizes, hidden_activation=activation, init=init, rng=np.random.default_rng(0))
            try:
                history = fit(model, loss, X_train, y_train, epochs=15, batch_size=32, lr=lr,
                              rng=np.random.default_rng(100))
            except TrainingDiverged:
                continue
            score = accuracy(y_test, model.predict(X_test))
            if score > best[0]:
                best = (score, lr, history.loss)
        results[activation, column] = (init, first_layer, *best)
        print(f"{activation:7s} {init:15s} ||dL/dW1|| at start {first_layer:8.1e}  "
              f"best test accuracy {best[0]:.3f} at lr {best[1]}")

# %%
# .. only:: en
#
#    **The picture.** Left, the best test accuracy of each network (chance is
#    0.1) with the norm of the first layer's weight gradient before training,
#    :math:`\lVert \partial L / \partial W_1 \rVert`. Right, the training loss of
#    that best run, epoch by epoch.
#
# .. only:: ko
#
#    **그림.** 왼쪽은 네 신경망 각각의 가장 좋은 테스트 정확도(우연 수준은 0.1)와
#    학습 전 첫 층의 가중치 기울기 크기 :math:`\lVert \partial L / \partial W_1 \rVert`\ 이고, 오른쪽은 그 실행의 에포크별 훈련 손실입니다.

fig, (grid, curves) = plt.subplots(1, 2, figsize=(7.2, 3.3), layout="constrained",
                                   gridspec_kw={"width_ratios": [1, 1.1]})
table = np.array([[results[a, c][2] for c in range(2)] for a in activations])
grid.imshow(table, cmap="viridis", vmin=0, vmax=1)
for row, activation in enumerate(activations):
    for column in range(2):
        init, first_layer, score, lr, _ = results[activation, column]
        grid.text(column, row, f"acc {score:.2f}\n(lr {lr:g})\n|dL/dW1|\n{first_layer:.0e}", ha="center",
                  va="center", fontsize=8, color="white" if score < 0.6 else "black")
grid.set_xticks([0, 1], ["naive N(0, 0.01²)", "scaled (Glorot / He)"], fontsize=8)
grid.set_yticks([0, 1], activations, fontsize=8)
grid.set_title("best test accuracy, 15 epochs", fontsize=9)
for (activation, column), (init, first_layer, score, lr, history) in results.items():
    curves.plot(range(1, len(history) + 1), history, label=f"{activation} / {init}")
curves.set_xlabel("epoch")
curves.set_ylabel("training loss")
curves.set_title("training loss of the best run", fontsize=9)
curves.legend(fontsize=7)
plt.show()
