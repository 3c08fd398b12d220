r"""
Computers were too slow: one epoch then and now
===============================================

.. title-ko: 컴퓨터가 너무 느렸다: 한 에포크의 그때와 지금

.. only:: en

   Hinton's second reason as a measurement. One training epoch of chapter 5's
   convolutional network on the 1347 training digits, timed on the machine
   that builds this book, in ``ann_lib`` (numpy) and in TensorFlow, and set
   beside what two published training runs report: LeCun and colleagues'
   zip-code network of 1989 and Krizhevsky, Sutskever and Hinton's ImageNet
   network of 2012. The floating-point operations are counted as in the example
   "Counting the work".

.. only:: ko

   Hinton이 꼽은 둘째 이유를 측정으로 바꿉니다. 5장의 합성곱 신경망을 학습용 숫자
   1,347장으로 한 에포크 학습시키는 시간을 이 책을 빌드하는 컴퓨터에서 ``ann_lib``
   (numpy)와 TensorFlow로 각각 재어, 논문 두 편이 보고한 학습과 나란히 놓습니다.
   1989년 LeCun 등의 우편번호 신경망과 2012년 Krizhevsky, Sutskever, Hinton의 이미지넷
   신경망입니다. 부동소수점 연산 수는 "연산량 세기" 예제와 같은 방법으로 셉니다.
"""

import platform
import statistics
import time

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from ann_lib.cnn import TRAINING, digits_cnn, layer_outputs
from ann_lib.conv import Conv2D
from ann_lib.datasets import load_digits
from ann_lib.layers import Dense
from ann_lib.losses import SoftmaxCrossEntropy
from ann_lib.training import Adam, fit

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "training images per second": "초당 학습 이미지 수",
    "1989 LeCun et al.\nSUN-4/260": "1989 LeCun 등\nSUN-4/260",
    "2012 Krizhevsky et al.\n2 x GTX 580": "2012 Krizhevsky 등\nGTX 580 2개",
    "this machine\n{}": "이 컴퓨터\n{}",
    " not stated": " 적혀 있지 않음",
    "training FLOP/s": "학습의 FLOP/s",
    "one epoch of chapter 5's CNN: {} s in numpy, {} s in TensorFlow ({})":
        "5장 CNN의 한 에포크: numpy로 {}초, TensorFlow로 {}초 ({})",
    "no GPU": "GPU 없음",
}
KEPT_IN_LATIN = {"SUN", "Krizhevsky", "GTX"}  # a workstation, an author and a graphics card, by their names
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    **The work of one epoch**, in floating-point operations (FLOPs): the
#    multiply-adds of the convolutions and dense layers, two FLOPs each, and
#    about three times the forward pass for training (the example "Counting
#    the work" explains the count and draws it layer by layer).
#
# .. only:: ko
#
#    **한 에포크의 일**\ 을 부동소수점 연산(FLOP) 수로 셉니다. 합성곱과 완전 연결 층의
#    곱셈-덧셈을 한 번에 두 FLOP으로 세고, 학습은 순방향 계산의 약 세 배로 봅니다("연산량
#    세기" 예제가 세는 법을 설명하고 층마다 그립니다).

X_train, X_test, y_train, y_test = load_digits(layout="nhwc", seed=0)
model = digits_cnn(rng=np.random.default_rng(0))


def forward_flops(model, image):
    """FLOPs of one forward pass of one image, counting the multiply-adds of Conv2D and Dense layers."""
    total = 0
    for layer, (_, output) in zip(model.layers, layer_outputs(model, image)):
        if isinstance(layer, Conv2D):
            k_h, k_w, c_in, c_out = layer.params["W"].shape
            total += 2 * output.shape[1] * output.shape[2] * c_out * k_h * k_w * c_in
        elif isinstance(layer, Dense):
            n_in, n_out = layer.params["W"].shape
            total += 2 * n_in * n_out
    return total


flops_per_image = 3 * forward_flops(model, X_train[:1])
flops_per_epoch = flops_per_image * len(X_train)
print(f"training FLOPs per image: {flops_per_image:,}; per epoch of {len(X_train)} images: {flops_per_epoch:.3g}")

# %%
# .. only:: en
#
#    **Timing one epoch.** ``ann_lib`` runs ``ann_lib.training.fit`` for
#    one epoch (Adam, batches of 32, float64, as in chapter 5). TensorFlow runs
#    the same layers, with the same number of parameters, in float32 (its
#    default), one ``tf.function`` step per batch; its first epoch, which traces
#    the function, is not timed. Each is timed three times, and the median
#    kept. The build machine has no GPU, so TensorFlow runs on the CPU; the
#    script says which devices it found.
#
# .. only:: ko
#
#    **한 에포크의 시간 재기.** ``ann_lib``\ 은 5장과 같이 ``ann_lib.training.fit``\ 을
#    한 에포크(Adam, 크기 32인 배치, float64) 돌립니다. TensorFlow는 파라미터 수까지
#    같은 층을 기본 자료형인 float32로 돌리며, 배치마다 ``tf.function`` 한 단계를
#    실행합니다. 함수를 추적(tracing)하는 첫 에포크는 재지 않습니다. 저마다 세 번 재서
#    중앙값을 씁니다. 빌드하는 컴퓨터에는 GPU가 없으므로 TensorFlow는 CPU에서 돌아가며,
#    스크립트가 찾은 장치를 출력합니다.

gpus = tf.config.list_physical_devices("GPU")
print("processor:", platform.processor() or platform.machine(), "| GPUs found:", len(gpus) or "none")


def median_seconds(run, repeats=3):
    """Median wall-clock seconds of run() over repeats."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


numpy_rng = np.random.default_rng(1)
optimizer = Adam(TRAINING["lr"])
numpy_seconds = median_seconds(
    lambda: fit(model, SoftmaxCrossEntropy(), X_train, y_train, epochs=1, batch_size=TRAINING["batch_size"],
                optimizer=optimizer, rng=numpy_rng)
)

tf.keras.utils.set_random_seed(0)
keras_model = tf.keras.Sequential([
    tf.keras.Input(shape=(8, 8, 1)),
    tf.keras.layers.Conv2D(16, 5, padding="same", activation="relu", kernel_initializer="he_normal"),
    tf.keras.layers.MaxPooling2D(2),
    tf.keras.layers.Conv2D(32, 3, padding="same", activation="relu", kernel_initializer="he_normal"),
    tf.keras.layers.MaxPooling2D(2),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    tf.keras.layers.Dense(10),
])
assert keras_model.count_params() == model.n_params, (keras_model.count_params(), model.n_params)
keras_optimizer = tf.keras.optimizers.Adam(TRAINING["lr"])
loss_function = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
batches = [(tf.constant(X_train[i:i + 32], tf.float32), tf.constant(y_train[i:i + 32]))
           for i in range(0, len(X_train), TRAINING["batch_size"])]


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = loss_function(y, keras_model(x, training=True))
    gradients = tape.gradient(loss, keras_model.trainable_variables)
    keras_optimizer.apply_gradients(zip(gradients, keras_model.trainable_variables))
    return loss


def tensorflow_epoch():
    for x, y in batches:
        train_step(x, y)


tensorflow_epoch()  # traces train_step (two batch shapes); not timed
tensorflow_seconds = median_seconds(tensorflow_epoch)

measured = {"ann_lib (numpy, float64)": numpy_seconds, "TensorFlow (CPU, float32)": tensorflow_seconds}
for name, seconds in measured.items():
    print(f"{name:27s} one epoch: {seconds * 1000:7.1f} ms = {len(X_train) / seconds:9,.0f} images/s "
          f"= {flops_per_epoch / seconds / 1e9:6.2f} GFLOP/s")

# %%
# .. only:: en
#
#    **The published runs.** Only what the papers state goes in. LeCun and
#    colleagues (1989) trained a network of 64,660 connections on a SUN-4/260
#    workstation for three days, 23 passes over 7,291 digits, 167,693
#    presentations in all. Krizhevsky, Sutskever and Hinton (2012) trained for
#    roughly 90 cycles through 1.2 million images, which took five to six days
#    on two NVIDIA GTX 580 GPUs. From these the script derives images per
#    second, and for 1989, where the paper gives the connections, an estimate of
#    the FLOPs per second: one multiply-add per connection forward and two
#    backward, so :math:`6 \times 64{,}660` FLOPs per presentation, as for our
#    network. The paper's training method (a diagonal approximation of Newton's
#    method) did some extra work, so the estimate is a lower bound.
#
# .. only:: ko
#
#    **논문에 실린 학습.** 논문에 적힌 것만 씁니다. LeCun 등(1989)은 연결이 64,660개인
#    신경망을 SUN-4/260 워크스테이션에서 사흘 동안 학습시켰습니다. 숫자 7,291장을 23번
#    돌아 모두 167,693번 보여 준 것입니다. Krizhevsky, Sutskever, Hinton(2012)은 이미지
#    120만 장을 약 90번 돌며 학습시켰고, NVIDIA GTX 580 GPU 두 개로 5~6일이
#    걸렸습니다. 스크립트는 여기서 초당 이미지 수를 구하고, 논문이 연결 수를 밝힌
#    1989년에 대해서는 초당 FLOP 수도 어림합니다. 연결마다 순방향 계산에서 곱셈-덧셈 한 번,
#    역방향 계산에서 두 번이므로 한 번 보여 줄 때 :math:`6 \times 64{,}660` FLOP이며, 이 책의
#    신경망과 같은 방식으로 센 것입니다. 그 논문의 학습법(뉴턴 방법의 대각 근사)은 일을
#    조금 더 했으므로 이 어림값은 하한입니다.

day = 86_400.0
lecun_1989_images_per_second = 167_693 / (3 * day)
lecun_1989_flops = 6 * 64_660 * lecun_1989_images_per_second
krizhevsky_2012_images_per_second = (90 * 1.2e6 / (6 * day), 90 * 1.2e6 / (5 * day))
print(f"1989, SUN-4/260:   {lecun_1989_images_per_second:.2f} images/s (16x16 digits), "
      f"about {lecun_1989_flops / 1e6:.2f} MFLOP/s or more")
print(f"2012, 2 x GTX 580: {krizhevsky_2012_images_per_second[0]:.0f} to "
      f"{krizhevsky_2012_images_per_second[1]:.0f} images/s (ImageNet photographs)")
ratio = len(X_train) / numpy_seconds / lecun_1989_images_per_second
print(f"this machine, numpy, against 1989: {ratio:,.0f} times the images per second, "
      f"{flops_per_epoch / numpy_seconds / lecun_1989_flops:,.0f} times the FLOP/s")

# %%
# .. only:: en
#
#    **The picture.** Two logarithmic scales: images per second (left; the
#    images differ, 8 x 8 digits here, 16 x 16 digits in 1989, photographs in
#    2012) and floating-point operations per second spent on training (right;
#    not derivable for 2012 from what the paper states).
#
# .. only:: ko
#
#    **그림.** 두 로그 눈금입니다. 왼쪽은 초당 이미지 수(이미지가 다릅니다. 여기서는
#    8×8 숫자, 1989년은 16×16 숫자, 2012년은 사진), 오른쪽은 학습에 쓴 초당
#    부동소수점 연산 수입니다(2012년 것은 논문에 적힌 것만으로는 구할 수 없습니다).

labels = ["1989 LeCun et al.\nSUN-4/260", "2012 Krizhevsky et al.\n2 x GTX 580",
          "this machine\nann_lib (numpy)", "this machine\nTensorFlow (CPU)"]
images_per_second = [lecun_1989_images_per_second, float(np.mean(krizhevsky_2012_images_per_second)),
                     len(X_train) / numpy_seconds, len(X_train) / tensorflow_seconds]
flops_per_second = [lecun_1989_flops, np.nan, flops_per_epoch / numpy_seconds, flops_per_epoch / tensorflow_seconds]
colors = ["tab:gray", "tab:gray", "tab:blue", "tab:orange"]
fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 3.4), layout="constrained", sharey=True)
positions = np.arange(len(labels))[::-1]
left.barh(positions, images_per_second, color=colors)
left.set_xscale("log")
left.set_yticks(positions, labels, fontsize=8)
left.set_xlabel("training images per second")
for y, value in zip(positions, images_per_second):
    left.text(value, y, f" {value:,.3g}", va="center", fontsize=8)
right.barh(positions, np.nan_to_num(flops_per_second), color=colors)
right.set_xscale("log")
right.set_xlim(1e5, 1e11)
right.set_xlabel("training FLOP/s")
for y, value in zip(positions, flops_per_second):
    right.text(1.2e5 if np.isnan(value) else value, y, " not stated" if np.isnan(value) else f" {value:.2g}",
               va="center", fontsize=8)
left.set_xlim(0.1, max(images_per_second) * 30)
fig.suptitle(f"one epoch of chapter 5's CNN: {numpy_seconds:.2f} s in numpy, {tensorflow_seconds:.2f} s in TensorFlow "
             f"({'no GPU' if not gpus else f'{len(gpus)} GPU'})", fontsize=9)
plt.show()
