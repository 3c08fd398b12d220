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


def test_q_learning_script(gallery_results):
    """The chapter's numbers: Q-learning clears >= 95% of the evaluation courses' obstacles for every
    seed, far above the random policy; the reactive policy without timing stays well under 95%."""
    result = gallery_results("11_reinforcement_learning", "plot_q_learning.py")
    random_clearance, reactive_clearance = result["random_clearance"], result["reactive_clearance"]
    assert len(result["tabular_clearance"]) == 5
    assert min(result["tabular_clearance"]) >= 0.95
    assert random_clearance < 0.5 and reactive_clearance < 0.85
    last_returns = [returns[-20:].mean() for _, returns in result["tabular_curves"]]
    assert min(last_returns) > result["random_evaluation"].returns.mean() + 5


def test_baselines_script_scores_the_same_courses(gallery_results):
    """The baselines page and the learning agents' pages score the same 100 courses: the same numbers."""
    baselines = gallery_results("11_reinforcement_learning", "plot_runner_baselines.py")
    for script in ("plot_q_learning.py", "plot_dqn.py"):
        other = gallery_results("11_reinforcement_learning", script)
        assert other["random_clearance"] == baselines["random_clearance"]
        assert other["reactive_clearance"] == baselines["reactive_clearance"]
    assert baselines["random_clearance"] < baselines["reactive_clearance"] < 0.85


def test_dqn_script(gallery_results):
    """The chapter's numbers: the DQN clears >= 90% for every seed, far above the random policy."""
    result = gallery_results("11_reinforcement_learning", "plot_dqn.py")
    assert len(result["dqn_clearance"]) == 3
    assert min(result["dqn_clearance"]) >= 0.90
    assert min(result["dqn_clearance"]) > result["random_clearance"] + 0.4
    last_returns = [returns[-20:].mean() for _, returns in result["dqn_curves"]]
    assert min(last_returns) > result["random_evaluation"].returns.mean() + 5


def test_runner_animation_is_matplotlib_player_with_every_frame(gallery_results, clean_build):
    """The course on the animation page: matplotlib's to_jshtml player, every frame embedded, nothing remote."""
    result = gallery_results("11_reinforcement_learning", "plot_runner_animation.py")
    assert not result["infos"][-1]["crashed"]  # the trained agent finishes its course
    page = (clean_build.pristine / "_gallery" / "11_reinforcement_learning" / "plot_runner_animation.rst").read_text()
    assert "runner-player" not in page  # the hand-written player is gone
    html = page[page.index(".. container:: sphx-glr-animation"):]
    html = html[:html.index("</script>", html.index("new Animation("))]
    assert html.count("data:image/png;base64,") == len(result["frames"]) == len(result["actions"]) + 1
    assert "http" not in html and len(html) < 2_500_000
