"""Tests for ecoscore.audit.verify and ecoscore.audit.divergence: published tables compared with the
recomputation, and every difference explained where an explanation fits."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import ecoscore
from ecoscore.audit.divergence import (
    RankStyles,
    rounding_notes,
    tie_break_notes,
    unrounded_sum_notes,
)
from ecoscore.audit.verify import Difference, verify
from ecoscore.errors import DataError
from ecoscore.io.submissions import read_submissions
from ecoscore.io.tables import read_table
from ecoscore.model import Label
from ecoscore.numbers import Rounding
from ecoscore.results import Results

FIXTURES = Path(__file__).parents[1] / "fixtures" / "cli"

# The demo's figures give these results (totals rounded to 1 place, half-even):
#   甲区 36.0 (exact 36.05), 优秀, 1st; 丙县 30.0, 良好, 2nd; 乙县 19.0, 不合格 (veto), 3rd.
PUBLISHED = "单位,总分,等级,排名\n甲区,36.0,优秀,1\n丙县,30.0,良好,2\n乙县,19.0,不合格,3\n"


@pytest.fixture(scope="module")
def results() -> Results:
    """The demo criteria scored on the demo data, with last year's PM2.5."""
    criteria = ecoscore.load(FIXTURES / "demo.toml")
    current = read_submissions(read_table(FIXTURES / "data.csv"), criteria)
    previous = read_submissions(read_table(FIXTURES / "previous.csv"), criteria, strict=False)
    return ecoscore.evaluate(criteria, current, previous=[previous])


def published(tmp_path: Path, text: str) -> Path:
    """A published table as a CSV file."""
    path = tmp_path / "published.csv"
    path.write_text(text, encoding="utf-8")
    return path


def check(results: Results, path: Path) -> tuple[Difference, ...]:
    """The differences between the results and a published file."""
    return verify(results, read_table(path)).differences


def english(difference: Difference) -> list[str]:
    """A difference's notes in English."""
    return [note.text("en") for note in difference.notes]


def test_the_recomputation_reproduces_its_own_table(results: Results, tmp_path: Path) -> None:
    """A table of the recomputed totals, grades and ranks is reproduced exactly."""
    outcome = verify(results, read_table(published(tmp_path, PUBLISHED)))
    assert outcome.ok
    assert ("total", "grade", "rank:overall") == outcome.compared
    assert ("甲区", "丙县", "乙县") == outcome.units


def test_total_rounded_another_way_is_named(results: Results, tmp_path: Path) -> None:
    """A total rounded half-up where the criteria round half-even is explained so."""
    path = published(tmp_path, PUBLISHED.replace("甲区,36.0", "甲区,36.1"))
    (difference,) = check(results, path)
    assert ("甲区", "total", "36.1", "36.0") == (
        difference.unit,
        difference.item,
        difference.published,
        difference.computed,
    )
    assert f"{path}:2:2" == str(difference.location)
    assert [
        "published 36.1 = exact 36.05, rounded to 1 place, half up or ceiling;"
        " the criteria round to 1 place, half even → 36.0"
    ] == english(difference)


def test_first_indicator_that_differs_is_named(results: Results, tmp_path: Path) -> None:
    """With per-indicator columns, the first indicator that differs is reported first and
    the total names it."""
    text = "单位,总分,PM2.5浓度得分,问题整改\n甲区,35.9,7.40,7.50\n丙县,30.0,10.00,10.00\n"
    first, total = check(results, published(tmp_path, text))
    assert ("indicator:pm25", "7.40", "7.55") == (first.item, first.published, first.computed)
    assert "total" == total.item
    assert any("the first figure that differs is pm25" in n for n in english(total))


def test_deduction_published_as_negative_or_positive(tmp_path: Path) -> None:
    """A deduction may be published as the points taken off or as a negative amount."""
    criteria = ecoscore.loads(
        """
ecoscore = 1
id = "d"
title = "扣分"
[inputs]
base = "基础"
late = "逾期"
[indicator.base]
points = 10
[indicator.late]
points = 5
effect = "deduction"
count = [{ of = "late", each = 0.5 }]
"""
    )
    results = ecoscore.evaluate(criteria, [{"unit": "A", "base": "10", "late": "3"}])
    for shown in ("1.5", "-1.5"):
        path = published(tmp_path, f"unit,late,total\nA,{shown},8.5\n")
        assert () == check(results, path)
    (difference,) = check(results, published(tmp_path, "unit,late\nA,-2\n"))
    assert ("-2", "1.5") == (difference.published, difference.computed)


def test_grade_from_the_published_total(results: Results, tmp_path: Path) -> None:
    """A grade that is the band of a differing published total says so."""
    path = published(tmp_path, PUBLISHED.replace("丙县,30.0,良好", "丙县,35.0,优秀"))
    total, grade = check(results, path)
    assert ("total", "grade") == (total.item, grade.item)
    assert ["the published grade is the band of the published total 35.0"] == english(grade)


def test_grade_changed_by_a_rule_is_named(results: Results, tmp_path: Path) -> None:
    """A published grade that ignores a veto is told which rule changed the grade."""
    path = published(tmp_path, PUBLISHED.replace("乙县,19.0,不合格", "乙县,19.0,合格"))
    (grade,) = check(results, path)
    assert [
        "veto changed the computed grade from 合格 to 不合格: a major environmental incident"
    ] == english(grade)


def test_grade_by_its_english_label(results: Results, tmp_path: Path) -> None:
    """A published grade may be written with the grade's English label."""
    path = published(tmp_path, "unit,grade\n甲区,Excellent\n丙县,Good\n乙县,Fail\n")
    assert () == check(results, path)


def test_rank_numbered_in_another_tie_style(tmp_path: Path) -> None:
    """Published ranks numbered densely, where the criteria declare competition, say so."""
    criteria = ecoscore.loads(
        """
ecoscore = 1
id = "ties"
title = "并列"
[inputs]
x = "得分"
[indicator.x]
points = 100
[ranking.overall]
zh = "排名"
"""
    )
    data = [{"unit": "A", "x": "90"}, {"unit": "B", "x": "90"}, {"unit": "C", "x": "80"}]
    results = ecoscore.evaluate(criteria, data)
    path = published(tmp_path, "unit,排名\nA,1,\nB,1\nC,2\n")
    (difference,) = check(results, path)
    assert ("C", "rank:overall", "2", "3") == (
        difference.unit,
        difference.item,
        difference.published,
        difference.computed,
    )
    assert [
        "the published rank matches ranking published values with ties dense (1, 1, 2);"
        " the criteria declare competition (1, 1, 3) on published values"
    ] == english(difference)


def test_rank_columns_by_id_and_decorated_ranks(results: Results, tmp_path: Path) -> None:
    """'rank:<id>' names a ranking, and ranks like 第1名 or 并列2 are read as numbers."""
    path = published(tmp_path, "unit,rank:by_kind,综合排名\n甲区,第1名,1\n丙县,1,并列2\n乙县,2,3\n")
    outcome = verify(results, read_table(path))
    assert ("rank:by_kind", "rank:overall") == outcome.compared
    assert outcome.ok


def test_published_unit_without_figures(results: Results, tmp_path: Path) -> None:
    """A unit published but absent from the data is a difference; unpublished units are
    listed but are not differences."""
    criteria = ecoscore.loads(
        'ecoscore = 1\nid = "u"\ntitle = "u"\n[inputs]\nx = "x"\n[indicator.x]\npoints = 10\n'
    )
    few = ecoscore.evaluate(criteria, [{"unit": "A", "x": "1"}, {"unit": "C", "x": "2"}])
    outcome = verify(few, read_table(published(tmp_path, "unit,total\nA,1\nB,5\n")))
    assert [("B", "unit")] == [(d.unit, d.item) for d in outcome.differences]
    assert ("C",) == outcome.unpublished


def test_unreadable_published_tables(results: Results, tmp_path: Path) -> None:
    """No unit column, nothing to compare, or a total that is no number: located errors."""
    for text, expected in (
        ("总分\n36.0\n", "no unit column in the published table"),
        ("单位,备注\n甲区,x\n", "nothing to compare"),
        ("单位,总分\n甲区,三十六\n", "not a number: '三十六'"),
    ):
        with pytest.raises(DataError) as error:
            check(results, published(tmp_path, text))
        assert expected in str(error.value)


# --- the explanations on their own ---------------------------------------------------------


def test_rounding_notes_try_every_mode_at_the_published_places() -> None:
    """A published figure is matched against each rounding mode at its own places."""
    (note,) = rounding_notes(
        Decimal("85.5"), Decimal("85.45"), Rounding(1, "half-even"), Decimal("85.4")
    )
    assert (
        "published 85.5 = exact 85.45, rounded to 1 place, half up or ceiling or as float"
        " round();"
        " the criteria round to 1 place, half even → 85.4"
    ) == note.en
    assert note.zh is not None
    assert "四舍五入" in note.zh


def test_rounding_notes_unrounded_and_unexplained() -> None:
    """An unrounded published figure is named; one no rounding gives has no note."""
    assert [
        Label(
            "公布值 85.45 = 精确值 85.45，未修约；细则规定保留 1 位小数，四舍六入五成双 → 85.4",
            "published 85.45 = exact 85.45, unrounded; the criteria round to 1 place,"
            " half even → 85.4",
        )
    ] == rounding_notes(
        Decimal("85.45"), Decimal("85.45"), Rounding(1, "half-even"), Decimal("85.4")
    )
    assert [] == rounding_notes(Decimal("80"), Decimal("85.45"), None, None)


def test_unrounded_sum_of_the_indicators(tmp_path: Path) -> None:
    """A total that adds the indicators' unrounded points before rounding is recognised."""
    criteria = ecoscore.loads(
        """
ecoscore = 1
id = "sum"
title = "求和"
rounding = { points = "0 half-up", total = "0 half-up" }
[inputs]
a = "a"
b = "b"
[indicator.a]
points = 10
[indicator.b]
points = 10
"""
    )
    results = ecoscore.evaluate(criteria, [{"unit": "A", "a": "4.4", "b": "4.4"}])
    # Each rounded first: 4 + 4 = 8; summed first: 8.8 → 9.
    card = results["A"]
    assert Decimal("8") == card.total
    (note,) = unrounded_sum_notes(criteria, card, Decimal("9"))
    assert note.en is not None
    assert note.en.startswith("published = the indicators' unrounded points summed, 8.8,")
    assert [] == unrounded_sum_notes(criteria, card, Decimal("7"))


def test_rank_styles_only_for_rankings_decided_by_values(results: Results) -> None:
    """Rankings with groups are not second-guessed; plain ones are."""
    styles = RankStyles(results)
    assert [] == styles.notes("by_kind", "乙县", Decimal("3"))
    assert [] == styles.notes("overall", "乙县", Decimal("2"))


def test_columns_not_compared_are_listed(results: Results, tmp_path: Path) -> None:
    """Published columns that name nothing ecoscore compares (a group rank, remarks) are
    listed, and every compared cell is counted."""
    text = "单位,总分,group_rank,备注\n甲区,36.0,1,\n丙县,30.0,1,好\n乙县,19.0,2,\n"
    outcome = verify(results, read_table(published(tmp_path, text)))
    assert outcome.ok
    assert ("group_rank", "备注") == outcome.not_compared
    assert 3 == outcome.figures


def test_tie_break_notes_name_the_rival_and_both_values(tmp_path: Path) -> None:
    """Two units tied on the total: the rank the tie-break decided says against whom, on
    which value, with both."""
    hypotheses = Path(__file__).parents[1] / "fixtures" / "hypotheses"
    criteria = ecoscore.load(hypotheses / "criteria.toml")
    data = read_submissions(read_table(hypotheses / "data.csv"), criteria)
    results = ecoscore.evaluate(criteria, data)
    notes = tie_break_notes(results, "overall", "瑞金市")
    assert [
        "tied with Xingguo on 80.0; lost to it on Air, 53.30 vs 60.00",
        "tied with Huichang on 80.0; won over it on Air, 53.30 vs 40.00",
    ] == [n.en for n in notes]
    assert "与 兴国县 同为 80.0，按大气环境排在其后：53.30 对 60.00" == notes[0].zh
