r"""
One neuron as a computation graph
=================================

.. title-ko: 계산 그래프로 본 뉴런 하나

.. only:: en

   Backpropagation on the smallest example there is: one sigmoid neuron with
   one input and a cross-entropy loss, written as a graph of five operations.
   The forward pass writes a value on every node from left to right; the
   backward pass writes the derivative of the loss with respect to that node
   from right to left, each one the product of the derivative on its right and
   one local derivative. A second figure shows why the loss is cross-entropy
   and not squared error when the output is a sigmoid.

.. only:: ko

   가장 작은 예로 보는 역전파입니다. 입력이 하나인 시그모이드 뉴런에 교차 엔트로피 손실을
   붙이고, 연산 다섯 개로 된 그래프로 적습니다. 순방향 계산은 왼쪽에서 오른쪽으로 노드마다
   값을 적고, 역방향 계산은 오른쪽에서 왼쪽으로 그 노드에 대한 손실의 도함수를 적습니다.
   도함수 하나하나는 오른쪽 노드의 도함수에 국소 도함수 하나를 곱한 것입니다. 두 번째
   그림은 출력이 시그모이드일 때 손실로 제곱 오차가 아니라 교차 엔트로피를 쓰는 까닭을
   보여 줍니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.activations import sigmoid

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "target $t = 1$": "목표 $t = 1$",
    "forward values (black) and d loss / d node (red)": "순방향 값(검은색)과 각 노드에 대한 손실의 도함수(빨간색)",
    "confidently wrong:\nalmost no gradient": "확신하며 틀림:\n기울기가 거의 없음",
    "logit $z$ (target $t = 1$)": "로짓 $z$ (목표 $t = 1$)",
    "cross-entropy: $p - t$": "교차 엔트로피: $p - t$",
    "squared error: $(p - t)\\,p(1 - p)$": "제곱 오차: $(p - t)\\,p(1 - p)$",
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    **Forward.** The input :math:`x = 2`, the weight :math:`w = 0.5`, the
#    bias :math:`b = -0.5` and the target :math:`t = 1`. The graph computes
#    :math:`u = wx`, :math:`z = u + b`, :math:`p = \sigma(z)` and the loss
#    :math:`\ell = -t \ln p - (1 - t)\ln(1 - p)`.
#
#    **Backward.** Start with :math:`\partial\ell/\partial\ell = 1` and
#    multiply by one local derivative per step:
#    :math:`\partial\ell/\partial p = -t/p + (1 - t)/(1 - p)`,
#    :math:`\partial p/\partial z = p(1 - p)`, :math:`\partial z/\partial u =
#    \partial z/\partial b = 1`, :math:`\partial u/\partial w = x` and
#    :math:`\partial u/\partial x = w`. A central difference checks every
#    derivative.
#
# .. only:: ko
#
#    **순방향.** 입력 :math:`x = 2`, 가중치 :math:`w = 0.5`, 편향 :math:`b = -0.5`,
#    목표값 :math:`t = 1`\ 입니다. 그래프는 :math:`u = wx`, :math:`z = u + b`,
#    :math:`p = \sigma(z)`\ 와 손실 :math:`\ell = -t \ln p - (1 - t)\ln(1 - p)`\ 를
#    계산합니다.
#
#    **역방향.** :math:`\partial\ell/\partial\ell = 1`\ 에서 시작해 한 걸음마다 국소
#    도함수를 하나씩 곱합니다. :math:`\partial\ell/\partial p = -t/p + (1 - t)/(1 - p)`,
#    :math:`\partial p/\partial z = p(1 - p)`, :math:`\partial z/\partial u =
#    \partial z/\partial b = 1`, :math:`\partial u/\partial w = x`,
#    :math:`\partial u/\partial x = w`\ 입니다. 중앙 차분으로 도함수를 모두 검산합니다.

x, w, b, t = 2.0, 0.5, -0.5, 1.0


def forward(x, w, b):
    u = w * x
    z = u + b
    p = float(sigmoid(z))
    loss = -t * np.log(p) - (1 - t) * np.log(1 - p)
    return {"x": x, "w": w, "b": b, "u": u, "z": z, "p": p, "loss": loss}


value = forward(x, w, b)
grad = {"loss": 1.0}
grad["p"] = grad["loss"] * (-t / value["p"] + (1 - t) / (1 - value["p"]))
grad["z"] = grad["p"] * value["p"] * (1 - value["p"])  # equals p - t
grad["u"] = grad["z"] * 1.0
grad["b"] = grad["z"] * 1.0
grad["w"] = grad["u"] * value["x"]
grad["x"] = grad["u"] * value["w"]

h = 1e-6
numeric = {
    "x": (forward(x + h, w, b)["loss"] - forward(x - h, w, b)["loss"]) / (2 * h),
    "w": (forward(x, w + h, b)["loss"] - forward(x, w - h, b)["loss"]) / (2 * h),
    "b": (forward(x, w, b + h)["loss"] - forward(x, w, b - h)["loss"]) / (2 * h),
}
for name in ["x", "w", "b", "u", "z", "p", "loss"]:
    check = f"   central difference {numeric[name]:+.6f}" if name in numeric else ""
    print(f"{name:>4}: value {value[name]:+.4f}   dloss/d{name} {grad[name]:+.6f}{check}")
print(f"dloss/dz = p - t: {np.isclose(grad['z'], value['p'] - t)}")

# %%
# .. only:: en
#
#    **The graph.** Values of the forward pass in black above each node,
#    derivatives of the backward pass in red below it; the arrows show the
#    forward direction, and the backward pass runs against them.
#
# .. only:: ko
#
#    **그래프.** 노드 위의 검은 수가 순방향 계산의 값, 아래의 빨간 수가 역방향 계산의
#    도함수입니다. 화살표는 순방향을 가리키고, 역방향 계산은 그 반대로 흐릅니다.

nodes = {  # name: (x position, y position, label)
    "x": (0.0, 1.2, r"$x$"),
    "w": (0.0, -0.2, r"$w$"),
    "u": (1.6, 0.5, r"$u = w x$"),
    "b": (1.6, -0.9, r"$b$"),
    "z": (3.2, 0.0, r"$z = u + b$"),
    "p": (4.8, 0.0, r"$p = \sigma(z)$"),
    "loss": (6.4, 0.0, r"$\ell(p, t)$"),
}
edges = [("x", "u"), ("w", "u"), ("u", "z"), ("b", "z"), ("z", "p"), ("p", "loss")]
fig, axis = plt.subplots(figsize=(7.2, 2.8), layout="constrained")
for start, end in edges:
    (x0, y0, _), (x1, y1, _) = nodes[start], nodes[end]
    axis.annotate("", xy=(x1, y1), xytext=(x0, y0),
                  arrowprops={"arrowstyle": "->", "color": "0.5", "shrinkA": 22, "shrinkB": 26})
for name, (px, py, label) in nodes.items():
    axis.text(px, py, label, ha="center", va="center", fontsize=10,
              bbox={"boxstyle": "round,pad=0.35", "facecolor": "white", "edgecolor": "0.3"})
    axis.text(px, py + 0.34, f"{value[name]:.3f}", ha="center", va="bottom", fontsize=9, color="black")
    axis.text(px, py - 0.34, f"{grad[name]:+.3f}", ha="center", va="top", fontsize=9, color="tab:red")
axis.text(6.4, 0.9, "target $t = 1$", ha="center", fontsize=9)
axis.set_xlim(-0.7, 7.1)
axis.set_ylim(-1.6, 1.8)
axis.set_axis_off()
axis.set_title("forward values (black) and d loss / d node (red)", fontsize=10)
plt.show()

# %%
# .. only:: en
#
#    **Why cross-entropy.** The derivative of the loss with respect to the
#    logit :math:`z`, for the target :math:`t = 1`. With cross-entropy it is
#    :math:`p - t`: the further the output is from the target, the larger the
#    step. With squared error, :math:`\tfrac12 (p - t)^2`, it is
#    :math:`(p - t)\,p(1 - p)`: the sigmoid's slope is still in the product, so
#    a unit that is confidently *wrong* (:math:`z \ll 0`, output near 0) gets
#    almost no gradient and learns slowly just where it most needs to.
#
# .. only:: ko
#
#    **교차 엔트로피를 쓰는 까닭.** 목표값 :math:`t = 1`\ 일 때 로짓 :math:`z`\ 에 대한 손실의
#    도함수입니다. 교차 엔트로피에서는 :math:`p - t`\ 여서 출력이 목표값에서 멀수록 걸음이
#    커집니다. 제곱 오차 :math:`\tfrac12 (p - t)^2`\ 에서는 :math:`(p - t)\,p(1 - p)`\ 입니다.
#    곱에 시그모이드의 기울기가 남아 있으므로, 자신 있게 *틀린* 유닛(:math:`z \ll 0`,
#    출력이 0 근처)은 기울기를 거의 받지 못합니다. 가장 많이 배워야 할 곳에서 가장 느리게
#    배우는 셈입니다.

z = np.linspace(-8, 8, 401)
p = sigmoid(z)
cross_entropy_slope = p - 1.0
squared_error_slope = (p - 1.0) * p * (1 - p)
print(f"at z = -6: cross-entropy slope {cross_entropy_slope[z.searchsorted(-6)]:+.4f}, "
      f"squared-error slope {squared_error_slope[z.searchsorted(-6)]:+.4f}")

fig, axis = plt.subplots(figsize=(5.6, 3.0), layout="constrained")
axis.plot(z, cross_entropy_slope, label=r"cross-entropy: $p - t$")
axis.plot(z, squared_error_slope, "--", label=r"squared error: $(p - t)\,p(1 - p)$")
axis.axhline(0, color="0.7", linewidth=0.8)
axis.set_xlabel(r"logit $z$ (target $t = 1$)")
axis.set_ylabel(r"$\partial \ell / \partial z$")
axis.annotate("confidently wrong:\nalmost no gradient", xy=(-6, squared_error_slope[z.searchsorted(-6)]),
              xytext=(-7.5, -0.55), fontsize=8, arrowprops={"arrowstyle": "->", "color": "0.4"})
axis.legend(fontsize=8, loc="lower right")
plt.show()
