r"""
XOR learned by backpropagation
==============================

.. title-ko: 역전파로 학습한 XOR

.. only:: en

   A 2-2-1 network with sigmoid hidden units, trained by full-batch gradient
   descent on the binary cross-entropy, learns XOR from the four rows of its
   truth table. Left: the loss per epoch. Middle: the decision boundary in the
   input plane, where the network's output crosses 0.5. Right: the same four
   points in the hidden layer's space :math:`(h_1, h_2)`; there the output
   unit's single straight line separates them. The hidden layer has learned a
   representation in which XOR is linearly separable.

.. only:: ko

   시그모이드 은닉 유닛 두 개를 둔 2-2-1 신경망을 이진 교차 엔트로피에 대해 전체 배치
   경사 하강법으로 학습시키면, 진리표의 네 행만으로 XOR를 배웁니다. 왼쪽: 에포크마다의
   손실. 가운데: 입력 평면의 결정 경계, 곧 신경망의 출력이 0.5를 지나는 곳. 오른쪽:
   같은 네 점을 은닉층의 공간 :math:`(h_1, h_2)`\ 에 옮긴 모습. 여기서는 출력 유닛의
   직선 하나가 네 점을 나눕니다. 은닉층이 XOR를 선형 분리 가능한 문제로 바꾸는 표현을
   배운 것입니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.activations import sigmoid
from ann_lib.datasets import logic_gate
from ann_lib.losses import BinaryCrossEntropy
from ann_lib.network import mlp
from ann_lib.training import fit

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "epoch": "에포크",
    "loss (binary cross-entropy)": "손실(이진 교차 엔트로피)",
    "loss": "손실",
    "input space": "입력 공간",
    "hidden space": "은닉 공간",
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    The network returns a logit :math:`z`; its output probability is
#    :math:`\sigma(z)`. Seed 0, learning rate 2, 2000 epochs of the four
#    samples at once. (Chapter 4 counts how often this small network gets
#    stuck for other seeds.)
#
# .. only:: ko
#
#    신경망은 로짓 :math:`z`\ 를 내보내고, 출력 확률은 :math:`\sigma(z)`\ 입니다. 시드 0,
#    학습률 2로 네 샘플 전체를 한 배치로 2,000에포크 학습합니다. (이 작은 신경망이
#    다른 시드에서 얼마나 자주 멈춰 버리는지는 4장에서 셉니다.)

X, y = logic_gate("xor")
model = mlp([2, 2, 1], hidden_activation="sigmoid", rng=np.random.default_rng(0))
history = fit(model, BinaryCrossEntropy(), X, y, epochs=2000, lr=2.0, shuffle=False)

probability = sigmoid(model.predict(X)[:, 0])
print("outputs:", np.round(probability, 3).tolist(), "targets:", y.tolist())
print(f"final loss: {history.loss[-1]:.4f}")

# %%
# .. only:: en
#
#    The hidden activations come from running the first two layers (Dense,
#    sigmoid) alone; the output unit is the last Dense layer, whose line in the
#    hidden space is :math:`w_1 h_1 + w_2 h_2 + b = 0`. In both planes the
#    shading shows where the output is above 0.5 (orange) or below (blue), and
#    the black line is the decision boundary.
#
# .. only:: ko
#
#    은닉층의 활성화는 앞의 두 층(Dense, 시그모이드)만 실행해서 얻습니다. 출력 유닛은
#    마지막 Dense 층이고, 은닉층 공간에서 이 유닛의 직선은 :math:`w_1 h_1 + w_2 h_2 + b = 0`\ 입니다.
#    두 평면 모두 출력이 0.5보다 큰 곳(주황)과 작은 곳(파랑)을 색으로 나타내고,
#    검은 선이 결정 경계입니다.

dense_1, activation_1, dense_2 = model.layers
hidden = activation_1.forward(dense_1.forward(X))  # (4, 2)
w_out, b_out = dense_2.params["W"][:, 0], dense_2.params["b"][0]

fig, (loss_ax, input_ax, hidden_ax) = plt.subplots(1, 3, figsize=(7.2, 2.8), layout="constrained")
loss_ax.plot(np.arange(1, history.epochs + 1), history.loss, color="black")
loss_ax.set_yscale("log")
loss_ax.set_xlabel("epoch")
loss_ax.set_ylabel("loss (binary cross-entropy)")
loss_ax.set_title("loss")

grid = np.linspace(-0.5, 1.5, 201)
g1, g2 = np.meshgrid(grid, grid)
grid_probability = sigmoid(model.predict(np.column_stack([g1.ravel(), g2.ravel()]))).reshape(g1.shape)
input_ax.contourf(g1, g2, grid_probability, levels=[0.0, 0.5, 1.0], colors=["#c6dbef", "#fdd0a2"])
input_ax.contour(g1, g2, grid_probability, levels=[0.5], colors="black", linewidths=1.5)
input_ax.set_xlabel("$x_1$")
input_ax.set_ylabel("$x_2$")
input_ax.set_title("input space")

h_grid = np.linspace(-0.1, 1.1, 201)
h1, h2 = np.meshgrid(h_grid, h_grid)
hidden_probability = sigmoid(w_out[0] * h1 + w_out[1] * h2 + b_out)
hidden_ax.contourf(h1, h2, hidden_probability, levels=[0.0, 0.5, 1.0], colors=["#c6dbef", "#fdd0a2"])
hidden_ax.contour(h1, h2, hidden_probability, levels=[0.5], colors="black", linewidths=1.5)
hidden_ax.set_xlabel("$h_1$")
hidden_ax.set_ylabel("$h_2$")
hidden_ax.set_title("hidden space")

for ax, points in ((input_ax, X), (hidden_ax, hidden)):
    ax.scatter(*points[y == 0].T, s=80, marker="o", facecolors="white", edgecolors="tab:blue", linewidths=2, zorder=3)
    ax.scatter(*points[y == 1].T, s=80, marker="s", color="tab:orange", zorder=3)
    ax.set_aspect("equal")
labelled = set()
for i, (a, b) in enumerate(hidden):  # one label per cluster of points that land together
    if i in labelled:
        continue
    together = [j for j in range(len(X)) if np.linalg.norm(hidden[j] - hidden[i]) < 0.1]
    labelled.update(together)
    text = ", ".join(f"({X[j, 0]:.0f},{X[j, 1]:.0f})" for j in together)
    hidden_ax.annotate(text, (a, b), xytext=(0, 8 if b < 0.5 else -14), textcoords="offset points",
                       ha="left" if a < 0.5 else "right", fontsize=7)
print("hidden activations:", np.round(hidden, 3).tolist())
plt.show()
