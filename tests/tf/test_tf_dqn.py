"""Chapter 11's DQN: its pieces against their equations, and the gallery script's numbers."""


import numpy as np
import pytest
import tensorflow as tf



def huber(error, delta=1.0):
    """The Huber loss written out: quadratic below delta, linear above."""
    error = np.abs(error)
    return np.where(error <= delta, 0.5 * error**2, delta * (error - 0.5 * delta))


def test_keras_huber_loss_is_the_formula_and_its_gradient_is_the_clipped_error():
    """Mnih et al. (2015) clip the error term to [-1, 1]; that is the Huber loss's gradient."""
    rng = np.random.default_rng(0)
    targets = rng.normal(0.0, 3.0, size=64)
    predictions = tf.Variable(rng.normal(0.0, 3.0, size=64))
    with tf.GradientTape() as tape:
        loss = tf.keras.losses.Huber(delta=1.0)(targets, predictions)
    np.testing.assert_allclose(loss.numpy(), huber(predictions.numpy() - targets).mean(), rtol=1e-6)
    gradient = tape.gradient(loss, predictions).numpy() * 64  # undo the mean
    np.testing.assert_allclose(gradient, np.clip(predictions.numpy() - targets, -1.0, 1.0), rtol=1e-5, atol=1e-7)


def test_q_learning_target_and_gather_pick_the_taken_action():
    q_next = tf.constant([[1.0, 5.0, 2.0], [0.0, -1.0, 3.0]])
    rewards, terminated = tf.constant([1.0, -1.0]), tf.constant([0.0, 1.0])
    targets = rewards + 0.9 * (1.0 - terminated) * tf.reduce_max(q_next, axis=1)
    np.testing.assert_allclose(targets.numpy(), [1.0 + 0.9 * 5.0, -1.0])
    q = tf.constant([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    np.testing.assert_allclose(tf.gather(q, tf.constant([2, 0]), batch_dims=1).numpy(), [0.3, 0.4])


def test_runner_agents_script(gallery_results, clean_build):
    """The chapter's numbers: on 100 evaluation courses, Q-learning >= 95% and DQN >= 90% clearance for
    every seed, both far above the random policy; the reactive policy without timing stays well under 95%."""
    result = gallery_results("11_reinforcement_learning", "plot_runner_agents.py")
    random_clearance, reactive_clearance = result["random_clearance"], result["reactive_clearance"]
    assert len(result["tabular_clearance"]) == 5 and len(result["dqn_clearance"]) == 3
    assert min(result["tabular_clearance"]) >= 0.95
    assert min(result["dqn_clearance"]) >= 0.90
    assert random_clearance < 0.5 and reactive_clearance < 0.85
    assert min(result["dqn_clearance"]) > random_clearance + 0.4
    # the trained returns are far above the random player's
    last_returns = [returns[-20:].mean() for _, returns in result["tabular_curves"] + result["dqn_curves"]]
    assert min(last_returns) > result["random_evaluation"].returns.mean() + 5
    # the animation on the script's page: every frame of the episode, embedded as data URIs (no other host)
    page = (clean_build.pristine / "_gallery" / "11_reinforcement_learning" / "plot_runner_agents.rst").read_text()
    html = page[page.index('<div class="runner-player"'):]
    html = html[:html.index("</script>")]
    assert html.count("data:image/png;base64,") == len(result["frames"]) == len(result["actions"]) + 1
    assert "http" not in html and len(html) < 1_000_000
