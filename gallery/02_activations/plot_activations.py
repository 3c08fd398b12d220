r"""
The eight activation functions and their derivatives
====================================================

.. title-ko: 여덟 가지 활성화 함수와 그 도함수

.. only:: en

   The lecture's table of activation functions, drawn from ``ann_lib``: each
   function :math:`\phi(z)` as a solid line and its derivative
   :math:`\phi'(z)` as a dashed line. Where a graph breaks, a filled dot marks
   the value ``ann_lib`` uses at the break and an open circle the value it does
   not take: the unit step is 0.5 at 0, the sign function is 0 at 0, and the
   derivatives of piece-wise linear (at :math:`\pm 1/2`) and ReLU (at 0) are 0
   there.

.. only:: ko

   강의의 활성화 함수 표를 ``ann_lib``\ 으로 그립니다. 함수 :math:`\phi(z)`\ 는
   실선으로, 도함수 :math:`\phi'(z)`\ 는 점선으로 나타냅니다. 그래프가 끊어지는 곳에서
   속이 찬 점은 ``ann_lib``\ 이 그 점에서 쓰는 값이고, 속이 빈 점은 그 점에서 취하지
   않는 값입니다. 단위 계단 함수는 0에서 0.5, 부호 함수는 0에서 0이고, 구간 선형
   함수의 도함수(:math:`\pm 1/2`\ 에서)와 ReLU의 도함수(0에서)는 그 점에서 0입니다.
"""

import math
from string import ascii_lowercase

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.activations import ACTIVATIONS

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "(a) unit step": "(a) 단위 계단",
    "(b) sign": "(b) 부호",
    "(c) linear": "(c) 선형",
    "(d) piece-wise linear": "(d) 구간 선형",
    "(e) logistic (sigmoid)": "(e) 로지스틱(시그모이드)",
    "(h) softplus": "(h) 소프트플러스",
}
KEPT_IN_LATIN = {"relu", "softplus"}  # ann_lib's function names in the legend
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    One panel per row of the table, in the table's order, lettered (a) to (h)
#    so that the chapter's table can point to them. A curve is drawn piece by
#    piece between its breaks, so that no vertical line pretends a jump is part
#    of the graph.
#
# .. only:: ko
#
#    표의 행마다 그림 한 칸을 표의 순서대로 그리고, 장의 표에서 가리킬 수 있도록
#    (a)부터 (h)까지 이름을 붙입니다. 곡선은 끊어지는 점 사이를 구간별로 나누어
#    그려서, 세로선이 그래프의 일부인 것처럼 보이지 않게 합니다.

def plot_with_breaks(axis, function, breaks, z, style, color, label):
    """Plot ``function`` on ``z`` piece by piece, with dots at the breaks."""
    edges = [z[0], *breaks, z[-1]]
    for start, stop in zip(edges[:-1], edges[1:]):
        piece = z[(z > start) & (z < stop)]
        axis.plot(piece, function(piece), style, color=color, linewidth=2, label=label)
        label = None  # one legend entry per curve
    for point in breaks:
        value = function(np.array([point]))[0]
        for one_sided in (point - 1e-9, point + 1e-9):
            limit = function(np.array([one_sided]))[0]
            if abs(limit - value) > 1e-6:  # the value the curve does not take here
                axis.plot(point, limit, "o", markerfacecolor="white", color=color, markersize=5, zorder=3)
        axis.plot(point, value, "o", color=color, markersize=5, zorder=4)


# Every row of the registry gets a panel: its breaks and short label come from the row.
z = np.linspace(-3.0, 3.0, 601)
n_rows = math.ceil(len(ACTIVATIONS) / 4)
fig, axes = plt.subplots(n_rows, 4, figsize=(7.2, 2.1 * n_rows), sharex=True, sharey=True,
                         layout="constrained", squeeze=False)
for axis in axes.ravel()[len(ACTIVATIONS):]:
    axis.set_visible(False)
for letter, axis, activation in zip(ascii_lowercase, axes.ravel(), ACTIVATIONS.values()):
    plot_with_breaks(axis, activation.function, activation.value_breaks, z, "-", "C0", r"$\phi(z)$")
    plot_with_breaks(axis, activation.derivative, activation.slope_breaks, z, "--", "C1", r"$\phi'(z)$")
    axis.set_title(f"({letter}) {activation.label}", fontsize=10)
    axis.axhline(0.0, color="0.7", linewidth=0.8, zorder=0)
    axis.axvline(0.0, color="0.7", linewidth=0.8, zorder=0)
    axis.set_ylim(-1.4, 2.4)
    axis.set_xticks([-2, 0, 2])
    axis.tick_params(labelsize=8)
for axis in axes[-1]:
    axis.set_xlabel("$z$")
axes[0, 2].legend(loc="upper left", fontsize=8)
plt.show()

# %%
# .. only:: en
#
#    The derivatives side by side. Sigmoid and tanh saturate: far from 0 their
#    slope is almost 0, and the sigmoid's slope is never more than 1/4. ReLU
#    keeps slope 1 for every positive input, and the slope of softplus is the sigmoid
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
for color, name in enumerate(["sigmoid", "tanh", "relu", "softplus"]):
    derivative = ACTIVATIONS[name].derivative
    style = ":" if name == "softplus" else "-"
    for piece, label in [(z[z < 0], name), (z[z > 0], None)]:  # ReLU's slope jumps at 0
        axis.plot(piece, derivative(piece), style, color=f"C{color}", linewidth=2, label=label)
axis.axhline(0.25, color="0.5", linewidth=0.8, linestyle="--")
axis.text(-5.9, 0.28, r"$\max\,\sigma'(z) = 1/4$", fontsize=9)
axis.set_xlabel("$z$")
axis.set_ylabel(r"$\phi'(z)$")
axis.legend(loc="upper left")
plt.show()
