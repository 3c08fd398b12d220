"""Chapter 11's from-scratch agents: ε-greedy, tabular Q-learning, the random baseline."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ann_lib.envs import Runner, clearance
from ann_lib.rl import QLearning, RandomPolicy, epsilon_greedy, evaluate, linear_schedule

EVALUATION_SEEDS = range(10_000, 10_100)


def test_epsilon_zero_is_greedy_and_breaks_ties_at_random():
    rng = np.random.default_rng(0)
    assert {epsilon_greedy(np.array([0.0, 2.0, 1.0]), 0.0, rng) for _ in range(50)} == {1}
    assert {epsilon_greedy(np.array([3.0, 0.0, 3.0]), 0.0, rng) for _ in range(200)} == {0, 2}


def test_epsilon_one_is_uniform():
    rng = np.random.default_rng(0)
    picks = np.array([epsilon_greedy(np.array([0.0, 9.0, 0.0]), 1.0, rng) for _ in range(3000)])
    assert np.all(np.abs(np.bincount(picks, minlength=3) / 3000 - 1 / 3) < 0.03)


@given(st.floats(0.0, 1.0))
def test_epsilon_greedy_picks_the_best_action_with_probability_one_minus_two_thirds_epsilon(epsilon):
    rng = np.random.default_rng(1)
    picks = np.array([epsilon_greedy(np.array([0.0, 1.0, 0.0]), epsilon, rng) for _ in range(600)])
    expected = 1 - epsilon + epsilon / 3
    assert abs(np.mean(picks == 1) - expected) < 0.07


def test_q_learning_update_matches_the_equation():
    agent = QLearning(4, 2, lr=0.25, gamma=0.9)
    agent.table[:] = [[1.0, 2.0], [0.5, -1.0], [3.0, 4.0], [0.0, 0.0]]
    td = agent.update(0, 1, 1.5, 2, False)
    assert td == pytest.approx(1.5 + 0.9 * 4.0 - 2.0)
    assert agent.table[0, 1] == pytest.approx(2.0 + 0.25 * td)
    td = agent.update(1, 0, -1.0, 2, True)  # terminal: no bootstrap
    assert td == pytest.approx(-1.0 - 0.5)
    assert agent.table[1, 0] == pytest.approx(0.5 + 0.25 * td)
    assert agent.table[2].tolist() == [3.0, 4.0]  # only the visited entries change


def test_q_learning_solves_a_two_state_chain():
    """s0 --a1--> s1 --a1--> end with reward 1; a0 ends at once with reward 0. Q* = (0, 0.9; 0, 1)."""
    agent = QLearning(2, 2, lr=0.5, gamma=0.9)
    for _ in range(200):
        agent.update(1, 1, 1.0, 0, True)
        agent.update(1, 0, 0.0, 0, True)
        agent.update(0, 1, 0.0, 1, False)
        agent.update(0, 0, 0.0, 0, True)
    np.testing.assert_allclose(agent.table, [[0.0, 0.9], [0.0, 1.0]], atol=1e-6)
    np.testing.assert_array_equal(agent.greedy(np.array([0, 1])), [1, 1])


def test_linear_schedule():
    epsilon = linear_schedule(1.0, 0.1, 10)
    assert epsilon(0) == 1.0 and epsilon(5) == pytest.approx(0.55) and epsilon(10) == epsilon(99) == pytest.approx(0.1)


@pytest.mark.slow
def test_tabular_q_learning_learns_the_runner_in_150_episodes():
    """The chapter's recipe, on two seeds: clearance >= 95% on the 100 evaluation courses."""
    for seed in (0, 7):
        env = Runner()
        agent = QLearning(env.n_states, 3, lr=0.5, gamma=0.99)
        rng = np.random.default_rng(seed)
        epsilon = linear_schedule(1.0, 0.01, 75)
        for episode in range(150):
            observation, _ = env.reset(seed=1000 * seed + episode)
            state, done = int(env.discretize(observation)), False
            while not done:
                action = agent.act(state, epsilon(episode), rng)
                observation, reward, done, _, _ = env.step(action)
                next_state = int(env.discretize(observation))
                agent.update(state, action, reward, next_state, done)
                state = next_state
        result = evaluate(Runner, lambda o: agent.greedy(env.discretize(o)), EVALUATION_SEEDS)
        assert clearance(result.infos) >= 0.95
        untrained = QLearning(env.n_states, 3)
        assert clearance(evaluate(Runner, lambda o: untrained.greedy(env.discretize(o)), EVALUATION_SEEDS).infos) < 0.1


def test_evaluate_runs_one_episode_per_seed_in_order():
    policy = RandomPolicy(3, np.random.default_rng(0))
    result = evaluate(Runner, policy, [3, 1, 3])
    assert result.returns.shape == result.lengths.shape == (3,) and len(result.infos) == 3
    assert (result.lengths > 0).all()
    rerun = evaluate(Runner, RandomPolicy(3, np.random.default_rng(0)), [3, 1, 3])
    np.testing.assert_array_equal(result.returns, rerun.returns)


@pytest.mark.parametrize("epsilon", [-0.1, 1.5, float("nan"), "0.5", True])
def test_epsilon_outside_zero_one_is_rejected(epsilon):
    with pytest.raises(ValueError, match="epsilon"):
        epsilon_greedy(np.zeros(3), epsilon, np.random.default_rng(0))
    with pytest.raises(ValueError, match="epsilon"):
        QLearning(3, 2).act(0, epsilon, np.random.default_rng(0))


@pytest.mark.parametrize("lr", [0.0, -0.1, 1.5, float("inf"), "0.1"])
def test_learning_rate_must_be_in_zero_one(lr):
    with pytest.raises(ValueError, match="lr"):
        QLearning(3, 2, lr=lr)


def test_bad_arguments_name_what_was_wrong():
    agent = QLearning(3, 2)
    with pytest.raises(ValueError, match="gamma"):
        QLearning(3, 2, gamma=1.5)
    with pytest.raises(ValueError, match="n_states"):
        QLearning(0, 2)
    with pytest.raises(ValueError, match="next_state"):
        agent.update(0, 1, 0.0, 3, False)
    with pytest.raises(ValueError, match="action"):
        agent.update(0, 2, 0.0, 1, False)
    with pytest.raises(ValueError, match="reward"):
        agent.update(0, 1, float("nan"), 1, False)
    with pytest.raises(ValueError, match="state"):
        agent.act(-1, 0.1, np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng"):
        agent.act(0, 0.1, 42)
    with pytest.raises(ValueError, match="q_values"):
        epsilon_greedy(np.zeros((2, 2)), 0.1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="NaN"):
        epsilon_greedy(np.array([0.0, np.nan]), 0.1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="states"):
        agent.greedy(np.array([0, 5]))
    with pytest.raises(ValueError, match="steps"):
        linear_schedule(1.0, 0.1, 0)
    with pytest.raises(ValueError, match="seeds"):
        evaluate(Runner, RandomPolicy(3, np.random.default_rng(0)), [])
    with pytest.raises(TypeError, match="callables"):
        evaluate(Runner, "random", [0])
    with pytest.raises(ValueError, match="one action per observation"):
        evaluate(Runner, lambda o: np.zeros(2, dtype=int), [0])


def test_rl_is_numpy_only_and_envs_is_the_one_module_that_imports_gymnasium():
    import subprocess
    import sys

    code = "import sys, ann_lib.rl; print(sorted(m for m in ('gymnasium', 'tensorflow') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    offenders = [path.name for path in (Path(__file__).resolve().parents[1] / "ann_lib").rglob("*.py")
                 if "import gymnasium" in path.read_text(encoding="utf-8") and path.name != "envs.py"]
    assert offenders == []
