"""Tests for ecoscore.io.cells: missing markers and numbers as people type them."""

# The house style writes asserts as `expected == actual`, which SIM300 calls Yoda.

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given

from ecoscore.io.cells import MISSING_MARKERS, clean_text, is_missing, parse_number
from strategies import typed_numbers


@pytest.mark.parametrize("text", sorted(MISSING_MARKERS))
def test_every_marker_is_missing(text: str) -> None:
    """Each listed marker reads as missing."""
    assert True is is_missing(text)


@pytest.mark.parametrize("text", [None, "", "   ", "\u3000", "\xa0-\xa0", " N/A ", "\u200b"])
def test_blank_and_padded_markers_are_missing(text: str | None) -> None:
    """None, blank text and markers with spaces around them read as missing."""
    assert True is is_missing(text)


@pytest.mark.parametrize("text", ["0", "无", "#N/A", "NaN", "null", "na", "---", "章贡区"])
def test_other_text_is_not_missing(text: str) -> None:
    """Zero, 无 ("none"), Excel errors and program output are not missing markers."""
    assert False is is_missing(text)


def test_clean_text_strips_wide_and_invisible_spaces() -> None:
    """Full-width, no-break and zero-width characters around the text are removed."""
    assert "章 贡" == clean_text("\u200b\u3000 章 贡\xa0\ufeff\t")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("95", "95"),
        (" 95.5 ", "95.5"),
        ("\u300095\u3000", "95"),
        ("\xa095\xa0", "95"),
        ("\u200b95", "95"),
        ("0.1", "0.1"),
        ("007", "7"),
        (".5", "0.5"),
        ("+5", "5"),
        ("-3.25", "-3.25"),
        ("９５．５", "95.5"),
        ("－３", "-3"),
        ("＋３", "3"),
        ("−3", "-3"),
        ("1,234.5", "1234.5"),
        ("12,345,678", "12345678"),
        ("-1,234", "-1234"),
        ("１，２３４．５", "1234.5"),
        ("95%", "95"),
        ("９５％", "95"),
        ("95 %", "95"),
        ("0.5%", "0.5"),
        ("1,234.5%", "1234.5"),
        ("1.5E+03", "1500"),
        ("2e-3", "0.002"),
    ],
)
def test_accepted_spellings(text: str, expected: str) -> None:
    """Each documented spelling reads as the number it shows."""
    assert Decimal(expected) == parse_number(text)


def test_result_is_exact() -> None:
    """Numbers are read from their text, so 0.1 + 0.2 is exactly 0.3."""
    assert Decimal("0.3") == parse_number("0.1") + parse_number("0.2")


def test_trailing_zeros_are_kept() -> None:
    """The number keeps the places it was typed with."""
    assert "33.50" == str(parse_number("33.50"))


@pytest.mark.parametrize(
    "text",
    [
        "1,23",
        "1234,567",
        "1,234,5",
        ",123",
        "1,,234",
        "1,234.567,8",
        "95,5",
        "NaN",
        "nan",
        "inf",
        "Infinity",
        "-",
        "9 5",
        "1 234",
        "(5)",
        "5-",
        "95µg",
        "约95",
        "٩٥",
        "10²",
        "1.2.3",
        "95%%",
        "%95",
        "%",
        "1_000",
        "0x10",
        "true",
    ],
)
def test_rejected_text(text: str) -> None:
    """Anything outside the documented spellings is a ValueError that quotes the text."""
    with pytest.raises(ValueError, match="not a number") as caught:
        parse_number(text)
    assert repr(text) in str(caught.value)


@pytest.mark.parametrize("text", ["", "  ", "\u3000"])
def test_empty_text_is_rejected(text: str) -> None:
    """Blank text is not a number; callers check is_missing first."""
    with pytest.raises(ValueError, match="empty cell"):
        parse_number(text)


def test_bad_grouping_message_explains_thousands() -> None:
    """A misplaced comma is explained as a thousands separator rule."""
    with pytest.raises(ValueError, match="groups of three digits"):
        parse_number("1,23")


def test_message_keeps_chinese_text_readable() -> None:
    """A rejected Chinese text appears as typed, not as escape codes."""
    with pytest.raises(ValueError, match="'约95'"):
        parse_number("约95")


@given(typed_numbers())
def test_typed_numbers_read_back(case: tuple[str, Decimal]) -> None:
    """Any Decimal typed with separators, full-width forms, % or spaces reads back the same."""
    text, value = case
    assert value == parse_number(text)
