"""Conformance for roll-ups: the cases of ``tests/conformance/rollup-cases.toml``, each a rule
in words with the sub-units' rows and the units' exact results, scored through
``ecoscore.evaluate`` with ``tables=``; each row of each case is a test.

As in ``test_conformance.py``, ``SPECS`` says what each expected column is read from; every
other column of a row is an input of the unit. Each case's criteria are
``tests/conformance/<case id>.toml``. Every unit of a case is also given a previous
period (with no figures), so that a table with a period column has one to fill.
"""

# The house style writes asserts as `expected == actual`, which SIM300 calls Yoda.

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli

import ecoscore
from ecoscore import Results

HERE = Path(__file__).parent / "conformance"
CASES: dict[str, dict[str, Any]] = {
    case["id"]: case
    for case in tomli.loads((HERE / "rollup-cases.toml").read_text("utf-8"))["case"]
}

Reader = Callable[[Results, str], Any]


def rolled(ident: str) -> Reader:
    """A roll-up's figure."""
    return lambda results, unit: results[unit].rollups[ident].value


def counted(ident: str) -> Reader:
    """A share's ``counted/considered``."""

    def read(results: Results, unit: str) -> str:
        f = results[unit].rollups[ident]
        return f"{len(f.counted)}/{len(f.considered)}"

    return read


def left_out(ident: str) -> Reader:
    """The sub-units left out of a roll-up, comma-separated."""
    return lambda results, unit: ", ".join(k for k, _ in results[unit].rollups[ident].left_out)


def at(ident: str) -> Reader:
    """The sub-units that gave a worst, best, min or max, comma-separated."""
    return lambda results, unit: ", ".join(results[unit].rollups[ident].at)


def points(ind: str) -> Reader:
    """An indicator's points."""
    return lambda results, unit: results[unit].indicators[ind].points


def measured(ind: str) -> Reader:
    """An indicator's measured value."""
    return lambda results, unit: results[unit].indicators[ind].value


def status(ind: str) -> Reader:
    """An indicator's status."""
    return lambda results, unit: results[unit].indicators[ind].status


def read_by(ind: str, name: str) -> Reader:
    """A value an indicator read."""
    return lambda results, unit: dict(results[unit].indicators[ind].inputs).get(name)


def node(name: str) -> Reader:
    """A node's published value."""
    return lambda results, unit: results[unit].nodes[name].value


def rank(ranking: str) -> Reader:
    """The unit's place in a ranking."""
    return lambda results, unit: results.ranking(ranking).rank_of(unit)


SPECS: dict[str, Mapping[str, Reader]] = {
    "rollup.share-left-out-or-kept": {
        "share": rolled("share"),
        "counted": counted("share"),
        "left_out": left_out("share"),
        "share_kept": rolled("share_kept"),
    },
    "rollup.no-subunits-redistributed": {
        "share": rolled("share"),
        "share_points": points("share"),
        "status": status("share"),
        "sewage_points": points("sewage"),
        "area": node("water"),
    },
    "rollup.mean-rounded-before-scoring": {"pm25": rolled("pm25"), "points": points("pm25")},
    "rollup.subunit-missing-in-one-year": {
        "share": rolled("share"),
        "previous_share": read_by("change", "previous(share)"),
        "change": measured("change"),
        "points": points("change"),
        "status": status("change"),
    },
    "rollup.worst-class-and-ties": {
        "worst": rolled("worst"),
        "worst_at": at("worst"),
        "share": rolled("share"),
        "rank": rank("share"),
    },
}
#: Columns compared as text; all others are exact decimals ("" for no value).
TEXT = {"counted", "left_out", "status", "worst", "worst_at"}


@functools.cache
def evaluated(case_id: str) -> Results:
    """Every row of a case scored together, with its sub-unit tables."""
    case = CASES[case_id]
    spec = SPECS[case_id]
    criteria = ecoscore.load(HERE / f"{case_id}.toml")
    units = [{k: v for k, v in row.items() if k not in spec} for row in case["rows"]]
    previous = [[{"unit": row["unit"]} for row in case["rows"]]]
    return ecoscore.evaluate(
        criteria, units, previous=previous, tables=case["tables"], source=case_id
    )


ROWS = [
    pytest.param(case_id, i, id=f"{case_id}#{i}")
    for case_id, case in CASES.items()
    for i in range(len(case["rows"]))
]


@pytest.mark.parametrize(("case_id", "index"), ROWS)
def test_rollup_case_row(case_id: str, index: int) -> None:
    """Each row of each roll-up case gets exactly the expected values, with their places."""
    row = CASES[case_id]["rows"][index]
    results = evaluated(case_id)
    for column, read in SPECS[case_id].items():
        actual = read(results, row["unit"])
        if column in TEXT:
            assert row[column] == actual, f"{case_id} {row['unit']}: {column}"
        elif row[column] == "":
            assert actual is None, f"{case_id} {row['unit']}: {column}"
        else:
            assert Decimal(row[column]) == actual, f"{case_id} {row['unit']}: {column}"
            assert row[column] == str(actual), f"{case_id} {row['unit']}: {column} places"


def test_every_case_has_criteria_a_rule_and_a_mapping() -> None:
    """Each case states its rule, has its criteria file and is mapped, and nothing else is."""
    for case_id, case in CASES.items():
        assert case["rule"], case_id
        assert (HERE / f"{case_id}.toml").is_file(), case_id
        for row in case["rows"]:
            assert set(SPECS[case_id]) <= set(row), (case_id, row["unit"])
    assert set(SPECS) == set(CASES)
