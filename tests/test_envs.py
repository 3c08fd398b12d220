"""Chapter 11's runner game: a real Gymnasium environment whose timing matters."""

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

from ann_lib.envs import ACTIONS, ENV_ID, FEATURES, HIGH, JUMP, LOW, MEMORY_MAP, RUN, SLIDE, Runner, clearance
from ann_lib.rl import RandomPolicy, evaluate

EVALUATION_SEEDS = range(10_000, 10_100)  # the chapter's evaluation courses


@pytest.mark.parametrize("observation", ["features", "memory"])
@pytest.mark.parametrize("render_mode", [None, "rgb_array"])
def test_passes_gymnasiums_environment_checker(observation, render_mode):
    env = gym.make(ENV_ID, render_mode=render_mode, observation=observation)
    check_env(env.unwrapped)  # the registered spec lets the checker also try every render mode


def test_spaces():
    env = Runner()
    assert env.action_space == gym.spaces.Discrete(3) and len(ACTIONS) == 3
    assert env.observation_space.shape == (len(FEATURES),) == (9,)
    memory = Runner(observation="memory")
    assert memory.observation_space.shape == (64,) and memory.observation_space.dtype == np.uint8
    assert max(MEMORY_MAP) < 64


def play(env, seed, policy):
    observation, info = env.reset(seed=seed)
    trajectory = [observation]
    rewards, done = [], False
    while not done:
        observation, reward, done, truncated, info = env.step(policy(observation))
        trajectory.append(observation)
        rewards.append(reward)
        assert not truncated
    return np.array(trajectory), np.array(rewards), info


def timed_policy(observation):
    """Act on the next obstacle only when it is at most 3 cells away (that is, at most 3 steps)."""
    if observation[0] * 24 <= 3.0 and observation[1] != 0:
        return JUMP if observation[1] == LOW else SLIDE
    return RUN


@pytest.mark.parametrize("observation", ["features", "memory"])
def test_same_seed_same_episode(observation):
    rng_a, rng_b = np.random.default_rng(5), np.random.default_rng(5)
    a = play(Runner(observation=observation), 3, lambda o: int(rng_a.integers(3)))
    b = play(Runner(observation=observation), 3, lambda o: int(rng_b.integers(3)))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert a[2] == b[2]
    if observation == "features":  # another seed, another course
        c = play(Runner(), 4, timed_policy)[0]
        d = play(Runner(), 3, timed_policy)[0]
        n = min(len(c), len(d))
        assert not np.array_equal(c[:n], d[:n])


def test_a_well_timed_policy_clears_every_course_and_collects_the_full_reward():
    env = Runner()
    for seed in range(20):
        _, rewards, info = play(env, seed, timed_policy)
        assert not info["crashed"] and info["progress"] >= env.course_length
        assert info["cleared"] == len(env._obstacles) and info["cleared"] >= 10
        assert rewards.sum() == pytest.approx(info["cleared"] + 0.5 * info["coins"])
        assert info["score"] == 100 * info["cleared"] + 50 * info["coins"]


def test_timing_matters_a_reactive_policy_per_kind_clears_well_under_95_percent():
    """Jump at every low obstacle and slide at every high one as soon as it is in view."""

    def reactive(observations):
        kind = observations[:, 1]
        return np.where(kind > 0.5, JUMP, np.where(kind < -0.5, SLIDE, RUN))

    reactive_clearance = clearance(evaluate(Runner, reactive, EVALUATION_SEEDS).infos)
    random_clearance = clearance(evaluate(Runner, RandomPolicy(3, np.random.default_rng(0)), EVALUATION_SEEDS).infos)
    assert random_clearance < reactive_clearance < 0.85
    assert random_clearance < 0.5


def test_jump_clears_low_obstacles_only_and_slide_clears_high_ones_only():
    env = Runner(course_length=60)
    env.reset(seed=0)
    kind = env._kinds[0]
    right, wrong = (JUMP, SLIDE) if kind == LOW else (SLIDE, JUMP)
    for action, crashes in ((right, False), (wrong, True), (RUN, True)):
        env.reset(seed=0)
        info, done = None, False
        while not done and env._obstacles[0] - env._x > env._speed():
            _, _, done, _, info = env.step(RUN)
        _, reward, done, _, info = env.step(action)
        while not done and info["cleared"] == 0:
            _, reward, done, _, info = env.step(RUN)
        assert info["crashed"] is crashes
        assert reward == (-1.0 if crashes else 1.0)
    assert HIGH == -1 and LOW == 1


def test_a_jump_lasts_jump_steps_and_the_runner_cannot_act_until_it_has_recovered():
    env = Runner()
    observation, _ = env.reset(seed=1)
    observation, *_ = env.step(JUMP)
    in_air = [observation[4]]
    busy = [env.busy]
    for _ in range(env.jump_steps + env.recovery_steps):
        observation, *_ = env.step(SLIDE)  # ignored while busy
        in_air.append(observation[4])
        busy.append(env.busy)
    assert in_air == [1.0] * (env.jump_steps - 1) + [0.0] * (env.recovery_steps + 2)
    # 5, 4, ..., 0 steps until it can act; the SLIDE pressed at the first free step is taken
    assert busy == list(range(env.jump_steps + env.recovery_steps - 1, -1, -1)) + [env.slide_steps - 1 + 2]
    assert observation[5] == 1.0


def test_speed_grows_with_progress():
    env = Runner(observation="memory")
    env.reset(seed=0)
    speeds = []
    for _ in range(150):
        memory, _, done, _, _ = env.step(RUN)
        speeds.append(memory[4])
        if done:
            break
    assert speeds[0] == 64 and all(b >= a for a, b in zip(speeds, speeds[1:]))


def test_memory_observation_holds_progress_score_and_the_screen():
    env = Runner(observation="memory")
    memory, info = env.reset(seed=0)
    assert memory.dtype == np.uint8 and memory.shape == (64,)
    screen = memory[0x10:0x40]
    first = int(env._obstacles[0])
    assert screen[first] == (1 if env._kinds[0] == LOW else 2)
    for _ in range(30):
        memory, _, done, _, info = env.step(RUN)
        if done:
            break
    memory = memory.astype(int)
    assert memory[0] + 256 * memory[1] == int(info["progress"])
    assert (memory[2] + 256 * memory[3]) * 10 == info["score"]


def test_render_draws_the_screen():
    env = Runner(render_mode="rgb_array")
    env.reset(seed=0)
    image = env.render()
    assert image.shape == (64, 256, 3) and image.dtype == np.uint8
    assert Runner().render() is None


def test_discretize_agrees_for_one_and_for_a_batch_and_counts_steps_exactly():
    env = Runner()
    rng = np.random.default_rng(0)
    observations = []
    for seed in range(10):
        trajectory, _, _ = play(env, seed, lambda o: int(rng.integers(3)))
        observations.append(trajectory)
    observations = np.concatenate(observations)
    batch = env.discretize(observations)
    one = np.array([env.discretize(o) for o in observations])
    np.testing.assert_array_equal(batch, one)
    assert batch.min() >= 0 and batch.max() < env.n_states
    # The steps-away bin is exact: running on from a state k steps away meets the obstacle in step k.
    env.reset(seed=2)
    for _ in range(100):
        observation = env._observe()
        if observation[1] != 0 and env.busy == 0:
            k = env.discretize(observation) // (3 * 11) + 1
            if k < 8:
                cleared_before = env._next_obstacle
                for step in range(1, k + 1):
                    _, _, done, _, info = env.step(RUN)
                    if step < k:
                        assert not done
                assert info["crashed"] and env._next_obstacle == cleared_before
                break
        env.step(RUN)
    else:
        pytest.fail("no obstacle came into view")


@pytest.mark.parametrize("action", [3, -1, 1.5, "jump", None, True, np.array([1, 2])])
def test_step_rejects_actions_outside_the_action_space(action):
    env = Runner()
    env.reset(seed=0)
    with pytest.raises(ValueError, match="action must be 0"):
        env.step(action)


def test_step_accepts_numpy_integers():
    env = Runner()
    env.reset(seed=0)
    env.step(np.int64(1))


def test_step_after_the_end_needs_a_reset():
    env = Runner()
    with pytest.raises(RuntimeError, match="reset"):
        env.step(RUN)
    env.reset(seed=0)
    done = False
    while not done:
        _, _, done, _, _ = env.step(RUN)
    with pytest.raises(RuntimeError, match="episode ended"):
        env.step(RUN)
    env.reset(seed=0)
    env.step(RUN)


@pytest.mark.parametrize("kwargs, message", [
    ({"render_mode": "human"}, "render_mode"),
    ({"observation": "pixels"}, "observation"),
    ({"course_length": 0}, "course_length"),
    ({"course_length": 2.5}, "course_length"),
    ({"speed": (1.0, float("nan"))}, "speed"),
    ({"speed": (0.0, 1.0)}, "speed"),
    ({"jump_steps": 0}, "jump_steps"),
    ({"gap": (2, 20)}, "gap"),
    ({"gap": (30, 20)}, "gap"),
    ({"view": -1}, "view"),
])
def test_constructor_rejects_bad_settings(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        Runner(**kwargs)


def test_discretize_and_clearance_reject_bad_input():
    env = Runner()
    with pytest.raises(ValueError, match="features"):
        env.discretize(np.zeros(8))
    with pytest.raises(ValueError, match="features"):
        env.discretize(np.full(9, 2.0))
    with pytest.raises(ValueError, match="NaN"):
        env.discretize(np.full(9, np.nan))
    with pytest.raises(ValueError, match="infos"):
        clearance([])
    with pytest.raises(TypeError, match="infos"):
        clearance([{"score": 1}])
    assert clearance([{"cleared": 3, "crashed": True}, {"cleared": 5, "crashed": False}]) == pytest.approx(8 / 9)
