"""Reading past the rows that cannot be read: dropped, each under its unit, with why."""

from __future__ import annotations

from pathlib import Path

import pytest

import ecoscore
from ecoscore import DataError
from ecoscore.io.partial import read_periods_keeping_going
from ecoscore.io.tables import read_table

CRITERIA = ecoscore.loads(
    """
ecoscore = 1
id = "t"
title = "t"
[inputs]
x = { zh = "x", min = 0 }
[indicator.x]
points = 10
target = { at_least = 1 }
"""
)


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in its own folder, so locations print as short names."""
    monkeypatch.chdir(tmp_path)


def test_bad_rows_are_left_out_with_their_reasons() -> None:
    """A text, a negative figure and a short row leave three rows out; one row is read."""
    Path("data.csv").write_text("unit,x\nA,abc\nB,-1\nC\nD,2\n", encoding="utf-8")
    (period,), left = read_periods_keeping_going(read_table("data.csv", keep_going=True), CRITERIA)
    assert ["D"] == [s.unit for s in period.submissions]
    assert ["A", "B", "C"] == [entry.unit for entry in left]
    assert "data.csv:2:2: A: x (x): not a number: 'abc'" in left[0].reasons()[0]
    assert left[2].reasons()[0].startswith("data.csv:4: line 4 has 1 cell, the header has 2")


def test_a_problem_at_no_row_stops_the_run() -> None:
    """A missing column is no row's problem: the run fails as a strict one."""
    Path("data.csv").write_text("unit,y\nA,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="no column for 'x'"):
        read_periods_keeping_going(read_table("data.csv"), CRITERIA)


def test_a_json_row_is_left_out_by_its_key() -> None:
    """A JSON row is found by its [k] key path."""
    Path("data.json").write_text('[{"unit": "A", "x": "q"}, {"unit": "B", "x": 3}]', "utf-8")
    (period,), left = read_periods_keeping_going(read_table("data.json"), CRITERIA)
    assert (["B"], ["A"]) == ([s.unit for s in period.submissions], [e.unit for e in left])
