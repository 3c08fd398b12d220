"""The table behind chapter 8's history figure: every number names its source and how it was checked.

``gallery/08_imagenet/ilsvrc_results.csv`` holds the winning CLS and LOC errors of ILSVRC by year.
A row may leave its number empty (the task did not run that year, or no source could be
checked), but then it must say which; a row with a number must name a source with a table,
section or abstract, and must not call itself unverified. The ``entry`` column holds the team
name the results page used; ``network`` the name the field knows the winning network by, which
chapter 8 and its history figure must use too.
"""

import csv
import re
from pathlib import Path

import pytest

TABLE = Path(__file__).resolve().parents[1] / "gallery" / "08_imagenet" / "ilsvrc_results.csv"
COLUMNS = ["year", "task", "error_percent", "entry", "network", "extra_data", "source", "checked"]
CHAPTER = "08-imagenet.md"
BOOK = Path(__file__).resolve().parents[1] / "book"
#: The winners every student meets by these names; the table must carry them.
FAMOUS = {("2012", "CLS"): "AlexNet", ("2013", "CLS"): "ZFNet", ("2013", "LOC"): "OverFeat",
          ("2014", "CLS"): "GoogLeNet", ("2014", "LOC"): "VGG", ("2015", "CLS"): "ResNet",
          ("2015", "LOC"): "ResNet", ("2017", "CLS"): "SENet"}
WHERE = re.compile(r"\b(Table|Sect\.|Fig\.|abstract|results page)", re.IGNORECASE)


@pytest.fixture(scope="module")
def rows():
    with open(TABLE, newline="", encoding="utf-8") as table_file:
        reader = csv.DictReader(table_file)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def test_every_row_names_its_source_and_how_it_was_checked(rows):
    for row in rows:
        assert row["source"].strip() and row["checked"].strip(), row
        assert row["task"] in ("CLS", "LOC"), row
        assert row["extra_data"] in ("", "yes", "no", "not stated"), row


def test_a_number_points_into_its_source_and_is_not_unverified(rows):
    for row in (row for row in rows if row["error_percent"]):
        assert 0 < float(row["error_percent"]) < 100, row
        assert WHERE.search(row["source"]), f"no table, section, figure or abstract named: {row}"
        assert "not verified" not in row["checked"], row


def test_an_empty_number_says_why(rows):
    for row in (row for row in rows if not row["error_percent"]):
        assert row["checked"].startswith(("no LOC task", "not verified")), row


def test_each_year_has_a_row_for_each_task(rows):
    for task in ("CLS", "LOC"):
        years = {row["year"] for row in rows if row["task"] == task and row["year"] != "human"}
        assert years == {str(year) for year in range(2010, 2018)}, task


def test_the_famous_winners_carry_the_names_the_field_knows(rows):
    for (year, task), network in FAMOUS.items():
        named = {row["network"] for row in rows if row["year"] == year and row["task"] == task and row["error_percent"]}
        assert named == {network}, (year, task, named)
    for row in rows:
        assert not row["network"] or row["error_percent"], f"a network without a number: {row}"


@pytest.mark.parametrize("edition", ["en", "ko"])
def test_chapter_8_names_every_network_and_team_of_the_table_in_prose_and_alt_text(rows, edition):
    """A reader who searches the book for AlexNet must find it, in both editions, next to the team
    name the results page used."""
    text = (BOOK / edition / CHAPTER).read_text(encoding="utf-8")
    figure = re.split(r"sphx_glr_plot_ilsvrc_history_001(?:_ko)?\.png", text, maxsplit=1)[1]  # ko: the Korean twin
    alt = next(line for line in figure.splitlines() if line.startswith(":alt:"))
    prose = text.replace(alt, "")
    for row in rows:
        for name in (row["network"], row["entry"] if row["network"] and row["network"] != row["entry"] else ""):
            if name:
                assert name in prose, f"{edition}: the prose never names {name}"
                assert name in alt, f"{edition}: the history figure's alt text never names {name}"


def test_the_figure_labels_each_winner_with_its_network(run_gallery_script):
    best = run_gallery_script("08_imagenet", "plot_ilsvrc_history.py")["best"]
    for (year, task), network in FAMOUS.items():
        assert best[task][int(year)][3] == network, (year, task, best[task][int(year)])


def test_the_winning_errors_fall_year_by_year(run_gallery_script):
    """What the figure plots, from the script's own choice of winner per year (the lower error where
    a year has two): a typo in a number (a misplaced decimal point) would break the fall the sources
    describe."""
    best = run_gallery_script("08_imagenet", "plot_ilsvrc_history.py")["best"]
    for task in ("CLS", "LOC"):
        errors = [best[task][year][0] for year in sorted(best[task])]
        assert len(errors) >= 5 and all(a > b for a, b in zip(errors, errors[1:])), (task, best[task])
