"""Evaluation that keeps going: the units that cannot be scored are left out, with why."""

from __future__ import annotations

from decimal import Decimal

import pytest

import ecoscore
from ecoscore import EvaluationError
from ecoscore.engine.partial import evaluate_keeping_going

CRITERIA = ecoscore.loads(
    """
ecoscore = 1
id = "t"
title = "t"
[inputs]
a = { zh = "a" }
b = { zh = "b" }
[indicator.ratio]
points = 10
value = "a / b * 10"
linear = { zero_at = 0, full_at = 10 }
[ranking.overall]
"""
)


def test_units_that_fail_are_left_out_and_the_rest_ranked() -> None:
    """A division by zero and a missing figure leave two units out; the others rank 1, 2."""
    records = [
        {"unit": "A", "a": "5", "b": "10"},
        {"unit": "B", "a": "1", "b": "0"},
        {"unit": "C", "a": "", "b": "10"},
        {"unit": "D", "a": "9", "b": "10"},
    ]
    with pytest.raises(EvaluationError):
        ecoscore.evaluate(CRITERIA, records)
    results = evaluate_keeping_going(CRITERIA, records, source="data")
    assert ["A", "D"] == list(results.cards)
    assert [("D", Decimal(1)), ("A", Decimal(2))] == [
        (e.unit, e.rank) for e in results.ranking().entries
    ]
    assert ["B", "C"] == [entry.unit for entry in results.left_out]
    (b_reason,) = results.left_out[0].reasons()
    assert b_reason.startswith("data: [1]: B: ")
    assert "division by zero" in b_reason


def test_a_scored_unit_scores_as_in_a_strict_run() -> None:
    """The units kept score exactly as a strict run over them alone."""
    good = [{"unit": "A", "a": "5", "b": "10"}, {"unit": "D", "a": "9", "b": "10"}]
    strict = ecoscore.evaluate(CRITERIA, good)
    kept = evaluate_keeping_going(CRITERIA, [*good, {"unit": "B", "a": "1", "b": "0"}])
    assert [c.total for c in strict] == [c.total for c in kept]


def test_nothing_left_out_is_a_strict_run() -> None:
    """With every unit scorable the results equal the strict ones, nothing left out."""
    records = [{"unit": "A", "a": "5", "b": "10"}]
    assert () == evaluate_keeping_going(CRITERIA, records).left_out


def test_every_unit_failing_is_an_error_with_every_problem() -> None:
    """When no unit can be scored the run fails as a strict one, listing all problems."""
    records = [{"unit": "A", "a": "1", "b": "0"}, {"unit": "B", "a": "", "b": "1"}]
    with pytest.raises(EvaluationError) as caught:
        evaluate_keeping_going(CRITERIA, records)
    assert 2 == len(caught.value.problems)
