r"""
Learning to jump and slide: random play, Q-learning and a DQN
=============================================================

.. title-ko: 점프와 슬라이드 배우기: 무작위 행동, Q-러닝, DQN

.. only:: en

   Four players of the chapter's runner game (``ann_lib.envs.Runner``), scored
   on the same 100 courses that none of them trained on: a random player; a
   player that reacts to the kind of the next obstacle at once, without
   timing; tabular Q-learning with ``ann_lib.rl``, trained on five seeds; and
   a deep Q-network (DQN) in TensorFlow with experience replay, a target
   network and the Huber loss, trained on three seeds. Then the table the
   Q-learning agent learned, a filmstrip, and an animation of the DQN playing
   one course.

.. only:: ko

   이 장의 러너 게임(``ann_lib.envs.Runner``)을 하는 네 가지 정책을, 아무도 학습에
   쓰지 않은 같은 코스 100개로 채점합니다. 무작위로 누르는 정책, 다음 장애물의
   종류만 보고 타이밍 없이 곧바로 반응하는 정책, ``ann_lib.rl``\ 의 표 기반
   Q-러닝(시드 다섯 개), 그리고 경험 재생과 타깃 네트워크와 후버 손실을 쓰는
   TensorFlow의 심층 Q-네트워크(DQN, 시드 세 개)입니다. 이어서 Q-러닝 에이전트가
   배운 표, 필름 스트립, DQN이 코스 하나를 달리는 애니메이션을 봅니다.
"""

import base64
import io
import json

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from ann_lib.envs import ACTIONS, HIGH, JUMP, LOW, RUN, SLIDE, Runner, clearance
from ann_lib.rl import QLearning, RandomPolicy, evaluate, linear_schedule

EVALUATION_SEEDS = range(10_000, 10_100)  # 100 courses that no agent trains on
TABULAR_SEEDS = [0, 1, 2, 3, 4]
DQN_SEEDS = [0, 1, 2]

# %%
# .. only:: en
#
#    **Two baselines.** The random player presses any of the three buttons.
#    The reactive player knows the rule of the game, jump over low obstacles
#    and slide under high ones, and acts on it as soon as the next obstacle
#    comes into view (24 cells ahead) and it can act: it knows *what* to do,
#    not *when*. ``evaluate`` plays the 100 evaluation courses side by side;
#    clearance is the fraction of the obstacles met that were cleared.
#
# .. only:: ko
#
#    **기준선 두 개.** 무작위 정책은 세 버튼 가운데 아무것이나 누릅니다. 반응형
#    정책은 게임의 규칙, 곧 낮은 장애물은 뛰어넘고 높은 장애물은 미끄러져 지나간다는
#    것을 알고, 다음 장애물이 시야(24칸 앞)에 들어오고 움직일 수 있게 되자마자 그대로
#    행동합니다. *무엇을* 할지는 알지만 *언제* 할지는 모릅니다. ``evaluate``\ 는 평가 코스
#    100개를 나란히 달립니다. 통과율은 만난 장애물 가운데 통과한 장애물의 비율입니다.


def reactive_policy(observations):
    """Jump at a low obstacle in view, slide at a high one, whatever its distance."""
    kind = observations[:, 1]
    return np.where(kind > 0.5, JUMP, np.where(kind < -0.5, SLIDE, RUN))


random_evaluation = evaluate(Runner, RandomPolicy(3, np.random.default_rng(0)), EVALUATION_SEEDS)
reactive_evaluation = evaluate(Runner, reactive_policy, EVALUATION_SEEDS)
random_clearance = clearance(random_evaluation.infos)
reactive_clearance = clearance(reactive_evaluation.infos)
print(f"random:   clearance {random_clearance:.3f}, mean return {random_evaluation.returns.mean():.2f}")
print(f"reactive: clearance {reactive_clearance:.3f}, mean return {reactive_evaluation.returns.mean():.2f}")

# %%
# .. only:: en
#
#    **Tabular Q-learning.** ``Runner.discretize`` turns the features into one
#    of 264 table rows: the number of steps until the next obstacle arrives,
#    its kind, and the runner's phase (able to act, or in the air, sliding or
#    recovering, with so many steps left). Each step applies the update
#    :math:`Q(s,a) \leftarrow Q(s,a) + \alpha\,[r + \gamma \max_{a'} Q(s',a') - Q(s,a)]`,
#    with :math:`\alpha = 0.5` and :math:`\gamma = 0.99`; exploration falls
#    from :math:`\varepsilon = 1` to 0.01 over the first 75 of 150 episodes.
#    The random player plays as many steps as the DQN below, for its learning
#    curve.
#
# .. only:: ko
#
#    **표 기반 Q-러닝.** ``Runner.discretize``\ 는 특성 벡터를 표의 행 264개 가운데 하나로
#    바꿉니다. 다음 장애물이 도착할 때까지 남은 걸음 수, 그 종류, 러너의 국면(움직일 수
#    있음, 또는 공중에 있음·미끄러지는 중·회복 중과 남은 걸음 수)입니다. 걸음마다
#    :math:`Q(s,a) \leftarrow Q(s,a) + \alpha\,[r + \gamma \max_{a'} Q(s',a') - Q(s,a)]`
#    를 :math:`\alpha = 0.5`, :math:`\gamma = 0.99`\ 로 적용하고, 탐험은 150 에피소드 가운데
#    처음 75 에피소드 동안 :math:`\varepsilon = 1`\ 에서 0.01로 줄입니다. 무작위
#    정책도 학습 곡선을 그리려고 아래 DQN만큼의 걸음을 달립니다.


def train_q_learning(seed, episodes=150):
    """One tabular agent; returns it, its return per episode and the steps so far at each episode's end."""
    env = Runner()
    agent = QLearning(env.n_states, 3, lr=0.5, gamma=0.99)
    rng = np.random.default_rng(seed)
    epsilon = linear_schedule(1.0, 0.01, episodes // 2)
    returns, lengths = [], []
    for episode in range(episodes):
        observation, info = env.reset(seed=1000 * seed + episode)
        state = int(env.discretize(observation))
        total, steps, done = 0.0, 0, False
        while not done:
            action = agent.act(state, epsilon(episode), rng)
            observation, reward, done, truncated, info = env.step(action)
            next_state = int(env.discretize(observation))
            agent.update(state, action, reward, next_state, done)
            state, total, steps = next_state, total + reward, steps + 1
        returns.append(total)
        lengths.append(steps)
    return agent, np.array(returns), np.cumsum(lengths)


def play_randomly(seed, total_steps=16_000):
    env, rng = Runner(), np.random.default_rng(seed)
    returns, lengths = [], []
    for episode in range(total_steps):
        if sum(lengths) >= total_steps:
            break
        env.reset(seed=1000 * seed + episode)
        total, steps, done = 0.0, 0, False
        while not done:
            _, reward, done, _, _ = env.step(int(rng.integers(3)))
            total, steps = total + reward, steps + 1
        returns.append(total)
        lengths.append(steps)
    return np.array(returns), np.cumsum(lengths)


def greedy_from_table(agent, env=Runner()):
    return lambda observations: agent.greedy(env.discretize(observations))


tabular_agents, tabular_curves, random_curves, tabular_clearance = [], [], [], []
for seed in TABULAR_SEEDS:
    agent, returns, steps = train_q_learning(seed)
    tabular_clearance.append(clearance(evaluate(Runner, greedy_from_table(agent), EVALUATION_SEEDS).infos))
    tabular_agents.append(agent)
    tabular_curves.append((steps, returns))
    random_returns, random_steps = play_randomly(seed)
    random_curves.append((random_steps, random_returns))
print("Q-learning clearance per seed:", np.round(tabular_clearance, 3))

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
#    seeds, the band their range. Right: clearance on the 100 evaluation
#    courses, with the range over seeds for the learning agents.
#
# .. only:: ko
#
#    **학습 곡선.** 에이전트가 겪은 환경 걸음 수에 따른 에피소드별 이득을 10 에피소드씩
#    이동 평균했습니다. 선은 시드들의 평균, 띠는 시드들의 범위입니다. 오른쪽은 평가 코스
#    100개에서 잰 통과율이고, 학습하는 에이전트는 시드들의 범위를 함께 그렸습니다.


def smoothed_on_grid(curves, grid, window=10):
    rows = []
    for steps, returns in curves:
        kernel = np.ones(window) / window
        smooth = np.convolve(np.pad(returns, (window - 1, 0), mode="edge"), kernel, mode="valid")
        rows.append(np.interp(grid, steps, smooth))
    return np.array(rows)


fig, (curves_ax, bars_ax) = plt.subplots(1, 2, figsize=(7.2, 3.2), gridspec_kw={"width_ratios": [1.5, 1]},
                                         layout="constrained")
all_curves = random_curves + tabular_curves + dqn_curves
grid = np.linspace(max(s[0] for s, _ in all_curves), min(s[-1] for s, _ in all_curves), 200)
for name, curves, color in (("random", random_curves, "0.5"), ("Q-learning", tabular_curves, "C0"),
                            ("DQN", dqn_curves, "C3")):
    rows = smoothed_on_grid(curves, grid)
    curves_ax.plot(grid / 1000, rows.mean(axis=0), color=color, label=f"{name} ({len(curves)} seeds)")
    curves_ax.fill_between(grid / 1000, rows.min(axis=0), rows.max(axis=0), color=color, alpha=0.2,
                           linewidth=0)
curves_ax.set_xlabel("environment steps (thousands)")
curves_ax.set_ylabel("return per episode")
curves_ax.legend(fontsize="small", loc="upper left")
curves_ax.grid(True, alpha=0.3)

names = ["random", "reactive", "Q-learning", "DQN"]
values = [[random_clearance], [reactive_clearance], tabular_clearance, dqn_clearance]
means = [np.mean(v) for v in values]
errors = np.array([[m - np.min(v) for m, v in zip(means, values)], [np.max(v) - m for m, v in zip(means, values)]])
bars_ax.bar(names, means, yerr=errors, color=["0.6", "0.8", "C0", "C3"], capsize=3, width=0.7)
for x, (mean, v) in enumerate(zip(means, values)):
    label = f"{mean:.3f}" if len(v) == 1 else f"{mean:.3f}\nmin\n{np.min(v):.3f}"
    bars_ax.annotate(label, (x, 0.03), ha="center", va="bottom", fontsize="x-small")
bars_ax.axhline(0.95, color="k", linestyle=":", linewidth=1)
bars_ax.set_ylim(0, 1.05)
bars_ax.set_ylabel("clearance, 100 evaluation courses")
bars_ax.tick_params(axis="x", labelsize="x-small")
plt.show()

# %%
# .. only:: en
#
#    **What the table learned.** The Q-values of the first Q-learning agent in
#    the states where the runner can act, against the number of steps until
#    the next obstacle arrives (8 means 8 or more). The best action in each
#    column is framed. Timing is the whole game: a jump or a slide clears an
#    obstacle that arrives within 4 steps; started 5 or 6 steps ahead, the
#    runner is still recovering when the obstacle arrives.
#
# .. only:: ko
#
#    **표가 배운 것.** 첫 번째 Q-러닝 에이전트의 Q 값을, 러너가 움직일 수 있는 상태에서
#    다음 장애물이 도착할 때까지 남은 걸음 수(8은 8 이상)에 따라 그렸습니다. 열마다 가장
#    좋은 행동에 테두리를 쳤습니다. 이 게임은 타이밍이 전부입니다. 점프나 슬라이드는 4걸음
#    안에 도착하는 장애물을 통과하지만, 5~6걸음 앞에서 시작하면 장애물이 도착할 때 러너는
#    아직 회복 중입니다.

env = Runner()
table = tabular_agents[0].table.reshape(8, 3, -1, 3)  # (steps bin, kind, phase, action)
fig, axes = plt.subplots(1, 2, figsize=(7.2, 2.4), layout="constrained", sharey=True)
for ax, kind, name in ((axes[0], 1, "low obstacle: jump over"), (axes[1], 2, "high obstacle: slide under")):
    q = table[:, kind, 0, :].T  # (action, steps bin), phase 0 = able to act
    image = ax.imshow(q, cmap="viridis", aspect="auto", vmin=table[:, 1:, 0, :].min(), vmax=table[:, 1:, 0, :].max())
    for column, row in enumerate(q.argmax(axis=0)):
        ax.add_patch(plt.Rectangle((column - 0.5, row - 0.5), 1, 1, fill=False, edgecolor="w", linewidth=2))
    ax.set_xticks(range(8), [str(k) for k in range(1, 8)] + ["8+"])
    ax.set_yticks(range(3), ACTIONS)
    ax.set_xlabel("steps until the obstacle arrives")
    ax.set_title(name, fontsize="medium")
fig.colorbar(image, ax=axes, label="Q(s, a)", shrink=0.9)
plt.show()

# %%
# .. only:: en
#
#    **One course, played by the first DQN.** The game is recorded frame by
#    frame with ``render()``, together with the network's Q-values; a filmstrip
#    shows the steps around the first jump and the first slide that clear an
#    obstacle (frame *t* is the screen before step *t*; the title names the
#    action started at that step).
#
# .. only:: ko
#
#    **첫 번째 DQN이 달리는 코스 하나.** ``render()``\ 로 게임을 한 프레임씩 기록하고,
#    신경망의 Q 값도 함께 적어 둡니다. 필름 스트립은 장애물을 통과한 첫 점프와 첫
#    슬라이드 전후의 걸음을 보여 줍니다(프레임 *t*\ 는 걸음 *t* 직전의 화면이고, 제목은 그
#    걸음에 시작한 행동입니다).

network = dqn_networks[0]
q_values_of = tf.function(lambda x: network(x, training=False), input_signature=[tf.TensorSpec([None, 9], tf.float32)],
                          autograph=False)
env = Runner(render_mode="rgb_array")
observation, info = env.reset(seed=EVALUATION_SEEDS[0])
frames, infos, q_values, actions, taken, kinds, done = [env.render()], [info], [], [], [], [], False
while not done:
    q = q_values_of(observation[None]).numpy()[0]
    action = int(q.argmax())
    kinds.append(round(float(observation[1])))  # the kind of the next obstacle: +1 low, -1 high
    taken.append(env.busy == 0 and action != RUN)  # pressed while busy, a button does nothing
    observation, reward, done, truncated, info = env.step(action)
    q_values.append(q)
    actions.append(action)
    frames.append(env.render())
    infos.append(info)
print(f"episode: {len(actions)} steps, cleared {info['cleared']}, coins {info['coins']}, "
      f"score {info['score']:,}, crashed {info['crashed']}")


def first_clearing_action(wanted):
    """The step at which the runner started the action that cleared its first obstacle of that kind."""
    for step in range(len(actions)):
        cleared = infos[step + 1]["cleared"] > infos[step]["cleared"]
        if cleared and kinds[step] == (LOW if wanted == JUMP else HIGH):
            return max(s for s in range(step + 1) if taken[s])


fig, axes = plt.subplots(2, 6, figsize=(7.2, 1.6), layout="constrained")
for row, wanted in zip(axes, (JUMP, SLIDE)):
    start = first_clearing_action(wanted) - 1
    for offset, ax in enumerate(row):
        step = start + offset
        ax.imshow(frames[step][:, :128], interpolation="nearest")
        ax.set_axis_off()
        pressed = ACTIONS[actions[step]] if step < len(actions) and taken[step] else ""
        ax.set_title(f"t={step} {pressed}", fontsize="x-small")
plt.show()

# %%
# .. only:: en
#
#    The whole course as an animation (frames embedded in this page, no video
#    player needed): the screen, the network's Q-values, and the button it
#    presses, highlighted.
#
# .. only:: ko
#
#    코스 전체를 애니메이션으로 봅니다(프레임이 이 페이지에 들어 있어 동영상 재생기가
#    필요 없습니다). 화면, 신경망의 Q 값, 그리고 누른 버튼이 강조되어 나옵니다.


class EpisodePlayer:
    """An episode as PNG frames with a small play/pause/step control, for a web page or a notebook."""

    def __init__(self, frames, captions, buttons, fps=12, scale=2):
        self.frames, self.captions, self.buttons, self.fps, self.scale = frames, captions, buttons, fps, scale

    def _repr_html_(self):
        encoded = []
        for frame in self.frames:
            png = io.BytesIO()
            plt.imsave(png, frame, format="png")
            encoded.append("data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii"))
        height, width = self.frames[0].shape[:2]
        data = json.dumps({"frames": encoded, "captions": self.captions, "buttons": self.buttons})
        names = "".join(f'<span class="runner-button" style="padding:0 .6em;margin-right:.3em;border:1px solid #888;'
                        f'border-radius:3px">{name}</span>' for name in ACTIONS)
        return f"""
<div class="runner-player" style="font-family:monospace;font-size:0.85em">
  <img alt="the runner game, frame by frame" width="{width * self.scale}" height="{height * self.scale}"
       style="image-rendering:pixelated;display:block;max-width:100%;height:auto">
  <div style="margin:.3em 0">{names}</div>
  <div><button type="button">play</button> <button type="button">step</button>
       <input type="range" min="0" max="{len(self.frames) - 1}" value="0" style="width:50%;vertical-align:middle"></div>
  <div class="runner-caption" style="white-space:pre"></div>
</div>
<script>
(function () {{
  const root = document.currentScript.previousElementSibling;
  const data = {data};
  const image = root.querySelector("img"), slider = root.querySelector("input");
  const [play, step] = root.querySelectorAll("button");
  const caption = root.querySelector(".runner-caption"), buttons = root.querySelectorAll(".runner-button");
  let timer = null;
  function show(i) {{
    slider.value = i;
    image.src = data.frames[i];
    caption.textContent = data.captions[i];
    buttons.forEach((b, k) => {{ b.style.background = k === data.buttons[i] ? "#f0c040" : ""; }});
  }}
  function stop() {{ clearInterval(timer); timer = null; play.textContent = "play"; }}
  play.onclick = () => {{
    if (timer) {{ stop(); return; }}
    if (+slider.value === data.frames.length - 1) show(0);
    play.textContent = "pause";
    timer = setInterval(() => {{ const i = +slider.value + 1; if (i < data.frames.length) show(i); else stop(); }},
                        {1000 // self.fps});
  }};
  step.onclick = () => {{ stop(); show(Math.min(+slider.value + 1, data.frames.length - 1)); }};
  slider.oninput = () => {{ stop(); show(+slider.value); }};
  show(0);
}})();
</script>
"""


captions = [f"t={t:3d}  score {info['score']:5,}  progress {info['progress']:5.1f}/{env.course_length}"
            + (f"  Q=({q[0]:+.2f}, {q[1]:+.2f}, {q[2]:+.2f})" if t < len(q_values) else "  (end)")
            for t, (info, q) in enumerate(zip(infos, q_values + [None]))]
EpisodePlayer(frames, captions, actions + [-1])
