r"""
The perceptron rule on AND, OR and XOR
======================================

.. title-ko: AND, OR, XOR에 적용한 퍼셉트론 학습 규칙

.. only:: en

   Rosenblatt's rule, :math:`\mathbf w \leftarrow \mathbf w + \eta (t - \hat y)
   \mathbf x`, applied sample by sample for 20 epochs to each gate. On AND and
   OR the number of mistakes drops to 0 after a few epochs and stays there:
   the learned line separates the classes. On XOR it never reaches 0, because
   no line can.

.. only:: ko

   Rosenblatt의 규칙 :math:`\mathbf w \leftarrow \mathbf w + \eta (t - \hat y)
   \mathbf x`\ 를 샘플 하나씩, 각 게이트에 20에포크 동안 적용합니다. AND와 OR에서는
   몇 에포크 만에 틀린 개수가 0이 되고 그대로 유지됩니다. 학습된 직선이 두 클래스를
   나눕니다. XOR에서는 틀린 개수가 결코 0이 되지 않습니다. 그런 직선이 없기 때문입니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.datasets import logic_gate
from ann_lib.perceptron import Perceptron

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "AND: converged": "AND: 수렴",
    "OR: converged": "OR: 수렴",
    "XOR: never converges": "XOR: 수렴하지 않음",
    "epoch": "에포크",
    "mistakes per epoch": "에포크당 오분류 수",
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    Each perceptron starts from zero weights, learning rate 1, and sees the
#    four samples in a new random order each epoch. We keep training after
#    convergence (``stop_when_converged=False``) so that the three curves span
#    the same 20 epochs.
#
# .. only:: ko
#
#    퍼셉트론은 모두 가중치 0, 학습률 1에서 시작하고, 에포크마다 네 샘플을 새로운
#    무작위 순서로 봅니다. 세 곡선이 같은 20에포크에 걸치도록 수렴한 뒤에도 학습을
#    계속합니다(``stop_when_converged=False``).

epochs = 20
results = {}
for name in ["and", "or", "xor"]:
    X, y = logic_gate(name)
    perceptron = Perceptron(2, lr=1.0)
    rng = np.random.default_rng(0)
    mistakes, lines = [], []
    for epoch in range(epochs):  # one epoch at a time, to keep each epoch's line
        mistakes += perceptron.fit(X, y, epochs=1, rng=rng, stop_when_converged=False).tolist()
        lines.append((perceptron.w.copy(), perceptron.b))
    results[name] = (X, y, perceptron, np.array(mistakes), lines)
    print(f"{name.upper():>3}: mistakes per epoch {mistakes}, w = {perceptron.w.tolist()}, b = {perceptron.b:g}")

# %%
# .. only:: en
#
#    Top: the points and the line :math:`\mathbf w \cdot \mathbf x + b = 0`
#    after the last epoch, with the side where the perceptron outputs 1
#    shaded. For XOR the grey lines are those after each of the 20 epochs:
#    every one of them leaves a point on the wrong side (or on the line).
#    Bottom: the mistakes in each epoch.
#
# .. only:: ko
#
#    위: 네 점과 마지막 에포크 뒤의 직선 :math:`\mathbf w \cdot \mathbf x + b = 0`.
#    퍼셉트론이 1을 내보내는 쪽에 색을 칠했습니다. XOR의 회색 직선들은 20에포크 각각이
#    끝난 뒤의 직선입니다. 어느 직선도 점 하나 이상을 반대쪽(또는 직선 위)에 남깁니다.
#    아래: 에포크마다 틀린 개수.

fig, axes = plt.subplots(2, 3, figsize=(7.2, 4.9), layout="constrained", height_ratios=[1.25, 1])
grid = np.linspace(-0.5, 1.5, 201)
g1, g2 = np.meshgrid(grid, grid)
for column, (name, (X, y, perceptron, mistakes, lines)) in enumerate(results.items()):
    ax = axes[0, column]
    if mistakes[-1] > 0:
        for w, b in lines:
            if np.any(w != 0):  # w = 0 has no line
                ax.contour(g1, g2, g1 * w[0] + g2 * w[1] + b, levels=[0.0], colors="0.6", linewidths=1)
    output = perceptron.predict(np.column_stack([g1.ravel(), g2.ravel()])).reshape(g1.shape)
    ax.contourf(g1, g2, output, levels=[-0.1, 0.75, 1.1], colors=["white", "#fde0c5"])
    ax.contour(g1, g2, output, levels=[0.75], colors="black", linewidths=1.5)
    ax.scatter(*X[y == 0].T, s=90, marker="o", facecolors="white", edgecolors="tab:blue", linewidths=2, zorder=3)
    ax.scatter(*X[y == 1].T, s=90, marker="s", color="tab:orange", zorder=3)
    ax.set_title(f"{name.upper()}: " + ("converged" if mistakes[-1] == 0 else "never converges"), fontsize=10)
    ax.set_aspect("equal")
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
    ax.set_xlabel("$x_1$")

    ax = axes[1, column]
    ax.bar(np.arange(1, epochs + 1), mistakes, color="tab:red" if mistakes[-1] else "tab:green")
    ax.set_ylim(0, 4.3)
    ax.set_xlim(0.3, epochs + 0.7)
    ax.set_xticks([1, 5, 10, 15, 20])
    ax.set_xlabel("epoch")
axes[0, 0].set_ylabel("$x_2$")
axes[1, 0].set_ylabel("mistakes per epoch")
plt.show()
