r"""
AND, OR and XOR as points in the plane
======================================

.. title-ko: 점으로 그린 AND, OR, XOR

.. only:: en

   The lecture's three truth tables drawn as four points each: the inputs
   :math:`(x_1, x_2)` are the corners of the unit square, and the output is the
   marker, an open circle for 0 and a filled square for 1. For AND and OR a
   single straight line puts the 0s on one side and the 1s on the other; for
   XOR the two 1s sit on one diagonal and the two 0s on the other, and no line
   can split them.

.. only:: ko

   강의의 진리표 세 개를 각각 점 네 개로 그립니다. 입력 :math:`(x_1, x_2)`\ 는 단위
   정사각형의 네 꼭짓점이고, 출력은 표식으로 나타냅니다. 0은 속이 빈 원, 1은 속이 찬
   사각형입니다. AND와 OR에서는 직선 하나로 0과 1을 양쪽으로 나눌 수 있지만, XOR에서는
   1 두 개가 한 대각선에, 0 두 개가 다른 대각선에 놓여 있어서 어떤 직선으로도 나눌 수
   없습니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.datasets import logic_gate

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {"output": "출력"}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    A line that works is drawn for AND (:math:`x_1 + x_2 = 1.5`) and OR
#    (:math:`x_1 + x_2 = 0.5`). For XOR the panel shows the two diagonals
#    instead: the classes alternate around the square.
#
# .. only:: ko
#
#    AND에는 :math:`x_1 + x_2 = 1.5`, OR에는 :math:`x_1 + x_2 = 0.5`\ 라는 직선을
#    그립니다. XOR에는 그런 직선 대신 두 대각선을 그립니다. 정사각형을 한 바퀴 돌면
#    두 클래스가 번갈아 나타납니다.

separating_lines = {"and": 1.5, "or": 0.5}  # x1 + x2 = c
fig, axes = plt.subplots(1, 3, figsize=(7.2, 2.9), layout="constrained")
for ax, name in zip(axes, ["and", "or", "xor"]):
    X, y = logic_gate(name)
    ax.scatter(*X[y == 0].T, s=120, marker="o", facecolors="white", edgecolors="tab:blue", linewidths=2, label="0", zorder=3)
    ax.scatter(*X[y == 1].T, s=120, marker="s", color="tab:orange", label="1", zorder=3)
    for (x1, x2), target in zip(X, y):
        ax.annotate(f"({x1:.0f},{x2:.0f})", (x1, x2), xytext=(0, -17), textcoords="offset points", ha="center", fontsize=8)
    if name in separating_lines:
        line = np.linspace(-0.5, 1.5, 2)
        ax.plot(line, separating_lines[name] - line, color="black", linewidth=1.5)
    else:
        ax.plot([0, 1], [0, 1], color="tab:blue", linestyle=":", linewidth=1)
        ax.plot([0, 1], [1, 0], color="tab:orange", linestyle=":", linewidth=1)
    ax.set_title(name.upper())
    ax.set_xlim(-0.4, 1.4)
    ax.set_ylim(-0.4, 1.4)
    ax.set_aspect("equal")
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
    ax.set_xlabel("$x_1$")
axes[0].set_ylabel("$x_2$")
fig.legend(*axes[0].get_legend_handles_labels(), title="output", loc="outside right center", fontsize=9)
plt.show()
