"""Tests for ecoscore.engine.submission: a period's records, typed and checked per unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import ecoscore
from ecoscore.engine.submission import UNIT_KEYS, Submission, as_submission, read_period
from ecoscore.errors import Location, Problem
from ecoscore.model import Criteria

_CRITERIA = """\
ecoscore = 1
id = "t"
title = "T"

[attributes]
kind = { values = ["区", "县"] }
key_region = { type = "bool" }

[units."章贡区"]
kind = "区"

[units."信丰县"]
kind = "县"

[inputs]
found = { min = 0, integer = true }
fixed = { min = 0, max = "found" }
plan = { type = "text", values = ["有", "无"] }
ok = { type = "bool" }

[indicator.found]
"""


@pytest.fixture(scope="module")
def criteria() -> Criteria:
    return ecoscore.loads(_CRITERIA)


def _read(criteria: Criteria, records: Any, **kw: Any) -> tuple[dict[str, Any], list[str]]:
    problems: list[Problem] = []
    out = read_period(criteria, records, problems, source="s.csv", **kw)
    return {u: env for u, (_, env) in out.items()}, [str(p) for p in problems]


def test_the_unit_is_named_by_unit_or_its_aliases() -> None:
    """A record names its unit under "unit", "单位" or "id", trimmed; the rest are values."""
    assert ("unit", "单位", "id") == UNIT_KEYS
    sub = as_submission({"单位": " 章贡区 ", "found": "3"}, 4, "s.csv")
    assert Submission("章贡区", {"found": "3"}, origin=Location("s.csv", key="[4]")) == sub


def test_a_submission_knows_where_each_value_came_from() -> None:
    """where() gives a value's cell, or the row when the value has no cell of its own."""
    sub = Submission(
        "A",
        {"x": "1"},
        {"x": Location("s.xlsx", sheet="2024", cell="C2")},
        origin=Location("s.xlsx", sheet="2024", cell="A2"),
    )
    assert ("s.xlsx:2024!C2", "s.xlsx:2024!A2") == (str(sub.where("x")), str(sub.where("y")))


def test_values_are_typed_as_declared(criteria: Criteria) -> None:
    """Numbers become exact Decimals, yes/no texts booleans, texts stay texts, blanks None;
    attributes come from the record or else from the criteria's [units]."""
    envs, problems = _read(
        criteria,
        [
            {
                "单位": "章贡区",
                "found": "3",
                "fixed": Decimal("2.50"),
                "plan": "有",
                "ok": "是",
                "key_region": "y",
            },
            {"unit": "信丰县", "found": 7, "fixed": 0.1, "plan": " ", "ok": False},
        ],
    )
    assert [] == problems
    assert {
        "found": Decimal(3),
        "fixed": Decimal("2.50"),
        "plan": "有",
        "ok": True,
        "kind": "区",
        "key_region": True,
    } == envs["章贡区"]
    assert {
        "found": Decimal(7),
        "fixed": Decimal("0.1"),
        "plan": None,
        "ok": False,
        "kind": "县",
        "key_region": None,
    } == envs["信丰县"]


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        (
            {"found": "3", "fixed": "4"},
            "s.csv: [0]: 章贡区: fixed: 4 is above the maximum (found = 3)",
        ),
        ({"found": "-1"}, "s.csv: [0]: 章贡区: found: -1 is below the minimum (0)"),
        ({"found": "2.5"}, "s.csv: [0]: 章贡区: found: 2.5 is not a whole number"),
        ({"fixed": "x"}, "s.csv: [0]: 章贡区: fixed: 'x' is not a number"),
        ({"fixed": "NaN"}, "s.csv: [0]: 章贡区: fixed: 'NaN' is not a number"),
        (
            {"fixed": Decimal("Infinity")},
            "s.csv: [0]: 章贡区: fixed: Infinity is not a finite number",
        ),
        ({"fixed": float("nan")}, "s.csv: [0]: 章贡区: fixed: nan is not a finite number"),
        ({"fixed": True}, "s.csv: [0]: 章贡区: fixed: a yes/no value where a number belongs"),
        ({"plan": "多"}, "s.csv: [0]: 章贡区: plan: '多' is not one of 有, 无"),
        (
            {"ok": "maybe"},
            "s.csv: [0]: 章贡区: ok: 'maybe' is not yes or no (true/false, 是/否, 1/0)",
        ),
        ({"kind": "市"}, "s.csv: [0]: 章贡区: kind: '市' is not one of 区, 县"),
        (
            {"fnd": "1"},
            "s.csv: [0].fnd: unknown name 'fnd': not an input or attribute of the "
            "criteria (did you mean 'found'?)",
        ),
    ],
)
def test_a_bad_value_is_named_with_its_unit_and_input(
    criteria: Criteria, record: dict[str, Any], problem: str
) -> None:
    """A value that cannot be read, or is out of its range, names the unit and the input."""
    _, problems = _read(criteria, [{"unit": "章贡区", **record}, {"unit": "信丰县"}])
    assert [problem] == problems


def test_units_are_checked_against_the_criteria(criteria: Criteria) -> None:
    """Unknown, repeated, unnamed and absent units are each reported."""
    _, problems = _read(
        criteria,
        [
            {"unit": "章贡区"},
            {"unit": "章 贡区"},
            {"unit": "章贡区"},
            {"found": 1},
            5,
        ],
    )
    assert [
        "s.csv: [1]: unknown unit '章 贡区' (did you mean '章贡区'?)",
        "s.csv: [2]: unit '章贡区' is listed twice (first at s.csv: [0])",
        "s.csv: [3]: a row with no unit name",
        "s.csv: [4]: a record is a mapping of names to values, not a int",
        "s.csv: no figures for unit '信丰县'",
    ] == problems


def test_earlier_periods_need_not_list_every_unit(criteria: Criteria) -> None:
    """With check_units off (previous periods), absent and unlisted units are fine."""
    envs, problems = _read(criteria, [{"unit": "大余县", "found": "1"}], check_units=False)
    assert ([], ["大余县"]) == (problems, list(envs))


def test_a_single_record_is_not_a_period(criteria: Criteria) -> None:
    """A mapping given where a list of records belongs is refused, with a hint."""
    problems: list[Problem] = []
    read_period(criteria, {"unit": "章贡区"}, problems, source="s.csv (previous 1)")
    assert [
        "s.csv (previous 1): expected a list of records (one mapping per unit), got a "
        "mapping (previous= takes a list of periods, each a list of records)"
    ] == [str(p) for p in problems]
