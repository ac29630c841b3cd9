"""Tests for ecoscore.engine.compiled: the fast path agrees with the reference path.

``evaluate`` scores each indicator over all units on the compiled fast path and leaves
the rest to the reference path; ``evaluate_reference`` takes the reference path for every
cell. Whatever the criteria and the rows, both give the same results, traces and errors.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ecoscore
from ecoscore.engine.evaluation import evaluate_reference
from ecoscore.results.scores import UnitIndicators, brief_of
from ecoscore.rules import Bands, Deduct, Formula, Linear, Piecewise, Target
from ecoscore.rules.bands import Band
from ecoscore.rules.formula import Condition
from strategies import off_the_common_path, plain_decimals, scored_cases

_HEAVY = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _outcome(call: Any) -> tuple[str, Any]:
    """What a call gives: ("ok", its results as comparable data) or its error."""
    try:
        results = call()
    except ecoscore.EcoscoreError as exc:
        return type(exc).__name__, str(exc)
    cards = {
        card.unit: (
            dict(card.indicators),
            card.nodes,
            card.total_exact,
            card.total,
            card.grade,
            card.grade_steps,
            card.steps,
        )
        for card in results
    }
    return "ok", (cards, results.rankings, results.summaries, ecoscore.results_to_json(results))


@_HEAVY
@given(st.data())
def test_compiled_and_reference_agree_on_rows_that_fit(data: st.DataObject) -> None:
    """On generated criteria of every rule kind and rows within range, the compiled
    engine gives exactly the reference path's results, traces and JSON."""
    case = data.draw(scored_cases())
    criteria = ecoscore.loads(case.criteria.text)
    expected = _outcome(lambda: evaluate_reference(criteria, case.rows))
    assert expected == _outcome(lambda: ecoscore.evaluate(criteria, case.rows))


@_HEAVY
@given(st.data())
def test_compiled_and_reference_agree_off_the_common_path(data: st.DataObject) -> None:
    """With missing-value policies, blank, bad and wrong-kind cells and a previous
    period, both paths give the same results or the same errors, in the same order."""
    case, previous = data.draw(off_the_common_path())
    criteria = ecoscore.loads(case.criteria.text)
    earlier = [previous] if previous else []
    expected = _outcome(lambda: evaluate_reference(criteria, case.rows, previous=earlier))
    actual = _outcome(lambda: ecoscore.evaluate(criteria, case.rows, previous=earlier))
    assert expected == actual


def test_results_are_built_when_read() -> None:
    """A card's indicators are a view of the engine's columns: the clause comes from the
    rule when the result is read, and equals what the reference path kept."""
    criteria = ecoscore.loads(
        """
ecoscore = 1
id = "lazy"
title = { zh = "示例" }
[inputs]
x = { zh = "x", min = 0, max = 100 }
[indicator.x]
points = 10
linear = { zero_at = 35, full_at = 85 }
"""
    )
    rows = [{"unit": "A", "x": "60"}, {"unit": "B", "x": ""}]
    with pytest.raises(ecoscore.EvaluationError):
        ecoscore.evaluate(criteria, rows)
    results = ecoscore.evaluate(criteria, rows[:1])
    indicators = results["A"].indicators
    assert isinstance(indicators, UnitIndicators)
    assert ["x"] == list(indicators)
    assert "10 × (60 − 35) / (85 − 35)" == indicators["x"].outcome.clause
    assert Decimal("5.00") == results["A"].points("x")
    assert dict(evaluate_reference(criteria, rows[:1])["A"].indicators) == dict(indicators)
    full = indicators["x"]
    assert (full.points, full.contribution, full.rounding) == brief_of(indicators, "x")
    assert brief_of(indicators, "y") is None


_BANDS = Bands(
    (
        Band(low=Decimal(90), points=Decimal(10)),
        Band(low=Decimal(60), high=Decimal(90), points=Decimal(6)),
        Band(low=Decimal(40), low_inclusive=False, high=Decimal(60), high_inclusive=True),
        Band(otherwise=True, points=Decimal(0)),
    )
)

_RULES = (
    Linear(Decimal(35), Decimal(85), Decimal(10)),
    Linear(Decimal(35), Decimal(25), Decimal(50)),
    _BANDS,
    Target("at_most", Decimal(35), Decimal(10), Decimal(2)),
    Target("above", Decimal(50), Decimal(5)),
    Deduct(Decimal(95), True, Decimal("0.5"), Decimal(10)),
    Deduct(Decimal(20), False, Decimal(2), Decimal(10), per=Decimal(3), whole_units=True),
    Piecewise((Decimal(0), Decimal(50), Decimal(100)), (Decimal(0), Decimal(50), Decimal(200))),
    Piecewise((Decimal(0), Decimal(35)), (Decimal(0), Decimal(50)), beyond=Decimal(500)),
    Formula(Decimal(0), Decimal(7)),
    Formula(None, None),
)


@given(st.sampled_from(_RULES), plain_decimals())
def test_points_for_gives_the_points_of_score(rule: Any, value: Decimal) -> None:
    """Each rule's fast points function gives exactly the points its score gives."""
    assert rule.score(value, {}).points == rule.points_for(value, {})


@given(st.booleans())
def test_condition_points_for_gives_the_points_of_score(value: bool) -> None:
    """A condition's fast points are its score's points."""
    rule = Condition(Decimal(10), Decimal(1))
    assert rule.score(value, {}).points == rule.points_for(value, {})
