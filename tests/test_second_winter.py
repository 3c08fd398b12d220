"""The claims of chapter 6 (the second winter), each as a test on the numbers the chapter shows."""

import math
from pathlib import Path

import numpy as np
import pytest

from ann_lib.datasets import load_digits
from ann_lib.diagnostics import gradient_norm_recorder, gradient_norms
from ann_lib.losses import SoftmaxCrossEntropy
from ann_lib.metrics import accuracy
from ann_lib.network import mlp
from ann_lib.training import TrainingDiverged, fit
from bookbuild.cells import code_cells

ROOT = Path(__file__).resolve().parents[1]
SIZES = [64] + [64] * 9 + [10]  # the chapter's ten-layer MLP
LOSS = SoftmaxCrossEntropy()


@pytest.fixture(scope="module")
def digits():
    return load_digits(seed=0)


def ratio(activation, init, X, y, seed):
    model = mlp(SIZES, hidden_activation=activation, init=init, rng=np.random.default_rng(seed))
    return gradient_norms(model, LOSS, X, y).ratio


@pytest.mark.parametrize("seed", range(5))
def test_sigmoid_with_naive_init_vanishes(digits, seed):
    """First layer's gradient norm below 1e-3 of the last layer's, on the whole training set and a small batch."""
    X_train, _, y_train, _ = digits
    assert ratio("sigmoid", "naive_normal", X_train, y_train, seed) < 1e-3
    assert ratio("sigmoid", "naive_normal", X_train[:32], y_train[:32], seed) < 1e-3


@pytest.mark.parametrize("seed", range(5))
def test_relu_with_he_init_stays_within_ten_times_either_way(digits, seed):
    X_train, _, y_train, _ = digits
    assert 0.1 < ratio("relu", "he_normal", X_train, y_train, seed) < 10.0
    assert 0.1 < ratio("tanh", "glorot_uniform", X_train, y_train, seed) < 10.0


def test_relu_he_ratio_stays_within_ten_times_over_the_first_epochs(digits):
    """The gallery's second figure: ten epochs at learning rate 0.03, measured after every epoch."""
    X_train, _, y_train, _ = digits
    model = mlp(SIZES, hidden_activation="relu", init="he_normal", rng=np.random.default_rng(0))
    history = fit(model, LOSS, X_train, y_train, epochs=10, batch_size=32, lr=0.03, rng=np.random.default_rng(1),
                  callback=gradient_norm_recorder(LOSS, X_train, y_train))
    ratios = [norms[0] / norms[-1] for norms in history.records["gradient_norms"]]
    assert all(0.1 < r < 10.0 for r in ratios), ratios
    assert history.loss[-1] < 0.5 * history.loss[0]


@pytest.mark.slow
def test_training_does_not_rescue_the_sigmoid_network(digits):
    X_train, _, y_train, _ = digits
    model = mlp(SIZES, hidden_activation="sigmoid", init="naive_normal", rng=np.random.default_rng(0))
    history = fit(model, LOSS, X_train, y_train, epochs=10, batch_size=32, lr=0.03, rng=np.random.default_rng(1),
                  callback=gradient_norm_recorder(LOSS, X_train, y_train))
    assert all(norms[0] / norms[-1] < 1e-3 for norms in history.records["gradient_norms"])
    assert history.loss[-1] > 0.95 * math.log(10)  # still at the loss of guessing


def test_too_large_weights_explode(digits):
    """tanh with N(0, 1): the signal grows on the way down; ReLU at twice He's scale overflows in training."""
    X_train, _, y_train, _ = digits
    wide = mlp(SIZES, hidden_activation="tanh", init=lambda shape, rng: rng.normal(0.0, 1.0, size=shape),
               rng=np.random.default_rng(0))
    signals = gradient_norms(wide, LOSS, X_train, y_train).signals
    assert signals[0] / signals[-1] > 100

    def he_times(factor):
        return lambda shape, rng: rng.normal(0.0, factor * math.sqrt(2.0 / shape[0]), size=shape)

    doubled = mlp(SIZES, hidden_activation="relu", init=he_times(2.0), rng=np.random.default_rng(0))
    with pytest.raises(TrainingDiverged) as caught:
        fit(doubled, LOSS, X_train, y_train, epochs=1, batch_size=32, lr=0.01, rng=np.random.default_rng(1))
    assert caught.value.epoch == 1 and caught.value.batch <= 10
    # the same network at He's own scale trains: finite, falling loss
    plain = mlp(SIZES, hidden_activation="relu", init=he_times(1.0), rng=np.random.default_rng(0))
    history = fit(plain, LOSS, X_train, y_train, epochs=2, batch_size=32, lr=0.01, rng=np.random.default_rng(1))
    assert np.isfinite(history.loss).all() and history.loss[-1] < history.loss[0]


@pytest.mark.slow
def test_learning_rate_sweep_deep_sigmoid_never_learns_shallow_one_does(digits):
    """The sweep's rows for one and for nine hidden layers (validation split, 20 epochs)."""
    X_train, _, y_train, _ = digits
    X_fit, X_val, y_fit, y_val = X_train[:1078], X_train[1078:], y_train[:1078], y_train[1078:]

    def validation_accuracy(hidden, lr):
        model = mlp([64] + [64] * hidden + [10], hidden_activation="sigmoid", init="naive_normal",
                    rng=np.random.default_rng(0))
        fit(model, LOSS, X_fit, y_fit, epochs=20, batch_size=32, lr=lr, rng=np.random.default_rng(1))
        return accuracy(y_val, model.predict(X_val))

    learning_rates = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
    assert max(validation_accuracy(9, lr) for lr in learning_rates) < 0.2
    assert validation_accuracy(1, 3.0) > 0.9


def chapter_cell(name: str, marker: str) -> str:
    """The code cell of book/en/<name> that contains ``marker``."""
    cells = code_cells((ROOT / "book" / "en" / name).read_text(encoding="utf-8"))
    matching = [cell for cell in cells if marker in cell]
    assert len(matching) == 1, f"expected one cell with {marker!r} in {name}, found {len(matching)}"
    return matching[0]


@pytest.mark.slow
def test_the_chapter_table_ordering_holds_for_its_seeds():
    """Run the chapter's own table cell; check the ordering its prose states."""
    namespace = {}
    exec(chapter_cell("06-the-second-winter.md", "contenders = {"), namespace)
    table = {name: np.asarray(scores) for name, scores in namespace["table"].items()}
    deep_sigmoid = table["sigmoid MLP, 9 hidden, N(0, 0.01^2)"]
    relu = table["ReLU MLP, 9 hidden, He"]
    svm, forest = table["SVM (RBF kernel)"], table["random forest, 100 trees"]
    others = [scores for name, scores in table.items() if name != "sigmoid MLP, 9 hidden, N(0, 0.01^2)"]
    # the deep sigmoid network with naive init is at chance, far below every other row
    assert deep_sigmoid.max() < 0.2 < 0.9 < min(scores.min() for scores in others)
    # the SVM is first: no MLP beats it on these 1347 training images
    assert all(svm.mean() > scores.mean() for name, scores in table.items() if name.startswith(("sigmoid", "ReLU")))
    # the ReLU/He network closes the gap to the random forest (within two points)
    assert abs(relu.mean() - forest.mean()) < 0.02
