r"""
A curved decision boundary: spirals learned by an MLP
=====================================================

.. title-ko: 굽은 결정 경계: 다층 퍼셉트론이 배운 나선

.. only:: en

   Two interleaved spirals are not linearly separable. Trained with the same
   mini-batch gradient descent, a model without a hidden layer (logistic
   regression: one straight boundary) stays near chance, while a multilayer
   perceptron with two hidden layers bends its boundary around the arms.

.. only:: ko

   서로 감긴 두 나선은 선형 분리 가능하지 않습니다. 같은 미니배치 경사 하강법으로
   학습시켜도, 은닉층이 없는 모델(로지스틱 회귀: 곧은 경계 하나)은 우연 수준에 머물고,
   은닉층이 두 개인 다층 퍼셉트론은 경계를 나선 팔을 따라 구부립니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.datasets import make_spirals
from ann_lib.losses import SoftmaxCrossEntropy
from ann_lib.metrics import accuracy
from ann_lib.network import mlp
from ann_lib.training import fit

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "no hidden layer (2-2)\naccuracy {}": "은닉층 없음 (2-2)\n정확도 {}",
    "MLP 2-32-32-2, tanh\naccuracy {}": "MLP 2-32-32-2, tanh\n정확도 {}",
    "no hidden layer": "은닉층 없음",
    "epoch": "에포크",
    "loss": "손실",
    "training loss": "훈련 손실",
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    400 points, one spiral arm per class, generated with an explicit seed.
#    Both models output two logits and are trained on the softmax
#    cross-entropy with batches of 32 for 300 epochs.
#
# .. only:: ko
#
#    점 400개, 클래스마다 나선 팔 하나이며, 시드를 정해서 만듭니다. 두 모델 모두 로짓
#    두 개를 내보내고, 소프트맥스 교차 엔트로피에 대해 배치 크기 32로 300에포크
#    학습합니다.

rng = np.random.default_rng(0)
X, y = make_spirals(400, noise=0.04, rng=rng)
models = {
    "no hidden layer (2-2)": mlp([2, 2], rng=rng),
    "MLP 2-32-32-2, tanh": mlp([2, 32, 32, 2], hidden_activation="tanh", rng=rng),
}
histories = {}
for name, model in models.items():
    histories[name] = fit(model, SoftmaxCrossEntropy(), X, y, epochs=300, batch_size=32, lr=0.2, rng=rng)
    print(f"{name}: training accuracy {accuracy(y, model.predict(X)):.3f}")

# %%
# .. only:: en
#
#    Left and middle: each model's predicted class over the plane, with the
#    training points. Right: the two loss curves.
#
# .. only:: ko
#
#    왼쪽과 가운데: 평면 위에서 각 모델이 예측한 클래스와 훈련 데이터의 점. 오른쪽: 두
#    모델의 손실 곡선.

fig, axes = plt.subplots(1, 3, figsize=(7.2, 2.6), layout="constrained")
grid = np.linspace(-1.3, 1.3, 201)
g1, g2 = np.meshgrid(grid, grid)
points = np.column_stack([g1.ravel(), g2.ravel()])
for ax, (name, model) in zip(axes[:2], models.items()):
    predicted = model.predict(points).argmax(axis=1).reshape(g1.shape)
    ax.contourf(g1, g2, predicted, levels=[-0.5, 0.5, 1.5], colors=["#c6dbef", "#fdd0a2"])
    ax.scatter(*X[y == 0].T, s=8, color="tab:blue", label="class 0")
    ax.scatter(*X[y == 1].T, s=8, color="tab:orange", marker="s", label="class 1")
    ax.set_title(f"{name}\naccuracy {accuracy(y, model.predict(X)):.2f}", fontsize=9)
    ax.set_aspect("equal")
    ax.set_xticks([-1, 0, 1])
    ax.set_yticks([-1, 0, 1])
    ax.set_xlabel("$x_1$")
axes[0].set_ylabel("$x_2$")
for name, history in histories.items():
    axes[2].plot(np.arange(1, history.epochs + 1), history.loss, label=name.split(",")[0].split(" (")[0])
axes[2].set_xlabel("epoch")
axes[2].set_ylabel("loss")
axes[2].set_title("training loss", fontsize=9)
axes[2].legend(fontsize=7)
plt.show()
