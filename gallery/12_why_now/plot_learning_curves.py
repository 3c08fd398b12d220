r"""
Learning curves: a CNN, an SVM and a random forest as the data grow
===================================================================

.. title-ko: 학습 곡선: 데이터가 늘 때의 CNN, SVM, 랜덤 포레스트

.. only:: en

   Hinton's first reason, that the labelled data sets were too small, as an
   experiment: the test accuracy of chapter 5's convolutional network, an SVM
   and a random forest, each trained on the first :math:`n` images of a
   shuffled training set of the digits, for :math:`n` from a few dozen to all
   1,347, with three seeds.

.. only:: ko

   Hinton이 꼽은 첫째 이유, 레이블이 붙은 데이터셋이 너무 작았다는 점을 실험으로
   바꿉니다. 5장의 합성곱 신경망, SVM, 랜덤 포레스트를 숫자 손글씨 훈련 세트의 앞쪽
   :math:`n` 장으로 학습시키고 테스트 정확도를 잽니다. :math:`n`\ 은 수십 장에서 1,347장
   전부까지이고, 시드는 세 개입니다.
"""

import math

import matplotlib.pyplot as plt
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.svm import SVC

from ann_lib.cnn import TRAINING, predict_labels, train_digits_cnn
from ann_lib.datasets import load_digits
from ann_lib.metrics import accuracy

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "{}: {} at n={}, {} at n={}": "{0}: n={2}에서 {1}, n={4}에서 {3}",
    "CNN (chapter 5)": "CNN(5장)",
    "SVM (RBF kernel)": "SVM(RBF 커널)",
    "random forest": "랜덤 포레스트",
    "training examples n (log scale)": "훈련 샘플 수 n (로그 눈금)",
    "test accuracy (450 images)": "테스트 정확도(이미지 450개)",
    "digits: mean of 3 seeds, band = min to max": "숫자 데이터셋: 시드 3개의 평균, 띠 = 최솟값에서 최댓값까지",
}
KEPT_IN_LATIN = {"SVM", "RBF"}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    **The recipe.** For each seed, the training images are put in a random
#    order that cycles through the ten digits, so that even the first 30 hold
#    three of each; every smaller training set is the start of every larger
#    one. The CNN is ``ann_lib.cnn.train_digits_cnn``, chapter 5's network
#    and recipe (Adam, batches of 32), trained for at least 10 epochs and for at
#    least 3,000 image presentations, so that the smallest sets get enough
#    steps. The SVM (RBF kernel) and the forest (100 trees) use scikit-learn's
#    defaults, as in chapter 6. All three are scored on the same 450 test images.
#
# .. only:: ko
#
#    **실험 방법.** 시드마다 훈련 이미지를 열 개의 숫자가 번갈아 나오도록 무작위로
#    늘어놓습니다. 그래서 앞의 30장에도 숫자마다 세 장씩 들어 있고, 작은 훈련 세트는
#    언제나 더 큰 훈련 세트의 앞부분입니다. CNN은 5장의 신경망과 학습 방법(Adam, 크기
#    32인 배치)을 그대로 쓰는 ``ann_lib.cnn.train_digits_cnn``\ 이며, 적어도 10
#    에포크, 그리고 이미지를 적어도 3,000번 보도록 학습시켜 작은 훈련 세트도 충분한
#    횟수만큼 갱신되게 했습니다. SVM(RBF 커널)과 랜덤 포레스트(트리 100개)는 6장처럼
#    scikit-learn의 기본 설정을 씁니다. 세 모델 모두 같은 테스트 이미지 450장으로
#    평가합니다.

X_train, X_test, y_train, y_test = load_digits(layout="nhwc", seed=0)
flat_train, flat_test = X_train.reshape(len(X_train), -1), X_test.reshape(len(X_test), -1)
sizes = [30, 60, 120, 250, 500, len(X_train)]
seeds = [0, 1, 2]


def class_balanced_order(labels, rng):
    """A random order of the samples that takes one of each class in turn."""
    queues = [rng.permutation(np.flatnonzero(labels == c)).tolist() for c in np.unique(labels)]
    order = []
    while any(queues):
        for queue in queues:
            if queue:
                order.append(queue.pop())
    return np.array(order)


def cnn_accuracy(indices, seed):
    n = len(indices)
    epochs = max(TRAINING["epochs"], math.ceil(3000 / n))
    model, _ = train_digits_cnn(X_train[indices], y_train[indices], epochs=epochs, seed=seed)
    return accuracy(y_test, predict_labels(model, X_test))


def svm_accuracy(indices, seed):
    return SVC().fit(flat_train[indices], y_train[indices]).score(flat_test, y_test)


def forest_accuracy(indices, seed):
    forest = RandomForestClassifier(n_estimators=100, random_state=seed)
    return forest.fit(flat_train[indices], y_train[indices]).score(flat_test, y_test)


methods = {"CNN (chapter 5)": cnn_accuracy, "SVM (RBF kernel)": svm_accuracy, "random forest": forest_accuracy}
scores = {name: np.zeros((len(seeds), len(sizes))) for name in methods}
for row, seed in enumerate(seeds):
    order = class_balanced_order(y_train, np.random.default_rng(seed))
    for column, n in enumerate(sizes):
        for name, method in methods.items():
            scores[name][row, column] = method(order[:n], seed)

print("test accuracy, mean over seeds", seeds)
print("n".rjust(6) + "".join(f"{name:>20s}" for name in methods))
for column, n in enumerate(sizes):
    print(f"{n:6d}" + "".join(f"{scores[name][:, column].mean():20.3f}" for name in methods))

# %%
# .. only:: en
#
#    **Where the curves cross.** For each pair of methods, the training-set
#    sizes at which the one ahead on average changes. An empty list means one
#    method stays ahead over the whole range.
#
# .. only:: ko
#
#    **곡선이 교차하는 곳.** 방법 두 개씩 짝지어, 평균으로 앞서는 쪽이 바뀌는 훈련
#    세트 크기를 찾습니다. 빈 목록이면 한 방법이 처음부터 끝까지 앞선다는 뜻입니다.

names = list(methods)
means = {name: scores[name].mean(axis=0) for name in names}
crossings = {}
for a in range(len(names)):
    for b in range(a + 1, len(names)):
        first, second = names[a], names[b]
        ahead = np.sign(means[first] - means[second])
        changes = [sizes[j] for j in range(1, len(sizes)) if ahead[j] != 0 and ahead[j] != ahead[j - 1]]
        crossings[(first, second)] = changes
        print(f"{first} vs {second}: ahead at n={sizes[0]}: {first if ahead[0] > 0 else second}; "
              f"changes at n = {changes}")

fig, ax = plt.subplots(figsize=(7.2, 4.2), layout="constrained")
colors = {"CNN (chapter 5)": "tab:red", "SVM (RBF kernel)": "tab:blue", "random forest": "tab:green"}
for name in names:
    ax.fill_between(sizes, scores[name].min(axis=0), scores[name].max(axis=0), color=colors[name], alpha=0.2)
    ax.plot(sizes, means[name], "o-", color=colors[name],
            label=f"{name}: {means[name][0]:.2f} at n={sizes[0]}, {means[name][-1]:.3f} at n={sizes[-1]}")
ax.set_xscale("log")
ax.set_xticks(sizes, [str(n) for n in sizes])
ax.set_xlabel("training examples n (log scale)")
ax.set_ylabel("test accuracy (450 images)")
ax.set_title("digits: mean of 3 seeds, band = min to max", fontsize=10)
ax.grid(alpha=0.3)
ax.legend(loc="lower right", fontsize=8)
plt.show()
