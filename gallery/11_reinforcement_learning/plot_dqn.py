r"""
A deep Q-network: experience replay and a target network
========================================================

.. title-ko: 심층 Q-네트워크: 경험 재생과 타깃 네트워크

.. only:: en

   A deep Q-network (DQN) in TensorFlow learns the chapter's runner game
   (``ann_lib.envs.Runner``) from its nine features, with no table: experience
   replay, a target network and the Huber loss, trained on three seeds and
   scored on the same 100 evaluation courses as the tabular agent and the two
   players that do not learn.

.. only:: ko

   TensorFlow의 심층 Q-네트워크(DQN)가 이 장의 러너 게임(``ann_lib.envs.Runner``)을
   표 없이 특성 아홉 개에서 배웁니다. 경험 재생, 타깃 네트워크, 후버 손실을 쓰고,
   시드 세 개로 학습시킨 뒤 표 기반 에이전트와 배우지 않는 두 정책과 같은 평가
   코스 100개로 채점합니다.
"""

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from ann_lib.envs import JUMP, RUN, SLIDE, Runner, clearance
from ann_lib.rl import RandomPolicy, evaluate, linear_schedule

EVALUATION_SEEDS = range(10_000, 10_100)  # 100 courses that no agent trains on
DQN_SEEDS = [0, 1, 2]

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "environment steps (thousands)": "환경 걸음 수(천 단위)",
    "return per episode": "에피소드별 이득",
    "DQN (3 seeds)": "DQN(시드 3개)",
    "random player": "무작위 정책",
    "random": "무작위",
    "reactive": "반응형",
    "clearance, 100 evaluation courses": "통과율, 평가 코스 100개",
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    **A deep Q-network.** The same features go into a 9-64-64-3 network that
#    outputs one Q-value per action. Eight copies of the game run side by side;
#    every iteration the online network picks their eight actions (ε-greedy)
#    and takes one Adam step on a batch of 128 transitions drawn from the
#    replay buffer, towards targets
#    :math:`y = r + \gamma \max_{a'} \hat Q(s', a')` computed by the *target
#    network* :math:`\hat Q`, a copy of the online network refreshed every 100
#    iterations, with the Huber loss. Both calls are compiled
#    ``tf.function``\ s: ``model.predict`` prepares a whole prediction loop at
#    every call and would be many times slower.
#
# .. only:: ko
#
#    **심층 Q-네트워크.** 같은 특성 벡터를 9-64-64-3 신경망에 넣어 행동마다 Q 값을 하나씩
#    얻습니다. 게임 여덟 판을 나란히 돌리고, 반복마다 온라인 네트워크가 여덟 판의 행동을
#    (ε-탐욕으로) 고르고, 재생 버퍼에서 뽑은 전이 128개의 배치로 Adam을 한 걸음
#    밟습니다. 목표값 :math:`y = r + \gamma \max_{a'} \hat Q(s', a')`\ 는 100번 반복마다
#    온라인 네트워크를 복사해 두는 *타깃 네트워크* :math:`\hat Q`\ 가 계산하고, 손실은 후버
#    손실입니다. 두 호출 모두 컴파일된 ``tf.function``\ 입니다. ``model.predict``\ 는 부를
#    때마다 예측 반복문 전체를 새로 준비하므로 몇 배나 느립니다.


def q_network():
    return tf.keras.Sequential([
        tf.keras.Input(shape=(9,)),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(3),  # one Q-value per action: run, jump, slide
    ])


class ReplayBuffer:
    """The last ``capacity`` transitions (s, a, r, s', terminated), sampled uniformly."""

    def __init__(self, capacity, rng):
        self.capacity, self.rng, self.size, self.next = capacity, rng, 0, 0
        self.states = np.zeros((capacity, 9), np.float32)
        self.actions = np.zeros(capacity, np.int32)
        self.rewards = np.zeros(capacity, np.float32)
        self.next_states = np.zeros((capacity, 9), np.float32)
        self.terminated = np.zeros(capacity, np.float32)

    def add(self, state, action, reward, next_state, terminated):
        i = self.next
        self.states[i], self.actions[i], self.rewards[i] = state, action, reward
        self.next_states[i], self.terminated[i] = next_state, terminated
        self.next, self.size = (i + 1) % self.capacity, min(self.size + 1, self.capacity)

    def sample(self, batch_size):
        i = self.rng.integers(self.size, size=batch_size)
        return self.states[i], self.actions[i], self.rewards[i], self.next_states[i], self.terminated[i]


def train_dqn(seed, iterations=2000, n_envs=8, batch_size=128, gamma=0.99, sync_every=100):
    """One DQN; returns the online network, its return per episode and the steps so far at each episode's end."""
    tf.keras.utils.set_random_seed(seed)
    online, target = q_network(), q_network()
    optimizer = tf.keras.optimizers.Adam(learning_rate=2e-3)
    huber = tf.keras.losses.Huber()  # squared error below 1, absolute error above

    @tf.function(autograph=False)
    def copy_to_target():
        for target_weight, online_weight in zip(target.weights, online.weights):
            target_weight.assign(online_weight)

    @tf.function(autograph=False)
    def act_and_learn(observations, states, actions, rewards, next_states, terminated):
        greedy = tf.argmax(online(observations, training=False), axis=1)
        targets = rewards + gamma * (1.0 - terminated) * tf.reduce_max(target(next_states, training=False), axis=1)
        with tf.GradientTape() as tape:
            q_taken = tf.gather(online(states, training=True), actions, batch_dims=1)
            loss = huber(targets, q_taken)
        gradients = tape.gradient(loss, online.trainable_weights)
        optimizer.apply_gradients(zip(gradients, online.trainable_weights))
        return greedy

    rng = np.random.default_rng(seed)
    buffer = ReplayBuffer(10_000, rng)
    epsilon = linear_schedule(1.0, 0.02, int(0.3 * iterations))
    envs = [Runner() for _ in range(n_envs)]
    courses = iter(range(50_000 + 1000 * seed, 51_000 + 1000 * seed))
    observations = np.stack([env.reset(seed=next(courses))[0] for env in envs])
    totals = np.zeros(n_envs)
    returns, ends, steps = [], [], 0
    copy_to_target()
    for iteration in range(iterations):
        if buffer.size >= 1000:  # learn once the buffer holds some experience
            greedy = act_and_learn(observations, *buffer.sample(batch_size)).numpy()
        else:
            greedy = np.zeros(n_envs, dtype=int)
        explore = rng.random(n_envs) < epsilon(iteration)
        actions = np.where(explore, rng.integers(3, size=n_envs), greedy)
        for i, env in enumerate(envs):
            next_observation, reward, terminated, truncated, info = env.step(int(actions[i]))
            buffer.add(observations[i], actions[i], reward, next_observation, terminated)
            totals[i] += reward
            steps += 1
            if terminated or truncated:
                returns.append(totals[i])
                ends.append(steps)
                totals[i] = 0.0
                next_observation, info = env.reset(seed=next(courses))
            observations[i] = next_observation
        if iteration % sync_every == 0:
            copy_to_target()
    return online, np.array(returns), np.array(ends)


tf.config.experimental.enable_op_determinism()
dqn_networks, dqn_curves, dqn_clearance = [], [], []
for seed in DQN_SEEDS:
    network, returns, steps = train_dqn(seed)
    greedy_action = tf.function(lambda x, network=network: tf.argmax(network(x, training=False), axis=1),
                                input_signature=[tf.TensorSpec([None, 9], tf.float32)], autograph=False)
    dqn_clearance.append(clearance(evaluate(Runner, lambda o: greedy_action(o).numpy(), EVALUATION_SEEDS).infos))
    dqn_networks.append(network)
    dqn_curves.append((steps, returns))
print("DQN clearance per seed:", np.round(dqn_clearance, 3))

# %%
# .. only:: en
#
#    **Learning curves.** Return per episode against the environment steps the
#    agent has seen, smoothed over 10 episodes: the line is the mean over the
#    seeds, the band their range; the dashed line is the random player's mean
#    return on the evaluation courses. Right: clearance on the 100 evaluation
#    courses, beside the two players that do not learn. The tabular agent's
#    curves, on the same axes, are in the Q-learning example.
#
# .. only:: ko
#
#    **학습 곡선.** 에이전트가 겪은 환경 걸음 수에 따른 에피소드별 이득을 10에피소드씩
#    이동 평균했습니다. 선은 시드들의 평균, 띠는 시드들의 범위이고, 점선은 평가 코스에서
#    잰 무작위 정책의 평균 이득입니다. 오른쪽은 평가 코스 100개에서 잰 통과율로,
#    배우지 않는 두 정책과 나란히 놓았습니다. 같은 축에 그린 표 기반 에이전트의
#    곡선은 Q-러닝 예제에 있습니다.


def reactive_policy(observations):
    """Jump at a low obstacle in view, slide at a high one, whatever its distance."""
    kind = observations[:, 1]
    return np.where(kind > 0.5, JUMP, np.where(kind < -0.5, SLIDE, RUN))


def smoothed_on_grid(curves, grid, window=10):
    rows = []
    for steps, returns in curves:
        smooth = np.convolve(np.pad(returns, (window - 1, 0), mode="edge"), np.ones(window) / window, mode="valid")
        rows.append(np.interp(grid, steps, smooth))
    return np.array(rows)


random_evaluation = evaluate(Runner, RandomPolicy(3, np.random.default_rng(0)), EVALUATION_SEEDS)
random_clearance = clearance(random_evaluation.infos)
reactive_clearance = clearance(evaluate(Runner, reactive_policy, EVALUATION_SEEDS).infos)

fig, (curves_ax, bars_ax) = plt.subplots(1, 2, figsize=(7.2, 3.2), gridspec_kw={"width_ratios": [1.5, 1]},
                                         layout="constrained")
grid = np.linspace(max(s[0] for s, _ in dqn_curves), min(s[-1] for s, _ in dqn_curves), 200)
rows = smoothed_on_grid(dqn_curves, grid)
curves_ax.plot(grid / 1000, rows.mean(axis=0), color="C3", label=f"DQN ({len(DQN_SEEDS)} seeds)")
curves_ax.fill_between(grid / 1000, rows.min(axis=0), rows.max(axis=0), color="C3", alpha=0.2, linewidth=0)
curves_ax.axhline(random_evaluation.returns.mean(), color="0.5", linestyle="--", label="random player")
curves_ax.set_xlim(0, 16)  # the same steps as the Q-learning example's curves
curves_ax.set_xlabel("environment steps (thousands)")
curves_ax.set_ylabel("return per episode")
curves_ax.legend(fontsize="small", loc="upper left")
curves_ax.grid(True, alpha=0.3)

names = ["random", "reactive", "DQN"]
values = [random_clearance, reactive_clearance, np.mean(dqn_clearance)]
spread = [[0, 0, values[2] - min(dqn_clearance)], [0, 0, max(dqn_clearance) - values[2]]]
bars_ax.bar(names, values, yerr=spread, color=["0.6", "0.8", "C3"], capsize=3, width=0.7)
for x, value in enumerate(values):
    label = f"{value:.3f}" if x < 2 else f"{value:.3f}\nmin\n{min(dqn_clearance):.3f}"
    bars_ax.annotate(label, (x, 0.03), ha="center", va="bottom", fontsize="x-small")
bars_ax.axhline(0.95, color="k", linestyle=":", linewidth=1)
bars_ax.set_ylim(0, 1.05)
bars_ax.set_ylabel("clearance, 100 evaluation courses")
bars_ax.tick_params(axis="x", labelsize="x-small")
plt.show()
