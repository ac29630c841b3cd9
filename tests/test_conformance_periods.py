"""Conformance over several periods: the cases of tests/conformance/periods/cases.toml.

Each case states a rule in words, each period's figures, and the exact results of each
assessed period. Its rule is written in the criteria language in
``tests/conformance/periods/<case id>.toml``; the periods are evaluated at once (the last
is the current one, the others are read as earlier periods, most recent first), and each
expected row — of the current period or of an earlier one, from ``Results.history`` — is
a test. An expected column is ``total``, ``grade``, ``rank`` (in the first ranking),
``flags`` (comma-separated flag ids), ``change`` (the measured value of the indicator
``trend``), or the id of an indicator (its points).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli

import ecoscore
from ecoscore.engine.submission import Period

HERE = Path(__file__).parent / "conformance" / "periods"
CASES = tomli.loads((HERE / "cases.toml").read_text("utf-8"))["case"]


def _results(case: dict[str, Any]) -> dict[str, ecoscore.Results]:
    """Every assessed period's results, by period name."""
    criteria = ecoscore.load(HERE / f"{case['id']}.toml")
    assert criteria.periods is not None
    names = [n for n in criteria.periods.order if n in case["figures"]]
    current, *earlier = reversed(names)
    previous = [Period(n, tuple(case["figures"][n])) for n in earlier]
    results = ecoscore.evaluate(criteria, case["figures"][current], previous=previous)
    return {r.period: r for r in (results, *results.history)}  # type: ignore[misc]


def _read(results: ecoscore.Results, unit: str, column: str) -> Any:
    card = results[unit]
    if column == "total":
        return card.total
    if column == "grade":
        return card.grade
    if column == "rank":
        return results.ranking().rank_of(unit)
    if column == "flags":
        return ",".join(card.flags)
    if column == "change":
        return card.indicators["trend"].value
    return card.points(column)


ROWS = [
    pytest.param(case, expect["period"], row, id=f"{case['id']}:{expect['period']}:{row['unit']}")
    for case in CASES
    for expect in case["expect"]
    for row in expect["rows"]
]


@pytest.mark.parametrize(("case", "period", "row"), ROWS)
def test_row(case: dict[str, Any], period: str, row: dict[str, str]) -> None:
    """The unit's results in that period are exactly the case's."""
    results = _results(case)[period]
    for column, expected in row.items():
        if column == "unit":
            continue
        actual = _read(results, row["unit"], column)
        if column in ("grade", "flags"):
            assert expected == actual, column
        else:
            assert Decimal(expected) == actual, column
            if column == "change":
                assert expected == str(actual), "the exact text"


def test_every_case_has_its_criteria() -> None:
    """Every case of the file has a criteria file, and every criteria file a case."""
    assert {c["id"] for c in CASES} == {p.stem for p in HERE.glob("*.toml")} - {"cases"}
