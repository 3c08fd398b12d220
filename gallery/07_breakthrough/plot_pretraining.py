r"""
Greedy layer-wise pre-training, at small scale
==============================================

.. title-ko: 작은 규모로 재현한 탐욕적 층별 사전 학습

.. only:: en

   The network that would not learn in chapter 6 (ten weight layers, nine
   hidden layers of 64 sigmoid units) is pre-trained one layer at a time
   without labels, as Hinton, Osindero and Teh (2006) did with restricted
   Boltzmann machines and Bengio et al. (2007) with autoencoders, then
   fine-tuned with labels by backpropagation. It is compared with the same
   network started at random, and with a ReLU network with He initialization
   that had no pre-training at all.

.. only:: ko

   6장에서 학습되지 않던 신경망(가중치 층 열 개, 64개 시그모이드 유닛의 은닉층 아홉
   개)을 레이블 없이 한 층씩 사전 학습합니다. Hinton, Osindero, Teh(2006)는 제한
   볼츠만 머신으로, Bengio 등(2007)은 오토인코더로 이렇게 했습니다. 그다음 레이블을
   써서 역전파로 미세 조정합니다. 같은 신경망을 무작위로 시작한 경우, 그리고 사전
   학습 없이 He 초기화만 쓴 ReLU 신경망과 비교합니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.datasets import load_digits
from ann_lib.diagnostics import gradient_norms
from ann_lib.losses import SoftmaxCrossEntropy
from ann_lib.metrics import accuracy
from ann_lib.network import mlp
from ann_lib.pretraining import greedy_layerwise, initialize_from
from ann_lib.training import fit

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "random N(0, 0.01²)": "무작위 N(0, 0.01²)",
    "random Glorot": "무작위 Glorot",
    "autoencoder": "오토인코더",
    "ReLU, He (no pre-training)": "ReLU, He (사전 학습 없음)",
    "layer $\\ell$": "층 $\\ell$",
    "$\\Vert \\partial L / \\partial W_\\ell \\Vert_F$ at the start": "시작할 때의 $\\Vert \\partial L / \\partial W_\\ell \\Vert_F$",
    "fine-tuning epoch": "미세 조정 에포크",
    "test accuracy": "테스트 정확도",
}
KEPT_IN_LATIN = {"RBM", "CD"}  # RBM (CD-1): the model and its training rule, as the chapter writes them
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    Pre-training uses only the training images, never their labels. Each of
#    the nine layers is trained for 30 epochs on the output of the layers
#    below it: an RBM by CD-1 (learning rate 0.3), or an autoencoder by
#    gradient descent on its cross-entropy reconstruction loss (learning
#    rate 10, large because that loss is averaged over the 64 outputs).
#
# .. only:: ko
#
#    사전 학습에는 훈련 이미지만 쓰고, 그 레이블은 쓰지 않습니다. 아홉 층 각각을 그
#    아래 층들의 출력으로 30에포크 동안 학습시킵니다. RBM은 CD-1(학습률 0.3)로,
#    오토인코더는 교차 엔트로피 재구성 손실에 대한 경사 하강법으로 학습시킵니다(손실이
#    출력 64개의 평균이므로 학습률을 10으로 크게 잡았습니다).

X_train, X_test, y_train, y_test = load_digits(seed=0)
sizes = [64] + [64] * 9 + [10]
hidden_sizes = sizes[1:-1]
stacks = {
    "RBM (CD-1)": greedy_layerwise(X_train, hidden_sizes, method="rbm", epochs=30, lr=0.3,
                                   rng=np.random.default_rng(0)),
    "autoencoder": greedy_layerwise(X_train, hidden_sizes, method="autoencoder", epochs=30, lr=10.0,
                                    rng=np.random.default_rng(0)),
}
measures = {"RBM (CD-1)": "squared error", "autoencoder": "cross-entropy"}
for name, stack in stacks.items():
    print(f"{name:12s} last-epoch reconstruction {measures[name]} per layer: "
          + " ".join(f"{layer.errors[-1]:.3f}" for layer in stack))

# %%
# .. only:: en
#
#    Five starting points for fine-tuning. The four sigmoid networks are the
#    same network trained the same way (learning rate 0.1, batches of 32,
#    30 epochs); only their initial weights differ. The output layer of the
#    pre-trained networks is initialized by Glorot's rule. The ReLU network
#    uses the learning rate that the chapter 6 sweep found for it, 0.03.
#
# .. only:: ko
#
#    미세 조정의 출발점은 다섯 가지입니다. 시그모이드 신경망 넷은 같은 신경망을 같은
#    방법(학습률 0.1, 배치 크기 32, 30에포크)으로 학습시키며, 초기 가중치만 다릅니다.
#    사전 학습한 신경망의 출력층은 Glorot 규칙으로 초기화합니다. ReLU 신경망에는 6장의
#    학습률 훑어보기에서 그 신경망에 맞는 것으로 나온 0.03을 씁니다.


def build(start):
    if start == "ReLU, He (no pre-training)":
        return mlp(sizes, hidden_activation="relu", init="he_normal", rng=np.random.default_rng(0)), 0.03
    init = {"random N(0, 0.01²)": "naive_normal", "random Glorot": "glorot_uniform"}.get(start, "glorot_uniform")
    model = mlp(sizes, hidden_activation="sigmoid", init=init, rng=np.random.default_rng(0))
    if start in stacks:
        initialize_from(model, stacks[start])
    return model, 0.1


starts = ["random N(0, 0.01²)", "random Glorot", "RBM (CD-1)", "autoencoder", "ReLU, He (no pre-training)"]
loss = SoftmaxCrossEntropy()
initial_norms, curves = {}, {}
for start in starts:
    model, lr = build(start)
    initial_norms[start] = gradient_norms(model, loss, X_train, y_train)
    test_accuracy = []

    def record_test_accuracy(epoch, model, history):
        test_accuracy.append(accuracy(y_test, model.predict(X_test)))

    fit(model, loss, X_train, y_train, epochs=30, batch_size=32, lr=lr, rng=np.random.default_rng(1),
        callback=record_test_accuracy)
    curves[start] = test_accuracy
    print(f"{start:27s} first/last gradient {initial_norms[start].ratio:.1e}   "
          f"test accuracy after 30 epochs {test_accuracy[-1]:.3f}")

# %%
# .. only:: en
#
#    Left: the per-layer gradient norms at the start of fine-tuning, the
#    measurement of chapter 6. Right: test accuracy during fine-tuning.
#    Pre-training turns the sigmoid network that was stuck at chance into one
#    that learns: after pre-training, the gradient reaching the first layer is
#    no longer negligible. The ReLU network with He initialization gets as far
#    without any pre-training.
#
# .. only:: ko
#
#    왼쪽은 미세 조정을 시작할 때의 층별 기울기 크기로, 6장에서 잰 바로 그 값입니다.
#    오른쪽은 미세 조정 동안의 테스트 정확도입니다. 우연 수준에 갇혀 있던 시그모이드
#    신경망이 사전 학습을 거치면 학습이 됩니다. 사전 학습 뒤에는 첫째 층에 이르는
#    기울기가 더는 무시할 만큼 작지 않기 때문입니다. He 초기화를 쓴 ReLU 신경망은
#    사전 학습 없이도 그만큼 갑니다.

fig, (norm_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(7.2, 3.9), layout="constrained")
styles = {start: ("--" if "ReLU" in start else "-") for start in starts}
layer_numbers = np.arange(1, len(sizes))
for index, start in enumerate(starts):
    norm_axis.semilogy(layer_numbers, initial_norms[start].weights, "o" + styles[start], markersize=3,
                       color=f"C{index}", label=start)
    accuracy_axis.plot(np.arange(1, len(curves[start]) + 1), curves[start], styles[start], color=f"C{index}",
                       label=start)
norm_axis.set_xticks(layer_numbers)
norm_axis.set_xlabel(r"layer $\ell$")
norm_axis.set_ylabel(r"$\Vert \partial L / \partial W_\ell \Vert_F$ at the start")
accuracy_axis.set_xlabel("fine-tuning epoch")
accuracy_axis.set_ylabel("test accuracy")
accuracy_axis.set_ylim(0.0, 1.0)
fig.legend(*norm_axis.get_legend_handles_labels(), loc="outside lower center", ncols=3, fontsize="x-small")
for axis in (norm_axis, accuracy_axis):
    axis.grid(True, alpha=0.3)
plt.show()
