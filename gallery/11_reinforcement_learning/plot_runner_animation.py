r"""
A trained agent plays a course
==============================

.. title-ko: 학습한 에이전트가 코스를 달린다

.. only:: en

   A tabular Q-learning agent, trained as in the Q-learning example, plays one
   of the 100 evaluation courses of the chapter's runner game
   (``ann_lib.envs.Runner``). A filmstrip shows the steps around its first
   jump and first slide; ``matplotlib.animation.FuncAnimation`` then plays the
   course with the agent's Q-values and the button it presses.

.. only:: ko

   Q-러닝 예제처럼 학습시킨 표 기반 Q-러닝 에이전트가 이 장의 러너
   게임(``ann_lib.envs.Runner``)의 평가 코스 100개 가운데 하나를 달립니다. 필름 스트립이
   첫 점프와 첫 슬라이드 전후의 걸음을 보여 주고, 이어서
   ``matplotlib.animation.FuncAnimation``\ 이 에이전트의 Q 값과 누른 버튼을 함께 코스를
   재생합니다.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation

from ann_lib.envs import ACTIONS, HIGH, JUMP, LOW, RUN, SLIDE, Runner
from ann_lib.rl import QLearning, linear_schedule

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    # the animation's title after its last frame (the frames themselves stay English)
    "t={}  score {}  progress {}": "t={}  점수 {}  진행 {}",
    "t={} {}": "t={} {}",  # a filmstrip frame: step number and the button pressed
    "run": "달리기",
    "jump": "점프",
    "slide": "슬라이드",
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    **The agent.** The same training as the Q-learning example's first seed:
#    150 episodes, :math:`\alpha = 0.5`, :math:`\gamma = 0.99`, exploration
#    falling from :math:`\varepsilon = 1` to 0.01 over the first 75.
#
# .. only:: ko
#
#    **에이전트.** Q-러닝 예제의 첫 번째 시드와 같은 학습입니다. 150에피소드,
#    :math:`\alpha = 0.5`, :math:`\gamma = 0.99`\ 이고, 탐험은 처음 75에피소드 동안
#    :math:`\varepsilon = 1`\ 에서 0.01로 줄어듭니다.


def train_q_learning(seed, episodes=150):
    """One tabular agent, trained on courses of its own."""
    env = Runner()
    agent = QLearning(env.n_states, 3, lr=0.5, gamma=0.99)
    rng = np.random.default_rng(seed)
    epsilon = linear_schedule(1.0, 0.01, episodes // 2)
    for episode in range(episodes):
        observation, info = env.reset(seed=1000 * seed + episode)
        state, done = int(env.discretize(observation)), False
        while not done:
            action = agent.act(state, epsilon(episode), rng)
            observation, reward, done, truncated, info = env.step(action)
            next_state = int(env.discretize(observation))
            agent.update(state, action, reward, next_state, done)
            state = next_state
    return agent


agent = train_q_learning(seed=0)

# %%
# .. only:: en
#
#    **One course, recorded.** The game is recorded frame by frame with
#    ``render()``, together with the Q-values of the table row the agent is
#    in. A button pressed while the runner is busy does nothing, so the
#    recording notes which presses were taken.
#
# .. only:: ko
#
#    **코스 하나를 기록하기.** ``render()``\ 로 게임을 한 프레임씩 기록하고, 에이전트가
#    있는 표의 행에 담긴 Q 값도 함께 적어 둡니다. 러너가 바쁠 때 누른 버튼은 아무 일도
#    하지 않으므로, 어느 누름이 받아들여졌는지도 기록합니다.

env = Runner(render_mode="rgb_array")
observation, info = env.reset(seed=10_000)  # the first evaluation course
frames, infos, q_values, actions, taken, kinds, done = [env.render()], [info], [], [], [], [], False
while not done:
    q = agent.table[int(env.discretize(observation))]
    action = int(q.argmax())
    kinds.append(round(float(observation[1])))  # the kind of the next obstacle: +1 low, -1 high
    taken.append(env.busy == 0 and action != RUN)  # pressed while busy, a button does nothing
    observation, reward, done, truncated, info = env.step(action)
    q_values.append(q.copy())
    actions.append(action)
    frames.append(env.render())
    infos.append(info)
print(f"episode: {len(actions)} steps, cleared {info['cleared']}, coins {info['coins']}, "
      f"score {info['score']:,}, crashed {info['crashed']}")

# %%
# .. only:: en
#
#    **A filmstrip.** The steps around the first jump and the first slide
#    that clear an obstacle (frame *t* is the screen before step *t*; the title
#    names the action started at that step).
#
# .. only:: ko
#
#    **필름 스트립.** 장애물을 통과한 첫 점프와 첫 슬라이드 전후의 걸음입니다(프레임
#    *t*\ 는 걸음 *t* 직전의 화면이고, 제목은 그 걸음에 시작한 행동입니다).


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
#    **The whole course as an animation.** ``FuncAnimation`` calls
#    ``show_step`` once per frame; each call changes the picture, the bars and
#    the title, nothing else. On this page the frames are embedded as a player
#    (play, pause, step, slider; no video file and no network); in Jupyter the
#    same object shows the same player, and ``animation.save("runner.gif")``
#    writes a file. The bar of the button pressed is highlighted.
#
# .. only:: ko
#
#    **코스 전체를 애니메이션으로.** ``FuncAnimation``\ 은 프레임마다 ``show_step``\ 을 한
#    번 부르고, 그때마다 그림과 막대와 제목만 바뀝니다. 이 페이지에는 프레임이 재생기(재생,
#    일시 정지, 한 걸음, 슬라이더)로 들어 있어 동영상 파일도 네트워크도 필요 없습니다.
#    Jupyter에서는 같은 객체가 같은 재생기로 나타나고, ``animation.save("runner.gif")``\ 는
#    파일로 저장합니다. 누른 버튼의 막대는 강조됩니다.

# a fixed layout (no layout engine): the frames are drawn hundreds of times and must not move
fig, (screen_ax, q_ax) = plt.subplots(1, 2, figsize=(6.0, 1.9), dpi=72, gridspec_kw={"width_ratios": [3, 1]})
fig.subplots_adjust(left=0.01, right=0.99, bottom=0.14, top=0.86, wspace=0.22)
screen = screen_ax.imshow(frames[0], interpolation="nearest")
screen_ax.set_axis_off()
bars = q_ax.bar(ACTIONS, q_values[0], color="0.7")
q_ax.set_ylim(min(q.min() for q in q_values) - 0.2, max(q.max() for q in q_values) + 0.2)
q_ax.axhline(0, color="k", linewidth=0.5)
q_ax.set_ylabel("Q(s, a)")
q_ax.tick_params(labelsize="small")
title = fig.suptitle("", fontsize="small", family="monospace")


def show_step(t):
    """Draw frame t: the screen before step t, the Q-values the agent saw and the button it pressed."""
    screen.set_data(frames[t])
    q = q_values[min(t, len(q_values) - 1)]
    for action, bar in enumerate(bars):
        bar.set_height(q[action])
        bar.set_color("C1" if t < len(actions) and action == actions[t] else "0.7")
    title.set_text(f"t={t:3d}  score {infos[t]['score']:5,}  progress {infos[t]['progress']:5.1f}/{env.course_length}")
    return [screen, *bars, title]


animation = FuncAnimation(fig, show_step, frames=len(frames), interval=80, repeat=False)
plt.show()
