"""Tests for ecoscore.engine.evaluation: scoring every unit, with declared policies, and bad input
refused with a clear, located error."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import ecoscore
from ecoscore.engine.submission import Submission
from ecoscore.errors import DataError, EvaluationError, Location
from ecoscore.model import Criteria

D = Decimal

_HEAD = """\
ecoscore = 1
id = "t"
title = "T"
[inputs]
found = { zh = "发现问题数", min = 0 }
fixed = { zh = "整改问题数", min = 0, max = "found" }
pm25 = { zh = "PM2.5 年均浓度", min = 0 }
"""


def _criteria(body: str) -> Criteria:
    return ecoscore.loads(_HEAD + body, source="c.toml")


def _score(body: str, rows: list[dict[str, Any]], **kw: Any) -> ecoscore.Results:
    return ecoscore.evaluate(_criteria(body), rows, source="s.csv", **kw)


def _error(body: str, rows: list[Any], kind: type = EvaluationError, **kw: Any) -> list[str]:
    with pytest.raises(kind) as caught:
        _score(body, rows, **kw)
    assert kind is type(caught.value)
    return [str(p) for p in caught.value.problems]


_RATE = """
[indicator.rate]
points = 10
value = "fixed / found * 100"
linear = { zero_at = 50, full_at = 100 }
"""


def test_every_unit_gets_a_card_sorted_by_unit() -> None:
    """evaluate() scores each record into a card; cards are in unit order whatever the
    order of the records."""
    results = _score(
        _RATE,
        [{"unit": "B", "found": "4", "fixed": "3"}, {"unit": "A", "found": "8", "fixed": "8"}],
    )
    assert (["A", "B"], D(10), D(5)) == (
        [card.unit for card in results],
        results["A"].total,
        results["B"].total,
    )
    assert 2 == len(results)


def test_a_card_shows_what_an_indicator_read() -> None:
    """An indicator result keeps its value, the clause that applied and the inputs read."""
    result = _score(_RATE, [{"unit": "A", "found": "4", "fixed": "3"}])["A"].indicators["rate"]
    assert (D(75), D(5), "10 × (75.00 − 50) / (100 − 50)", (("fixed", D(3)), ("found", D(4)))) == (
        result.value,
        result.points,
        result.outcome.clause if result.outcome else None,
        result.inputs,
    )


@pytest.mark.parametrize(
    ("missing", "status", "points"),
    [
        ('"zero"', "missing-zero", D(0)),
        ("2.5", "missing-points", D("2.5")),
        ('"exclude"', "excluded", None),
    ],
)
def test_a_declared_missing_policy_applies(
    missing: str, status: str, points: Decimal | None
) -> None:
    """A missing figure gets zero, declared points, or leaves the indicator out."""
    card = _score(_RATE + f"missing = {missing}\n", [{"unit": "A", "found": "4"}])["A"]
    assert (status, points) == (card.indicators["rate"].status, card.indicators["rate"].points)


def test_missing_previous_carries_last_periods_value() -> None:
    """missing = "previous" scores last period's figures, and says so."""
    body = _RATE + 'missing = "previous"\n'
    card = _score(
        body, [{"unit": "A", "found": "4"}], previous=[[{"unit": "A", "found": "10", "fixed": "9"}]]
    )["A"]
    result = card.indicators["rate"]
    assert ("carried-forward", D(90), D(8)) == (result.status, result.value, result.points)


@pytest.mark.parametrize(
    ("policy", "status", "points"),
    [
        ('"zero"', "zero-division", D(0)),
        ('"full"', "zero-division", D(10)),
        ("3", "zero-division", D(3)),
        ('"exclude"', "excluded", None),
    ],
)
def test_a_declared_division_by_zero_policy_applies(
    policy: str, status: str, points: Decimal | None
) -> None:
    """A division by zero gets zero, full or declared points, or leaves the indicator out."""
    card = _score(
        _RATE + f"on_zero_division = {policy}\n", [{"unit": "A", "found": "0", "fixed": "0"}]
    )["A"]
    assert (status, points) == (card.indicators["rate"].status, card.indicators["rate"].points)


def test_a_division_by_zero_may_count_as_missing() -> None:
    """on_zero_division = "missing" hands the indicator to its missing policy."""
    body = _RATE + 'on_zero_division = "missing"\nmissing = 1\n'
    result = _score(body, [{"unit": "A", "found": "0", "fixed": "0"}])["A"].indicators["rate"]
    assert ("missing-points", D(1)) == (result.status, result.points)


def test_a_derived_value_has_its_own_policies() -> None:
    """A derived value is rounded as declared, and may stand in a number for a division by
    zero."""
    body = """
[derived.rate]
value = "fixed / found * 100"
round = "0 half-up"
on_zero_division = 100
[indicator.rate]
points = 10
linear = { zero_at = 50, full_at = 100 }
"""
    results = _score(
        body, [{"unit": "A", "found": "3", "fixed": "2"}, {"unit": "B", "found": "0", "fixed": "0"}]
    )
    assert (D(67), D("3.4"), D(100)) == (
        results["A"].indicators["rate"].value,
        results["A"].indicators["rate"].points,
        results["B"].indicators["rate"].value,
    )


def test_values_and_points_are_rounded_where_declared() -> None:
    """round_value rounds the measured value before the rule; round_points overrides the
    criteria's points rounding, which also applies to policy points."""
    body = """
[rounding]
points = "1 half-up"
[indicator.pm25]
points = 10
round_value = "0 half-up"
linear = { zero_at = 75, full_at = 35 }
[indicator.rate]
points = 3
formula = "fixed / found * 3"
round_points = "2 down"
[indicator.spare]
points = 1
value = "found"
target = { at_least = 1 }
missing = 0.25
"""
    card = _score(body, [{"unit": "A", "found": "3", "fixed": "2", "pm25": "54.5"}])["A"]
    # 54.5 → 55 before the rule: 10 × (55 − 75) / (35 − 75) = 5.
    assert (D(55), D(5), D("2.00"), D(1)) == (
        card.indicators["pm25"].value,
        card.indicators["pm25"].points,
        card.indicators["rate"].points,
        card.indicators["spare"].points,
    )


def test_previous_periods_are_read_k_periods_back() -> None:
    """previous(x) reads the most recent earlier period, previous(x, 2) the one before."""
    body = """
[indicator.trend]
points = 10
value = "previous(pm25, 2) - pm25"
linear = { zero_at = 0, full_at = 10 }
"""
    card = _score(
        body,
        [{"unit": "A", "pm25": "30"}],
        previous=[[{"unit": "A", "pm25": "33"}], [{"unit": "A", "pm25": "36"}]],
    )["A"]
    assert (D(6), D(6)) == (card.indicators["trend"].value, card.total)


def test_a_derived_value_may_read_previous_periods() -> None:
    """A derived year-on-year change reads last year's figures."""
    body = """
[derived.drop]
value = "(previous(pm25) - pm25) / previous(pm25) * 100"
[indicator.drop]
points = 10
linear = { zero_at = 0, full_at = 10 }
"""
    card = _score(body, [{"unit": "A", "pm25": "36"}], previous=[[{"unit": "A", "pm25": "40"}]])[
        "A"
    ]
    assert (D(10), D(10)) == (card.indicators["drop"].value, card.total)


def test_cohort_rules_see_every_unit() -> None:
    """Points by rank are worked out over all units, whatever their order."""
    body = """
[indicator.pm25]
points = 10
rank = { better = "lower", step = 3 }
"""
    rows = [{"unit": u, "pm25": v} for u, v in (("C", "40"), ("A", "30"), ("B", "35"))]
    results = _score(body, rows)
    assert [D(10), D(7), D(4)] == [results[u].total for u in ("A", "B", "C")]


# -- bad input: a clear, located error, never a traceback, never a silent score ------------


def test_a_division_by_zero_in_a_units_data_names_the_unit_and_indicator() -> None:
    """A division by zero with no declared policy is an error naming the unit, the
    indicator and its formula, with the policies that would allow it."""
    assert [
        "s.csv: [0]: A: indicator rate: fixed / found * 100: division by zero (declare "
        'on_zero_division = "zero", "full", "exclude", "missing" or a number of points on '
        "the indicator)"
    ] == _error(_RATE, [{"unit": "A", "found": "0", "fixed": "0"}])


def test_a_division_by_zero_in_a_derived_value_names_it() -> None:
    """A derived value divided by zero names the unit and the derived value, with the
    policies a derived value takes."""
    body = '[derived.rate]\nvalue = "fixed / found * 100"\n[indicator.found]\n'
    assert [
        "s.csv: [0]: A: derived rate = fixed / found * 100: division by zero (declare "
        'on_zero_division = "missing" or a number on the derived value)'
    ] == _error(body, [{"unit": "A", "found": "0", "fixed": "0"}])


def test_a_missing_input_without_a_policy_names_the_unit_and_input() -> None:
    """A blank figure with no declared missing policy is an error naming the unit and the
    input, at its cell when known."""
    sub = Submission(
        "A",
        {"found": "4", "fixed": ""},
        {"fixed": Location("s.xlsx", sheet="2024", cell="C2")},
        origin=Location("s.xlsx", sheet="2024", cell="A2"),
    )
    assert [
        's.xlsx:2024!C2: A: indicator rate: no value for fixed (declare missing = "zero", '
        '"exclude", "previous" or a number of points on the indicator to allow it)'
    ] == _error(_RATE, [sub])


def test_a_text_where_a_number_belongs_names_the_unit_and_input() -> None:
    """Text in a number's place is a data error naming the unit and the input."""
    assert ["s.csv: [1]: B: fixed: '三' is not a number"] == _error(
        _RATE,
        [{"unit": "A", "found": "4", "fixed": "3"}, {"unit": "B", "found": "4", "fixed": "三"}],
        DataError,
    )


def test_a_text_input_scored_by_a_numeric_rule_is_refused() -> None:
    """A text input read by a rule that compares numbers is an error, not a guess."""
    body = '[inputs.grade]\ntype = "text"\n[indicator.grade]\npoints = 1\ntarget = { equal = 1 }\n'
    assert ["s.csv: [0]: A: indicator grade: grade is '1', not a number"] == _error(
        body, [{"unit": "A", "grade": "1"}]
    )


def test_a_number_where_a_condition_belongs_is_refused() -> None:
    """A condition that is a number, not true or false, is an error, not truthiness."""
    body = '[indicator.any]\npoints = 1\ncondition = "found + 1"\n'
    assert ["s.csv: [0]: A: indicator any: found + 1 is 1, not true or false"] == _error(
        body, [{"unit": "A", "found": "0"}]
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("NaN", "s.csv: [0]: A: found: 'NaN' is not a number"),
        ("inf", "s.csv: [0]: A: found: 'inf' is not a number"),
        (Decimal("NaN"), "s.csv: [0]: A: found: NaN is not a finite number"),
        (Decimal("-Infinity"), "s.csv: [0]: A: found: -Infinity is not a finite number"),
        (float("inf"), "s.csv: [0]: A: found: inf is not a finite number"),
    ],
)
def test_nan_and_infinity_are_refused(value: Any, problem: str) -> None:
    """NaN and infinity, as text, Decimal or float, are data errors naming unit and input."""
    assert [problem] == _error(_RATE, [{"unit": "A", "found": value, "fixed": "1"}], DataError)


def test_a_unit_listed_twice_is_refused() -> None:
    """The same unit twice in one period is a data error pointing at both rows."""
    rows = [{"unit": "A", "found": "4", "fixed": "3"}, {"unit": "A", "found": "4", "fixed": "2"}]
    assert ["s.csv: [1]: unit 'A' is listed twice (first at s.csv: [0])"] == _error(
        _RATE, rows, DataError
    )


def test_a_missing_previous_period_names_the_unit_and_value() -> None:
    """A year-on-year rule with no previous period for a unit is an error naming the unit
    and the previous value it needs."""
    body = """
[indicator.yoy]
points = 5
value = "previous(pm25) - pm25"
linear = { zero_at = 0, full_at = 5 }
"""
    expected = [
        's.csv: [0]: A: indicator yoy: no value for previous(pm25) (declare missing = "zero", '
        '"exclude", "previous" or a number of points on the indicator to allow it)'
    ]
    assert expected == _error(body, [{"unit": "A", "pm25": "30"}])
    assert expected == _error(
        body, [{"unit": "A", "pm25": "30"}], previous=[[{"unit": "B", "pm25": "31"}]]
    )


def test_all_equal_values_without_a_policy_are_refused() -> None:
    """The efficacy coefficient of equal values needs a declared score."""
    body = '[indicator.pm25]\npoints = 10\nefficacy = { better = "lower" }\n'
    assert [
        "s.csv: [0]: A: indicator pm25: every unit has 30: max = min, and no when_all_equal "
        "is declared",
        "s.csv: [1]: B: indicator pm25: every unit has 30: max = min, and no when_all_equal "
        "is declared",
    ] == _error(body, [{"unit": "A", "pm25": "30"}, {"unit": "B", "pm25": "30"}])


def test_every_bad_figure_is_reported_at_once() -> None:
    """All the data problems of a period are raised together, in row order."""
    rows = [{"unit": "A", "found": "x"}, {"unit": "B", "found": "-1"}, {"unit": "A"}]
    assert [
        "s.csv: [0]: A: found: 'x' is not a number",
        "s.csv: [1]: B: found: -1 is below the minimum (0)",
        "s.csv: [2]: unit 'A' is listed twice (first at s.csv: [0])",
    ] == _error(_RATE, rows, DataError)


def test_a_count_carries_last_periods_figures_forward_when_declared() -> None:
    """missing = "previous" on a count takes all of last period's figures, flagged."""
    criteria = ecoscore.loads(
        'ecoscore = 1\nid = "t"\ntitle = "t"\n[inputs]\na = {}\nb = {}\n'
        '[indicator.c]\npoints = 5\nmissing = "previous"\n'
        'count = [{ of = "a", each = 1 }, { of = "b", each = 1 }]\n'
    )
    results = ecoscore.evaluate(
        criteria, [{"unit": "A", "a": "1"}], previous=[[{"unit": "A", "a": "2", "b": "2"}]]
    )
    result = results["A"].indicators["c"]
    assert (Decimal(4), "carried-forward") == (result.points, result.status)
    assert (("a", Decimal(2)), ("b", Decimal(2))) == result.inputs


def test_a_quota_refuses_a_grade_holder_its_ranking_leaves_out() -> None:
    """A unit with the quota's grade but no rank cannot be placed: a located error."""
    criteria = ecoscore.loads(
        'ecoscore = 1\nid = "t"\ntitle = "t"\n[inputs]\nx = {}\nskip = { type = "bool" }\n'
        "[indicator.x]\npoints = 100\n"
        '[grades]\nbands = [{ grade = "A", at_least = 90 }, { grade = "B" }]\n'
        'quota = { "A" = 1 }\n[ranking.r]\nexclude = "skip"\n',
        source="q.toml",
    )
    rows = [
        {"unit": "U1", "x": "99", "skip": "false"},
        {"unit": "U2", "x": "98", "skip": "true"},
    ]
    with pytest.raises(ecoscore.EvaluationError) as info:
        ecoscore.evaluate(criteria, rows)
    assert [
        "q.toml: grades.quota: quota for A: U2 has the grade but no rank in ranking r, so the "
        "quota cannot place it (choose a ranking that ranks every unit with grades.ranking)"
    ] == [str(p) for p in info.value.problems]


_GATED = (
    'ecoscore = 1\nid = "t"\ntitle = "t"\nrounding = { points = "2 half-up" }\n'
    "[inputs]\npm25 = { min = 0 }\n"
    "[indicator.pm25]\npoints = 10\nlinear = { zero_at = 35, full_at = 25 }\n"
    'zero_if = "pm25 > previous(pm25)"\n'
)


def test_zero_if_scores_nothing_and_keeps_the_rules_points_in_the_trace() -> None:
    """When zero_if holds the item scores 0.00 (rounded), status zeroed, raw points kept."""
    results = ecoscore.evaluate(
        ecoscore.loads(_GATED),
        [{"unit": "A", "pm25": "30"}, {"unit": "B", "pm25": "27"}],
        previous=[[{"unit": "A", "pm25": "29"}, {"unit": "B", "pm25": "28"}]],
    )
    a, b = results["A"].indicators["pm25"], results["B"].indicators["pm25"]
    assert ("0.00", "zeroed", Decimal(5)) == (str(a.points), a.status, a.raw_points)
    assert ("8.00", "scored") == (str(b.points), b.status)


def test_zero_if_reading_a_missing_figure_does_not_apply_and_says_so() -> None:
    """A zero_if with no previous value leaves the points as scored, with a note."""
    results = ecoscore.evaluate(ecoscore.loads(_GATED), [{"unit": "A", "pm25": "30"}])
    result = results["A"].indicators["pm25"]
    assert (Decimal("5.00"), "scored") == (result.points, result.status)
    assert "no previous(pm25): zero_if not applied" == result.note_text("en")


def test_a_node_cap_is_a_step_of_the_trace() -> None:
    """at_most caps a node; the cap is a trace step, and the steps add up to the total."""
    criteria = ecoscore.loads(
        'ecoscore = 1\nid = "t"\ntitle = "t"\n[inputs]\na = {}\nb = {}\n'
        "[total]\nat_most = 5\n"
        '[indicator.a]\npoints = 4\nformula = "a"\n[indicator.b]\npoints = 4\nformula = "b"\n'
    )
    card = ecoscore.evaluate(criteria, [{"unit": "A", "a": "3", "b": "4"}])["A"]
    assert Decimal(5) == card.total
    assert [
        ("a", "points", Decimal(3)),
        ("b", "points", Decimal(4)),
        ("total", "cap", Decimal(-2)),
    ] == [(s.path, s.kind, s.amount) for s in card.steps]
    assert Decimal(7) == card.nodes["total"].capped_from


def test_a_name_on_a_branch_not_taken_may_be_missing() -> None:
    """In `a if c else b`, a missing b matters only when c does not hold."""
    criteria = ecoscore.loads(
        'ecoscore = 1\nid = "t"\ntitle = "t"\n[inputs]\nx = {}\ny = {}\n'
        '[indicator.v]\nvalue = "x if x <= 800 else y"\n'
    )
    results = ecoscore.evaluate(criteria, [{"unit": "A", "x": "90"}])
    assert Decimal(90) == results["A"].total
    with pytest.raises(ecoscore.EvaluationError) as info:
        ecoscore.evaluate(criteria, [{"unit": "A", "x": "900"}])
    assert "A: indicator v: no value for y" in str(info.value)
