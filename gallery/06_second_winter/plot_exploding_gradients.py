r"""
Exploding gradients: initial weights that are too large
=======================================================

.. title-ko: 기울기 폭주: 너무 큰 초기 가중치

.. only:: en

   The lecture's vanishing-gradient slide has two halves: deep in the network
   the gradient either becomes very small *or grows so large that it
   diverges*. The same ten-layer network as in the vanishing-gradient example,
   now with weights that start too large. Left: a tanh network whose weights
   are drawn from :math:`\mathcal N(0, s^2)` for several standard
   deviations :math:`s`, and the size of the signal
   :math:`\Delta_\ell = \partial L / \partial Z_\ell` that backpropagation
   carries down to each layer's weighted sums :math:`Z_\ell`. Right: a ReLU
   network whose weights are twice as large as He's rule says, trained by
   gradient descent.

.. only:: ko

   강의의 기울기 소실 슬라이드의 이야기는 두 갈래입니다. 신경망 깊은 곳에서
   기울기가 아주 작아지거나, *너무 커져 발산해 버립니다*. 기울기 소실 예제와 같은
   열 층짜리 신경망이되, 이번에는 가중치를 너무 크게 시작합니다. 왼쪽은 가중치를
   여러 표준편차 :math:`s`\ 의 :math:`\mathcal N(0, s^2)`\ 에서 뽑은 tanh
   신경망에서, 역전파가 각 층의 가중합 :math:`Z_\ell`\ 까지 내려보내는 신호
   :math:`\Delta_\ell = \partial L / \partial Z_\ell`\ 의 크기를 잽니다. 오른쪽은
   가중치를 He의 규칙보다 두 배 크게 잡은 ReLU 신경망을 경사 하강법으로 학습시킨
   결과입니다.
"""

import math

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.datasets import load_digits
from ann_lib.diagnostics import gradient_norms
from ann_lib.losses import SoftmaxCrossEntropy
from ann_lib.network import mlp
from ann_lib.training import SGD

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "layer $\\ell$": "층 $\\ell$",
    "overflow": "오버플로",
    "step (batch of 32)": "단계(배치 크기 32)",
    "training loss": "훈련 손실",
    "ReLU, He x {}": "ReLU, He × {}",
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    An initializer is any function ``f(shape, rng)``, so a normal
#    distribution of any scale, or He's rule times a factor, is two lines.
#
# .. only:: ko
#
#    초기화 함수는 ``f(shape, rng)`` 꼴의 함수이면 무엇이든 되므로, 원하는 크기의
#    정규 분포나 He 규칙에 배수를 곱한 초기화도 두 줄이면 됩니다.


def normal_with_std(std):
    def init(shape, rng):
        return rng.normal(0.0, std, size=shape)
    return init


def he_times(factor):
    def init(shape, rng):
        fan_in = shape[0]
        return rng.normal(0.0, factor * math.sqrt(2.0 / fan_in), size=shape)
    return init


X_train, X_test, y_train, y_test = load_digits(seed=0)
sizes = [64] + [64] * 9 + [10]
loss = SoftmaxCrossEntropy()
layer_numbers = np.arange(1, len(sizes))
scales = [0.01, 0.05, 0.125, 0.3, 1.0]

tanh_norms = {}
for std in scales:
    model = mlp(sizes, hidden_activation="tanh", init=normal_with_std(std), rng=np.random.default_rng(0))
    tanh_norms[std] = gradient_norms(model, loss, X_train, y_train)
    signals = tanh_norms[std].signals
    print(f"tanh, s = {std:<5g}  signal first/last = {signals[0] / signals[-1]:.1e}")

# %%
# .. only:: en
#
#    Training the ReLU network step by step: every step forwards a batch of 32
#    images, backpropagates, and moves every weight by
#    :math:`-\eta \, \partial L / \partial W` with :math:`\eta = 0.01`. The
#    model raises a ``ValueError`` when a layer's output or a gradient overflows,
#    and numpy is told to raise an error on overflow in the update, so the loop
#    stops at the first step whose numbers no longer fit in a float64.
#
# .. only:: ko
#
#    ReLU 신경망을 한 걸음씩 학습시킵니다. 걸음마다 이미지 32장의 배치를 앞으로
#    통과시키고, 역전파를 하고, 모든 가중치를 :math:`\eta = 0.01`\ 로
#    :math:`-\eta \, \partial L / \partial W`\ 만큼 옮깁니다. 층의 출력이나 기울기가
#    오버플로하면 모델이 ``ValueError``\ 를 내고, 가중치를 옮길 때 오버플로가 나면 numpy가
#    오류를 내도록 했으므로, 수가 float64에 더는 담기지 않는 첫 걸음에서 반복이
#    멈춥니다.

steps = 60
curves = {}
for factor in (1.0, 2.0):
    model = mlp(sizes, hidden_activation="relu", init=he_times(factor), rng=np.random.default_rng(0))
    optimizer = SGD(lr=0.01)
    order = np.random.default_rng(1).permutation(len(X_train))
    losses = []
    for step in range(steps):
        batch = order[(step * 32) % len(X_train):][:32]
        try:
            with np.errstate(over="raise", invalid="raise"):
                losses.append(loss.forward(model.forward(X_train[batch]), y_train[batch]))
                model.backward(loss.backward())
                optimizer.step(model)
        except (FloatingPointError, ValueError):  # numpy's overflow; the model's "too large"
            print(f"He x {factor:g}: overflow at step {step + 1}; last finite loss {losses[-1]:.3g}")
            break
    else:
        print(f"He x {factor:g}: {steps} steps, loss {losses[0]:.3g} -> {losses[-1]:.3g}")
    curves[factor] = losses

# %%
# .. only:: en
#
#    Left: on its way down, the signal is multiplied at every layer by
#    :math:`W_\ell^\top` and by :math:`\tanh'`. With small weights it shrinks by
#    a constant factor per layer, a straight line on the log scale; around
#    :math:`s = 1/\sqrt{64} = 0.125` it keeps its size; with larger
#    weights it *grows* layer by layer, and the first layer receives far more
#    than the last. Right: with weights twice He's scale the very first loss is huge and
#    the first steps, driven by huge gradients, throw the weights further out
#    until the numbers overflow.
#
# .. only:: ko
#
#    왼쪽: 신호는 아래로 내려가며 층마다 :math:`W_\ell^\top`\ 과 :math:`\tanh'`\ 을
#    곱합니다. 가중치가 작으면 층마다 일정한 비율로 줄어들어 로그 눈금에서 직선이
#    됩니다. :math:`s = 1/\sqrt{64} = 0.125` 근처에서는 크기가 유지됩니다.
#    가중치가 더 크면 신호가 층마다 *커져서*, 첫째 층이 마지막 층보다 훨씬 큰 신호를
#    받습니다. 오른쪽: He 규칙의 두 배인
#    가중치에서는 첫 손실부터 엄청나게 크고, 엄청난 기울기에 떠밀린 처음 몇 걸음이
#    가중치를 더 멀리 내던지다가 결국 수가 넘쳐 버립니다.

fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 3.4), layout="constrained")
shades = plt.get_cmap("plasma")(np.linspace(0.0, 0.85, len(scales)))
for std, shade in zip(scales, shades):
    left.semilogy(layer_numbers, tanh_norms[std].signals, "o-", markersize=3, color=shade, label=rf"$s = {std:g}$")
left.set_xticks(layer_numbers)
left.set_xlabel(r"layer $\ell$")
left.set_ylabel(r"$\Vert \partial L / \partial Z_\ell \Vert_F$")
left.set_title(r"tanh, $W \sim \mathcal{N}(0, s^2)$", fontsize="medium")
left.legend(fontsize="x-small")
left.grid(True, alpha=0.3)

for factor, color in ((1.0, "C3"), (2.0, "C1")):
    losses = curves[factor]
    right.semilogy(np.arange(1, len(losses) + 1), losses, color=color, label=f"ReLU, He x {factor:g}")
    if len(losses) < steps:
        right.plot(len(losses) + 1, losses[-1], "x", color=color, markersize=10, markeredgewidth=2)
        right.annotate("overflow", (len(losses) + 1, losses[-1]), textcoords="offset points", xytext=(6, 0),
                       va="center", color=color)
right.set_xlabel("step (batch of 32)")
right.set_ylabel("training loss")
right.set_title(r"ReLU, $\eta = 0.01$", fontsize="medium")
right.legend(fontsize="x-small")
right.grid(True, alpha=0.3)
plt.show()
