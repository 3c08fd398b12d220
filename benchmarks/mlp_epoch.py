"""One training epoch of the same MLP, timed two ways side by side: ann_lib and tf.keras.

    .venv/bin/python benchmarks/mlp_epoch.py            # about a minute on two cores
    .venv/bin/python benchmarks/mlp_epoch.py --repeats 3
    BENCH_THREADS=2 .venv/bin/python benchmarks/mlp_epoch.py   # let BLAS and TF use 2 threads

Two problems of the size the book trains (chapter 4):

* moons: 2-16-1 tanh MLP, binary cross-entropy on logits, 1000 samples;
* digits: 64-32-10 sigmoid MLP, softmax cross-entropy on logits, scikit-learn's
  8x8 digits (1347 training images).

Both use plain SGD with mini-batches of 32 (and 256 for digits, to show how
the share of matrix products grows with the batch), no shuffling, so that both sides do
the same arithmetic. Keras runs in its default float32 (and, for comparison,
float64, ann_lib's precision); each Keras model is compiled and warmed up with
one epoch before timing, so tracing is not counted. Each figure is the median
of ``--repeats`` epochs.

The script also reports how much of the ann_lib epoch is spent in matrix
products. It replays exactly the products one epoch computes (per batch and
Dense layer: ``x @ W`` forward, ``x.T @ dout`` and ``dout @ W.T`` backward) on
arrays of the same shapes and layouts, and divides their time by the epoch's.
The rest is Python and numpy overhead: activations, losses, checks, updates.

Results are ratios measured in one run, never assertions (see STYLE.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# One thread on both sides: networks this small gain nothing from threads, and on
# a shared two-core machine a second BLAS thread makes timings erratic (measured:
# a batch-256 digits epoch took 2 ms with one OpenBLAS thread, 40-80 ms with two).
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, str(THREADS))

import numpy as np  # noqa: E402

from ann_lib import datasets  # noqa: E402
from ann_lib.layers import Dense  # noqa: E402
from ann_lib.losses import BinaryCrossEntropy, SoftmaxCrossEntropy  # noqa: E402
from ann_lib.network import mlp  # noqa: E402
from ann_lib.training import SGD, fit  # noqa: E402

LR = 0.1


def problems():
    X_moons, y_moons = datasets.make_moons(1000, noise=0.1, rng=np.random.default_rng(0))
    X_digits, _, y_digits, _ = datasets.load_digits()
    return [  # name, X, y, sizes, hidden activation, loss, batch size
        ("moons 2-16-1", X_moons, y_moons, [2, 16, 1], "tanh", "binary", 32),
        ("digits 64-32-10", X_digits, y_digits, [64, 32, 10], "sigmoid", "softmax", 32),
        ("digits 64-32-10", X_digits, y_digits, [64, 32, 10], "sigmoid", "softmax", 256),
    ]


def median_time(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ann_lib_epoch(X, y, sizes, activation, kind, batch):
    model = mlp(sizes, hidden_activation=activation, rng=np.random.default_rng(0))
    loss = BinaryCrossEntropy() if kind == "binary" else SoftmaxCrossEntropy()
    optimizer = SGD(LR)
    return model, lambda: fit(model, loss, X, y, epochs=1, batch_size=batch, optimizer=optimizer, shuffle=False)


def matmul_replay(model, X, batch: int, repeats: int) -> float:
    """The time of exactly the matrix products of one epoch, replayed on same-shaped arrays."""
    rng = np.random.default_rng(0)
    n = len(X)
    batch_sizes = [min(batch, n - start) for start in range(0, n, batch)]
    dense = [layer for layer in model.layers if isinstance(layer, Dense)]
    operands = []
    for b in batch_sizes:
        for layer in dense:
            x = rng.normal(size=(b, layer.n_in))
            dout = rng.normal(size=(b, layer.n_out))
            operands.append((x, layer.params["W"], dout))

    def run():
        for x, W, dout in operands:
            x @ W  # forward
            x.T @ dout  # dL/dW
            dout @ W.T  # dL/dx

    return median_time(run, repeats)


def keras_epoch(tf, X, y, sizes, activation, kind, batch, dtype):
    tf.keras.backend.set_floatx(dtype)
    tf.keras.utils.set_random_seed(0)
    layers = [tf.keras.Input((sizes[0],))]
    for width in sizes[1:-1]:
        layers.append(tf.keras.layers.Dense(width, activation=activation))
    layers.append(tf.keras.layers.Dense(sizes[-1]))
    model = tf.keras.Sequential(layers)
    if kind == "binary":
        loss = tf.keras.losses.BinaryCrossentropy(from_logits=True)
        y = y.reshape(-1, 1).astype(dtype)
    else:
        loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=LR), loss=loss)
    X = X.astype(dtype)

    def fit_epoch():
        model.fit(X, y, epochs=1, batch_size=batch, shuffle=False, verbose=0)

    batches = [(X[i : i + batch], y[i : i + batch]) for i in range(0, len(X), batch)]

    def train_on_batch_epoch():
        for X_batch, y_batch in batches:
            model.train_on_batch(X_batch, y_batch)

    fit_epoch()  # warm-up: trace and compile
    train_on_batch_epoch()
    return fit_epoch, train_on_batch_epoch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7, help="epochs timed per measurement (median)")
    args = parser.parse_args()

    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(THREADS)
    tf.config.threading.set_inter_op_parallelism_threads(THREADS)
    print(f"numpy {np.__version__}, tensorflow {tf.__version__}, {os.cpu_count()} CPUs, "
          f"{THREADS} thread(s) each (BENCH_THREADS), median of {args.repeats} epochs\n")
    header = f"{'problem':<17} {'batch':>5} {'ann_lib ms':>10} {'keras fit ms':>13} {'keras tob ms':>13} " \
             f"{'fit/ann':>8} {'tob/ann':>8} {'f64 fit/ann':>12} {'matmul %':>9}"
    print(header)
    print("-" * len(header))
    for name, X, y, sizes, activation, kind, batch in problems():
        model, run = ann_lib_epoch(X, y, sizes, activation, kind, batch)
        run()  # warm-up
        t_ann = median_time(run, args.repeats)
        t_matmul = matmul_replay(model, X, batch, args.repeats)
        fit32, tob32 = keras_epoch(tf, X, y, sizes, activation, kind, batch, "float32")
        t_fit32 = median_time(fit32, args.repeats)
        t_tob32 = median_time(tob32, args.repeats)
        fit64, _ = keras_epoch(tf, X, y, sizes, activation, kind, batch, "float64")
        t_fit64 = median_time(fit64, args.repeats)
        tf.keras.backend.set_floatx("float32")
        print(f"{name:<17} {batch:>5} {1e3 * t_ann:>10.2f} {1e3 * t_fit32:>13.2f} {1e3 * t_tob32:>13.2f} "
              f"{t_fit32 / t_ann:>8.1f} {t_tob32 / t_ann:>8.1f} {t_fit64 / t_ann:>12.1f} "
              f"{100 * t_matmul / t_ann:>8.0f}%")
    print("\nfit/ann, tob/ann: Keras epoch time (model.fit, train_on_batch loop; float32) over ann_lib's"
          " (float64);\n>1 means ann_lib is faster. matmul %: share of the ann_lib epoch spent in matrix products.")


if __name__ == "__main__":
    main()
