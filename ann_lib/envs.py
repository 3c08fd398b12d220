r"""A side-scrolling runner as a Gymnasium environment.

Chapter 11 (reinforcement learning). The lecture shows a program that plays a
running game by reading the game's memory and pressing "Jump" or "Slide". This
module is a game of that kind, small enough to learn in seconds:

- the runner moves right along a course of ``course_length`` cells, at a speed
  that grows with progress, from ``speed[0]`` to ``speed[1]`` cells per step;
- **low** obstacles must be jumped over, **high** obstacles (a bar at head
  height) must be slid under; coins hang in the air and are caught by jumping;
- a jump keeps the runner in the air for ``jump_steps`` steps, a slide keeps
  it low for ``slide_steps`` steps, and after either the runner needs
  ``recovery_steps`` steps on its feet before it can act again. While it is
  busy its actions are ignored. **Timing matters**: a jump that starts too
  early lands before the obstacle arrives.

Actions: ``0`` run (do nothing), ``1`` jump, ``2`` slide.

Reward per step:

.. math:: r_t = (\text{obstacles cleared}) + 0.5\,(\text{coins caught})
          - 1\,[\text{crashed}],

and the episode ends (``terminated``) when the runner hits an obstacle or
reaches the end of the course. ``info`` carries the game's counters:
``progress``, ``score`` (100 per obstacle, 50 per coin), ``cleared``,
``coins``, ``crashed``.

Two observations, chosen by ``observation=``:

- ``"features"``: 9 numbers in :math:`[-1, 1]`, see :data:`FEATURES`;
- ``"memory"``: the game's "memory", 64 bytes (``uint8``), see
  :data:`MEMORY_MAP`, a nod to the memory dump on the lecture's slide.

This is the one ann_lib module that imports ``gymnasium``
(``pip install gymnasium``, or the ``rl`` extra).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from ann_lib._validation import as_float_array, flag, positive_int, shape_str

__all__ = [
    "RUN", "JUMP", "SLIDE", "ACTIONS", "LOW", "HIGH", "FEATURES", "MEMORY_MAP",
    "ENV_ID", "Runner", "clearance",
]

RUN, JUMP, SLIDE = 0, 1, 2
ACTIONS = ("run", "jump", "slide")
LOW, HIGH = 1, -1  # obstacle kinds as the feature vector shows them

# The runner's pose: what it is doing during the current step.
_STANDING, _AIR, _LOW_POSE, _RECOVERING = 0, 1, 2, 3

FEATURES = (
    "distance to the next obstacle / view",
    "kind of the next obstacle (+1 low, -1 high, 0 none in view)",
    "distance to the obstacle after it / view",
    "kind of the obstacle after it",
    "in the air (1 or 0)",
    "sliding (1 or 0)",
    "steps until the runner can act / (jump + recovery steps)",
    "speed, 0 at the start speed and 1 at the end speed",
    "distance to the next coin / view",
)

#: The smallest value of each feature (the largest is 1): only the obstacles' kinds are negative.
_FEATURE_LOW = np.array([0.0, -1.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0])

MEMORY_MAP = {
    0x00: "progress, low byte (cells)",
    0x01: "progress, high byte",
    0x02: "score / 10, low byte",
    0x03: "score / 10, high byte",
    0x04: "speed x 64",
    0x05: "pose: 0 run, 1 air, 2 slide, 3 recovering",
    0x06: "steps until the runner can act",
    0x07: "obstacles cleared",
    0x08: "coins caught",
    0x10: "screen: 48 cells ahead, 0 empty, 1 low, 2 high, 3 coin",
}
_SCREEN_START, _SCREEN_CELLS = 0x10, 48
_MEMORY_SIZE = 64


def _check_choice(value: object, name: str, choices: tuple) -> None:
    if value not in choices or isinstance(value, bool):
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")


class Runner(gym.Env):
    r"""A side-scrolling runner: jump over low obstacles, slide under high ones.

    Parameters
    ----------
    render_mode : None or "rgb_array"
        ``render()`` returns an image ``(64, 256, 3)`` of ``uint8`` when set.
    observation : "features" or "memory"
        The feature vector ``(9,)`` of ``float32`` or the 64-byte memory.
    course_length : int
        Length of the course in cells; the episode ends when it is reached.
    speed : (float, float)
        Speed in cells per step at the start and at the end of the course;
        in between it grows linearly with progress.
    gap : (int, int)
        Smallest and largest distance between two obstacles, in cells. The
        smallest must leave time for a jump or slide and its recovery at the
        end speed, so that every course can be cleared.
    jump_steps, slide_steps, recovery_steps : int
        How long a jump and a slide last, and how long the runner then needs
        before it can act again.
    view : int
        How far ahead the feature vector sees, in cells.

    Examples
    --------
    >>> env = Runner()
    >>> observation, info = env.reset(seed=0)
    >>> observation, reward, terminated, truncated, info = env.step(JUMP)
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 12}

    def __init__(
        self,
        render_mode: str | None = None,
        *,
        observation: str = "features",
        course_length: int = 300,
        speed: tuple[float, float] = (1.0, 2.0),
        gap: tuple[int, int] = (14, 26),
        jump_steps: int = 4,
        slide_steps: int = 4,
        recovery_steps: int = 2,
        view: int = 24,
    ):
        _check_choice(render_mode, "render_mode", (None, "rgb_array"))
        _check_choice(observation, "observation", ("features", "memory"))
        self.render_mode = render_mode
        self.observation = observation
        self.course_length = positive_int(course_length, "course_length")
        if self.course_length > 60000:
            raise ValueError(f"course_length must be at most 60000 (it is stored in two bytes), got {course_length}")
        speeds = as_float_array(speed, "speed")
        if speeds.shape != (2,) or not np.all(np.isfinite(speeds)) or speeds.min() <= 0 or speeds.max() > 3.9:
            raise ValueError(f"speed must be two finite speeds in (0, 3.9] cells per step, got {speed!r}")
        self.speed = (float(speeds[0]), float(speeds[1]))
        self.jump_steps = positive_int(jump_steps, "jump_steps")
        self.slide_steps = positive_int(slide_steps, "slide_steps")
        self.recovery_steps = positive_int(recovery_steps, "recovery_steps")
        self.view = positive_int(view, "view")
        if (not isinstance(gap, (tuple, list)) or len(gap) != 2
                or not all(isinstance(g, numbers.Integral) and not isinstance(g, bool) for g in gap)):
            raise TypeError(f"gap must be a pair of integers (smallest, largest), got {gap!r}")
        smallest_gap = (max(self.jump_steps, self.slide_steps) + self.recovery_steps + 1) * max(self.speed)
        if not smallest_gap <= gap[0] <= gap[1]:
            raise ValueError(
                f"gap must satisfy {smallest_gap:g} <= smallest <= largest (the smallest gap must leave time "
                f"for an action and its recovery at the top speed: (max(jump_steps, slide_steps) + recovery_steps "
                f"+ 1) * speed[1]), got gap={gap!r}"
            )
        self.gap = (int(gap[0]), int(gap[1]))

        self.action_space = spaces.Discrete(3)
        if observation == "features":
            self.observation_space = spaces.Box(-1.0, 1.0, shape=(len(FEATURES),), dtype=np.float32)
        else:
            self.observation_space = spaces.Box(0, 255, shape=(_MEMORY_SIZE,), dtype=np.uint8)
        self._done = True  # reset() first

    # -- the course --------------------------------------------------------------
    def _build_course(self) -> None:
        rng = self.np_random
        positions, coins = [], []
        x = 12.0 + rng.uniform(0.0, 4.0)
        while x < self.course_length - 2:
            positions.append(x)
            gap = rng.integers(self.gap[0], self.gap[1] + 1) + rng.uniform(0.0, 1.0)
            if rng.random() < 0.5:
                coins.append(x + gap / 2)  # a coin in the middle of some gaps
            x += gap
        self._obstacles = np.array(positions)
        self._kinds = rng.choice(np.array([LOW, HIGH]), size=len(positions))
        self._coins = np.array([c for c in coins if c < self.course_length - 1])

    def _speed(self) -> float:
        start, end = self.speed
        return start + (end - start) * min(self._x / self.course_length, 1.0)

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0):
            raise ValueError(f"seed must be None or an integer >= 0, got {seed!r}")
        super().reset(seed=None if seed is None else int(seed))
        self._build_course()
        self._x = 0.0
        self._pose, self._timer = _STANDING, 0
        self._next_obstacle = 0
        self._next_coin = 0
        self._cleared = self._coins_caught = 0
        self._crashed = False
        self._done = False
        return self._observe(), self._info()

    @property
    def busy(self) -> int:
        """Steps until the runner can act again (0: it can act now)."""
        if self._pose == _STANDING:
            return 0
        if self._pose == _RECOVERING:
            return self._timer
        return self._timer + self.recovery_steps

    def step(self, action):
        if self._done:
            raise RuntimeError("step() called after the episode ended; call reset() to start a new episode")
        if not (type(action) is int and 0 <= action < 3) and (
                isinstance(action, (bool, np.bool_)) or not self.action_space.contains(action)):
            raise ValueError(f"action must be 0 (run), 1 (jump) or 2 (slide), got {action!r}")
        action = int(action)
        if self._pose == _STANDING and action != RUN:
            self._pose = _AIR if action == JUMP else _LOW_POSE
            self._timer = self.jump_steps if action == JUMP else self.slide_steps

        x_before = self._x
        self._x = x_after = x_before + self._speed()
        reward = 0.0
        # Obstacles the runner passes during this step: its pose must fit each one.
        while self._next_obstacle < len(self._obstacles) and self._obstacles[self._next_obstacle] <= x_after:
            kind = self._kinds[self._next_obstacle]
            if (kind == LOW and self._pose == _AIR) or (kind == HIGH and self._pose == _LOW_POSE):
                self._cleared += 1
                self._next_obstacle += 1
                reward += 1.0
            else:
                self._crashed = True
                self._x = self._obstacles[self._next_obstacle]
                reward -= 1.0
                break
        while (not self._crashed and self._next_coin < len(self._coins)
               and self._coins[self._next_coin] <= x_after):
            if self._pose == _AIR:
                self._coins_caught += 1
                reward += 0.5
            self._next_coin += 1

        # The pose's clock: air or slide, then recovery, then standing again.
        if self._pose in (_AIR, _LOW_POSE):
            self._timer -= 1
            if self._timer == 0:
                self._pose, self._timer = _RECOVERING, self.recovery_steps
        elif self._pose == _RECOVERING:
            self._timer -= 1
            if self._timer == 0:
                self._pose = _STANDING

        terminated = self._crashed or self._x >= self.course_length
        self._done = terminated
        return self._observe(), reward, terminated, False, self._info()

    # -- what the agent sees ---------------------------------------------------------
    def _ahead(self, count: int = 2) -> list[tuple[float, int]]:
        """(distance, kind) of the next ``count`` obstacles within view."""
        found = []
        for i in range(self._next_obstacle, min(self._next_obstacle + count, len(self._obstacles))):
            distance = self._obstacles[i] - self._x
            if distance <= self.view:
                found.append((distance, int(self._kinds[i])))
        return found

    def _observe(self) -> np.ndarray:
        if self.observation == "memory":
            return self._memory()
        ahead = self._ahead(2) + [(float(self.view), 0)] * 2
        coin = self.view
        if self._next_coin < len(self._coins):
            coin = min(self._coins[self._next_coin] - self._x, self.view)
        start, end = self.speed
        speed = (self._speed() - start) / (end - start) if end != start else 0.0
        return np.array([
            max(ahead[0][0], 0.0) / self.view, ahead[0][1],
            max(ahead[1][0], 0.0) / self.view, ahead[1][1],
            float(self._pose == _AIR), float(self._pose == _LOW_POSE),
            self.busy / (max(self.jump_steps, self.slide_steps) + self.recovery_steps),
            speed, max(coin, 0.0) / self.view,
        ], dtype=np.float32)

    def _score(self) -> int:
        return 100 * self._cleared + 50 * self._coins_caught

    def _memory(self) -> np.ndarray:
        memory = np.zeros(_MEMORY_SIZE, dtype=np.uint8)
        progress = min(int(self._x), 0xFFFF)
        score = min(self._score() // 10, 0xFFFF)
        memory[0x00:0x09] = [
            progress & 0xFF, progress >> 8, score & 0xFF, score >> 8,
            min(int(round(self._speed() * 64)), 255), self._pose, self.busy,
            min(self._cleared, 255), min(self._coins_caught, 255),
        ]
        for positions, first, codes in ((self._obstacles, self._next_obstacle, None),
                                         (self._coins, self._next_coin, 3)):
            for i in range(first, len(positions)):
                cell = int(positions[i] - self._x)
                if cell >= _SCREEN_CELLS:
                    break
                if cell >= 0 and memory[_SCREEN_START + cell] == 0:
                    memory[_SCREEN_START + cell] = codes or (1 if self._kinds[i] == LOW else 2)
        return memory

    def _info(self) -> dict[str, Any]:
        return {
            "progress": float(min(self._x, self.course_length)),
            "score": self._score(),
            "cleared": self._cleared,
            "coins": self._coins_caught,
            "crashed": self._crashed,
        }

    # -- a table's view of the features -------------------------------------------
    @property
    def n_states(self) -> int:
        """Number of rows :meth:`discretize` can return."""
        return self._time_bins * 3 * self._n_phases

    @property
    def _time_bins(self) -> int:
        return max(self.jump_steps, self.slide_steps) + self.recovery_steps + 2

    @property
    def _n_phases(self) -> int:
        return 1 + self.jump_steps + self.slide_steps + self.recovery_steps

    def discretize(self, features: np.ndarray) -> np.ndarray:
        r"""Turn feature vectors into table rows, for tabular Q-learning.

        The state keeps what the timing depends on: the number of steps until
        the runner reaches the next obstacle if it keeps running (the last bin
        holds everything later); its kind (none, low, high); and the runner's phase:
        able to act, or in the air, sliding or recovering with so many steps
        left. The coins and the second obstacle are left out, to keep the
        table small.

        Parameters
        ----------
        features : (9,) or (N, 9)
            Observations of this environment with ``observation="features"``: each
        feature in its range (see :data:`FEATURES`), the kinds in [-1, 1], the
        others in [0, 1].

        Returns
        -------
        int array, () or (N,)
            Row indices in ``range(self.n_states)``.
        """
        x = as_float_array(features, "features")
        if x.ndim not in (1, 2) or x.shape[-1] != len(FEATURES):
            raise ValueError(f"features must have shape (9,) or (N, 9), got {shape_str(x.shape)}")
        if ((x < _FEATURE_LOW) | (x > 1.0)).any():
            index = int(np.argwhere((x < _FEATURE_LOW) | (x > 1.0))[0][-1])
            raise ValueError(f"features must be observations of Runner(observation='features'): feature {index} "
                             f"({FEATURES[index]}) must lie in [{_FEATURE_LOW[index]:g}, 1]")
        if x.ndim == 1:  # one observation, as in a training loop: plain floats are faster
            return self._discretize_one(x.tolist())
        # The steps k until the runner reaches the obstacle if it keeps running
        # (it is passed during the k-th step from now). The speed grows linearly
        # with the position, v(x) = v0 + g x, so x + v0/g grows by (1 + g) per step.
        start, end = self.speed
        distance = x[..., 0] * self.view
        if end == start:
            steps_away = np.ceil(distance / start)
        else:
            growth = (end - start) / self.course_length
            position = x[..., 7] * self.course_length  # the speed feature tells where the runner is
            steps_away = np.ceil(np.log1p(distance / (position + start / growth)) / np.log1p(growth))
        steps_away = np.clip(steps_away, 1, self._time_bins).astype(int)
        time_bin = steps_away - 1
        kind = np.rint(x[..., 1]).astype(int) % 3  # 0 none, 1 low, 2 high
        busy = np.rint(x[..., 6] * (max(self.jump_steps, self.slide_steps) + self.recovery_steps)).astype(int)
        timer = busy - self.recovery_steps  # steps left in the air or sliding
        phase = np.where(x[..., 4] > 0.5, timer,  # 1..jump_steps
                         np.where(x[..., 5] > 0.5, self.jump_steps + timer,  # then sliding
                                  np.where(busy > 0, self.jump_steps + self.slide_steps + busy, 0)))  # recovering
        return (time_bin * 3 + kind) * self._n_phases + phase

    def _discretize_one(self, f: list) -> int:
        """:meth:`discretize` for one checked feature vector, with Python floats."""
        start, end = self.speed
        distance = f[0] * self.view
        if end == start:
            steps_away = math.ceil(distance / start)
        else:
            growth = (end - start) / self.course_length
            steps_away = math.ceil(math.log1p(distance / (f[7] * self.course_length + start / growth))
                                   / math.log1p(growth))
        time_bin = min(max(steps_away, 1), self._time_bins) - 1
        kind = round(f[1]) % 3
        busy = round(f[6] * (max(self.jump_steps, self.slide_steps) + self.recovery_steps))
        if f[4] > 0.5:
            phase = busy - self.recovery_steps
        elif f[5] > 0.5:
            phase = self.jump_steps + busy - self.recovery_steps
        else:
            phase = self.jump_steps + self.slide_steps + busy if busy > 0 else 0
        return (time_bin * 3 + kind) * self._n_phases + phase

    # -- pictures --------------------------------------------------------------------
    def render(self):
        """An image of the screen, ``(64, 256, 3)`` ``uint8``; ``None`` without a render mode."""
        if self.render_mode != "rgb_array":
            return None
        if not hasattr(self, "_x"):
            raise RuntimeError("render() called before reset()")
        height, width, cell = 64, 256, 8  # 32 cells across, the runner at cell 4
        ground = 52
        image = np.empty((height, width, 3), dtype=np.uint8)
        image[:ground] = (226, 238, 250)
        image[ground:] = (120, 160, 90)
        runner_x = 4 * cell

        def to_pixel(position: float) -> int:
            return runner_x + int(round((position - self._x) * cell))

        for position, kind in zip(self._obstacles, self._kinds):
            left = to_pixel(position)
            if -cell < left < width:
                a, b = max(left, 0), min(left + cell, width)
                if kind == LOW:
                    image[ground - 12:ground, a:b] = (150, 75, 40)
                else:
                    image[ground - 44:ground - 14, a:b] = (90, 90, 110)
        for position in self._coins[self._next_coin:]:
            left = to_pixel(position)
            if -4 < left < width - 4:
                image[ground - 30:ground - 24, max(left, 0):left + 6] = (240, 190, 20)
        if self._pose == _AIR:
            top, bottom = ground - 40, ground - 16
        elif self._pose == _LOW_POSE:
            top, bottom = ground - 10, ground
        else:
            top, bottom = ground - 24, ground
        image[top:bottom, runner_x - 6:runner_x + 2] = (200, 30, 40) if self._crashed else (30, 80, 200)
        done = int(width * min(self._x / self.course_length, 1.0))
        image[height - 4:, :done] = (40, 40, 40)  # the progress bar
        return image


ENV_ID = "ann_lib/Runner-v0"
if ENV_ID not in gym.registry:  # gymnasium.make("ann_lib/Runner-v0") works once ann_lib.envs is imported
    gym.register(id=ENV_ID, entry_point="ann_lib.envs:Runner")


def clearance(infos: list[dict]) -> float:
    r"""Fraction of the obstacles met that were cleared, over several episodes.

    .. math:: \text{clearance} = \frac{\sum \text{cleared}}{\sum \text{cleared} + \sum \text{crashes}}

    An episode ends at the first crash, so each final ``info`` contributes its
    ``cleared`` count and at most one crash.
    """
    if not isinstance(infos, (list, tuple)) or not infos:
        raise ValueError(f"infos must be a non-empty list of the final info dicts of episodes, got {infos!r}")
    if not all(isinstance(i, dict) and "cleared" in i and "crashed" in i for i in infos):
        raise TypeError("infos must hold Runner info dicts (with 'cleared' and 'crashed')")
    if not all(isinstance(i["cleared"], numbers.Integral) and not isinstance(i["cleared"], bool) and i["cleared"] >= 0
               for i in infos):
        raise ValueError("infos: every 'cleared' must be a count, an integer >= 0")
    crashes = sum(flag(info["crashed"], f"infos[{index}]['crashed']") for index, info in enumerate(infos))
    cleared = sum(i["cleared"] for i in infos)
    return cleared / (cleared + crashes) if cleared + crashes else 1.0
