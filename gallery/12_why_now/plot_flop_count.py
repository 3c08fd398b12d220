r"""
Counting the work: the FLOPs of one training epoch
==================================================

.. title-ko: 연산량 세기: 학습 한 에포크의 FLOP

.. only:: en

   How much arithmetic does training chapter 5's convolutional network take?
   Its floating-point operations, counted layer by layer from the ``ann_lib``
   model's weights and output shapes, for one image and for one epoch of the
   1347 training digits, beside LeCun and colleagues' zip-code network of 1989.
   The example "Computers were too slow" puts these counts on a clock.

.. only:: ko

   5장의 합성곱 신경망을 학습시키는 데 계산이 얼마나 들까요? ``ann_lib`` 모델의 가중치와
   출력 모양에서 부동소수점 연산 수를 층마다 세어, 이미지 한 장과 학습용 숫자 1,347장의
   한 에포크에 대해 구하고, 1989년 LeCun 등의 우편번호 신경망과 나란히 놓습니다.
   "컴퓨터가 너무 느렸다" 예제가 이 수를 시계에 올립니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.cnn import digits_cnn, layer_outputs
from ann_lib.conv import Conv2D
from ann_lib.datasets import load_digits
from ann_lib.layers import Dense

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "training FLOPs per image": "이미지 한 장당 훈련 FLOPs",
    "conv {}": "합성곱 {}",
    "dense {}": "완전 연결 {}",
    "total": "합계",
    "LeCun et al. 1989\n(64,660 connections)": "LeCun 등 1989\n(연결 64,660개)",
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    **Counting the work.** A convolution with a :math:`k_h \times k_w`
#    kernel from :math:`C_{in}` to :math:`C_{out}` channels on an
#    :math:`H \times W` output does :math:`H W C_{out} k_h k_w C_{in}`
#    multiply-adds per image, a dense layer :math:`n_{in} n_{out}`; a multiply-add
#    is two floating-point operations (FLOPs). Training does about three times
#    the forward pass: the forward pass, the gradient with respect to the
#    layer's input and the gradient with respect to its weights each cost one
#    matrix product of the same size. Pooling and ReLU are comparisons, not
#    counted.
#
# .. only:: ko
#
#    **연산량 세기.** 출력이 :math:`H \times W`\ 이고 커널이 :math:`k_h \times k_w`,
#    채널이 :math:`C_{in}`\ 에서 :math:`C_{out}`\ 으로 가는 합성곱은 이미지 한 장에
#    곱셈-덧셈을 :math:`H W C_{out} k_h k_w C_{in}` 번, 완전 연결 층은
#    :math:`n_{in} n_{out}` 번 합니다. 곱셈-덧셈 한 번은 부동소수점 연산(FLOP) 두
#    번입니다. 학습은 순방향 계산의 약 세 배입니다. 순방향 계산 자체, 층의 입력에 대한 기울기,
#    가중치에 대한 기울기가 저마다 같은 크기의 행렬 곱 하나씩이기 때문입니다. 풀링과
#    ReLU는 비교 연산이므로 세지 않습니다.

X_train, X_test, y_train, y_test = load_digits(layout="nhwc", seed=0)
model = digits_cnn(rng=np.random.default_rng(0))


def forward_flops_per_layer(model, image):
    """(layer name, FLOPs of one forward pass of one image) for each Conv2D and Dense layer."""
    counts = []
    for layer, (_, output) in zip(model.layers, layer_outputs(model, image)):
        if isinstance(layer, Conv2D):
            k_h, k_w, c_in, c_out = layer.params["W"].shape
            flops = 2 * output.shape[1] * output.shape[2] * c_out * k_h * k_w * c_in
            counts.append((f"conv {k_h}x{k_w}, {c_in}->{c_out}", flops))
        elif isinstance(layer, Dense):
            n_in, n_out = layer.params["W"].shape
            counts.append((f"dense {n_in}->{n_out}", 2 * n_in * n_out))
    return counts


per_layer = forward_flops_per_layer(model, X_train[:1])
for name, flops in per_layer:
    print(f"{name:22s} forward {flops:9,d} FLOPs, training about {3 * flops:10,d}")
flops_per_image = 3 * sum(flops for _, flops in per_layer)
flops_per_epoch = flops_per_image * len(X_train)
print(f"training FLOPs per image: {flops_per_image:,}; per epoch of {len(X_train)} images: {flops_per_epoch:.3g}")

lecun_1989_flops_per_image = 6 * 64_660  # one multiply-add per connection forward, two backward
print(f"LeCun et al. 1989, 64,660 connections: about {lecun_1989_flops_per_image:,} training FLOPs per image")

# %%
# .. only:: en
#
#    **Where the work is.** Training FLOPs per image, layer by layer. The
#    first convolution looks at every pixel with few channels, the second at a
#    quarter of the pixels with more; the dense layers, with most of the
#    weights, do less than their share of the arithmetic, for each weight is
#    used once per image, not once per position.
#
# .. only:: ko
#
#    **일이 어디에 몰려 있나.** 이미지 한 장의 학습 FLOP을 층마다 그렸습니다. 첫 합성곱은
#    적은 채널로 모든 픽셀을 보고, 둘째 합성곱은 픽셀의 4분의 1을 더 많은 채널로 봅니다.
#    가중치 대부분을 가진 완전 연결 층은 가중치를 위치마다가 아니라 이미지마다 한 번 쓰므로,
#    가중치 수에 비해 연산은 적습니다.

names = [name for name, _ in per_layer] + ["total", "LeCun et al. 1989\n(64,660 connections)"]
values = [3 * flops for _, flops in per_layer] + [flops_per_image, lecun_1989_flops_per_image]
colors = ["tab:blue"] * len(per_layer) + ["tab:orange", "tab:gray"]
fig, ax = plt.subplots(figsize=(7.2, 3.0), layout="constrained")
positions = np.arange(len(names))[::-1]
ax.barh(positions, values, color=colors)
ax.set_yticks(positions, names, fontsize=8)
ax.set_xlabel("training FLOPs per image")
for y, value in zip(positions, values):
    ax.text(value, y, f" {value:,}", va="center", fontsize=8)
ax.set_xlim(0, max(values) * 1.25)
plt.show()
