r"""
The eight activation functions and their derivatives
====================================================

.. title-ko: 여덟 가지 활성화 함수와 그 도함수

.. only:: en

   The lecture's table of activation functions, drawn from ``ann_lib``: each
   function :math:`\phi(z)` as a solid line and its derivative
   :math:`\phi'(z)` as a dashed line. Dots mark the values the table fixes
   at the jumps: the unit step is 0.5 at 0 and the sign function is 0 at 0.

.. only:: ko

   강의의 활성화 함수 표를 ``ann_lib`` 로 그립니다. 함수 :math:`\phi(z)` 는
   실선으로, 도함수 :math:`\phi'(z)` 는 점선으로 나타냅니다. 점은 표가 불연속점에서
   정한 값입니다. 단위 계단 함수는 0에서 0.5이고, 부호 함수는 0에서 0입니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.activations import ACTIVATIONS

# %%
# .. only:: en
#
#    One panel per row of the table, in the table's order. The functions with a
#    jump are drawn piece by piece, so that no vertical line pretends the jump is
#    part of the graph.
#
# .. only:: ko
#
#    표의 행마다 그림 한 칸을 표의 순서대로 그립니다. 값이 뛰는 함수는 구간별로
#    나누어 그려서, 세로선이 그래프의 일부인 것처럼 보이지 않게 합니다.

z = np.linspace(-3.0, 3.0, 601)
left, right = z[z < 0], z[z > 0]

fig, axes = plt.subplots(2, 4, figsize=(7.2, 4.2), sharex=True, layout="constrained")
for axis, activation in zip(axes.ravel(), ACTIVATIONS.values()):
    if activation.name in ("unit_step", "sign"):
        for piece in (left, right):
            axis.plot(piece, activation(piece), color="C0", linewidth=2)
        axis.plot([0.0], activation(np.array([0.0])), "o", color="C0", markersize=5)
    else:
        axis.plot(z, activation(z), color="C0", linewidth=2, label=r"$\phi(z)$")
    axis.plot(z, activation.derivative(z), "--", color="C1", linewidth=1.5, label=r"$\phi'(z)$")
    axis.set_title(activation.name, fontsize=10)
    axis.axhline(0.0, color="0.7", linewidth=0.8, zorder=0)
    axis.axvline(0.0, color="0.7", linewidth=0.8, zorder=0)
    axis.set_ylim(-1.3, 3.1)
    axis.tick_params(labelsize=8)
for axis in axes[1]:
    axis.set_xlabel("$z$")
axes[0, 2].legend(loc="upper left", fontsize=8)
plt.show()

# %%
# .. only:: en
#
#    The derivatives side by side. Sigmoid and tanh saturate: far from 0 their
#    slope is almost 0, and the sigmoid's slope is never more than 1/4. ReLU
#    keeps slope 1 for every positive input, and softplus' slope is the sigmoid
#    itself. Chapter 6 shows what this does to a deep network.
#
# .. only:: ko
#
#    도함수들을 나란히 놓고 비교합니다. 시그모이드와 하이퍼볼릭 탄젠트는 포화됩니다.
#    0에서 멀어지면 기울기가 거의 0이 되고, 시그모이드의 기울기는 가장 커도 1/4입니다.
#    ReLU는 양수 입력이면 언제나 기울기 1을 유지하고, 소프트플러스의 기울기는
#    시그모이드 그 자체입니다. 이것이 깊은 신경망에서 어떤 결과를 낳는지는 6장에서 봅니다.

z = np.linspace(-6.0, 6.0, 1201)
fig, axis = plt.subplots(figsize=(7.2, 3.0), layout="constrained")
for name, style in [("sigmoid", "-"), ("tanh", "-"), ("relu", "-"), ("softplus", ":")]:
    axis.plot(z, ACTIVATIONS[name].derivative(z), style, linewidth=2, label=name)
axis.axhline(0.25, color="0.5", linewidth=0.8, linestyle="--")
axis.text(-5.9, 0.28, r"$\max\,\sigma'(z) = 1/4$", fontsize=9)
axis.set_xlabel("$z$")
axis.set_ylabel(r"$\phi'(z)$")
axis.legend(loc="upper left")
plt.show()
