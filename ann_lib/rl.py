r"""Agents that learn from rewards: ε-greedy exploration and tabular Q-learning.

Chapter 11 (reinforcement learning). An agent sees a state :math:`s_t`, takes
an action :math:`a_t`, and the environment answers with a reward
:math:`r_{t+1}` and the next state. The agent wants a large *return*, the
discounted sum of the rewards to come,

.. math:: G_t = r_{t+1} + \gamma r_{t+2} + \gamma^2 r_{t+3} + \cdots, \qquad 0 \le \gamma \le 1 .

The Q-value :math:`Q(s, a)` is the return expected after taking :math:`a` in
:math:`s` and acting well afterwards. Q-learning (Watkins, 1989) learns it
from single steps, by moving :math:`Q(s_t, a_t)` towards a target that uses
its own estimate of the next state:

.. math:: Q(s_t, a_t) \leftarrow Q(s_t, a_t) + \alpha \big[ r_{t+1} + \gamma \max_{a'} Q(s_{t+1}, a') - Q(s_t, a_t) \big].

This module is numpy only. The environments it is used with (``ann_lib.envs``)
follow the Gymnasium API, ``reset(seed=...)`` and ``step(action)``, but
nothing here imports Gymnasium.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ann_lib._validation import as_float_array, check_rng, flag, positive_int, positive_number, real_number, shape_str

__all__ = ["check_epsilon", "epsilon_greedy", "linear_schedule", "QLearning", "RandomPolicy", "Evaluation", "evaluate"]


def check_epsilon(epsilon: object, name: str = "epsilon") -> float:
    """``epsilon`` as a float if it is a probability in [0, 1], else ``ValueError`` naming ``name``."""
    if not isinstance(name, str):
        raise TypeError(f"name must be the argument's name (a str), got {type(name).__name__}")
    if (isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real)
            or not math.isfinite(epsilon) or not 0.0 <= epsilon <= 1.0):
        raise ValueError(f"{name} must be a probability in [0, 1], got {epsilon!r}")
    return float(epsilon)


def epsilon_greedy(q_values: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    r"""Pick an action: at random with probability :math:`\varepsilon`, else a best one.

    .. math:: a = \begin{cases} \text{uniform over all actions} & \text{with probability } \varepsilon \\
              \arg\max_a Q(s, a) & \text{otherwise} \end{cases}

    Ties between best actions are broken at random, so that an untrained
    table (all zeros) does not always pick action 0.

    Parameters
    ----------
    q_values : (A,)
        The Q-values of one state, one per action.
    epsilon : float in [0, 1]
    rng : numpy.random.Generator
    """
    q = as_float_array(q_values, "q_values")
    if q.ndim != 1 or q.size == 0 or not np.isfinite(q).all():
        raise ValueError(f"q_values must be a non-empty 1-D array of finite numbers, got shape {shape_str(q.shape)}")
    epsilon = check_epsilon(epsilon)
    rng = check_rng(rng, "rng")
    return _epsilon_greedy(q, epsilon, rng)


def _epsilon_greedy(q: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    if rng.random() < epsilon:
        return int(rng.integers(q.size))
    values = q.tolist()  # a handful of actions: plain Python is faster than numpy here
    top = max(values)
    best = [a for a, value in enumerate(values) if value == top]
    return best[0] if len(best) == 1 else best[int(rng.integers(len(best)))]


def _is_int(value: object) -> bool:
    return type(value) is int or isinstance(value, np.integer) or (
        isinstance(value, numbers.Integral) and not isinstance(value, bool))


def linear_schedule(start: float, end: float, steps: int) -> Callable[[int], float]:
    r"""A value that goes linearly from ``start`` to ``end`` in ``steps`` steps, then stays.

    .. math:: \varepsilon(t) = \text{start} + (\text{end} - \text{start}) \min(t / \text{steps}, 1)

    The usual way to explore a lot at first and little later on. The schedule is
    called with a step :math:`t \ge 0`, an int or a finite float; a NaN, a negative
    step or a bool is a ``ValueError``/``TypeError`` naming ``t``.
    """
    start, end = check_epsilon(start, "start"), check_epsilon(end, "end")
    steps = positive_int(steps, "steps")

    def schedule(t: float) -> float:
        if type(t) is not int:  # the common case, a Python int step, needs no further check
            t = real_number(t, "t", low=0.0)
        elif t < 0:
            raise ValueError(f"t must be a step >= 0, got {t!r}")
        return start + (end - start) * min(t / steps, 1.0)

    return schedule


class QLearning:
    r"""Tabular Q-learning: a table of Q-values, one row per state.

    .. math:: Q(s, a) \leftarrow Q(s, a) + \alpha \big[ r + \gamma \max_{a'} Q(s', a') - Q(s, a) \big]

    where the bracket, the *temporal-difference error*, drops the
    :math:`\gamma \max_{a'} Q(s', a')` term when :math:`s'` ends the episode.

    Parameters
    ----------
    n_states, n_actions : int
        The table is ``(n_states, n_actions)``, all zeros at first.
    lr : float
        The learning rate :math:`\alpha`, in (0, 1].
    gamma : float
        The discount :math:`\gamma`, in [0, 1].
    """

    def __init__(self, n_states: int, n_actions: int, *, lr: float = 0.1, gamma: float = 0.99):
        self.n_states = positive_int(n_states, "n_states")
        self.n_actions = positive_int(n_actions, "n_actions")
        self.lr = positive_number(lr, "lr")
        if self.lr > 1.0:
            raise ValueError(f"lr must be in (0, 1] for tabular Q-learning, got {lr!r}")
        self.gamma = check_epsilon(gamma, "gamma")
        self.table = np.zeros((self.n_states, self.n_actions))

    def _check_state(self, state: object, name: str) -> int:
        if not _is_int(state) or not 0 <= state < self.n_states:
            raise ValueError(f"{name} must be an integer in [0, {self.n_states}), got {state!r}")
        return int(state)

    def act(self, state: int, epsilon: float, rng: np.random.Generator) -> int:
        """An ε-greedy action in ``state`` (see :func:`epsilon_greedy`)."""
        state = self._check_state(state, "state")
        return _epsilon_greedy(self.table[state], check_epsilon(epsilon), check_rng(rng, "rng"))

    def update(self, state: int, action: int, reward: float, next_state: int, terminated: bool) -> float:
        r"""One Q-learning step on the transition :math:`(s, a, r, s')`; returns the TD error.

        .. math:: \delta = r + \gamma \max_{a'} Q(s', a') - Q(s, a), \qquad
                  Q(s, a) \leftarrow Q(s, a) + \alpha \delta
        """
        state = self._check_state(state, "state")
        next_state = self._check_state(next_state, "next_state")
        if not _is_int(action) or not 0 <= action < self.n_actions:
            raise ValueError(f"action must be an integer in [0, {self.n_actions}), got {action!r}")
        if type(reward) is not float and (isinstance(reward, bool) or not isinstance(reward, numbers.Real)) \
                or not math.isfinite(reward):
            raise ValueError(f"reward must be a finite number, got {reward!r}")
        if type(terminated) is not bool:
            terminated = flag(terminated, "terminated")
        q = self.table
        target = reward if terminated else reward + self.gamma * max(q[next_state].tolist())  # r + gamma max Q(s', .)
        td_error = target - float(q[state, action])                                            # delta
        updated = float(q[state, action]) + self.lr * td_error                                 # Q(s, a) += alpha delta
        if not math.isfinite(updated):  # a reward near the float64 maximum: the table must not become inf
            raise ValueError(f"reward={reward!r} is too large: the Q-value Q({state}, {action}) would overflow "
                             "to inf; scale the rewards down")
        q[state, action] = updated
        return td_error

    def greedy(self, states: np.ndarray) -> np.ndarray:
        r"""The greedy actions :math:`\arg\max_a Q(s, a)` for a batch of states ``(N,)``."""
        try:
            states = np.asarray(states)
        except ValueError as error:  # a ragged list
            raise ValueError(f"states must be a 1-D array of integers, got a ragged sequence ({error})") from None
        if states.dtype.kind not in "iu" or states.ndim != 1:
            raise ValueError(f"states must be a 1-D array of integers, got dtype {states.dtype}, shape {shape_str(states.shape)}")
        if states.size and (states.min() < 0 or states.max() >= self.n_states):
            raise ValueError(f"states must lie in [0, {self.n_states}), got values from {states.min()} to {states.max()}")
        return self.table[states].argmax(axis=1)

    def __repr__(self) -> str:
        return f"QLearning(n_states={self.n_states}, n_actions={self.n_actions}, lr={self.lr:g}, gamma={self.gamma:g})"


class RandomPolicy:
    """The baseline: every action uniformly at random, whatever the observation.

    Called on a batch of observations ``(N, ...)`` it returns ``N`` actions.
    """

    def __init__(self, n_actions: int, rng: np.random.Generator):
        self.n_actions = positive_int(n_actions, "n_actions")
        self.rng = check_rng(rng, "rng")

    def __call__(self, observations: np.ndarray) -> np.ndarray:
        observations = np.asarray(observations)
        if observations.ndim < 1:
            raise ValueError(f"observations must be a batch (N, ...), got shape {shape_str(observations.shape)}")
        return self.rng.integers(self.n_actions, size=len(observations))

    def __repr__(self) -> str:
        return f"RandomPolicy(n_actions={self.n_actions})"


@dataclass
class Evaluation:
    """What :func:`evaluate` measured: one entry per episode, in the order of the seeds."""

    returns: np.ndarray  # (episodes,) undiscounted sum of rewards
    lengths: np.ndarray  # (episodes,) steps
    infos: list  # the final info dict of each episode

    def __post_init__(self):
        self.returns = as_float_array(self.returns, "returns")
        self.lengths = np.asarray(self.lengths)
        if not isinstance(self.infos, list):
            raise TypeError(f"infos must be a list of info dicts, got {type(self.infos).__name__}")
        if (self.returns.ndim != 1 or self.lengths.shape != self.returns.shape
                or len(self.infos) != len(self.returns) or self.lengths.dtype.kind not in "iu"):
            raise ValueError(f"returns, lengths and infos must describe the same episodes: shapes "
                             f"{shape_str(self.returns.shape)}, {shape_str(self.lengths.shape)} and {len(self.infos)} infos")


def evaluate(make_env: Callable[[], object], policy: Callable[[np.ndarray], np.ndarray], seeds) -> Evaluation:
    """Run one episode per seed with ``policy``, all episodes side by side.

    ``policy`` receives the observations of the episodes still running,
    stacked ``(n, ...)``, and returns ``n`` actions: a Q-network evaluates
    all of them in one call instead of one call per episode and step.

    Parameters
    ----------
    make_env : callable
        Returns a fresh environment with the Gymnasium API.
    policy : callable
        Batch of observations -> integer actions.
    seeds : sequence of int
        One episode per seed, ``env.reset(seed=seed)``: the same seeds give
        the same courses for every policy.
    """
    if not callable(make_env) or not callable(policy):
        raise TypeError("make_env and policy must be callables (a function returning an environment, "
                        f"and observations -> actions), got {type(make_env).__name__} and {type(policy).__name__}")
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        raise TypeError(f"seeds must be a non-empty sequence of integers >= 0, got {type(seeds).__name__}")
    seeds = list(seeds)
    if not seeds or not all(isinstance(s, numbers.Integral) and not isinstance(s, bool) and s >= 0 for s in seeds):
        raise ValueError(f"seeds must be a non-empty sequence of integers >= 0, got {seeds!r}")
    envs = [make_env() for _ in seeds]
    for env in envs:
        if isinstance(env, type) or not all(callable(getattr(env, m, None)) for m in ("reset", "step")):
            raise TypeError(f"make_env must return an environment (with reset and step), got {type(env).__name__}"
                            + ("; make_env=Runner, not Runner()" if callable(getattr(make_env, "step", None)) else ""))
    observations = []
    for env, seed in zip(envs, seeds):
        answer = env.reset(seed=int(seed))
        if not isinstance(answer, tuple) or len(answer) != 2:
            raise TypeError(f"make_env's environment must return (observation, info) from reset, got {answer!r:.80}")
        observations.append(answer[0])
    returns = np.zeros(len(seeds))
    lengths = np.zeros(len(seeds), dtype=int)
    infos: list = [None] * len(seeds)
    running = list(range(len(seeds)))
    while running:
        actions = np.asarray(policy(np.stack([observations[i] for i in running])))
        if actions.shape != (len(running),) or actions.dtype.kind not in "iu":
            raise ValueError(f"policy must return one action per observation, integers of shape ({len(running)},), "
                             f"got {shape_str(actions.shape)} of dtype {actions.dtype}")
        still_running = []
        for i, action in zip(running, actions.tolist()):
            answer = envs[i].step(action)
            if not isinstance(answer, tuple) or len(answer) != 5:
                raise TypeError("make_env's environment must return (observation, reward, terminated, truncated, "
                                f"info) from step, got {answer!r:.80}")
            observations[i], reward, terminated, truncated, infos[i] = answer
            returns[i] += reward
            lengths[i] += 1
            if not (terminated or truncated):
                still_running.append(i)
        running = still_running
    return Evaluation(returns=returns, lengths=lengths, infos=infos)
