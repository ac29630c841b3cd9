"""Public-API usage that must type-check under ``mypy --strict`` (run by .ci/run).

It is also imported by a test, so it must run; it is not a test of values.
"""

from __future__ import annotations

from decimal import Decimal

import ecoscore
from ecoscore import Criteria, CriteriaError, Results, ScoreCard

CRITERIA = """
ecoscore = 1
id = "typing"
title = { zh = "类型检查", en = "type check" }
[inputs]
x = { zh = "x", min = 0 }
[indicator.x]
points = 10
target = { at_least = 1 }
[ranking.overall]
"""


def totals() -> dict[str, Decimal | None]:
    """Load, evaluate and read results through the public names only."""
    criteria: Criteria = ecoscore.loads(CRITERIA, source="typing.toml")
    results: Results = ecoscore.evaluate(criteria, [{"unit": "A", "x": "2"}, {"unit": "B", "x": 0}])
    card: ScoreCard = results["A"]
    _ = [step.amount for step in card.steps]
    _ = results.ranking("overall").rank_of("A")
    data = ecoscore.results_to_dict(results)
    assert data["format"] == "ecoscore-results/2"
    return {c.unit: c.total for c in results}


ROLLUP = """
ecoscore = 1
id = "typing-rollup"
title = "汇总"
[subunits.stations]
key = "station"
[subunits.stations.inputs]
pm25 = { min = 0 }
[rollup.pm25]
from = "stations"
aggregate = "mean"
value = "pm25"
round = "1 half-up"
[indicator.pm25]
missing = "exclude"
"""


def rolled_up() -> dict[str, Decimal | str | None]:
    """A roll-up's figure for each unit, through the public names only."""
    criteria = ecoscore.loads(ROLLUP)
    rows = [{"station": "S1", "unit": "A", "pm25": "22.3"}]
    results = ecoscore.evaluate(criteria, [{"unit": "A"}], tables={"stations": rows})
    figures: dict[str, ecoscore.RolledUp] = dict(results["A"].rollups)
    return {ident: figure.value for ident, figure in figures.items()}


def problems(text: str) -> list[str]:
    """Every problem of a criteria text, as printed."""
    try:
        ecoscore.loads(text)
    except CriteriaError as exc:
        return [str(p) for p in exc.problems]
    return []
