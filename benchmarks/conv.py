"""ann_lib.conv against TensorFlow at LeNet sizes, measured side by side in one run.

    python benchmarks/conv.py            # about a minute on two CPU cores
    python benchmarks/conv.py --quick    # fewer repeats

For each case (batch 64; an 8x8 and a 28x28 input; a first convolution
1 -> 16 channels on the image and a second 16 -> 32 on the pooled feature
maps, 'same' padding, 3x3 kernels for 8x8 and LeNet's 5x5 for 28x28) it times,
in float32 on both sides:

* forward: ``ann_lib.conv.conv2d`` against ``tf.nn.conv2d``;
* forward + backward: ``conv2d`` then ``conv2d_backward`` (dx, dw, db) against
  ``tf.nn.conv2d`` under ``tf.GradientTape`` with the gradients for x and w.

TensorFlow runs inside ``tf.function`` (as Keras does when it trains), so its
per-call Python overhead is not counted against it. Each number is the best of
several repeats, after a warm-up; the ratio is numpy time / TensorFlow time
(below 1: numpy is faster). The chapter's target is a ratio within 3.

The numpy side is timed first, before TensorFlow is imported: TensorFlow's
worker threads keep spinning after each operation and take the cores from
numpy's BLAS threads when the two are interleaved (numpy then looks up to
twice as slow as it is). Both sides' results are compared before anything is
printed.

numpy is timed twice, with one OpenBLAS thread and with one per core, and the
faster is shown: on a machine shared with other work, OpenBLAS's threads wait for
each other and small matrix products can get ten times slower with two threads
than with one.

Finally it times one training epoch of the chapter's numpy CNN on the digits
(1347 images) next to one epoch of the same network in Keras.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402  (installed with scikit-learn)

from ann_lib import cnn, conv  # noqa: E402
from ann_lib.datasets import load_digits  # noqa: E402

BATCH = 64
CASES = [  # name, input (H, W, C_in), kernel (kh, kw, C_in, C_out)
    ("8x8, conv1 1->16, 3x3", (8, 8, 1), (3, 3, 1, 16)),
    ("4x4, conv2 16->32, 3x3", (4, 4, 16), (3, 3, 16, 32)),
    ("28x28, conv1 1->16, 5x5", (28, 28, 1), (5, 5, 1, 16)),
    ("14x14, conv2 16->32, 5x5", (14, 14, 16), (5, 5, 16, 32)),
]


def best_time(fn, repeats: int, number: int) -> float:
    """The best over ``repeats`` of the mean time of ``number`` calls, in seconds (after one warm-up).

    The minimum, as ``timeit`` recommends: what a machine shared with other work
    adds to a measurement is never negative, so the smallest time is the truest.
    """
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def case_data(image_shape, kernel_shape):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(BATCH, *image_shape)).astype(np.float32)
    w = rng.normal(size=kernel_shape).astype(np.float32)
    b = np.zeros(kernel_shape[3], np.float32)
    dout = rng.normal(size=conv.conv_output_shape(x.shape, w.shape, 1, "same")).astype(np.float32)
    return x, w, b, dout


def number_of_calls(image_shape) -> int:
    return 20 if image_shape[0] <= 8 else 5


def bench_numpy(image_shape, kernel_shape, repeats: int):
    x, w, b, dout = case_data(image_shape, kernel_shape)

    def forward():
        return conv.conv2d(x, w, b, padding="same")

    def forward_backward():
        y = conv.conv2d(x, w, b, padding="same")
        return (y, *conv.conv2d_backward(dout, x, w, padding="same"))

    number = number_of_calls(image_shape)
    times = {"forward": best_time(forward, repeats, number),
             "forward+backward": best_time(forward_backward, repeats, number)}
    return times, forward_backward()


def bench_tensorflow(tf, image_shape, kernel_shape, repeats: int):
    x, w, b, dout = case_data(image_shape, kernel_shape)
    xt, wt, dt = tf.constant(x), tf.constant(w), tf.constant(dout)

    @tf.function
    def forward(xt, wt):
        return tf.nn.conv2d(xt, wt, 1, "SAME")

    @tf.function
    def forward_backward(xt, wt, dt):
        with tf.GradientTape() as tape:
            tape.watch([xt, wt])
            y = tf.nn.conv2d(xt, wt, 1, "SAME")
        dx, dw = tape.gradient(y, [xt, wt], output_gradients=dt)
        return y, dx, dw, tf.reduce_sum(dt, axis=(0, 1, 2))

    number = number_of_calls(image_shape)
    times = {
        "forward": best_time(lambda: forward(xt, wt).numpy(), repeats, number),
        "forward+backward": best_time(lambda: [t.numpy() for t in forward_backward(xt, wt, dt)], repeats, number),
    }
    return times, [t.numpy() for t in forward_backward(xt, wt, dt)]


def keras_digits_cnn(tf):
    """The same layers as ann_lib.cnn.digits_cnn."""
    return tf.keras.Sequential([
        tf.keras.Input(shape=(8, 8, 1)),
        tf.keras.layers.Conv2D(16, 5, padding="same", activation="relu"),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(10),
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 3 if args.quick else 9
    X_train, _, y_train, _ = load_digits(layout="nhwc")
    recipe = cnn.TRAINING

    # numpy first, with TensorFlow not yet imported, with one BLAS thread and with all of them
    numpy_results, numpy_epoch = [], {}
    for threads in (1, os.cpu_count() or 1):
        with threadpool_limits(limits=threads, user_api="blas"):
            results = [bench_numpy(image, kernel, repeats) for _, image, kernel in CASES]
            numpy_epoch[threads] = best_time(lambda: cnn.train_digits_cnn(X_train, y_train, epochs=1),
                                             max(3, repeats // 2), 1)
        numpy_results.append((threads, results))

    import tensorflow as tf

    tf_results = [bench_tensorflow(tf, image, kernel, repeats) for _, image, kernel in CASES]
    model = keras_digits_cnn(tf)
    model.compile(optimizer=tf.keras.optimizers.Adam(recipe["lr"]),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    X32 = X_train.astype(np.float32)

    def keras_epoch():
        model.fit(X32, y_train, epochs=1, batch_size=recipe["batch_size"], verbose=0)

    keras_time = best_time(keras_epoch, max(3, repeats // 2), 1)  # the warm-up call builds the graph

    # the same numbers on both sides: y, dx, dw, db
    for _, results in numpy_results:
        for (name, _, _), (_, ours), (_, theirs) in zip(CASES, results, tf_results):
            for a, b in zip(ours, theirs):
                scale = max(1.0, float(np.abs(b).max()))
                assert np.abs(a - b).max() <= 1e-4 * scale, f"{name}: numpy and TensorFlow disagree"

    print(f"numpy {np.__version__}, TensorFlow {tf.__version__}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, TF_ENABLE_ONEDNN_OPTS={os.environ.get('TF_ENABLE_ONEDNN_OPTS', '(default)')}")
    print(f"batch {BATCH}, float32, 'same' padding, stride 1; times in ms (best of {repeats});"
          " ratio = numpy / TensorFlow\n")
    header = (f"{'case':<26}{'numpy fwd':>10}{'tf fwd':>9}{'ratio':>7}   {'numpy f+b':>10}{'tf f+b':>9}{'ratio':>7}"
              f"{'BLAS threads':>14}")
    print(header)
    print("-" * len(header))
    for index, ((name, _, _), (theirs, _)) in enumerate(zip(CASES, tf_results)):
        # numpy's faster setting, judged by forward + backward
        threads, ours = min(((t, results[index][0]) for t, results in numpy_results),
                            key=lambda item: item[1]["forward+backward"])
        f_ratio = ours["forward"] / theirs["forward"]
        b_ratio = ours["forward+backward"] / theirs["forward+backward"]
        print(f"{name:<26}{1e3 * ours['forward']:>10.3f}{1e3 * theirs['forward']:>9.3f}{f_ratio:>7.2f}"
              f"   {1e3 * ours['forward+backward']:>10.3f}{1e3 * theirs['forward+backward']:>9.3f}{b_ratio:>7.2f}"
              f"{threads:>14}")
    print("\nnumpy forward+backward in ms with 1 / all BLAS threads: " + ", ".join(
        " / ".join(f"{1e3 * results[i][0]['forward+backward']:.3f}" for _, results in numpy_results)
        for i in range(len(CASES))))
    threads, epoch = min(numpy_epoch.items(), key=lambda item: item[1])
    print(f"\none epoch of the chapter's CNN on {len(X_train)} digits, batch {recipe['batch_size']}: "
          f"numpy {epoch:.3f} s (float64, {threads} BLAS thread{'s' if threads > 1 else ''}), "
          f"Keras {keras_time:.3f} s (float32), ratio {epoch / keras_time:.2f}")


if __name__ == "__main__":
    main()
