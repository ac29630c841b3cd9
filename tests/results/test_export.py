"""Tests for ecoscore.results.export: the stable JSON form of results."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import ecoscore
from ecoscore.results.export import FORMAT

_CRITERIA = """\
ecoscore = 1
id = "demo"
title = { zh = "示例", en = "Demo" }
[rounding]
points = "2 half-up"
total = "1 half-up"
[inputs]
pm25 = { zh = "PM2.5", min = 0 }
rate = { min = 0, max = 100 }
[indicator.pm25]
points = 10
linear = { zero_at = 75, full_at = 35 }
[indicator.rate]
points = 5
target = { at_least = 90 }
missing = "exclude"
[grades]
bands = [{ grade = "优秀", at_least = 10 }, { grade = "合格" }]
[ranking.overall]
"""

_ROWS = [
    {"unit": "南康区", "pm25": "40", "rate": ""},
    {"unit": "章贡区", "pm25": "50", "rate": "95"},
]


@pytest.fixture(scope="module")
def results() -> ecoscore.Results:
    return ecoscore.evaluate(ecoscore.loads(_CRITERIA, source="demo.toml"), _ROWS)


def test_the_form_is_named_and_versioned(results: ecoscore.Results) -> None:
    """The JSON says its format and which criteria (with their fingerprint) it scored."""
    data = ecoscore.results_to_dict(results)
    assert ("ecoscore-results/1", FORMAT) == (data["format"], FORMAT)
    assert {
        "id": "demo",
        "title": {"zh": "示例", "en": "Demo"},
        "sha256": results.criteria.sha256,
        "version": 1,
    } == data["criteria"]


def test_numbers_are_exact_decimal_strings(results: ecoscore.Results) -> None:
    """Every number is a string of the exact decimal, null where there is none."""
    unit = ecoscore.results_to_dict(results)["units"][1]
    pm25 = unit["indicators"][0]
    assert ("章贡区", "11.3", "11.25", "6.25", "6.25", "50") == (
        unit["unit"],
        unit["total"],
        unit["total_exact"],
        pm25["points"],
        pm25["raw_points"],
        pm25["value"],
    )
    rate = ecoscore.results_to_dict(results)["units"][0]["indicators"][1]
    assert (None, None, "excluded") == (rate["points"], rate["value"], rate["status"])


def test_every_documented_key_is_present(results: ecoscore.Results) -> None:
    """Units, indicators, nodes, trace steps, ranks and rankings carry their keys."""
    data = ecoscore.results_to_dict(results)
    unit = data["units"][0]
    assert {
        "unit",
        "attributes",
        "total",
        "total_exact",
        "grade",
        "grade_steps",
        "indicators",
        "nodes",
        "trace",
        "ranks",
    } <= set(unit)
    assert {
        "id",
        "parent",
        "value",
        "points",
        "raw_points",
        "contribution",
        "status",
        "clause",
        "class",
        "rounding",
        "inputs",
        "steps",
        "note",
    } <= set(unit["indicators"][0])
    assert {"id", "aggregate", "value", "raw", "rounding", "excluded", "argmax", "note"} <= set(
        unit["nodes"][0]
    )
    assert {"path", "kind", "amount"} == set(unit["trace"][0])
    assert {"rule", "before", "after", "why"} == set(unit["grade_steps"][0])
    assert {"rank", "group", "value", "note"} <= set(unit["ranks"]["overall"])
    assert {"id", "label", "entries"} <= set(data["rankings"][0])


def test_units_are_sorted_and_ranked(results: ecoscore.Results) -> None:
    """Units are in unit order, each with its rank in every ranking."""
    data = ecoscore.results_to_dict(results)
    assert (["南康区", "章贡区"], "1", "2") == (
        [u["unit"] for u in data["units"]],
        data["units"][1]["ranks"]["overall"]["rank"],
        data["units"][0]["ranks"]["overall"]["rank"],
    )


def test_the_trace_adds_up_to_the_total(results: ecoscore.Results) -> None:
    """The JSON trace's amounts add up exactly to the JSON total."""
    for unit in ecoscore.results_to_dict(results)["units"]:
        assert Decimal(unit["total"]) == sum(
            (Decimal(s["amount"]) for s in unit["trace"]), Decimal(0)
        )


def test_the_json_text_is_byte_identical_and_keeps_chinese(results: ecoscore.Results) -> None:
    """The same results give the same text, UTF-8 Chinese as is, ending in a newline."""
    text = ecoscore.results_to_json(results)
    again = ecoscore.results_to_json(
        ecoscore.evaluate(ecoscore.loads(_CRITERIA, source="demo.toml"), _ROWS[::-1])
    )
    assert text == again
    assert "章贡区" in text
    assert text.endswith("}\n")
    assert ecoscore.results_to_dict(results) == json.loads(text)


def test_compact_json_has_no_indentation(results: ecoscore.Results) -> None:
    """indent=None writes one line."""
    assert 1 == len(ecoscore.results_to_json(results, indent=None).splitlines())
