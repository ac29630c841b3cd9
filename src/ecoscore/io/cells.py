"""Cell text as people type it: missing-value markers, and numbers read exactly.

Counties type their figures by hand, often with a Chinese input method on, so the same
number arrives in many spellings. ``parse_number`` accepts these, and nothing else:

=====================================  ==================================================
what is typed                          how it is read
=====================================  ==================================================
surrounding spaces                     removed: ASCII whitespace, the full-width space
                                       U+3000, the no-break space U+00A0, and zero-width
                                       characters pasted from web pages (U+200B–U+200D,
                                       U+2060, U+FEFF)
full-width forms ``９５．５``                read as their ASCII twins (U+FF01–U+FF5E:
                                       digits, ``．``, ``，``, ``＋``, ``－``, ``％``,
                                       ``Ｅ``), so ``９５．５`` is 95.5 and ``－３`` is -3
the minus sign ``−`` (U+2212)          read as ``-``
thousands separators ``1,234.5``       removed, but only when every group after the
                                       first has exactly three digits and the first has
                                       one to three: ``1,23`` and ``1234,567`` are
                                       rejected, as is a separator after the point
a trailing ``%`` or ``％``              removed, keeping the number: ``95%`` is 95, not
                                       0.95. A column that holds rates is therefore
                                       expected in percent units, whether or not its
                                       cells carry the sign; ``0.95`` in such a column is
                                       0.95 %, which this module cannot tell apart.
                                       A space before the sign is allowed
an exponent ``1.5E+03``                kept (Excel writes large numbers so in CSV)
=====================================  ==================================================

Everything else is rejected with a ``ValueError`` that quotes the text: NaN, infinity,
empty text, inner spaces (``9 5``), digits of other scripts, accounting negatives
(``(5)``, ``5-``), and units or words (``95 µg/m³``, ``约95``). The final step is
``ecoscore.numbers.parse_decimal``, so the value is an exact ``Decimal`` of the text and
never passes through a binary float.

Missing values are spelled in several ways too; ``MISSING_MARKERS`` lists those that mean
"no figure" and ``is_missing`` tests for them. Whether a missing figure is an error, zero
points or something else is declared per indicator in the criteria, not decided here.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ecoscore.numbers import parse_decimal

__all__ = [
    "MISSING_MARKERS",
    "clean_text",
    "is_missing",
    "parse_number",
]

#: Cell texts (after ``clean_text``) that mean "no figure here". Each one, and why:
#:
#: - ``""``: an empty cell, or one of only spaces.
#: - ``"-"``, ``"--"``: the usual "no data" dash typed on an ASCII keyboard. Beware that
#:   Excel's accounting format shows zero as ``-`` and "Save as CSV" writes what is
#:   shown; such a zero arrives as missing, and the indicator's missing-data policy
#:   applies to it (the default policy, an error, brings it to light).
#: - ``"—"`` (em dash U+2014), ``"——"`` (the Chinese dash 破折号, two em dashes),
#:   ``"–"`` (en dash U+2013), ``"－"`` (full-width hyphen-minus U+FF0D): the same dash
#:   typed with a Chinese input method or autocorrected by Word and WPS.
#: - ``"/"``, ``"／"``: 不适用, "not applicable", in Chinese forms.
#: - ``"N/A"``, ``"n/a"``, ``"NA"``: "not available" in English.
#: - ``"无数据"``, ``"暂无数据"``: "no data", "no data yet".
#: - ``"缺测"``: "not measured", the monitoring networks' word.
#:
#: ``"无"`` ("none") is deliberately not a marker: for a count such as major incidents it
#: means zero as often as "no data", so it is rejected as a number and must be fixed.
#: ``"#N/A"`` is not a marker either: it is an Excel error, which the table reader
#: reports. Nor are ``"NaN"`` or ``"null"``, which are program output, not typing.
MISSING_MARKERS: frozenset[str] = frozenset(
    {
        "",
        "-",
        "--",
        "—",
        "——",
        "–",
        "－",
        "/",
        "／",
        "N/A",
        "n/a",
        "NA",
        "无数据",
        "暂无数据",
        "缺测",
    }
)

_EDGE_BLANKS = re.compile(
    r"^[\s\u200b\u200c\u200d\u2060\ufeff]+|[\s\u200b\u200c\u200d\u2060\ufeff]+$"
)

# The full-width block U+FF01–U+FF5E mirrors ASCII 0x21–0x7E at a fixed offset. Only
# this block is mapped: a general NFKC normalisation would also turn "10²" into "102".
_TO_ASCII: dict[int, int] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_TO_ASCII[0x2212] = ord("-")

_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?", re.ASCII)

_HOW_TO_WRITE = "write numbers like 95.5, 1,234.5 or 95%"


def clean_text(text: str) -> str:
    """``text`` without surrounding whitespace (full-width and no-break spaces included)
    or zero-width characters."""
    return _EDGE_BLANKS.sub("", text)


def is_missing(text: str | None) -> bool:
    """Whether a cell's text means "no figure": ``None``, blank, or a missing marker."""
    return text is None or clean_text(text) in MISSING_MARKERS


def parse_number(text: str) -> Decimal:
    """Read a number as typed in a cell, exactly; raise ``ValueError`` naming the text.

    The accepted spellings are listed in the module docstring. A percentage keeps its
    number: ``"95%"`` is ``Decimal("95")``.
    """
    plain = clean_text(text).translate(_TO_ASCII)
    if not plain:
        raise ValueError(f"no number in an empty cell {text!r} (空白, 不是数字)")
    if plain.endswith("%"):
        plain = plain[:-1].rstrip()
    # Decimal() and re's \d both accept the digits of every script; only ASCII (and the
    # full-width digits mapped to it above) is taken, so a stray symbol never becomes one.
    if not plain.isascii():
        raise ValueError(f"not a number: {text!r} (不是数字; {_HOW_TO_WRITE})")
    if "," in plain:
        if not _GROUPED.fullmatch(plain):
            raise ValueError(
                f"not a number: {text!r} (不是数字; a comma may only separate thousands,"
                " in groups of three digits, like 1,234.5)"
            )
        plain = plain.replace(",", "")
    try:
        return parse_decimal(plain)
    except ValueError:
        raise ValueError(f"not a number: {text!r} (不是数字; {_HOW_TO_WRITE})") from None
