r"""
The winning errors of ILSVRC, 2010-2017
=======================================

.. title-ko: ILSVRC 우승 오류율, 2010-2017

.. only:: en

   The winning top-5 classification error (CLS) and the winning localization
   error (LOC) of the ImageNet Large Scale Visual Recognition Challenge, year by
   year, read from the small table :download:`ilsvrc_results.csv <ilsvrc_results.csv>`
   (download it into the folder of this script).
   Under each year stand the winners: the network by the name the field knows it
   (AlexNet, ZFNet, GoogLeNet, ResNet, SENet; OverFeat and VGG in localization),
   with the team name of the results page where it differs.
   Every row of the table names its source and says how it was checked. A cell
   whose number could not be checked is left empty, and so is a year without
   the task (LOC began in 2011); the figure shows a gap for both.

.. only:: ko

   이미지넷 대규모 시각 인식 대회(ILSVRC)에서 해마다 우승작의 상위 5 분류 오류율(CLS)과
   위치 추정 오류율(LOC)을, 작은 표 :download:`ilsvrc_results.csv <ilsvrc_results.csv>`\ 에서
   읽어 그립니다(이 스크립트와 같은 폴더에 내려받으세요). 그림에는 연도 아래에 그해의
   우승작을 적었습니다. 신경망은 널리 알려진
   이름(AlexNet, ZFNet, GoogLeNet, ResNet, SENet, 위치 추정에서는 OverFeat와 VGG)으로 적고,
   결과 페이지의 팀 이름이 다르면 괄호 안에 함께 적었습니다. 표의 모든 행에 출처와 확인한
   방법이 적혀 있습니다. 확인하지 못한 값과 과제가 없던 해(LOC는 2011년에 시작했습니다)는
   비워 두었고, 그림에는 두 경우 모두
   그 자리가 비어 있습니다.
"""

import csv
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "CLS: top-5 error of the winner": "CLS: 우승작의 상위 5 오류율",
    "LOC: localization error of the winner": "LOC: 우승작의 위치 추정 오류율",
    "(team not\nnamed)": "(팀 이름\n없음)",
    "LOC: no task in {};\nno checked number for {}": "LOC: {0}년에는 과제 없음;\n{1}년은 확인한 값 없음",
    "LOC: no task in {}": "LOC: {}년에는 과제 없음",
    "LOC: no checked number for {}": "LOC: {}년은 확인한 값 없음",
    "human estimate, top-5: {}%": "사람의 추정 오류율, 상위 5: {}%",
    "winning entry used extra training data": "우승작이 추가 훈련 데이터를 씀",
    "ILSVRC year, with the winners of CLS (blue) and LOC (orange)": "ILSVRC 연도와 CLS(파란색), LOC(주황색) 우승작",
    "error (%)": "오류율(%)",
}
KEPT_IN_LATIN = {"Clarifai", "NEC-UIUC", "NEC", "UIUC", "Trimps", "Soushen", "WMW", "XRCE"}  # team names of the results pages
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    Read the table. Where a year has two entries for a task (with and without
#    extra training data), the figure plots the lower error, the one that won,
#    and marks the years where that entry used extra data.
#
# .. only:: ko
#
#    표를 읽습니다. 한 해의 한 과제에 항목이 둘이면(추가 훈련 데이터를 쓴 것과 쓰지 않은
#    것) 더 낮은 오류율, 곧 우승한 값을 그리고, 그 항목이 추가 데이터를 쓴 해를 따로
#    표시합니다.

try:
    here = Path(__file__).resolve().parent
except NameError:  # sphinx-gallery runs the script with the working directory at its folder
    here = Path.cwd()
table_path = here / "ilsvrc_results.csv"
if not table_path.is_file():
    raise FileNotFoundError(f"{table_path} not found: download ilsvrc_results.csv from this script's "
                            "gallery page (or gallery/08_imagenet/ in the book's sources) into the script's folder")
with open(table_path, newline="", encoding="utf-8") as table_file:
    rows = list(csv.DictReader(table_file))

years = np.arange(2010, 2018)
best = {task: {} for task in ("CLS", "LOC")}
for row in rows:
    if row["year"] == "human" or not row["error_percent"]:
        continue
    year, task, error = int(row["year"]), row["task"], float(row["error_percent"])
    if year not in best[task] or error < best[task][year][0]:
        best[task][year] = (error, row["entry"], row["extra_data"] == "yes", row["network"])
human = next(float(row["error_percent"]) for row in rows if row["year"] == "human")
no_task = [int(row["year"]) for row in rows
           if row["task"] == "LOC" and not row["error_percent"] and row["checked"].startswith("no LOC task")]
unchecked = [year for year in years if year not in best["LOC"] and year not in no_task]

for task in ("CLS", "LOC"):
    for year in years:
        gap = "(not plotted: no LOC task this year)" if task == "LOC" and year in no_task else \
            "(not plotted: no checked number)"
        error, entry, extra, network = best[task].get(year, (np.nan, gap, False, ""))
        name = f"{network} ({entry})" if network and network != entry else entry or "(team not named in the source)"
        print(f"{task} {year}: {error:6.2f}%  {name}{'  (extra data)' if extra else ''}")
print(f"human top-5 error (one expert annotator): {human}%")

# %%
# .. only:: en
#
#    The figure. 2012 is the year of the first convolutional network to win
#    (AlexNet, entered as SuperVision); 2015 the year of the residual networks
#    (ResNet, entered as MSRA), the first winner below the human estimate. The
#    names under each year are the winners of CLS (blue) and LOC (orange).
#
# .. only:: ko
#
#    그림입니다. 2012년은 합성곱 신경망이 처음 우승한 해(AlexNet, 참가 팀 이름은
#    SuperVision)이고, 2015년은 잔차 신경망(ResNet, 참가 팀 이름은 MSRA)이 우승해 처음으로
#    사람의 추정 오류율보다 낮아진 해입니다. 해마다 아래에 적은 이름은 CLS(파란색)와
#    LOC(주황색)의 우승작입니다.

fig, axis = plt.subplots(figsize=(7.2, 4.6), layout="constrained")
for task, colour, label in (("CLS", "C0", "CLS: top-5 error of the winner"),
                            ("LOC", "C1", "LOC: localization error of the winner")):
    values = np.array([best[task].get(year, (np.nan,))[0] for year in years])
    axis.plot(years, values, "o-", color=colour, label=label)
    for year, value in zip(years, values):
        if np.isfinite(value):
            axis.annotate(f"{value:.1f}", (year, value), textcoords="offset points", xytext=(0, 6),
                          ha="center", fontsize="x-small", color=colour)
    extra_years = [year for year in years if best[task].get(year, (0, "", False))[2]]
    axis.plot(extra_years, [best[task][year][0] for year in extra_years], "s", mfc="none", ms=10, color=colour)


def winner_label(error, entry, extra, network):
    """The network as the field names it, over the team name of the results page where they differ."""
    if not entry:
        return "(team not\nnamed)"
    if network and network != entry:
        return f"{network}\n({entry})"
    return entry.replace("-", "-\n") if len(entry) > 10 else entry


# the winners under each year: CLS in the first rows, LOC below them
for task, colour, offset in (("CLS", "C0", -24), ("LOC", "C1", -50)):
    for year, winner in best[task].items():
        axis.annotate(winner_label(*winner), (year, 0), xycoords=("data", "axes fraction"),
                      textcoords="offset points", xytext=(0, offset), ha="center", va="top",
                      fontsize="x-small", color=colour, annotation_clip=False)
gaps = [f"no task in {', '.join(map(str, no_task))}"] if no_task else []
if unchecked:
    gaps.append(f"no checked number for {', '.join(map(str, unchecked))}")
if gaps:
    axis.text(0.98, 0.36, "LOC: " + ";\n".join(gaps), transform=axis.transAxes, fontsize="x-small",
              color="C1", ha="right")
axis.axhline(human, color="0.4", linestyle="--", linewidth=1)
axis.text(2010, human + 0.8, f"human estimate, top-5: {human}%", fontsize="small", color="0.3")
axis.plot([], [], "s", mfc="none", ms=10, color="0.3", label="winning entry used extra training data")
axis.set_xticks(years)
axis.set_xlabel("ILSVRC year, with the winners of CLS (blue) and LOC (orange)", labelpad=62)
axis.set_ylabel("error (%)")
axis.set_ylim(0, 45)
axis.grid(True, alpha=0.3)
axis.legend(fontsize="small", loc="upper right")
plt.show()
