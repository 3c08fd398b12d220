r"""
Initialization schemes in a deep tanh network
=============================================

.. title-ko: 깊은 tanh 신경망에서 비교한 초기화 방법

.. only:: en

   One deep network, ten weight layers with nine hidden tanh layers of 64
   units, started five ways: the naive small normal
   :math:`\mathcal N(0, 0.01^2)`, a normal that is too wide,
   :math:`\mathcal N(0, 1)`, and the three schemes of ``ann_lib.initializers``
   that scale the weights to the layer's fan-in and fan-out: LeCun, Glorot
   (Xavier) and He. First the distribution of each hidden layer's activations
   on the digits, then the training curves.

.. only:: ko

   은닉층이 아홉 개(각 64개 유닛의 tanh)이고 가중치 층이 열 개인 깊은 신경망 하나를
   다섯 가지로 초기화합니다. 작은 나이브 정규 분포 :math:`\mathcal N(0, 0.01^2)`,
   너무 넓은 정규 분포 :math:`\mathcal N(0, 1)`, 그리고 층의 입력 수(fan-in)와 출력 수(fan-out)에 맞추어
   가중치의 크기를 정하는 ``ann_lib.initializers``\ 의 세 방법(LeCun, Glorot(Xavier),
   He)입니다. 먼저 숫자 손글씨 데이터에서 은닉층마다 활성화 값의 분포를 보고, 이어서
   학습 곡선을 봅니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.datasets import load_digits
from ann_lib.diagnostics import layer_activations
from ann_lib.losses import SoftmaxCrossEntropy
from ann_lib.metrics import accuracy
from ann_lib.network import mlp
from ann_lib.training import fit

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "hidden layer {}": "은닉층 {}",
    "LeCun normal": "LeCun 정규분포",
    "Glorot uniform": "Glorot 균등분포",
    "He normal": "He 정규분포",
    "epoch": "에포크",
    "training loss": "훈련 손실",
    "test accuracy": "테스트 정확도",
}
# sphinx_gallery_end_ignore


def normal_with_std_1(shape, rng):
    """N(0, 1): a fixed scale, far too large for 64 inputs."""
    return rng.normal(0.0, 1.0, size=shape)


X_train, X_test, y_train, y_test = load_digits(seed=0)
sizes = [64] + [64] * 9 + [10]
schemes = {
    "N(0, 0.01²)": "naive_normal",
    "N(0, 1)": normal_with_std_1,
    "LeCun normal": "lecun_normal",
    "Glorot uniform": "glorot_uniform",
    "He normal": "he_normal",
}

# %%
# .. only:: en
#
#    One row per scheme, one column per hidden layer (1, 3, 5, 7, 9): the
#    histogram of the layer's outputs :math:`\tanh(z)` over every unit and
#    every training image. Each panel prints the standard deviation :math:`s`
#    of what it shows.
#
# .. only:: ko
#
#    행 하나가 초기화 방법 하나이고, 열 하나가 은닉층 하나(1, 3, 5, 7, 9번째)입니다.
#    각 칸은 모든 유닛과 모든 훈련 이미지에 대한 그 층의 출력 :math:`\tanh(z)`\ 의
#    히스토그램이며, 칸마다 그 값들의 표준편차 :math:`s`\ 를 적어 둡니다.

shown_layers = [1, 3, 5, 7, 9]
bins = np.linspace(-1.0, 1.0, 41)
fig, axes = plt.subplots(len(schemes), len(shown_layers), figsize=(7.2, 7.0), sharex=True, sharey=True,
                         layout="constrained")
for row, (name, init) in enumerate(schemes.items()):
    model = mlp(sizes, hidden_activation="tanh", init=init, rng=np.random.default_rng(0))
    hidden = layer_activations(model, X_train)  # nine arrays (1347, 64)
    print(f"{name:15s} std per hidden layer: " + " ".join(f"{h.std():.1e}" for h in hidden))
    for column, layer in enumerate(shown_layers):
        axis = axes[row, column]
        values = hidden[layer - 1].ravel()
        axis.hist(np.clip(values, -1.0, 1.0), bins=bins, color=f"C{row}", density=True)
        axis.set_yscale("log")
        axis.text(0.5, 0.95, f"s = {values.std():.1e}", transform=axis.transAxes, ha="center", va="top",
                  fontsize=7)
        if row == 0:
            axis.set_title(f"hidden layer {layer}", fontsize="small")
        if row == len(schemes) - 1:
            axis.set_xlabel(r"$\tanh(z)$", fontsize="small")
    axes[row, 0].set_ylabel(name, fontsize="small")
axes[0, 0].set_ylim(1e-3, 1e3)
for axis in axes.ravel():
    axis.tick_params(labelsize=7)
plt.show()

# %%
# .. only:: en
#
#    With :math:`\mathcal N(0, 0.01^2)` the activations collapse towards 0 by
#    about an order of magnitude per layer: the signal dies on the way up. With
#    :math:`\mathcal N(0, 1)` most units are pinned near :math:`\pm 1`, where
#    :math:`\tanh' \approx 0`. LeCun's and Glorot's scales keep a spread of
#    values through all nine layers, narrowing only slowly. He's scale, twice
#    LeCun's variance, is meant for ReLU; in a tanh network it spreads the
#    values almost evenly over :math:`(-1, 1)`, ends included.
#
# .. only:: ko
#
#    :math:`\mathcal N(0, 0.01^2)`\ 에서는 활성화 값이 층마다 대략 한 자릿수씩 0으로
#    쪼그라듭니다. 활성화 값이 올라가는 길(순방향 계산)에서 사라지는 것입니다. :math:`\mathcal N(0, 1)`\ 에서는
#    대부분의 유닛이 :math:`\tanh' \approx 0`\ 인 :math:`\pm 1` 근처에 붙어
#    버립니다. LeCun과 Glorot의 크기는 아홉 층 내내 값의 퍼짐을 유지하며, 아주
#    천천히 좁아질 뿐입니다. LeCun의 두 배 분산인 He의 크기는 ReLU를 위한 것입니다.
#    tanh 신경망에서는 값을 양 끝까지 포함해 :math:`(-1, 1)`\ 에 거의 고르게
#    퍼뜨립니다.
#
# .. only:: en
#
#    The same network trained from each starting point by mini-batch gradient
#    descent (learning rate 0.03, batches of 32, 30 epochs): the training loss
#    and the test accuracy after every epoch.
#
# .. only:: ko
#
#    같은 신경망을 각 출발점에서 미니배치 경사 하강법(학습률 0.03, 배치 크기 32,
#    30에포크)으로 학습시키고, 에포크마다 훈련 손실과 테스트 정확도를 잽니다.

fig, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(7.2, 3.4), layout="constrained")
for index, (name, init) in enumerate(schemes.items()):
    model = mlp(sizes, hidden_activation="tanh", init=init, rng=np.random.default_rng(0))
    test_accuracy = []

    def record_test_accuracy(epoch, model, history):
        test_accuracy.append(accuracy(y_test, model.predict(X_test)))

    history = fit(model, SoftmaxCrossEntropy(), X_train, y_train, epochs=30, batch_size=32, lr=0.03,
                  rng=np.random.default_rng(1), callback=record_test_accuracy)
    epochs = np.arange(1, history.epochs + 1)
    loss_axis.semilogy(epochs, history.loss, color=f"C{index}", label=name)
    accuracy_axis.plot(epochs, test_accuracy, color=f"C{index}", label=name)
    print(f"{name:15s} final training loss {history.loss[-1]:.3f}, test accuracy {test_accuracy[-1]:.3f}")
loss_axis.set_xlabel("epoch")
loss_axis.set_ylabel("training loss")
accuracy_axis.set_xlabel("epoch")
accuracy_axis.set_ylabel("test accuracy")
accuracy_axis.set_ylim(0.0, 1.0)
accuracy_axis.legend(fontsize="x-small", loc="lower right")
for axis in (loss_axis, accuracy_axis):
    axis.grid(True, alpha=0.3)
plt.show()
