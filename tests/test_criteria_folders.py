"""The data-driven criteria suite: folders of valid criteria with rows and expected
results, and invalid criteria with the exact text of their error (see
tests/criteria/README.md)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ecoscore
from ecoscore.results import ScoreCard

_HERE = Path(__file__).parent / "criteria"
_VALID = sorted((_HERE / "valid").glob("*.toml"))
_INVALID = sorted((_HERE / "invalid").glob("*.toml"))


def _actual(results: ecoscore.Results, card: ScoreCard, key: str) -> Any:
    """The value an expected-results key names, for one unit."""
    what, _, name = key.partition(".")
    if key in ("total", "total_exact", "grade"):
        return getattr(card, key)
    if what == "points":
        return card.indicators[name].points
    if what == "value":
        return card.indicators[name].value
    if what == "status":
        return card.indicators[name].status
    if what == "class":
        return card.indicators[name].label
    if what == "node":
        return card.nodes[name].value
    if what == "argmax":
        return list(card.nodes[name].argmax)
    if what == "rank":
        return results.ranking(name).rank_of(card.unit)
    raise KeyError(f"unknown expected key {key!r}")


def _expected(value: Any) -> Any:
    """Numbers are written as strings and compared as exact decimals."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value


@pytest.mark.parametrize("path", _VALID, ids=lambda p: p.stem)
def test_valid_criteria_give_the_expected_results(path: Path) -> None:
    """Each valid criteria file loads, and its rows score, grade and rank as expected."""
    case = json.loads(path.with_name(path.stem + ".rows.json").read_text(encoding="utf-8"))
    criteria = ecoscore.load(path)
    results = ecoscore.evaluate(
        criteria, case["rows"], previous=case.get("previous", ()), source=path.stem + ".rows.json"
    )
    assert sorted(case["expected"]) == sorted(card.unit for card in results)
    for unit, expected in case["expected"].items():
        actual = {key: _actual(results, results[unit], key) for key in expected}
        assert {key: _expected(v) for key, v in expected.items()} == actual, unit


@pytest.mark.parametrize("path", _INVALID, ids=lambda p: p.stem)
def test_invalid_criteria_fail_with_the_expected_text(path: Path) -> None:
    """Each invalid criteria file fails to load with exactly the text of its .err file."""
    with pytest.raises(ecoscore.CriteriaError) as caught:
        ecoscore.loads(path.read_text(encoding="utf-8"), source=path.name)
    assert path.with_suffix(".err").read_text(encoding="utf-8") == str(caught.value) + "\n"


def test_every_case_is_complete_and_there_are_enough() -> None:
    """Every criteria file has its companion file, with at least 12 valid and 20 invalid."""
    assert [] == [p.name for p in _VALID if not p.with_name(p.stem + ".rows.json").exists()]
    assert [] == [p.name for p in _INVALID if not p.with_suffix(".err").exists()]
    assert len(_VALID) >= 12
    assert len(_INVALID) >= 20
