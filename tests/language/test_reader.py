"""Tests for ecoscore.language.reader: typed, located access to a parsed TOML document."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ecoscore.errors import Location
from ecoscore.language.reader import TableReader, did_you_mean
from ecoscore.model import Label
from ecoscore.numbers import Rounding

_POSITIONS = {"a": (1, 1), "a.b": (2, 3)}


def _reader() -> TableReader:
    return TableReader("c.toml", _POSITIONS)


def _messages(r: TableReader) -> list[str]:
    return [str(p) for p in r.problems]


def test_a_path_is_located_at_itself_or_its_nearest_enclosing_key() -> None:
    """A key's own position is used; a deeper unknown path takes its parent's line; a
    top-level key the file lacks belongs to the document, at line 1 (it had no line)."""
    r = _reader()
    assert Location("c.toml", 2, 3, "a.b") == r.locate(("a", "b"))
    assert Location("c.toml", 2, 3, "a.b.c") == r.locate(("a", "b", "c"))
    assert Location("c.toml", 1, 1, "z") == r.locate(("z",))
    assert Location("c.toml", 1, 1) == r.locate(())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, Decimal(3)),
        (Decimal("1.50"), Decimal("1.50")),
        ("2.5", Decimal("2.5")),
        ("-1e2", Decimal("-100")),
    ],
)
def test_numbers_are_read_exactly(value: Any, expected: Decimal) -> None:
    """Integers, Decimals (TOML floats) and numbers in strings are read exactly."""
    r = _reader()
    assert expected == r.number(value, ("a",))
    assert [] == r.problems


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (True, "c.toml:1:1: a: expected a number, got the boolean true"),
        ("ten", "c.toml:1:1: a: expected a number, got the text 'ten'"),
        (Decimal("NaN"), "c.toml:1:1: a: NaN and infinity are not allowed"),
        (Decimal("-Infinity"), "c.toml:1:1: a: NaN and infinity are not allowed"),
        ([1], "c.toml:1:1: a: expected a number, got an array"),
        ({"x": 1}, "c.toml:1:1: a: expected a number, got a table"),
    ],
)
def test_a_bad_number_is_a_located_problem(value: Any, problem: str) -> None:
    """A value that is not a finite number gives None and one problem at its key."""
    r = _reader()
    assert None is r.number(value, ("a",))
    assert [problem] == _messages(r)


def test_a_positive_number_must_be_above_zero() -> None:
    """With positive=True, zero and negative numbers are refused."""
    r = _reader()
    assert (None, None, Decimal(1)) == (
        r.number(0, ("a",), positive=True),
        r.number(-1, ("a",), positive=True),
        r.number(1, ("a",), positive=True),
    )
    assert [
        "c.toml:1:1: a: must be greater than 0, got 0",
        "c.toml:1:1: a: must be greater than 0, got -1",
    ] == _messages(r)


def test_missing_values_are_quiet() -> None:
    """None (a required key already reported) gives None, {} or [] without a new problem."""
    r = _reader()
    assert (None, None, None, {}, []) == (
        r.number(None, ("a",)),
        r.string(None, ("a",)),
        r.expression(None, ("a",), bool, []),
        r.table(None, ("a",)),
        r.array(None, ("a",)),
    )
    assert [] == r.problems


def test_a_required_key_that_is_missing_is_named() -> None:
    """A missing required key is reported at its table, by name."""
    r = _reader()
    assert None is r.required({}, "zero_at", ("a",))
    assert ["c.toml:1:1: a: missing required key 'zero_at'"] == _messages(r)


def test_a_string_choice_suggests_the_closest_option() -> None:
    """A string outside its choices is refused with the nearest option, or the list."""
    r = _reader()
    assert "sum" == r.string("sum", ("a",), ("sum", "mean"))
    assert None is r.string("summ", ("a",), ("sum", "mean"))
    assert None is r.string("zzz", ("a",), ("sum", "mean"))
    assert None is r.string(3, ("a",))
    assert [
        "c.toml:1:1: a: 'summ' is not allowed (did you mean 'sum'?)",
        "c.toml:1:1: a: 'zzz' is not allowed (one of sum, mean)",
        "c.toml:1:1: a: expected a string, got the number 3",
    ] == _messages(r)


def test_unknown_keys_in_a_table_are_problems_with_hints() -> None:
    """Every key outside the allowed ones is reported, with a did-you-mean when close."""
    r = _reader()
    assert {"x": 1, "sun": 2} == r.table({"x": 1, "sun": 2}, ("a",), ("sum", "x"))
    assert ["c.toml:1:1: a.sun: unknown key (did you mean 'sum'?)"] == _messages(r)


def test_shapes_are_checked() -> None:
    """A table where an array belongs, and the reverse, are problems."""
    r = _reader()
    assert ({}, []) == (r.table([1], ("a",)), r.array({"x": 1}, ("a",)))
    assert [
        "c.toml:1:1: a: expected a table, got an array",
        "c.toml:1:1: a: expected an array, got a table",
    ] == _messages(r)


def test_booleans_are_true_or_false_only() -> None:
    """Only TOML booleans are booleans; "yes" is a problem."""
    r = _reader()
    assert (True, None) == (r.boolean(True, ("a",)), r.boolean("yes", ("a",)))
    assert ["c.toml:1:1: a: expected true or false, got the text 'yes'"] == _messages(r)


def test_a_rounding_is_a_string_or_a_table() -> None:
    """ "2 floor" and { places = 2, mode = "floor" } are the same rounding; mode defaults to
    half-up; anything else is a problem."""
    r = _reader()
    assert Rounding(2, "floor") == r.rounding("2 floor", ("a",))
    assert Rounding(2, "floor") == r.rounding({"places": 2, "mode": "floor"}, ("a",))
    assert Rounding(2, "half-up") == r.rounding({"places": 2}, ("a",))
    assert None is r.rounding(2, ("a",))
    assert None is r.rounding("2 upp", ("a",))
    assert [
        'c.toml:1:1: a: expected a rounding like "2 half-up", got the number 2',
        "c.toml:1:1: a: unknown rounding mode 'upp'; one of half-up, half-even, ceiling, "
        "floor, down, float",
    ] == _messages(r)


def test_labels_are_chinese_and_english() -> None:
    """A label is { zh, en }, or a string taken as Chinese; non-strings are problems."""
    r = _reader()
    assert Label("中文", None) == r.text_label("中文", ("a",))
    assert Label("z", "e") == r.text_label({"zh": "z", "en": "e"}, ("a",))
    assert Label(None, "E") == r.label({"zh": 1, "en": "E"}, ("a",))
    assert ["c.toml:1:1: a.zh: expected a string, got the number 1"] == _messages(r)


def test_a_refused_expression_is_a_problem_with_its_column_and_hint() -> None:
    """An expression that does not compile is reported with its column, text and hint."""
    r = _reader()
    assert None is r.expression("pm52 + 1", ("a",), {"pm25"}.__contains__, ["pm25"])
    assert [
        "c.toml:1:1: a: unknown name 'pm52' (at column 1 of the expression): "
        "'pm52 + 1' (did you mean 'pm25'?)"
    ] == _messages(r)


def test_a_number_is_an_expression_too() -> None:
    """A bare number where an expression belongs is the constant expression."""
    r = _reader()
    e = r.expression(5, ("a",), bool, [])
    assert e is not None
    assert Decimal(5) == e.evaluate({})
    assert None is r.expression(True, ("a",), bool, [])
    assert ["c.toml:1:1: a: expected an expression in quotes, got the boolean true"] == _messages(r)


def test_did_you_mean_finds_close_names_only() -> None:
    """A near miss gets a suggestion; a far one gets none."""
    assert "did you mean 'total'?" == did_you_mean("totl", ["total", "points"])
    assert None is did_you_mean("qqq", ["total"])
