"""Tests for ecoscore.errors: locations, problems, and the exception tree."""

from __future__ import annotations

import pytest

from ecoscore.errors import (
    CriteriaError,
    DataError,
    EcoscoreError,
    EvaluationError,
    Location,
    Problem,
    UsageError,
)


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        (Location("a.toml", 3, 7, "indicator.pm25"), "a.toml:3:7: indicator.pm25"),
        (Location("a.toml", 3), "a.toml:3"),
        (Location("a.toml", key="id"), "a.toml: id"),
        (Location("data.xlsx", 9, 2, sheet="2024", cell="C9"), "data.xlsx:2024!C9"),
        (Location(line=4, column=2), "line 4, column 2"),
        (Location(line=4), "line 4"),
        (Location(key="total"), "total"),
        (Location(), ""),
    ],
)
def test_a_location_prints_only_what_it_knows(location: Location, expected: str) -> None:
    """A location shows its file, line, column or cell and key, and nothing it lacks."""
    assert expected == str(location)


def test_a_problem_prints_its_location_message_and_hint() -> None:
    """A problem reads `where: message (hint)`."""
    problem = Problem("unknown key", Location("c.toml", 2, 1, "tota"), "did you mean 'total'?")
    assert "c.toml:2:1: tota: unknown key (did you mean 'total'?)" == str(problem)


def test_a_problem_without_location_is_its_message() -> None:
    """A problem with no location prints only its message."""
    assert "no figures" == str(Problem("no figures"))


def test_an_error_carries_and_prints_every_problem() -> None:
    """An error keeps all its problems and prints one per line."""
    problems = [Problem("first", Location("f", 1)), Problem("second", Location("f", 2))]
    error = CriteriaError(problems)
    assert tuple(problems) == error.problems
    assert "f:1: first\nf:2: second" == str(error)


def test_an_error_made_from_text_has_one_problem() -> None:
    """A plain message becomes a single problem without a location."""
    error = DataError("unit A is listed twice")
    assert (Problem("unit A is listed twice"),) == error.problems


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (CriteriaError("x"), ValueError),
        (DataError("x"), ValueError),
        (EvaluationError("x"), DataError),
        (UsageError("x"), ValueError),
    ],
)
def test_every_error_is_also_a_builtin(error: EcoscoreError, builtin: type) -> None:
    """Each ecoscore error can be caught as the builtin it extends, and as EcoscoreError."""
    assert isinstance(error, builtin)
    assert isinstance(error, EcoscoreError)


def test_exit_codes_tell_bad_input_from_a_bad_command_line() -> None:
    """Bad criteria or data exit with 1, a command line that makes no sense with 2."""
    assert (1, 1, 1, 2) == (
        CriteriaError.exit_code,
        DataError.exit_code,
        EvaluationError.exit_code,
        UsageError.exit_code,
    )


def test_a_problem_prints_on_one_line() -> None:
    """A line break in a message (a unit name typed over two lines) prints as \\n, so every
    printed line of a report starts with its file."""
    problem = Problem("a\nb: no value", Location("data.csv", 2, 1))
    assert "data.csv:2:1: a\\nb: no value" == str(problem)
