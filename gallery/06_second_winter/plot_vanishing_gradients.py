r"""
The vanishing gradient, layer by layer
======================================

.. title-ko: 층마다 재어 본 기울기 소실

.. only:: en

   A multilayer perceptron with ten weight layers (64 inputs, nine hidden
   layers of 64 units, 10 outputs) on the digits, built with ``ann_lib``. For
   one batch, the whole training set, we measure the size of the gradient
   :math:`\lVert \partial L / \partial W_\ell \rVert_F` that backpropagation
   delivers to each layer :math:`\ell`, on a log scale: first at
   initialization, then over the first epochs of training. Four networks
   differ only in their activation function and initialization.

.. only:: ko

   숫자 손글씨 데이터로 가중치 층이 열 개인 다층 퍼셉트론(입력 64개, 64개 유닛의 은닉층
   아홉 개, 출력 10개)을 ``ann_lib``\ 으로 만듭니다. 배치 하나(훈련 세트 전체)에 대해
   역전파가 각 층 :math:`\ell`\ 에 전해 주는 기울기의 크기
   :math:`\lVert \partial L / \partial W_\ell \rVert_F`\ 를 로그 눈금으로 잽니다. 먼저
   초기화 직후에 재고, 이어서 학습의 처음 몇 에포크 동안 잽니다. 네 신경망은 활성화
   함수와 초기화 방법만 다릅니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.datasets import load_digits
from ann_lib.diagnostics import gradient_norm_recorder, gradient_norms
from ann_lib.losses import SoftmaxCrossEntropy
from ann_lib.network import mlp
from ann_lib.training import fit

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "layer $\\ell$ (1 = next to the input)": "층 $\\ell$ (1 = 입력 바로 다음 층)",
    "Gradient norm per layer at initialization": "초기화 직후 층마다의 기울기 노름",
    "epoch {}": "에포크 {}",
    "layer $\\ell$": "층 $\\ell$",
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    The four configurations. The first is the network of the 1990s: sigmoid
#    units and weights drawn from a small fixed normal distribution,
#    :math:`\mathcal N(0, 0.01^2)`. The last is the modern default: ReLU
#    units with He initialization.
#
# .. only:: ko
#
#    네 가지 구성입니다. 첫째는 1990년대의 신경망으로, 시그모이드 유닛에 가중치를 작은
#    고정 정규 분포 :math:`\mathcal N(0, 0.01^2)`\ 에서 뽑습니다. 마지막은 오늘날의
#    기본값인 ReLU 유닛과 He 초기화입니다.

X_train, X_test, y_train, y_test = load_digits(seed=0)
sizes = [64] + [64] * 9 + [10]  # ten weight layers
configurations = {
    "sigmoid, N(0, 0.01²)": ("sigmoid", "naive_normal"),
    "tanh, N(0, 0.01²)": ("tanh", "naive_normal"),
    "tanh, Glorot": ("tanh", "glorot_uniform"),
    "ReLU, He": ("relu", "he_normal"),
}
colors = {name: f"C{index}" for index, name in enumerate(configurations)}
loss = SoftmaxCrossEntropy()
layer_numbers = np.arange(1, len(sizes))

at_init = {}
for name, (activation, init) in configurations.items():
    model = mlp(sizes, hidden_activation=activation, init=init, rng=np.random.default_rng(0))
    at_init[name] = gradient_norms(model, loss, X_train, y_train)
    print(f"{name:22s} first/last = {at_init[name].ratio:.1e}")

# %%
# .. only:: en
#
#    At initialization. In the sigmoid network the gradient shrinks by a
#    roughly constant factor at every layer on its way down: a straight line on
#    the log scale. In the tanh network with the same small weights every
#    layer's gradient is tiny, because the signal has already died out on the
#    way *up*. With Glorot's initialization for tanh, and He's for ReLU, every
#    layer gets a gradient of the same order.
#
# .. only:: ko
#
#    초기화 직후입니다. 시그모이드 신경망에서는 기울기가 아래로 내려가며 층마다 거의
#    일정한 비율로 줄어듭니다. 로그 눈금에서 직선이 되는 까닭입니다. 같은 작은 가중치를
#    쓴 tanh 신경망에서는 모든 층의 기울기가 아주 작습니다. 활성화 값이 *올라가는* 길에서
#    이미 사라졌기 때문입니다. tanh에 Glorot 초기화를, ReLU에 He 초기화를 쓰면 모든 층이
#    자릿수가 같은 기울기를 받습니다.

fig, axis = plt.subplots(figsize=(7.2, 3.8), layout="constrained")
for name, norms in at_init.items():
    axis.semilogy(layer_numbers, norms.weights, "o-", color=colors[name], label=name)
axis.set_xticks(layer_numbers)
axis.set_xlabel(r"layer $\ell$ (1 = next to the input)")
axis.set_ylabel(r"$\Vert \partial L / \partial W_\ell \Vert_F$")
axis.set_title("Gradient norm per layer at initialization")
axis.legend(loc="lower right", fontsize="small")
axis.grid(True, which="major", alpha=0.3)
plt.show()

# %%
# .. only:: en
#
#    Over the first epochs. Each network is trained by plain mini-batch
#    gradient descent (learning rate 0.03, batches of 32) for ten epochs, and
#    after every epoch the per-layer norms are measured again on the same
#    batch. The colour goes from light (epoch 0, before training) to dark
#    (epoch 10).
#
# .. only:: ko
#
#    처음 몇 에포크 동안의 변화입니다. 각 신경망을 평범한 미니배치 경사 하강법(학습률
#    0.03, 배치 크기 32)으로 10에포크 동안 학습시키고, 에포크가 끝날 때마다 같은
#    배치에서 층별 크기를 다시 잽니다. 색이 옅을수록 이른 에포크(0은 학습 전)이고,
#    짙을수록 늦은 에포크(10)입니다.

epochs = 10
fig, axes = plt.subplots(2, 2, figsize=(7.2, 5.6), sharex=True, sharey=True, layout="constrained")
for axis, (name, (activation, init)) in zip(axes.ravel(), configurations.items()):
    model = mlp(sizes, hidden_activation=activation, init=init, rng=np.random.default_rng(0))
    recorder = gradient_norm_recorder(loss, X_train, y_train)
    history = fit(
        model, loss, X_train, y_train, epochs=epochs, batch_size=32, lr=0.03,
        rng=np.random.default_rng(1), callback=recorder,
    )
    per_epoch = [at_init[name].weights] + history.records["gradient_norms"]
    shades = plt.get_cmap("viridis_r")(np.linspace(0.15, 1.0, len(per_epoch)))
    for epoch, (norms, shade) in enumerate(zip(per_epoch, shades)):
        if epoch in (0, 1, 2, 3, 5, 10):
            axis.semilogy(layer_numbers, norms, "o-", markersize=3, color=shade, label=f"epoch {epoch}")
    axis.set_title(name, fontsize="medium")
    axis.grid(True, which="major", alpha=0.3)
    print(f"{name:22s} after {epochs} epochs: first/last = {per_epoch[-1][0] / per_epoch[-1][-1]:.1e}, "
          f"training loss {history.loss[-1]:.3f}")
for axis in axes[1]:
    axis.set_xlabel(r"layer $\ell$")
    axis.set_xticks(layer_numbers)
for axis in axes[:, 0]:
    axis.set_ylabel(r"$\Vert \partial L / \partial W_\ell \Vert_F$")
axes[0, 0].legend(fontsize="x-small", loc="lower right")
plt.show()

# %%
# .. only:: en
#
#    Training does not rescue the sigmoid network: its first layer still
#    receives a gradient many orders of magnitude below its last layer's, so
#    only the top layers learn, and its loss stays where it started. The tanh
#    network with small weights does not move either. The two well-initialized
#    networks learn, and their per-layer norms stay within a small factor of
#    each other while they do.
#
# .. only:: ko
#
#    학습을 해도 시그모이드 신경망은 나아지지 않습니다. 첫째 층이 받는 기울기는 여전히
#    마지막 층보다 몇 자릿수나 작아서 위쪽 층만 배우고, 손실은 출발점에 머뭅니다. 작은
#    가중치로 시작한 tanh 신경망도 움직이지 않습니다. 초기화를 잘한 두 신경망은 학습이
#    되고, 그동안 층별 기울기 크기도 서로 몇 배 안쪽에 머뭅니다.
