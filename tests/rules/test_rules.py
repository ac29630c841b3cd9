"""Tests for ecoscore.rules: each rule kind turns a measured value into points."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given

from ecoscore import rules
from ecoscore.rules.base import fmt
from ecoscore.rules.classify import Limit
from ecoscore.rules.cohort import CohortError
from strategies import plain_decimals

D = Decimal


@pytest.mark.parametrize(
    ("rule", "value", "points", "clause"),
    [
        (rules.Target("at_most", D(35), D(10)), "34.9", "10", "34.9 ≤ 35: met"),
        (rules.Target("at_most", D(35), D(10)), "35", "10", "35 ≤ 35: met"),
        (rules.Target("below", D(35), D(10), D(2)), "35", "2", "35 < 35: missed"),
        (rules.Target("at_least", D(90), D(5)), "89.99", "0", "89.99 ≥ 90: missed"),
        (rules.Target("above", D(90), D(5)), "90.01", "5", "90.01 > 90: met"),
        (rules.Target("equal", D(100), D(5)), "100.0", "5", "100.0 = 100: met"),
    ],
)
def test_a_target_is_met_or_missed(
    rule: rules.Target, value: str, points: str, clause: str
) -> None:
    """A target gives its points when the comparison holds, else the declared else."""
    outcome = rule.score(D(value), {})
    assert (D(points), clause) == (outcome.points, outcome.clause)


def test_a_condition_earns_all_or_the_else() -> None:
    """A condition gives all its points when true, the else points when false."""
    rule = rules.Condition(D(10), D(2))
    assert (D(10), D(2)) == (rule.score(True, {}).points, rule.score(False, {}).points)
    assert "condition does not hold" == rule.score(False, {}).clause


@pytest.mark.parametrize(
    ("value", "points", "clause"),
    [
        ("30", "5.333333333333333333333333333333333", "8 × (30 − 40) / (25 − 40)"),
        ("32.5", "4", "8 × (32.5 − 40) / (25 − 40)"),
        ("25", "8", "25 at or beyond 25: full"),
        ("20", "8", "20 at or beyond 25: full"),
        ("40", "0", "40 at or beyond 40: zero"),
        ("45", "0", "45 at or beyond 40: zero"),
    ],
)
def test_linear_lower_is_better(value: str, points: str, clause: str) -> None:
    """Full at or below full_at, zero at or above zero_at, linear in between."""
    outcome = rules.Linear(D(40), D(25), D(8)).score(D(value), {})
    assert (D(points), clause) == (outcome.points, outcome.clause)


@given(value=plain_decimals())
def test_linear_stays_within_zero_and_its_points(value: Decimal) -> None:
    """Whatever the value, a linear rule gives between 0 and its points."""
    points = rules.Linear(D(60), D(100), D(6)).score(value, {}).points
    assert points is not None
    assert D(0) <= points <= D(6)


@given(a=plain_decimals(), b=plain_decimals())
def test_linear_never_rewards_a_worse_value(a: Decimal, b: Decimal) -> None:
    """A larger value never earns fewer points when higher is better."""
    low, high = sorted((a, b))
    rule = rules.Linear(D(60), D(100), D(6))
    assert rule.score(low, {}).points <= rule.score(high, {}).points  # type: ignore[operator]


def test_a_formula_is_kept_within_its_bounds() -> None:
    """A formula's value is capped at the points and raised to the floor."""
    rule = rules.Formula(D(0), D(7))
    assert [(D(7), "8 > 7: capped"), (D(0), "-1 < 0: raised to 0"), (D(3), "= 3")] == [
        (o.points, o.clause) for o in (rule.score(D(v), {}) for v in (8, -1, 3))
    ]


def test_a_formula_without_bounds_is_the_value() -> None:
    """With no points declared, the value is the points, unclamped."""
    assert D(-250) == rules.Formula(None, None).score(D(-250), {}).points


@pytest.mark.parametrize(
    ("rule", "value", "points"),
    [
        (rules.Proximity(D(5), D(75)), "40", "50"),
        (rules.Proximity(D(5), D(75)), "3", "100"),
        (rules.Proximity(D(5), D(75)), "80", "0"),
        (rules.Proximity(D(60), D(10)), "45", "70"),
        (rules.Proximity(D(5), D(75), points=D(20)), "40", "10"),
        (rules.Proximity(D(5), D(75), points=D(100)), "61", "20"),
        # ln(√e) is halfway between ln(1) and ln(e).
        (
            rules.Proximity(D(1), D("2.718281828459045235360287471352662"), "ln"),
            "1.648721270700128146848650787814163",
            "50",
        ),
        # ln(x + 1) from ln 10 (worst) to ln 1 (best): 100 × (1 − log10 3).
        (rules.Proximity(D(0), D(9), "ln", D(1)), "2", "52.28787452803375627049720967448845"),
    ],
)
def test_proximity_to_target(rule: rules.Proximity, value: str, points: str) -> None:
    """The EPI score: 100 at the best goalpost, 0 at the worst, scaled to the points."""
    result = rule.score(D(value), {}).points
    assert result is not None
    assert abs(D(points) - result) < D("1e-30")


@pytest.mark.parametrize(
    ("rule", "value", "points", "steps"),
    [
        (
            rules.Deduct(D(95), True, D(2), D(10)),
            "94.3",
            "8.6",
            (("shortfall", D("0.7")), ("units", D("0.7")), ("deduction", D("1.4"))),
        ),
        (
            rules.Deduct(D(30), False, D("0.5"), D(5), whole_units=True),
            "31.9",
            "4.5",
            (("shortfall", D("1.9")), ("units", D(1)), ("deduction", D("0.5"))),
        ),
        (
            rules.Deduct(D(30), False, D(1), D(5), per=D(2)),
            "33",
            "3.5",
            (("shortfall", D(3)), ("units", D("1.5")), ("deduction", D("1.5"))),
        ),
        (
            rules.Deduct(D(95), True, D(2), D(10)),
            "80",
            "0",
            (("shortfall", D(15)), ("units", D(15)), ("deduction", D(30))),
        ),
        (rules.Deduct(D(95), True, D(2), D(10)), "95", "10", ()),
    ],
)
def test_deduct_per_shortfall(
    rule: rules.Deduct, value: str, points: str, steps: tuple[tuple[str, Any], ...]
) -> None:
    """Points minus each × shortfall / per, pro rata or by whole units, never below zero."""
    outcome = rule.score(D(value), {})
    assert (D(points), steps) == (outcome.points, outcome.steps)


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("-1", "0"),
        ("0", "0"),
        ("20", "28.57142857142857142857142857142857"),
        ("35", "50"),
        ("75", "100"),
        ("80", "500"),
    ],
)
def test_piecewise_interpolates_between_breakpoints(value: str, points: str) -> None:
    """Linear on each segment, exact on breakpoints, the first value below, beyond above."""
    rule = rules.Piecewise((D(0), D(35), D(75)), (D(0), D(50), D(100)), D(500))
    assert D(points) == rule.score(D(value), {}).points


def test_piecewise_without_beyond_stays_at_the_last_value() -> None:
    """With no beyond, values past the last breakpoint get the last value."""
    assert D(100) == rules.Piecewise((D(0), D(75)), (D(0), D(100))).score(D(80), {}).points


_WATER = rules.Classify(
    ("I", "II", "III"),
    "IV",
    (
        Limit("cod", "at_most", (D(15), D(15), D(20))),
        Limit("do", "at_least", (D("7.5"), D(6), D(5))),
        Limit("ph", "within", (D(6), D(9))),
    ),
    {"I": D(10), "II": D(8), "III": D(4), "IV": D(0)},
)


@pytest.mark.parametrize(
    ("values", "label", "points", "clause"),
    [
        ({"cod": "15", "do": "7.5", "ph": "7"}, "I", "10", "worst class I (cod, do, ph)"),
        ({"cod": "15", "do": "6", "ph": "7"}, "II", "8", "worst class II (do)"),
        ({"cod": "25", "do": "8", "ph": "7"}, "IV", "0", "worst class IV (cod)"),
        ({"cod": "18", "do": "5", "ph": "6"}, "III", "4", "worst class III (cod, do)"),
        ({"cod": "10", "do": "8", "ph": "9.1"}, "IV", "0", "worst class IV (ph)"),
    ],
)
def test_the_worst_class_wins(values: dict[str, str], label: str, points: str, clause: str) -> None:
    """Each input is classed by its limits (the better class on a shared limit), and the
    worst class is the result, with its points and the inputs that drove it."""
    outcome = _WATER.score(None, {k: D(v) for k, v in values.items()})
    assert (label, D(points), clause) == (outcome.label, outcome.points, outcome.clause)


def test_a_class_without_points_has_none() -> None:
    """A classification with no points table gives a label and no points."""
    rule = rules.Classify(("I",), "II", (Limit("x", "at_most", (D(1),)),))
    outcome = rule.score(None, {"x": D(2)})
    assert ("II", None) == (outcome.label, outcome.points)


@pytest.mark.parametrize(
    ("dense", "places"),
    [
        (False, {"7": ("10", 1), "5": ("6", 3), "1": ("4", 4)}),
        (True, {"7": ("10", 1), "5": ("8", 2), "1": ("6", 3)}),
    ],
)
def test_points_by_rank(dense: bool, places: dict[str, tuple[str, int]]) -> None:
    """first − step × (place − 1), never below floor; ties share the better place."""
    rule = rules.RankPoints(True, D(10), D(2), D(3), dense).prepare([D(5), D(7), D(7), D(1)])
    assert places == {
        v: (fmt(o.points), dict(o.steps)["place"])
        for v, o in ((v, rule.score(D(v), {})) for v in places)
    }


def test_points_by_rank_stop_at_the_floor() -> None:
    """Points by rank never go below the declared floor."""
    rule = rules.RankPoints(False, D(10), D(4), D(3)).prepare([D(1), D(2), D(3), D(4)])
    assert D(3) == rule.score(D(4), {}).points


@pytest.mark.parametrize(
    ("rule", "value", "points"),
    [
        (rules.Efficacy(True), "2", "80"),
        (rules.Efficacy(False), "1", "100"),
        (rules.Efficacy(False), "3", "60"),
        (rules.Efficacy(True, points=D(20)), "2", "16"),
        (rules.Efficacy(True, D(50), D(50)), "3", "100"),
    ],
)
def test_the_efficacy_coefficient(rule: rules.Efficacy, value: str, points: str) -> None:
    """60 + 40 (x − min)/(max − min), reversed where lower is better, scaled to points."""
    assert D(points) == rule.prepare([D(1), D(3)]).score(D(value), {}).points


def test_the_efficacy_of_equal_values_needs_a_declared_score() -> None:
    """When every unit has the same value, max = min: the declared score, scaled like any
    other, or an error."""
    assert (
        D(20)
        == rules.Efficacy(True, when_all_equal=D(100), points=D(20))
        .prepare([D(4), D(4)])
        .score(D(4), {})
        .points
    )
    with pytest.raises(CohortError, match="every unit has 4: max = min"):
        rules.Efficacy(True).prepare([D(4), D(4)]).score(D(4), {})


def test_count_caps_each_item_and_the_whole() -> None:
    """Each item at most its cap, the sum at most the count's cap, each step shown."""
    rule = rules.Count((rules.CountItem("a", D(1)), rules.CountItem("b", D("0.5"), D(1))), D(3))
    first = rule.score(None, {"a": D(1), "b": D(3)})
    second = rule.score(None, {"a": D(4), "b": D(0)})
    assert (D(2), (("a", "1 × 1 = 1"), ("b", "3 × 0.5 = 1.5, capped at 1"))) == (
        first.points,
        first.steps,
    )
    assert D(3) == second.points
    assert ("a", "b") == rule.reads


@pytest.mark.parametrize(
    ("value", "points", "label", "clause"),
    [
        ("95", "10", "A", "95 in [95, +∞) → A, 10"),
        ("94.99", "5", None, "94.99 in [90, 95) → 5"),
        ("90", "5", None, "90 in [90, 95) → 5"),
        ("10", "0", None, "10 in otherwise → 0"),
    ],
)
def test_the_band_holding_the_value_gives_the_points(
    value: str, points: str, label: str | None, clause: str
) -> None:
    """Bounds say whether they are included; the otherwise band takes the rest."""
    bands = rules.Bands(
        (
            rules.Band(D(95), True, None, False, D(10), "A"),
            rules.Band(D(90), True, D(95), False, D(5)),
            rules.Band(points=D(0), otherwise=True),
        )
    )
    outcome = bands.score(D(value), {})
    assert (D(points), label, clause) == (outcome.points, outcome.label, outcome.clause)


@pytest.mark.parametrize(
    ("bands", "low", "high", "overlaps", "gaps"),
    [
        (
            [
                rules.Band(None, True, D(35)),
                rules.Band(D(30), True, D(75)),
                rules.Band(D(75), True, None),
            ],
            None,
            None,
            [(0, 1, "[30, 35)")],
            [],
        ),
        (
            [
                rules.Band(D(95), True, None),
                rules.Band(D(90), True, D(94)),
                rules.Band(None, True, D(90)),
            ],
            D(0),
            D(100),
            [],
            ["[94, 95)"],
        ),
        ([rules.Band(D(10), True, D(20), True)], None, None, [], ["(−∞, 10)", "(20, +∞)"]),
        ([rules.Band(D(10), True, D(20), True)], D(0), D(30), [], ["[0, 10)", "(20, 30]"]),
        ([rules.Band(D(10), True, D(20), True)], D(10), D(20), [], []),
        ([rules.Band(None, True, D(5), True), rules.Band(D(5), False, None)], None, None, [], []),
        (
            [rules.Band(None, True, D(5), False), rules.Band(D(5), False, None)],
            None,
            None,
            [],
            ["[5, 5]"],
        ),
        (
            [rules.Band(None, True, D(5), True), rules.Band(D(5), True, None)],
            None,
            None,
            [(0, 1, "[5, 5]")],
            [],
        ),
        ([rules.Band(D(10), True, D(20)), rules.Band(otherwise=True)], None, None, [], []),
    ],
)
def test_band_coverage_finds_overlaps_and_gaps(
    bands: list[rules.Band],
    low: Decimal | None,
    high: Decimal | None,
    overlaps: list[tuple[int, int, str]],
    gaps: list[str],
) -> None:
    """Overlapping pairs and uncovered ranges of the declared domain, down to one point."""
    assert (overlaps, gaps) == rules.band_coverage(bands, low, high)


def test_a_band_prints_as_an_interval() -> None:
    """A band prints in interval notation; the catch-all as otherwise."""
    assert ("(5, 9]", "otherwise") == (
        str(rules.Band(D(5), False, D(9), True)),
        str(rules.Band(otherwise=True)),
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("1E+1"), "10"),
        (D("0.50"), "0.50"),
        (True, "true"),
        ("x", "x"),
        (D("0.6666666666666666666666666666666667"), "0.6666666667"),
    ],
)
def test_values_print_plainly_in_a_trace(value: Any, text: str) -> None:
    """Trace values are printed in plain notation, long decimals shortened."""
    assert text == fmt(value)
