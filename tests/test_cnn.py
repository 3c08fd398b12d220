"""ann_lib.cnn: the digits CNN's shapes, its whole-network gradient, Adam, and the accuracy floor."""

import numpy as np
import pytest

from ann_lib import cnn, training
from ann_lib.conv import Conv2D
from ann_lib.pooling import MaxPool2D
from ann_lib.datasets import load_digits
from ann_lib.gradcheck import numerical_gradient, relative_error
from ann_lib.layers import Dense
from ann_lib.losses import SoftmaxCrossEntropy
from ann_lib.metrics import accuracy
from ann_lib.network import Sequential
from ann_lib.training import TrainingDiverged, fit


@pytest.fixture(scope="module")
def digits():
    return load_digits(layout="nhwc")


@pytest.fixture(scope="module")
def trained(digits):
    X_train, X_test, y_train, y_test = digits
    model, history = cnn.train_digits_cnn(X_train, y_train)
    return model, history


def test_architecture_shapes_and_parameter_count():
    model = cnn.digits_cnn(rng=np.random.default_rng(0))
    outputs = cnn.layer_outputs(model, np.zeros((2, 8, 8, 1)))
    shapes = [y.shape for _, y in outputs]
    assert shapes == [
        (2, 8, 8, 16), (2, 8, 8, 16), (2, 4, 4, 16),
        (2, 4, 4, 32), (2, 4, 4, 32), (2, 2, 2, 32),
        (2, 128), (2, 64), (2, 64), (2, 10),
    ]
    # (5*5*1*16 + 16) + (3*3*16*32 + 32) + (128*64 + 64) + (64*10 + 10)
    assert model.n_params == 416 + 4640 + 8256 + 650
    assert isinstance(model.layers[0], Conv2D) and isinstance(model.layers[2], MaxPool2D)


def test_too_many_poolings_for_the_image_is_an_error():
    with pytest.raises(ValueError, match=r"too small for 4 poolings"):
        cnn.digits_cnn(rng=np.random.default_rng(0), channels=(2, 2, 2, 2), kernel_sizes=(3, 3, 3, 3))
    with pytest.raises(ValueError, match=r"one entry per convolution"):
        cnn.digits_cnn(rng=np.random.default_rng(0), channels=(2, 2, 2))


def test_whole_network_gradient_matches_central_differences():
    rng = np.random.default_rng(0)
    model = cnn.digits_cnn(rng=rng, channels=(2, 3), hidden=5, n_classes=4)
    for layer in model.layers:  # nonzero biases, so their gradients are tested too
        if "b" in layer.params:
            layer.params["b"][:] = rng.normal(scale=0.1, size=layer.params["b"].shape)
    x = rng.uniform(size=(3, 8, 8, 1))
    labels = np.array([0, 3, 1])
    loss = SoftmaxCrossEntropy()

    def value(_):
        return loss.forward(model.forward(x), labels)

    value(None)
    model.backward(loss.backward())
    for name, param, grad in list(model.parameters()):
        analytic = grad.copy()
        numeric = numerical_gradient(value, param)
        # ReLU and max pooling have kinks; random inputs keep away from them almost surely
        assert relative_error(analytic, numeric) < 1e-6, name


def test_adam_first_step_moves_every_parameter_by_about_lr():
    rng = np.random.default_rng(1)
    layer = Dense(4, 3, rng=rng)
    # gradients of very different sizes, none near 0 (where epsilon would matter)
    layer.grads = {key: rng.choice([-1.0, 1.0], size=value.shape) * 10.0 ** rng.uniform(-1, 3, size=value.shape)
                   for key, value in layer.params.items()}
    before = {k: v.copy() for k, v in layer.params.items()}

    optimizer = training.Adam(lr=0.01)
    optimizer.step(Sequential([layer]))
    for key in ("W", "b"):
        step = layer.params[key] - before[key]
        # m_hat / sqrt(v_hat) = g / |g| on the first step: every parameter moves by lr against its gradient
        np.testing.assert_allclose(step, -0.01 * np.sign(layer.grads[key]), rtol=1e-4)


def test_adam_leaves_parameters_alone_when_an_update_is_not_finite():
    rng = np.random.default_rng(2)
    layer = Dense(2, 2, rng=rng)
    before = layer.params["W"].copy()
    layer.grads = {"W": np.array([[np.inf, 0.0], [0.0, 0.0]]), "b": np.zeros(2)}

    optimizer = training.Adam()
    with pytest.raises(FloatingPointError):
        optimizer.step(Sequential([layer]))
    np.testing.assert_array_equal(layer.params["W"], before)
    assert optimizer.t == 0


@pytest.mark.parametrize(
    "kwargs", [{"lr": 0}, {"lr": -1}, {"beta1": 1.0}, {"beta2": -0.1}, {"epsilon": 0}, {"lr": True}]
)
def test_adam_rejects_bad_hyperparameters(kwargs):
    with pytest.raises(ValueError):
        training.Adam(**kwargs)


def test_training_is_deterministic(digits):
    X_train, _, y_train, _ = digits
    first, _ = cnn.train_digits_cnn(X_train[:200], y_train[:200], epochs=1)
    second, _ = cnn.train_digits_cnn(X_train[:200], y_train[:200], epochs=1)
    for (_, a, _), (_, b, _) in zip(first.parameters(), second.parameters()):
        np.testing.assert_array_equal(a, b)


def test_divergence_is_reported_not_hidden(digits):
    X_train, _, y_train, _ = digits
    rng = np.random.default_rng(0)
    model = cnn.digits_cnn(rng=rng)
    with pytest.raises(TrainingDiverged):
        fit(model, SoftmaxCrossEntropy(), X_train[:64] * 1e200, y_train[:64], epochs=1, batch_size=32,
            optimizer=training.Adam(), rng=rng)
    assert all(np.isfinite(p).all() for _, p, _ in model.parameters())


def test_numpy_cnn_reaches_95_percent_on_the_digits(digits, trained):
    _, X_test, _, y_test = digits
    model, history = trained
    assert history.epochs == cnn.TRAINING["epochs"]
    assert history.loss[-1] < history.loss[0] / 5
    test_accuracy = accuracy(y_test, cnn.predict_labels(model, X_test))
    print(f"numpy CNN test accuracy: {test_accuracy:.4f}")
    assert test_accuracy >= 0.95


def test_predict_labels_in_batches_agrees_with_one_batch(digits, trained):
    _, X_test, _, _ = digits
    model, _ = trained
    np.testing.assert_array_equal(cnn.predict_labels(model, X_test, batch_size=7), model.predict(X_test).argmax(axis=1))


# ------------------------------------------------------- orientation selectivity
