"""Tests for ecoscore.engine.flags and the assessment of earlier periods."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ecoscore
from ecoscore.engine.submission import Period

CRITERIA = ecoscore.loads(
    """
ecoscore = 1
id = "flags"
title = { zh = "示例", en = "Example" }
[periods]
assessed = ["2021", "2022", "2023", "2024"]
[inputs]
score = { zh = "得分", min = 0, max = 100 }
[indicator.work]
points = 100
formula = "score"
[indicator.kept]
zh = "上年优秀"
effect = "bonus"
points = 2
condition = 'previous(grade) == "优秀"'
missing = "zero"
[grades]
bands = [{ grade = "优秀", at_least = 90 }, { grade = "合格" }]
quota = { "优秀" = 1 }
quota_ties = "keep"
[ranking.overall]
[flag.top]
zh = "第一名"
en = "first"
when = "overall == 1"
[flag.again]
zh = "连续第一"
en = "first again"
when = "top and previous(top)"
"""
)

YEARS = ("2021", "2022", "2023", "2024")


def _evaluate(rows: dict[str, list[dict[str, str]]], upto: int) -> ecoscore.Results:
    """The assessment of YEARS[upto], with the years before it."""
    current = YEARS[upto]
    earlier = [
        Period(y, tuple(ecoscore.Submission(r["unit"], r) for r in rows[y]))
        for y in reversed(YEARS[:upto])
    ]
    return ecoscore.evaluate(CRITERIA, rows[current], previous=earlier, period=current)


def test_flags_read_ranks_and_earlier_flags() -> None:
    """A flag reads the period's ranks and another flag, this period's and last one's."""
    rows = {
        "2021": [{"unit": "A", "score": "95"}, {"unit": "B", "score": "80"}],
        "2022": [{"unit": "A", "score": "91"}, {"unit": "B", "score": "85"}],
    }
    results = _evaluate(rows, 1)
    assert ("top", "again") == results["A"].flags
    assert () == results["B"].flags
    (earlier,) = results.history
    assert "2021" == earlier.period
    assert ("top",) == earlier["A"].flags
    # In 2021 previous(top) is missing: "again" is not decided, and the card says why.
    assert "again" == earlier["A"].flag_notes[0][0]


scores = st.integers(50, 100).map(str)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(scores, scores, scores), min_size=4, max_size=4))
def test_earlier_results_do_not_depend_on_later_periods(years: list[tuple[str, ...]]) -> None:
    """Each year's results are the same whether it is scored alone with its past, or as
    the history of a later year (a later change never reaches back)."""
    rows = {
        y: [{"unit": u, "score": s} for u, s in zip("ABC", scores_, strict=True)]
        for y, scores_ in zip(YEARS, years, strict=True)
    }
    latest = _evaluate(rows, 3)
    for k, earlier in enumerate(latest.history):
        alone = _evaluate(rows, 2 - k)
        assert alone.period == earlier.period
        for unit in "ABC":
            assert alone[unit].total == earlier[unit].total
            assert alone[unit].grade == earlier[unit].grade
            assert alone[unit].flags == earlier[unit].flags
        assert alone.rankings == earlier.rankings


def test_the_bonus_reads_the_grade_after_the_quota() -> None:
    """Two units at 90 or more: the quota keeps one 优秀, and only it has next year's bonus."""
    rows = {
        "2021": [{"unit": "A", "score": "95"}, {"unit": "B", "score": "92"}],
        "2022": [{"unit": "A", "score": "85"}, {"unit": "B", "score": "85"}],
    }
    results = _evaluate(rows, 1)
    assert Decimal(2) == results["A"].points("kept")
    assert Decimal(0) == results["B"].points("kept")


def test_a_flag_that_cannot_be_decided_is_a_problem_at_its_when() -> None:
    """A condition that gives a number, or divides by zero, fails the run at the flag's
    `when` in the criteria file, for each unit, all at once."""
    criteria = ecoscore.loads(
        'ecoscore = 1\nid = "f"\ntitle = { zh = "f" }\n[inputs]\nx = { zh = "x" }\n'
        '[indicator.x]\npoints = 1\nformula = "x"\n'
        '[flag.bad]\nzh = "b"\nwhen = "x + 1"\n[flag.div]\nzh = "d"\nwhen = "1 / (x - x) > 1"\n',
        source="c.toml",
    )
    with pytest.raises(ecoscore.EvaluationError) as caught:
        ecoscore.evaluate(criteria, [{"unit": "A", "x": "1"}])
    assert [
        "c.toml:11:1: flag.bad.when: A: flag bad: x + 1 gives 2, not true or false",
        "c.toml:14:1: flag.div.when: A: flag div: 1 / (x - x) > 1: division by zero",
    ] == str(caught.value).splitlines()
