"""ann_lib.pretraining: RBMs trained by CD-1, autoencoders, greedy layer-wise pre-training (chapter 7)."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from strategies import seeds

from ann_lib.datasets import load_digits
from ann_lib.gradcheck import numerical_gradient, relative_error
from ann_lib.losses import SoftmaxCrossEntropy
from ann_lib.metrics import accuracy
from ann_lib.network import mlp
from ann_lib.pretraining import RBM, Autoencoder, greedy_layerwise, initialize_from
from ann_lib.training import fit


def random_rbm(seed, n_visible=3, n_hidden=2, scale=1.0):
    rng = np.random.default_rng(seed)
    rbm = RBM(n_visible, n_hidden, rng=rng)
    rbm.params["W"][...] = scale * rng.normal(size=(n_visible, n_hidden))
    rbm.params["b"][...] = rng.normal(size=n_visible)
    rbm.params["c"][...] = rng.normal(size=n_hidden)
    return rbm


def binary_states(n):
    return np.array(list(itertools.product([0.0, 1.0], repeat=n)))


def energy(rbm, v, h):
    W, b, c = rbm.params["W"], rbm.params["b"], rbm.params["c"]
    return -(v @ W @ h) - b @ v - c @ h


@given(seed=seeds)
def test_free_energy_and_conditionals_match_the_joint_distribution(seed):
    """Enumerate every (v, h): F(v) = -ln sum_h e^{-E(v,h)}, and p(h_j=1|v), p(v_i=1|h) from the joint."""
    rbm = random_rbm(seed)
    visible, hidden = binary_states(3), binary_states(2)
    joint = np.exp([[-energy(rbm, v, h) for h in hidden] for v in visible])  # unnormalized p(v, h)
    np.testing.assert_allclose(rbm.free_energy(visible), -np.log(joint.sum(axis=1)), rtol=1e-10, atol=1e-12)
    p_h_given_v = (joint[:, :, None] * hidden[None, :, :]).sum(axis=1) / joint.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(rbm.hidden_probabilities(visible), p_h_given_v, rtol=1e-10)
    p_v_given_h = (joint[:, :, None] * visible[:, None, :]).sum(axis=0) / joint.sum(axis=0)[:, None]
    np.testing.assert_allclose(rbm.visible_probabilities(hidden), p_v_given_h, rtol=1e-10)


def test_log_likelihood_of_a_blank_machine_is_uniform():
    rbm = RBM(5, 3, rng=np.random.default_rng(0))
    for key in rbm.params:
        rbm.params[key][...] = 0.0
    assert rbm.log_likelihood_exact(binary_states(5)[:7]) == pytest.approx(-5 * math.log(2))


@pytest.mark.parametrize("seed", range(4))
def test_cd1_is_the_gradient_of_the_free_energy_difference(seed):
    """With V1 held fixed, CD-1's estimate is exactly the gradient of mean(F(V1) - F(V0))."""
    rbm = random_rbm(seed, n_visible=4, n_hidden=3, scale=0.5)
    v0 = np.random.default_rng(100 + seed).random((5, 4))
    step = rbm.contrastive_divergence(v0, np.random.default_rng(seed))
    v1 = step.reconstruction

    def objective(_):
        return float(np.mean(rbm.free_energy(v1) - rbm.free_energy(v0)))

    for key in ("W", "b", "c"):
        assert relative_error(step.grads[key], numerical_gradient(objective, rbm.params[key])) < 1e-7, key
    assert step.error == pytest.approx(np.mean((v0 - v1) ** 2))


def test_cd1_training_raises_the_exact_log_likelihood():
    rng = np.random.default_rng(0)
    prototypes = np.array([[1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1]], dtype=float)
    flips = rng.random((200, 6)) < 0.05
    data = np.abs(prototypes[rng.integers(0, 2, size=200)] - flips)  # two noisy patterns
    rbm = RBM(6, 3, rng=np.random.default_rng(1))
    before = rbm.log_likelihood_exact(data)
    errors = rbm.fit(data, epochs=50, lr=0.1, batch_size=20, rng=np.random.default_rng(2))
    after = rbm.log_likelihood_exact(data)
    assert before == pytest.approx(-6 * math.log(2), abs=0.05)
    assert after > before + 1.5  # the uniform model is 4.16 nats; the data's entropy is far lower
    assert errors[-1] < 0.5 * errors[0]


def test_rbm_training_is_reproducible_with_the_same_seed():
    data = np.random.default_rng(0).random((40, 5))
    runs = []
    for _ in range(2):
        rbm = RBM(5, 4, rng=np.random.default_rng(7))
        rbm.fit(data, epochs=3, lr=0.1, batch_size=8, rng=np.random.default_rng(8))
        runs.append(rbm.params["W"].copy())
    np.testing.assert_array_equal(*runs)


def test_autoencoder_learns_to_reconstruct():
    X_train, _, _, _ = load_digits(seed=0)
    autoencoder = Autoencoder(64, 32, rng=np.random.default_rng(0))
    mse_before = np.mean((autoencoder.reconstruct(X_train) - X_train) ** 2)
    losses = autoencoder.fit(X_train, epochs=10, lr=10.0, batch_size=32, rng=np.random.default_rng(1))
    mse_after = np.mean((autoencoder.reconstruct(X_train) - X_train) ** 2)
    assert losses[-1] < losses[0]
    assert mse_after < 0.5 * mse_before
    code = autoencoder.transform(X_train)
    assert code.shape == (len(X_train), 32) and np.all((code > 0) & (code < 1))


@pytest.mark.parametrize("method", ["rbm", "autoencoder"])
def test_greedy_layerwise_stacks_layers_of_the_right_shapes(method):
    X = np.random.default_rng(0).random((30, 6))
    stack = greedy_layerwise(X, [5, 4, 3], method=method, epochs=2, lr=0.1, batch_size=10, rng=np.random.default_rng(1))
    assert [(layer.W.shape, layer.b.shape) for layer in stack] == [((6, 5), (5,)), ((5, 4), (4,)), ((4, 3), (3,))]
    assert all(len(layer.errors) == 2 for layer in stack)
    again = greedy_layerwise(X, [5, 4, 3], method=method, epochs=2, lr=0.1, batch_size=10, rng=np.random.default_rng(1))
    assert all(np.array_equal(a.W, b.W) for a, b in zip(stack, again))


def test_initialize_from_copies_the_stack_and_leaves_the_rest():
    X = np.random.default_rng(0).random((20, 6))
    stack = greedy_layerwise(X, [5, 4], epochs=1, rng=np.random.default_rng(1))
    model = mlp([6, 5, 4, 3], hidden_activation="sigmoid", rng=np.random.default_rng(2))
    output_weights = model.layers[-1].params["W"].copy()
    initialize_from(model, stack)
    np.testing.assert_array_equal(model.layers[0].params["W"], stack[0].W)
    np.testing.assert_array_equal(model.layers[2].params["b"], stack[1].b)
    np.testing.assert_array_equal(model.layers[-1].params["W"], output_weights)
    with pytest.raises(ValueError, match="needs W"):
        initialize_from(mlp([6, 4, 3], rng=np.random.default_rng(0)), stack)
    with pytest.raises(ValueError, match="only 1 weighted"):
        initialize_from(mlp([6, 5], rng=np.random.default_rng(0)), stack)


def test_bad_input_is_refused_with_a_clear_error():
    rng = np.random.default_rng(0)
    rbm = RBM(3, 2, rng=rng)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        rbm.hidden_probabilities([[0.0, 2.0, 0.5]])
    with pytest.raises(ValueError, match=r"shape \(N, 3\)"):
        rbm.hidden_probabilities(np.zeros((2, 4)))
    with pytest.raises(TypeError, match="Generator"):
        RBM(3, 2, rng=0)
    with pytest.raises(ValueError, match="n_hidden"):
        RBM(3, 0, rng=rng)
    with pytest.raises(ValueError, match="method"):
        greedy_layerwise(np.zeros((4, 3)), [2], method="pca", rng=rng)
    with pytest.raises(ValueError, match="n_visible <= 16"):
        RBM(20, 2, rng=rng).log_likelihood_exact(np.zeros((1, 20)))


@pytest.mark.slow
def test_pretraining_rescues_the_deep_sigmoid_network_of_chapter_7():
    """The gallery's claim at the gallery's settings: RBM pre-training turns chance into learning."""
    X_train, X_test, y_train, y_test = load_digits(seed=0)
    sizes = [64] + [64] * 9 + [10]
    stack = greedy_layerwise(X_train, sizes[1:-1], method="rbm", epochs=30, lr=0.3, rng=np.random.default_rng(0))
    scores = {}
    for start in ("naive", "rbm"):
        init = "naive_normal" if start == "naive" else "glorot_uniform"
        model = mlp(sizes, hidden_activation="sigmoid", init=init, rng=np.random.default_rng(0))
        if start == "rbm":
            initialize_from(model, stack)
        fit(model, SoftmaxCrossEntropy(), X_train, y_train, epochs=30, batch_size=32, lr=0.1,
            rng=np.random.default_rng(1))
        scores[start] = accuracy(y_test, model.predict(X_test))
    assert scores["naive"] < 0.2
    assert scores["rbm"] > 0.9
