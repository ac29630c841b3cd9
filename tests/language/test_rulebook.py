"""Tests for ecoscore.language.rulebook: each rule kind's keys, read into rule values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import ecoscore
from ecoscore import rules
from ecoscore.language.rulebook import COHORT_KINDS, RULE_KEYS
from ecoscore.rules.classify import Limit

_HEAD = """\
ecoscore = 1
id = "t"
title = "T"
[inputs]
x = { min = 0, max = 100 }
y = { min = 0 }
[indicator.x]
points = 10
"""


def _rule(body: str) -> Any:
    return ecoscore.loads(_HEAD + body).indicators["x"].rule


def _problems(body: str) -> list[str]:
    with pytest.raises(ecoscore.CriteriaError) as caught:
        ecoscore.loads(_HEAD + body, source="x.toml")
    return [str(p) for p in caught.value.problems]


def test_every_rule_kind_has_a_key() -> None:
    """The rule keys are the documented kinds; rank and efficacy need the whole cohort."""
    assert (
        "target",
        "condition",
        "linear",
        "formula",
        "proximity",
        "deduct",
        "bands",
        "piecewise",
        "classify",
        "rank",
        "efficacy",
        "count",
    ) == RULE_KEYS
    assert ("rank", "efficacy") == COHORT_KINDS


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        (
            "target = { equal = 3 }\nelse = 1",
            rules.Target("equal", Decimal(3), Decimal(10), Decimal(1)),
        ),
        ('condition = "x > 1"', rules.Condition(Decimal(10), Decimal(0))),
        (
            "linear = { zero_at = 40, full_at = 25 }",
            rules.Linear(Decimal(40), Decimal(25), Decimal(10)),
        ),
        ('formula = "x * 2"\nfloor = -5', rules.Formula(Decimal(-5), Decimal(10))),
        ('formula = "x * 2"', rules.Formula(Decimal(0), Decimal(10))),
        ("", rules.Formula(Decimal(0), Decimal(10))),
        (
            'proximity = { best = 1, worst = 5, transform = "ln", alpha = 0.5 }',
            rules.Proximity(Decimal(1), Decimal(5), "ln", Decimal("0.5"), Decimal(10)),
        ),
        (
            "deduct = { below = 95, each = 2 }",
            rules.Deduct(Decimal(95), True, Decimal(2), Decimal(10)),
        ),
        (
            "deduct = { above = 30, each = 0.5, per = 2, whole_units = true }",
            rules.Deduct(Decimal(30), False, Decimal("0.5"), Decimal(10), Decimal(2), True),
        ),
        (
            "piecewise = { breakpoints = [0, 35], values = [0, 50], beyond = 500 }",
            rules.Piecewise((Decimal(0), Decimal(35)), (Decimal(0), Decimal(50)), Decimal(500)),
        ),
        ("rank = { step = 1 }", rules.RankPoints(True, Decimal(10), Decimal(1))),
        (
            'rank = { step = 1, first = 8, floor = 2, ties = "dense", better = "lower" }',
            rules.RankPoints(False, Decimal(8), Decimal(1), Decimal(2), True),
        ),
        ("efficacy = {}", rules.Efficacy(True, points=Decimal(10))),
        (
            'efficacy = { better = "lower", base = 50, span = 50, when_all_equal = 100 }',
            rules.Efficacy(False, Decimal(50), Decimal(50), Decimal(100), Decimal(10)),
        ),
        (
            'count = [{ of = "x", each = 1 }, { of = "y", each = 0.5, at_most = 2 }]',
            rules.Count(
                (
                    rules.CountItem("x", Decimal(1)),
                    rules.CountItem("y", Decimal("0.5"), Decimal(2)),
                ),
                Decimal(10),
            ),
        ),
        (
            'classify = { classes = ["I", "II"], worse = "III", at_most = { x = [1, 2] }, '
            "within = { y = [6, 9] }, points = { I = 10, III = 0 } }",
            rules.Classify(
                ("I", "II"),
                "III",
                (
                    Limit("x", "at_most", (Decimal(1), Decimal(2))),
                    Limit("y", "within", (Decimal(6), Decimal(9))),
                ),
                {"I": Decimal(10), "III": Decimal(0)},
            ),
        ),
    ],
)
def test_each_rule_kind_reads_into_its_value(body: str, rule: Any) -> None:
    """Each kind's keys become the rule value, with the documented defaults."""
    assert rule == _rule(body)


def test_bands_read_their_bounds_and_inclusiveness() -> None:
    """at_least/above/at_most/below set each bound and whether it is included."""
    bands = _rule(
        "bands = [{ at_most = 5, points = 1 }, { above = 5, below = 9, points = 2, "
        'class = "中" }, { otherwise = 0 }]'
    )
    assert (
        rules.Bands(
            (
                rules.Band(None, True, Decimal(5), True, Decimal(1)),
                rules.Band(Decimal(5), False, Decimal(9), False, Decimal(2), "中"),
                rules.Band(points=Decimal(0), otherwise=True),
            )
        )
        == bands
    )


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        (
            'proximity = { best = 1, worst = 5, transform = "ln", alpha = -1 }',
            [
                'x.toml:9:1: indicator.x.proximity: with transform = "ln", '
                "best + alpha and worst + alpha must be > 0"
            ],
        ),
        (
            "proximity = { best = 1, worst = 1 }",
            ["x.toml:9:1: indicator.x.proximity: best and worst must differ"],
        ),
        (
            'proximity = { best = 10, worst = 1, transform = "log" }',
            [
                "x.toml:9:37: indicator.x.proximity.transform: 'log' is not allowed (one of "
                "identity, ln)"
            ],
        ),
        (
            "piecewise = { breakpoints = [0, 10, 10], values = [0, 5, 10] }",
            ["x.toml:9:15: indicator.x.piecewise.breakpoints: breakpoints must increase strictly"],
        ),
        (
            "piecewise = { breakpoints = [0, 10], values = [0, 5, 10] }",
            [
                "x.toml:9:1: indicator.x.piecewise: needs as many values as breakpoints, "
                "at least 2 (got 2 breakpoints and 3 values)"
            ],
        ),
        (
            'classify = { classes = ["I", "II"], worse = "III", at_most = { x = [1, 2] }, '
            "points = { IV = 1 } }",
            ["x.toml:9:89: indicator.x.classify.points.IV: 'IV' is not one of the classes"],
        ),
        (
            'classify = { classes = ["I", "II"], worse = "III" }',
            [
                "x.toml:9:1: indicator.x.classify: a classification needs limits "
                "(at_most, at_least or within)"
            ],
        ),
        ("bands = []", ["x.toml:9:1: indicator.x.bands: bands need at least one band"]),
        (
            "bands = [{ otherwise = 1 }, { otherwise = 2 }]",
            [
                "x.toml:9:1: indicator.x.bands: only one band may be otherwise",
                "x.toml:9:10: indicator.x.bands[0]: the otherwise band comes last",
            ],
        ),
        (
            "bands = [{ at_least = 1, above = 2, points = 1 }, { otherwise = 0 }]",
            ["x.toml:9:10: indicator.x.bands[0]: a band has at_least or above, not both"],
        ),
        (
            "bands = [{ at_least = 5, below = 5, points = 1 }, { otherwise = 0 }]",
            ["x.toml:9:10: indicator.x.bands[0]: the band is empty: at_least 5, below 5"],
        ),
        (
            "bands = [{ at_least = 5, points = 1, otherwise = 0 }]",
            ["x.toml:9:10: indicator.x.bands[0]: an otherwise band has no bounds"],
        ),
        (
            "bands = [{ points = 1 }, { otherwise = 0 }]",
            [
                "x.toml:9:10: indicator.x.bands[0]: a band needs a bound "
                "(at_least, above, at_most, below) or otherwise"
            ],
        ),
        (
            "bands = [{ below = 50 }, { otherwise = 0 }]",
            ["x.toml:9:10: indicator.x.bands[0]: a band needs points or a class"],
        ),
        (
            "bands = [{ below = 50, points = 1 }, { otherwise = true }]",
            ["x.toml:9:38: indicator.x.bands[1]: a band needs points or a class"],
        ),
        (
            "bands = [{ below = 50, points = 1 }]",
            [
                "x.toml:9:1: indicator.x.bands: no band covers [50, 100] (add a band for it, or an "
                "{ otherwise = … } band)"
            ],
        ),
        (
            "deduct = { each = 1 }",
            [
                "x.toml:9:1: indicator.x.deduct: a deduction has exactly one of below (higher is "
                "better) or above"
            ],
        ),
        (
            "deduct = { below = 1, each = 0 }",
            ["x.toml:9:23: indicator.x.deduct.each: must be greater than 0, got 0"],
        ),
        (
            "target = {}",
            [
                "x.toml:9:1: indicator.x.target: a target has exactly one of at_most, below, "
                "at_least, above, equal"
            ],
        ),
        ("count = []", ["x.toml:9:1: indicator.x.count: a count needs at least one item"]),
        (
            "linear = { zero_at = 1, full_at = 1 }",
            ["x.toml:9:1: indicator.x.linear: zero_at and full_at must differ"],
        ),
        (
            'rank = { step = 1, ties = "olympic" }',
            [
                "x.toml:9:20: indicator.x.rank.ties: 'olympic' is not allowed (one of competition, "
                "dense)"
            ],
        ),
        (
            "linear = { full_at = 1 }",
            ["x.toml:9:1: indicator.x.linear: missing required key 'zero_at'"],
        ),
    ],
)
def test_a_rule_that_makes_no_sense_is_a_located_problem(body: str, problems: list[str]) -> None:
    """Impossible or incomplete rules are refused at the key that is wrong."""
    assert problems == _problems(body)


def test_gaps_outside_the_inputs_declared_range_do_not_count() -> None:
    """Bands need to cover only the input's declared min and max."""
    bands = _rule(
        "bands = [{ at_least = 0, below = 50, points = 0 }, "
        "{ at_least = 50, at_most = 100, points = 10 }]"
    )
    assert 2 == len(bands.bands)
