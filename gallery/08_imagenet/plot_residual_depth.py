r"""
Plain and residual networks of the same depth
=============================================

.. title-ko: 깊이가 같은 평범한 신경망과 잔차 신경망

.. only:: en

   Two convolutional networks with 20 convolutional layers are trained the
   same way on the same one-object scenes. One is a plain stack of layers; the
   other adds a residual connection around every pair of convolutions, as He,
   Zhang, Ren and Sun did in 2015. Neither has batch normalization. A plain
   network with 6 convolutional layers, trained the same way, shows that the
   trouble comes with depth.

.. only:: ko

   합성곱 층이 20개인 합성곱 신경망 두 개를 같은 물체 하나짜리 장면으로 같은 방법으로
   학습시킵니다. 하나는 층을 그냥 쌓은 평범한 신경망이고, 다른 하나는 He, Zhang, Ren,
   Sun이 2015년에 그랬듯이 합성곱 두 개마다 잔차 연결로 건너뛰게 한 신경망입니다. 둘 다
   배치 정규화는 쓰지 않습니다. 합성곱 층이 6개인 평범한 신경망을 같은 방법으로
   학습시켜 보면, 문제가 깊이와 함께 생긴다는 것을 알 수 있습니다.
"""

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from ann_lib.datasets import make_scenes
from ann_lib.metrics import top_k_error

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "{} (first/last grad {})": "{} (첫 층/마지막 층 기울기 {})",
    "plain, 6 layers": "평범한 신경망, 층 6개",
    "plain, 20 layers": "평범한 신경망, 층 20개",
    "residual, 20 layers": "잔차 신경망, 층 20개",
    "epoch": "에포크",
    "training loss": "훈련 손실",
    "test error (top-1)": "테스트 오류율(상위 1)",
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    The scenes of the classification experiment: the first 1,200 of its
#    3,000 training scenes, and its 600 test scenes.
#
# .. only:: ko
#
#    분류 실험의 장면을 그대로 씁니다. 훈련 장면 3,000장 가운데 앞의 1,200장과 테스트
#    장면 600장입니다.

SIZE, N_CLASSES = 32, 12
train = make_scenes(3000, size=SIZE, rng=np.random.default_rng(1))
test = make_scenes(600, size=SIZE, rng=np.random.default_rng(2))
x_train, y_train = train.images[:1200] * 2 - 1, train.labels[:1200]
x_test, y_test = test.images * 2 - 1, test.labels

# %%
# .. only:: en
#
#    The networks: two 3×3 convolutions, each followed by 2×2 max pooling,
#    bring the 32×32 scene to 8×8 with 16 channels; then come ``blocks`` blocks
#    of two 3×3 convolutions with 16 channels, and a dense output layer. With 9
#    blocks that makes 20 convolutional layers. In the residual network each
#    block adds its input to its output before the last ReLU, and the block's
#    second convolution starts at zero, so that every block starts as the
#    identity. All other weights follow He's initialization.
#
# .. only:: ko
#
#    신경망의 구조입니다. 3×3 합성곱 두 개가 각각 2×2 최대 풀링과 함께 32×32 장면을
#    채널 16개의 8×8로 줄입니다. 그 뒤에 채널 16개짜리 3×3 합성곱 두 개로 된 블록이
#    ``blocks`` 개 오고, 마지막에 완전 연결 출력층이 있습니다. 블록이 9개면 합성곱
#    층은 20개입니다. 잔차 신경망에서는 각 블록이 마지막 ReLU 앞에서 입력을 출력에
#    더하고, 블록의 둘째 합성곱은 0에서 시작하므로 모든 블록이 항등 함수로 출발합니다.
#    나머지 가중치는 모두 He 초기화를 따릅니다.


def build_network(residual, blocks=9, width=16, seed=0, name=None):
    tf.keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()  # the same figure on every build
    inputs = tf.keras.Input((SIZE, SIZE, 3))
    x = inputs
    for _ in range(2):
        x = tf.keras.layers.Conv2D(width, 3, padding="same", activation="relu", kernel_initializer="he_normal")(x)
        x = tf.keras.layers.MaxPooling2D()(x)
    for _ in range(blocks):
        branch = tf.keras.layers.Conv2D(width, 3, padding="same", activation="relu",
                                        kernel_initializer="he_normal")(x)
        branch = tf.keras.layers.Conv2D(width, 3, padding="same",
                                        kernel_initializer="zeros" if residual else "he_normal")(branch)
        x = tf.keras.layers.ReLU()(tf.keras.layers.Add()([x, branch]) if residual else branch)
    outputs = tf.keras.layers.Dense(N_CLASSES)(tf.keras.layers.Flatten()(x))
    return tf.keras.Model(inputs, outputs, name=name)


def gradient_ratio(model, images, labels):
    """||dL/dW|| of the first convolution over that of the output layer (chapter 6's first/last ratio)."""
    kernels = [weight for weight in model.trainable_weights if weight.path.endswith("kernel")]
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(labels, model(images),
                                                                              from_logits=True))
    gradients = tape.gradient(loss, kernels)
    return float(tf.norm(gradients[0]) / tf.norm(gradients[-1]))


# %%
# .. only:: en
#
#    The networks train side by side, as the outputs of one Keras model: each
#    sees the same batches in the same order, and the model's loss is the sum
#    of their losses. A network's weights get the gradient of its own loss
#    only, so this is the same as training each alone on those batches, with
#    one training loop instead of three.
#
# .. only:: ko
#
#    세 신경망을 Keras 모델 하나의 출력으로 묶어 나란히 학습시킵니다. 모두 같은 배치를
#    같은 순서로 보고, 모델의 손실은 세 손실의 합입니다. 각 신경망의 가중치는 자기
#    손실의 기울기만 받으므로, 같은 배치로 하나씩 따로 학습시키는 것과 같습니다. 다만
#    학습 반복문이 셋이 아니라 하나입니다.


def train_networks(networks, epochs=4, learning_rate=0.02):
    """SGD with momentum 0.9, batches of 64; for each network, training loss and test error per epoch."""
    inputs = tf.keras.Input((SIZE, SIZE, 3))
    together = tf.keras.Model(inputs, {name: network(inputs) for name, network in networks.items()})
    together.compile(optimizer=tf.keras.optimizers.SGD(learning_rate, momentum=0.9),
                     loss={name: tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
                           for name in networks})
    test_error = {name: [] for name in networks}

    def record(epoch, logs):
        scores = together(x_test, training=False)
        for name in networks:
            test_error[name].append(top_k_error(scores[name].numpy(), y_test, k=1))

    history = together.fit(x_train, {name: y_train for name in networks}, batch_size=64, epochs=epochs,
                           verbose=0, callbacks=[tf.keras.callbacks.LambdaCallback(on_epoch_end=record)])
    return {name: {"loss": np.array(history.history[f"{name}_loss"]), "test_error": np.array(test_error[name])}
            for name in networks}


NAMES = {"plain6": "plain, 6 layers", "plain20": "plain, 20 layers", "residual20": "residual, 20 layers"}
networks = {
    "plain6": build_network(residual=False, blocks=2, seed=0, name="plain6"),
    "plain20": build_network(residual=False, blocks=9, seed=0, name="plain20"),
    "residual20": build_network(residual=True, blocks=9, seed=0, name="residual20"),
}
ratios = {key: gradient_ratio(network, x_train[:256], y_train[:256]) for key, network in networks.items()}
trained = train_networks(networks)
print(f"loss of guessing among {N_CLASSES} classes: ln {N_CLASSES} = {np.log(N_CLASSES):.3f}")
runs = {}
for key, name in NAMES.items():
    runs[name] = {"ratio": ratios[key], **trained[key]}
    print(f"{name:20s}: first/last gradient at the start {ratios[key]:.2f}, final training loss "
          f"{runs[name]['loss'][-1]:.3f}, final test error {runs[name]['test_error'][-1]:.3f}")

# %%
# .. only:: en
#
#    Training loss and test error per epoch. The dotted line is the loss of
#    guessing, ln 12. The plain network of 20 layers ends above the plain
#    network of 6 layers, deeper and worse; the residual network of 20 layers
#    ends below both.
#
# .. only:: ko
#
#    에포크마다의 훈련 손실과 테스트 오류율입니다. 점선은 우연 수준의 손실, ln 12입니다. 층이
#    20개인 평범한 신경망은 층이 6개인 평범한 신경망보다 높게 끝납니다. 더 깊은데 더
#    나쁜 것입니다. 층이 20개인 잔차 신경망은 둘보다 낮게 끝납니다.

fig, (loss_axis, error_axis) = plt.subplots(1, 2, figsize=(7.2, 3.6), layout="constrained")
styles = {"plain, 6 layers": ("C2", ":"), "plain, 20 layers": ("C3", "-"), "residual, 20 layers": ("C0", "-")}
for name, result in runs.items():
    colour, style = styles[name]
    epochs = np.arange(1, len(result["loss"]) + 1)
    label = f"{name} (first/last grad {result['ratio']:.2f})"
    loss_axis.plot(epochs, result["loss"], style, marker="o", ms=3, color=colour, label=label)
    error_axis.plot(epochs, result["test_error"], style, marker="o", ms=3, color=colour)
loss_axis.axhline(np.log(N_CLASSES), color="0.5", linestyle=":", linewidth=1)
loss_axis.set_xlabel("epoch")
loss_axis.set_ylabel("training loss")
error_axis.set_xlabel("epoch")
error_axis.set_ylabel("test error (top-1)")
error_axis.set_ylim(0, 1)
fig.legend(loc="outside lower center", ncols=3, fontsize="x-small")
for axis in (loss_axis, error_axis):
    axis.set_xticks(epochs)
    axis.grid(True, alpha=0.3)
plt.show()
