r"""
What one neuron computes
========================

.. title-ko: 뉴런 하나가 계산하는 것

.. only:: en

   A neuron with two inputs computes the weighted sum
   :math:`z = w_1 x_1 + w_2 x_2 + b`, a plane over the input plane, and passes
   it through an activation function. With the unit step, the output is 1
   where the plane is above zero and 0 where it is below: the line
   :math:`z = 0` is the neuron's decision boundary.

.. only:: ko

   입력이 두 개인 뉴런은 가중합 :math:`z = w_1 x_1 + w_2 x_2 + b`\ 를 계산합니다.
   이 가중합은 입력 평면 위에 놓인 하나의 평면입니다. 뉴런은 이 값을 활성화 함수에
   통과시킵니다. 단위 계단 함수를 쓰면 평면이 0보다 높은 곳에서는 1을, 낮은 곳에서는
   0을 내보내므로, 직선 :math:`z = 0`\ 이 뉴런의 결정 경계가 됩니다.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import TwoSlopeNorm

from ann_lib.neuron import Neuron

# %%
# .. only:: en
#
#    The neuron of chapter 1: weights :math:`\mathbf{w} = (1, 2)`, bias
#    :math:`b = -1`, unit-step activation.
#
# .. only:: ko
#
#    1장의 뉴런입니다. 가중치는 :math:`\mathbf{w} = (1, 2)`, 편향은
#    :math:`b = -1`, 활성화 함수는 단위 계단 함수입니다.

neuron = Neuron(w=[1.0, 2.0], b=-1.0, activation="unit_step")

grid = np.linspace(-2.0, 2.0, 81)
x1, x2 = np.meshgrid(grid, grid)
inputs = np.column_stack([x1.ravel(), x2.ravel()])  # (N, 2): one row per grid point
weighted_sum = neuron.weighted_sum(inputs).reshape(x1.shape)
output = neuron(inputs).reshape(x1.shape)

# %%
# .. only:: en
#
#    Left: the weighted sum is a plane; it crosses zero along a straight line
#    (black). Both panels use the same colours: red where :math:`z > 0`, blue
#    where :math:`z < 0`. Right: the step activation turns the plane into two
#    half-planes. The weight vector is perpendicular to the boundary and points
#    to the side where the neuron outputs 1.
#
# .. only:: ko
#
#    왼쪽은 가중합이 이루는 평면이며, 이 평면은 검은 직선을 따라 0을 지납니다.
#    두 그림의 색은 같은 뜻입니다. :math:`z > 0`\ 인 곳은 붉은색, :math:`z < 0`\ 인
#    곳은 푸른색입니다. 오른쪽은 계단 함수가 이 평면을 두 반평면으로 나눈
#    모습입니다. 가중치 벡터는 결정 경계에 수직이고, 뉴런이 1을 내보내는 쪽을
#    가리킵니다.

fig = plt.figure(figsize=(7.2, 3.4), layout="constrained")

# computed_zorder=False: draw in call order, so the boundary line stays on top of the plane
plane_axes = fig.add_subplot(1, 2, 1, projection="3d", computed_zorder=False)
zero_centred = TwoSlopeNorm(vmin=weighted_sum.min(), vcenter=0.0, vmax=weighted_sum.max())
plane_axes.plot_surface(x1, x2, weighted_sum, cmap="coolwarm", norm=zero_centred, linewidth=0, alpha=0.85)
boundary_x1 = grid
boundary_x2 = -(neuron.w[0] * boundary_x1 + neuron.b) / neuron.w[1]
inside = np.abs(boundary_x2) <= 2.0
plane_axes.plot(boundary_x1[inside], boundary_x2[inside], 0.0, color="black", linewidth=2)
plane_axes.set_xlabel("$x_1$")
plane_axes.set_ylabel("$x_2$", labelpad=9)
plane_axes.set_zlabel("$z$")
plane_axes.set_title(r"$z = \mathbf{w} \cdot \mathbf{x} + b$")
plane_axes.view_init(elev=25, azim=-60)

boundary_axes = fig.add_subplot(1, 2, 2)
boundary_axes.contourf(x1, x2, output, levels=[-0.5, 0.25, 0.75, 1.5], colors=["#c6dbef", "#ffffff", "#fcbba1"])
boundary_axes.plot(boundary_x1[inside], boundary_x2[inside], color="black", linewidth=2, label="$z = 0$")
anchor = np.array([0.2, 0.4])  # a point on the boundary: 0.2 + 2 * 0.4 - 1 = 0
boundary_axes.annotate(
    "", xy=anchor + 0.5 * neuron.w, xytext=anchor,
    arrowprops={"arrowstyle": "->", "linewidth": 2, "color": "black"},
)
boundary_axes.text(*(anchor + 0.5 * neuron.w + [0.05, 0.05]), r"$\mathbf{w}$", fontsize=12)
boundary_axes.text(-1.8, -1.7, "$y = 0$", fontsize=12)
boundary_axes.text(1.2, 1.6, "$y = 1$", fontsize=12)
boundary_axes.set_xlabel("$x_1$")
boundary_axes.set_ylabel("$x_2$")
boundary_axes.set_aspect("equal")
boundary_axes.set_title(r"$y = \mathrm{step}(z)$")
boundary_axes.legend(loc="lower right")
plt.show()
