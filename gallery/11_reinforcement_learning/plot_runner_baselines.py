r"""
Two players that do not learn: random and reactive
==================================================

.. title-ko: 배우지 않는 두 정책: 무작위와 반응형

.. only:: en

   The baselines of the chapter's runner game (``ann_lib.envs.Runner``),
   scored on the 100 courses that the learning agents of the next examples are
   scored on too: a player that presses buttons at random, and a player that
   knows the rule of the game but not its timing.

.. only:: ko

   이 장의 러너 게임(``ann_lib.envs.Runner``)의 기준선 두 개를, 다음 예제의 학습하는
   에이전트들을 채점할 때와 같은 코스 100개로 채점합니다. 버튼을 무작위로 누르는
   정책과, 게임의 규칙은 알지만 타이밍은 모르는 정책입니다.
"""

import matplotlib.pyplot as plt
import numpy as np

from ann_lib.envs import JUMP, RUN, SLIDE, Runner, clearance
from ann_lib.rl import RandomPolicy, evaluate

EVALUATION_SEEDS = range(10_000, 10_100)  # 100 courses that no agent trains on

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "random": "무작위",
    "reactive": "반응형",
    "clearance, 100 evaluation courses": "통과율, 평가 코스 100개",
    "return per course": "코스별 이득",
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    The random player presses any of the three buttons. The reactive player
#    jumps over low obstacles and slides under high ones as soon as the next
#    obstacle comes into view (24 cells ahead) and it can act: it knows *what*
#    to do, not *when*. ``evaluate`` plays the 100 evaluation courses side by
#    side; clearance is the fraction of the obstacles met that were cleared.
#
# .. only:: ko
#
#    무작위 정책은 세 버튼 가운데 아무것이나 누릅니다. 반응형 정책은 다음
#    장애물이 시야(24칸 앞)에 들어오고 행동할 수 있게 되자마자, 낮은 장애물은 뛰어넘고
#    높은 장애물은 미끄러져 지나갑니다. *무엇을* 할지는 알지만 *언제* 할지는 모릅니다.
#    ``evaluate``\ 는 평가 코스 100개를 나란히 달립니다. 통과율은 만난 장애물 가운데
#    통과한 장애물의 비율입니다.


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
#    Clearance (left) and the return of each course (right). Knowing the rule
#    more than doubles the clearance, but a jump started too early lands in
#    front of the obstacle: without timing the reactive player stays well
#    short of clearing nearly every obstacle.
#
# .. only:: ko
#
#    왼쪽은 통과율, 오른쪽은 코스마다의 이득입니다. 규칙을 알면 통과율이 두 배 넘게
#    오르지만, 너무 일찍 뛴 점프는 장애물 앞에 내려앉습니다. 타이밍을 모르는 반응형
#    정책은 거의 모든 장애물을 통과하는 데 한참 못 미칩니다.

names = ["random", "reactive"]
fig, (bars_ax, returns_ax) = plt.subplots(1, 2, figsize=(7.2, 2.8), layout="constrained")
bars = bars_ax.bar(names, [random_clearance, reactive_clearance], color=["0.6", "0.8"], width=0.6)
bars_ax.bar_label(bars, fmt="%.3f", fontsize="small")
bars_ax.set_ylim(0, 1.05)
bars_ax.set_ylabel("clearance, 100 evaluation courses")
returns_ax.boxplot([random_evaluation.returns, reactive_evaluation.returns], tick_labels=names)
returns_ax.set_ylabel("return per course")
returns_ax.grid(True, axis="y", alpha=0.3)
plt.show()
