r"""
A hand-wired network that computes XOR
======================================

.. title-ko: 손으로 연결한 XOR 신경망

.. only:: en

   Two perceptrons in a hidden layer, NAND and OR, feed a third, AND:
   :math:`\mathrm{XOR}(x_1, x_2) = \mathrm{AND}(\mathrm{NAND}(x_1, x_2),
   \mathrm{OR}(x_1, x_2))`. Each unit draws one line; together the two hidden
   lines cut out the strip that holds the two 1s. In the hidden layer's
   coordinates :math:`(h_1, h_2)` the four points land on three corners, and
   one line, the AND unit's, separates them.

.. only:: ko

   은닉층의 퍼셉트론 두 개(NAND, OR)가 세 번째 퍼셉트론(AND)에 신호를 보냅니다.
   :math:`\mathrm{XOR}(x_1, x_2) = \mathrm{AND}(\mathrm{NAND}(x_1, x_2),
   \mathrm{OR}(x_1, x_2))`\ 입니다. 유닛마다 직선을 하나씩 긋고, 은닉층의 두 직선이
   함께 1 두 개가 들어 있는 띠를 잘라 냅니다. 은닉층의 좌표 :math:`(h_1, h_2)`\ 에서는
   네 점이 꼭짓점 세 곳에 모이고, 직선 하나(AND 유닛의 직선)가 이들을 나눕니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.datasets import logic_gate
from ann_lib.neuron import Neuron

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {"input space": "입력 공간", "hidden space": "은닉 공간"}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    The weights are chosen by hand, not learned: each unit is a unit-step
#    neuron whose line passes between the right corners.
#
# .. only:: ko
#
#    가중치는 학습한 것이 아니라 손으로 고른 것입니다. 유닛은 모두 단위 계단 함수를 쓰는
#    뉴런이고, 각 직선은 알맞은 꼭짓점들 사이를 지납니다.

nand = Neuron(w=[-1.0, -1.0], b=1.5)  # 0 only for (1, 1)
or_ = Neuron(w=[1.0, 1.0], b=-0.5)  # 0 only for (0, 0)
and_ = Neuron(w=[1.0, 1.0], b=-1.5)  # 1 only for (1, 1)

X, y = logic_gate("xor")
hidden = np.column_stack([nand(X), or_(X)])  # (4, 2): (h1, h2) for each input
output = and_(hidden)
print("x1 x2 | h1=NAND h2=OR | AND(h1, h2) | XOR")
for (x1, x2), (h1, h2), out, target in zip(X, hidden, output, y):
    print(f" {x1:.0f}  {x2:.0f} |   {h1:.0f}      {h2:.0f}    |      {out:.0f}      |  {target}")
assert np.array_equal(output, y)

# %%
# .. only:: en
#
#    Left: the input plane, the two hidden units' lines, and the region where
#    the network outputs 1. Right: the same four points in the hidden layer's
#    space, where (0, 1) and (1, 0) both land on (1, 1).
#
# .. only:: ko
#
#    왼쪽: 입력 평면, 은닉 유닛 두 개의 직선, 신경망이 1을 내보내는 영역. 오른쪽: 같은
#    네 점을 은닉층의 공간에 옮긴 모습. (0, 1)과 (1, 0)이 모두 (1, 1)로 갑니다.

fig, (input_ax, hidden_ax) = plt.subplots(1, 2, figsize=(7.2, 3.5), layout="constrained")
grid = np.linspace(-0.5, 1.5, 201)
g1, g2 = np.meshgrid(grid, grid)
points = np.column_stack([g1.ravel(), g2.ravel()])
network_output = and_(np.column_stack([nand(points), or_(points)])).reshape(g1.shape)
input_ax.contourf(g1, g2, network_output, levels=[-0.1, 0.75, 1.1], colors=["white", "#fde0c5"])
line = np.array([-0.5, 1.5])
input_ax.plot(line, 1.5 - line, color="tab:purple", linewidth=1.5, label="NAND: $x_1 + x_2 = 1.5$")
input_ax.plot(line, 0.5 - line, color="tab:green", linewidth=1.5, label="OR: $x_1 + x_2 = 0.5$")
for ax, coordinates in ((input_ax, X), (hidden_ax, hidden)):
    ax.scatter(*coordinates[y == 0].T, s=110, marker="o", facecolors="white", edgecolors="tab:blue", linewidths=2, zorder=3)
    ax.scatter(*coordinates[y == 1].T, s=110, marker="s", color="tab:orange", zorder=3)
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylim(-0.5, 1.5)
    ax.set_aspect("equal")
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
for (x1, x2), (h1, h2) in zip(X, hidden):
    hidden_ax.annotate(f"x=({x1:.0f},{x2:.0f})", (h1, h2), xytext=(6, -14 if x1 + x2 != 1 else 8 - 14 * x1),
                       textcoords="offset points", fontsize=8)
input_ax.set_xlabel("$x_1$")
input_ax.set_ylabel("$x_2$")
input_ax.set_title("input space")
input_ax.legend(loc="upper right", fontsize=7, framealpha=0.9)
hidden_ax.plot(line, 1.5 - line, color="black", linewidth=1.5, label="AND: $h_1 + h_2 = 1.5$")
hidden_ax.set_xlabel("$h_1$ = NAND$(x_1, x_2)$")
hidden_ax.set_ylabel("$h_2$ = OR$(x_1, x_2)$")
hidden_ax.set_title("hidden space")
hidden_ax.legend(loc="lower left", fontsize=7, framealpha=0.9)
plt.show()
