"""Tests for ecoscore.engine.aggregate: sums, means, min, max, formulas, left-out children,
rescaling, rounding, and a trace that adds up to the total."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import ecoscore
from ecoscore.numbers import CONTEXT, EXACT_SUM
from ecoscore.results import ScoreCard, TraceStep

D = Decimal

_HEAD = """\
ecoscore = 1
id = "t"
title = "T"
[inputs]
a = { min = -100, max = 100 }
b = { min = 0, max = 100 }
c = { min = 0, max = 100 }
"""


def _cards(body: str, rows: list[dict[str, Any]]) -> dict[str, ScoreCard]:
    results = ecoscore.evaluate(ecoscore.loads(_HEAD + body), rows)
    return {card.unit: card for card in results}


def _trace(card: ScoreCard) -> list[tuple[str, str, Decimal]]:
    return [(s.path, s.kind, s.amount) for s in card.steps]


def test_a_sum_adds_scores_and_bonuses_and_takes_off_deductions() -> None:
    """A sum's trace lists each contribution, a deduction as a negative amount."""
    body = """
[indicator.a]
points = 100
[indicator.b]
effect = "bonus"
points = 5
formula = "b / 10"
[indicator.c]
effect = "deduction"
points = 5
formula = "c / 10"
"""
    card = _cards(body, [{"unit": "A", "a": "80", "b": "30", "c": "12"}])["A"]
    assert (
        D("81.8"),
        [("a", "points", D(80)), ("b", "bonus", D(3)), ("c", "deduction", D("-1.2"))],
    ) == (card.total, _trace(card))


@pytest.mark.parametrize(
    ("aggregate", "weights", "expected"),
    [
        ("mean", ("", "", ""), D("46.66666666666666666666666666666667")),
        ("weighted-mean", ("weight = 1", "weight = 1", "weight = 2"), D(45)),
        ("min", ("", "", ""), D(40)),
        ("max", ("", "", ""), D(60)),
        ("geometric-mean", ("weight = 1", "weight = 1", "weight = 2"), D("44.26727678801286")),
    ],
)
def test_each_aggregate_combines_its_children(
    aggregate: str, weights: tuple[str, ...], expected: Decimal
) -> None:
    """Means (plain, weighted, geometric), min and max combine the children's points; the
    node is one step of the trace."""
    body = f'[total]\naggregate = "{aggregate}"\n' + "".join(
        f"[indicator.{n}]\n{w}\n" for n, w in zip("abc", weights, strict=True)
    )
    card = _cards(body, [{"unit": "A", "a": "60", "b": "40", "c": "40"}])["A"]
    assert card.total is not None
    assert abs(expected - card.total) < D("1e-14")
    assert [("total", "node", card.total)] == _trace(card)


def test_a_geometric_mean_with_a_zero_is_zero_and_with_a_negative_is_an_error() -> None:
    """A zero child makes a geometric mean zero; a negative one cannot be averaged."""
    body = '[total]\naggregate = "geometric-mean"\n[indicator.a]\n[indicator.b]\n'
    assert D(0) == _cards(body, [{"unit": "A", "a": "0", "b": "16"}])["A"].total
    with pytest.raises(
        ecoscore.EvaluationError, match="A: node total: a geometric mean of a negative value"
    ):
        _cards(body, [{"unit": "A", "a": "-1", "b": "16"}])


def test_a_max_node_names_every_child_at_the_maximum_above_its_threshold() -> None:
    """argmax lists all children tied at the maximum, and none at or below `above`."""
    body = """
[node.m]
aggregate = "max"
argmax = { zh = "首要污染物", above = 10 }
[indicator.a]
parent = "m"
[indicator.b]
parent = "m"
[indicator.c]
parent = "m"
"""
    cards = _cards(
        body,
        [
            {"unit": "A", "a": "12", "b": "12", "c": "1"},
            {"unit": "B", "a": "3", "b": "10", "c": "10"},
        ],
    )
    assert (("a", "b"), ()) == (cards["A"].nodes["m"].argmax, cards["B"].nodes["m"].argmax)


def test_a_formula_node_reads_its_children_and_the_data() -> None:
    """A formula node computes over its children's points and the unit's figures."""
    body = """
[node.f]
formula = "a + b * c / 100"
[indicator.a]
parent = "f"
[indicator.b]
parent = "f"
"""
    card = _cards(body, [{"unit": "A", "a": "12", "b": "50", "c": "10"}])["A"]
    assert (D(17), [("f", "node", D(17))]) == (card.nodes["f"].value, _trace(card))


def test_a_left_out_child_drops_out_of_a_mean() -> None:
    """A mean renormalises over the children that remain."""
    body = """
[total]
aggregate = "mean"
[indicator.a]
missing = "exclude"
[indicator.b]
[indicator.c]
"""
    card = _cards(body, [{"unit": "A", "a": "", "b": "60", "c": "40"}])["A"]
    assert (D(50), ("a",)) == (card.total, card.nodes["total"].excluded)


def test_a_sum_may_rescale_for_left_out_children() -> None:
    """With rescale_excluded, a sum scales up to its points over the children present, and
    the trace shows the rescaling and the node's rounding as steps."""
    body = """
[node.s]
points = 20
rescale_excluded = true
round = "1 half-up"
[indicator.a]
parent = "s"
points = 10
formula = "a"
missing = "exclude"
[indicator.b]
parent = "s"
points = 10
formula = "b"
missing = "exclude"
"""
    cards = _cards(body, [{"unit": "A", "a": "", "b": "7.77"}, {"unit": "B", "a": "", "b": ""}])
    assert (
        D("15.5"),
        [("b", "points", D("7.77")), ("s", "rescale", D("7.77")), ("s", "rounding", D("-0.04"))],
    ) == (cards["A"].total, _trace(cards["A"]))
    # Every child left out: the node has no value, and neither has the total.
    assert (None, ("a", "b")) == (cards["B"].nodes["s"].value, cards["B"].nodes["s"].excluded)


def test_nodes_and_the_total_are_rounded_as_declared() -> None:
    """[rounding].nodes rounds inner nodes, [rounding].total the total; each rounding is a
    step of the trace."""
    body = """
[rounding]
nodes = "0 half-up"
total = "1 floor"
[node.m]
aggregate = "mean"
[indicator.a]
parent = "m"
[indicator.b]
parent = "m"
[indicator.c]
points = 100
formula = "c / 3"
"""
    card = _cards(body, [{"unit": "A", "a": "16", "b": "17", "c": "10"}])["A"]
    third = CONTEXT.divide(D(10), D(3))
    assert (D(17), D("20.3")) == (card.nodes["m"].value, card.total)
    assert [
        ("m", "node", D("16.5")),
        ("m", "rounding", D("0.5")),
        ("c", "points", third),
        ("total", "rounding", EXACT_SUM.subtract(D("3.3"), third)),
    ] == _trace(card)


def test_a_trace_step_is_a_value() -> None:
    """Trace steps are frozen values comparing by content."""
    assert TraceStep("a", "points", D(1)) == TraceStep("a", "points", D("1.0"))
