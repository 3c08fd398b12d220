r"""
Orientation tuning: a bank of oriented filters shown bars of light
==================================================================

.. title-ko: 방향 선택성: 방향이 다른 필터에 빛 막대를 보여 주기

.. only:: en

   Hubel and Wiesel shone slits of light at different angles in front of a cat
   and found cells in its visual cortex that fire for one orientation and
   barely for the others. Here the cells are Gabor filters, a standard model
   of such "simple cells": a bright stripe flanked by two dark ones. Each
   filter is one unit of a convolutional layer whose receptive field is the
   15 x 15 patch; its response to a bar is the rectified weighted sum computed
   by ``ann_lib.conv.conv2d``. Sweeping the bar from 0 to 180 degrees gives
   each unit's tuning curve, the plot of the lecture's panel B.

.. only:: ko

   Hubel과 Wiesel은 고양이 눈앞에 여러 각도의 가느다란 빛 막대를 비추고, 시각 피질에서
   한 방향에는 반응하고 다른 방향에는 거의 반응하지 않는 세포를 찾아냈습니다. 여기서는
   이런 "단순 세포"의 표준 모형인 가보르(Gabor) 필터가 세포 역할을 합니다. 밝은 띠 하나를
   어두운 띠 두 개가 양옆에서 감싸는 모양입니다. 필터 하나는 합성곱 층의 유닛 하나이고,
   그 수용 영역은 15×15 조각입니다. 막대에 대한 반응은 ``ann_lib.conv.conv2d``\ 로 계산한
   가중합을 정류한(음수를 0으로 바꾼) 값입니다. 막대를 0도부터 180도까지 돌리면 유닛마다
   방향 조율 곡선이 나오는데, 강의 슬라이드의 그림 B가 바로 이 그래프입니다.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.offsetbox import AnnotationBbox, OffsetImage

from ann_lib.orientation import gabor_filter, oriented_bars, tuning_curves

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "filter": "필터",
    "bar": "막대",
    "response": "반응",
    "the 45° unit": "45° 유닛",
    "bar orientation (degrees)": "막대 방향(도)",
    "response (rectified)": "반응(정류)",
    "tuning curves of the eight units": "유닛 8개의 조율 곡선",
    "preferred": "선호 방향",
}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    Eight filters, one every 22.5 degrees, stacked as the kernel of a
#    convolutional layer with one input channel and eight output channels,
#    ``(15, 15, 1, 8)``; and the stimuli, bars of light 1.5 pixels wide through
#    the centre of the receptive field.
#
# .. only:: ko
#
#    22.5도 간격으로 필터 여덟 개를 만들어, 입력 채널이 하나이고 출력 채널이 여덟 개인
#    합성곱 층의 커널 ``(15, 15, 1, 8)``\ 로 쌓습니다. 자극은 수용 영역의 한가운데를
#    지나는 너비 1.5 픽셀의 빛 막대입니다.

filter_angles = np.arange(0.0, 180.0, 22.5)
size = 15
kernels = np.stack([gabor_filter(size, angle) for angle in filter_angles], axis=-1)[:, :, None, :]
stimulus_angles = np.arange(0.0, 180.5, 2.5)
responses = tuning_curves(kernels, stimulus_angles)  # (stimuli, filters)
print(f"kernel {kernels.shape}, responses {responses.shape}")
print("preferred orientation of each filter (degrees):", stimulus_angles[responses.argmax(axis=0)])

# %%
# .. only:: en
#
#    Top row: the filters (red excites, blue inhibits). Bottom row: some of the
#    bars. The filter and the bar in one column have the same orientation.
#
# .. only:: ko
#
#    위 줄은 필터입니다(빨간색은 흥분, 파란색은 억제). 아래 줄은 자극으로 쓰는 막대
#    가운데 일부입니다. 같은 열의 필터와 막대는 방향이 같습니다.

fig, axes = plt.subplots(2, len(filter_angles), figsize=(7.2, 2.2), layout="constrained")
limit = np.abs(kernels).max()
bars_shown = oriented_bars(size, filter_angles)
for column, angle in enumerate(filter_angles):
    axes[0, column].imshow(kernels[:, :, 0, column], cmap="RdBu_r", vmin=-limit, vmax=limit)
    axes[0, column].set_title(f"{angle:g}°", fontsize=9)
    axes[1, column].imshow(bars_shown[column, :, :, 0], cmap="gray", vmin=0, vmax=1)
for axis in axes.flat:
    axis.set_xticks([])
    axis.set_yticks([])
axes[0, 0].set_ylabel("filter", fontsize=9)
axes[1, 0].set_ylabel("bar", fontsize=9)
plt.show()

# %%
# .. only:: en
#
#    Left, as in panel B of the lecture's slide: one unit (the 45-degree filter)
#    and the bars it is shown; the length of each bar of the chart is its
#    response. Right: the tuning curves of all eight units. Each unit answers a
#    narrow range of orientations, about 15 degrees either side of its preferred
#    one, and is silent for the perpendicular bar.
#
# .. only:: ko
#
#    왼쪽은 강의 슬라이드의 그림 B처럼 유닛 하나(45도 필터)와 그 유닛에 보여 준 막대들을
#    나타냅니다. 가로 막대의 길이가 반응의 크기입니다. 오른쪽은 여덟 유닛 모두의 방향 조율
#    곡선입니다. 유닛마다 선호하는 방향에서 양쪽으로 15도쯤 되는 좁은 범위에만 반응하고,
#    수직인 막대에는 반응하지 않습니다.

fig, (chart, curves) = plt.subplots(
    1, 2, figsize=(7.2, 3.4), layout="constrained", gridspec_kw={"width_ratios": [1, 1.6]}
)
probe_angles = np.arange(0.0, 180.0, 15.0)
unit = int(np.flatnonzero(filter_angles == 45.0)[0])
probe = tuning_curves(kernels[:, :, :, unit : unit + 1], probe_angles)[:, 0]
icons = oriented_bars(size, probe_angles)
rows = np.arange(len(probe_angles))[::-1]  # 0 degrees at the top
chart.barh(rows, probe, height=0.6, color="black")
for row, icon in zip(rows, icons):
    # each stimulus drawn to the left of its bar, as in the slide
    chart.add_artist(AnnotationBbox(
        OffsetImage(icon[:, :, 0], cmap="gray", zoom=0.8, norm=plt.Normalize(0, 1)),
        (0, row), xybox=(-14, 0), xycoords="data", boxcoords="offset points", frameon=False,
    ))
chart.set_yticks(rows, [f"{angle:g}°" for angle in probe_angles], fontsize=7)
chart.tick_params(axis="y", pad=26, length=0)
chart.set_xlim(0, probe.max() * 1.05)
chart.set_ylim(-0.6, len(probe_angles) - 0.4)
chart.set_xlabel("response")
chart.set_title("the 45° unit", fontsize=9)
for side in ("top", "right"):
    chart.spines[side].set_visible(False)

colors = plt.cm.tab10(np.arange(len(filter_angles)))
for index, angle in enumerate(filter_angles):
    curves.plot(stimulus_angles, responses[:, index], color=colors[index], label=f"{angle:g}°")
curves.set_xlabel("bar orientation (degrees)")
curves.set_ylabel("response (rectified)")
curves.set_xticks(np.arange(0, 181, 45))
curves.set_xlim(0, 180)
curves.set_ylim(0, responses.max() * 1.35)
curves.legend(title="preferred", fontsize=7, title_fontsize=8, ncols=4, loc="upper center")
curves.set_title("tuning curves of the eight units", fontsize=9)
plt.show()
