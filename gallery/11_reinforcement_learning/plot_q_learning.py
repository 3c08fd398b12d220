r"""
Tabular Q-learning learns the timing
====================================

.. title-ko: 표 기반 Q-러닝이 타이밍을 배운다

.. only:: en

   Tabular Q-learning with ``ann_lib.rl`` on the chapter's runner game
   (``ann_lib.envs.Runner``), trained on five seeds and scored on the same 100
   evaluation courses as the two players that do not learn; then the table the
   first agent learned.

.. only:: ko

   이 장의 러너 게임(``ann_lib.envs.Runner``)에서 ``ann_lib.rl``\ 의 표 기반 Q-러닝을
   시드 다섯 개로 학습시키고, 배우지 않는 두 정책과 같은 평가 코스 100개로
   채점합니다. 이어서 첫 번째 에이전트가 배운 표를 봅니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.envs import ACTIONS, JUMP, RUN, SLIDE, Runner, clearance
from ann_lib.rl import QLearning, RandomPolicy, evaluate, linear_schedule

EVALUATION_SEEDS = range(10_000, 10_100)  # 100 courses that no agent trains on
TABULAR_SEEDS = [0, 1, 2, 3, 4]

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "environment steps (thousands)": "환경 걸음 수(천 단위)",
    "return per episode": "에피소드별 이득",
    "Q-learning (5 seeds)": "Q-러닝(시드 5개)",
    "random player": "무작위 정책",
    "random": "무작위",
    "reactive": "반응형",
    "Q-learning": "Q-러닝",
    "clearance, 100 evaluation courses": "통과율, 평가 코스 100개",
    "steps until the obstacle arrives": "장애물이 도착할 때까지 남은 걸음 수",
    "run": "달리기",
    "jump": "점프",
    "slide": "슬라이드",
    "low obstacle: jump over": "낮은 장애물: 뛰어넘기",
    "high obstacle: slide under": "높은 장애물: 미끄러져 빠져나가기",
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    ``Runner.discretize`` turns the features into one of 264 table rows: the
#    number of steps until the next obstacle arrives, its kind, and the
#    runner's phase (able to act, or in the air, sliding or recovering, with so
#    many steps left). Each step applies the update
#    :math:`Q(s,a) \leftarrow Q(s,a) + \alpha\,[r + \gamma \max_{a'} Q(s',a') - Q(s,a)]`,
#    with :math:`\alpha = 0.5` and :math:`\gamma = 0.99`; exploration falls
#    from :math:`\varepsilon = 1` to 0.01 over the first 75 of 150 episodes.
#
# .. only:: ko
#
#    ``Runner.discretize``\ 는 특성 벡터를 표의 행 264개 가운데 하나로 바꿉니다. 다음
#    장애물이 도착할 때까지 남은 걸음 수, 그 종류, 러너의 국면(행동할 수 있음, 또는
#    공중에 있음·미끄러지는 중·회복 중과 남은 걸음 수)입니다. 걸음마다
#    :math:`Q(s,a) \leftarrow Q(s,a) + \alpha\,[r + \gamma \max_{a'} Q(s',a') - Q(s,a)]`\ 를
#    :math:`\alpha = 0.5`, :math:`\gamma = 0.99`\ 로 적용하고, 탐험은 150에피소드 가운데
#    처음 75에피소드 동안 :math:`\varepsilon = 1`\ 에서 0.01로 줄입니다.


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


def greedy_from_table(agent, env=Runner()):
    return lambda observations: agent.greedy(env.discretize(observations))


tabular_agents, tabular_curves, tabular_clearance = [], [], []
for seed in TABULAR_SEEDS:
    agent, returns, steps = train_q_learning(seed)
    tabular_clearance.append(clearance(evaluate(Runner, greedy_from_table(agent), EVALUATION_SEEDS).infos))
    tabular_agents.append(agent)
    tabular_curves.append((steps, returns))
print("Q-learning clearance per seed:", np.round(tabular_clearance, 3))

# %%
# .. only:: en
#
#    **Learning curves.** Return per episode against the environment steps the
#    agent has seen, smoothed over 10 episodes: the line is the mean over the
#    seeds, the band their range; the dashed line is the random player's mean
#    return on the evaluation courses. Right: clearance on the 100 evaluation
#    courses, beside the two players that do not learn (the reactive one knows
#    the rule but not the timing).
#
# .. only:: ko
#
#    **학습 곡선.** 에이전트가 겪은 환경 걸음 수에 따른 에피소드별 이득을 10에피소드씩
#    이동 평균했습니다. 선은 시드들의 평균, 띠는 시드들의 범위이고, 점선은 평가 코스에서
#    잰 무작위 정책의 평균 이득입니다. 오른쪽은 평가 코스 100개에서 잰 통과율로,
#    배우지 않는 두 정책(반응형은 규칙은 알지만 타이밍은 모릅니다)과 나란히 놓았습니다.


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
grid = np.linspace(max(s[0] for s, _ in tabular_curves), min(s[-1] for s, _ in tabular_curves), 200)
rows = smoothed_on_grid(tabular_curves, grid)
curves_ax.plot(grid / 1000, rows.mean(axis=0), color="C0", label=f"Q-learning ({len(TABULAR_SEEDS)} seeds)")
curves_ax.fill_between(grid / 1000, rows.min(axis=0), rows.max(axis=0), color="C0", alpha=0.2, linewidth=0)
curves_ax.axhline(random_evaluation.returns.mean(), color="0.5", linestyle="--", label="random player")
curves_ax.set_xlim(0, 16)  # the same steps as the DQN example's curves
curves_ax.set_xlabel("environment steps (thousands)")
curves_ax.set_ylabel("return per episode")
curves_ax.legend(fontsize="small", loc="upper left")
curves_ax.grid(True, alpha=0.3)

names = ["random", "reactive", "Q-learning"]
values = [random_clearance, reactive_clearance, np.mean(tabular_clearance)]
spread = [[0, 0, values[2] - min(tabular_clearance)], [0, 0, max(tabular_clearance) - values[2]]]
bars_ax.bar(names, values, yerr=spread, color=["0.6", "0.8", "C0"], capsize=3, width=0.7)
for x, value in enumerate(values):
    label = f"{value:.3f}" if x < 2 else f"{value:.3f}\nmin\n{min(tabular_clearance):.3f}"
    bars_ax.annotate(label, (x, 0.03), ha="center", va="bottom", fontsize="x-small")
bars_ax.axhline(0.95, color="k", linestyle=":", linewidth=1)
bars_ax.set_ylim(0, 1.05)
bars_ax.set_ylabel("clearance, 100 evaluation courses")
bars_ax.tick_params(axis="x", labelsize="x-small")
plt.show()

# %%
# .. only:: en
#
#    **What the table learned.** The Q-values of the first agent in the states
#    where the runner can act, against the number of steps until the next
#    obstacle arrives (8 means 8 or more). The best action in each column is
#    framed. Timing is the whole game: a jump or a slide clears an obstacle
#    that arrives within 4 steps; started 5 or 6 steps ahead, the runner is
#    still recovering when the obstacle arrives.
#
# .. only:: ko
#
#    **표가 배운 것.** 첫 번째 에이전트의 Q 값을, 러너가 행동할 수 있는 상태에서 다음
#    장애물이 도착할 때까지 남은 걸음 수(8은 8 이상)에 따라 그렸습니다. 열마다 가장 좋은
#    행동에 테두리를 쳤습니다. 이 게임은 타이밍이 전부입니다. 점프나 슬라이드는 4걸음
#    안에 도착하는 장애물을 통과하지만, 5~6걸음 앞에서 시작하면 장애물이 도착할 때 러너는
#    아직 회복 중입니다.

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
