"""Exact decimal numbers: reading them from text, and declared rounding.

Everything that is scored is a ``decimal.Decimal`` made from the text of the input, so
``0.1 + 0.2 == 0.3``. Rounding is never implicit: a criteria file declares the places and
the mode at each stage, for example ``"2 half-up"``.

Modes (GB/T 8170-2008 is the Chinese standard on rounding, 数值修约):

=================  ===========================================================
``half-up``        四舍五入: ties away from zero (2.345 → 2.35)
``half-even``      四舍六入五成双, GB/T 8170: ties to even (2.345 → 2.34)
``ceiling``        towards +∞ (the Chinese IAQI: 86.25 → 87)
``floor``          towards −∞
``down``           towards zero, i.e. truncation (US EPA inputs)
``float``          as Python's ``round(float(x), places)`` on IEEE doubles, for checking
                   figures that others computed with binary floats (72.25 → 72.2,
                   96.65 → 96.7); the only place a binary float touches a score
=================  ===========================================================
"""

from __future__ import annotations

import decimal
import math
import re
from decimal import Decimal

import attrs

__all__ = [
    "CONTEXT",
    "EXACT_SUM",
    "MAX_PLACES",
    "MIN_PLACES",
    "MODES",
    "Rounding",
    "RoundingError",
    "parse_decimal",
    "parse_rounding",
]

#: The arithmetic context of every score: 34 significant digits (IEEE decimal128), and
#: an exception rather than a silent NaN or infinity on any invalid operation.
CONTEXT = decimal.Context(
    prec=34,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

#: The context of sums and differences in the tree and its trace: wide enough that adding
#: scores is exact, so a card's steps add up to its total to the last digit.
EXACT_SUM = decimal.Context(
    prec=999,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact],
)

_DECIMAL_MODES = {
    "half-up": decimal.ROUND_HALF_UP,
    "half-even": decimal.ROUND_HALF_EVEN,
    "ceiling": decimal.ROUND_CEILING,
    "floor": decimal.ROUND_FLOOR,
    "down": decimal.ROUND_DOWN,
}

#: Every rounding mode a criteria file may name.
MODES: tuple[str, ...] = (*_DECIMAL_MODES, "float")

#: The places a rounding may declare: from -6 (to millions; -1 rounds to tens, so 96.1
#: is 100) to 12 decimal places. Negative places serve published figures rounded to tens
#: or hundreds; beyond these, a rounding is more likely a slip than a rule.
MIN_PLACES = -6
MAX_PLACES = 12


def parse_decimal(text: str) -> Decimal:
    """Read a plain number from its text exactly; raise ``ValueError`` on anything else.

    Only ordinary decimal notation is accepted: no NaN, no infinity, no underscores.
    Cell quirks (``95%``, full-width digits) are the spreadsheet reader's concern.
    """
    stripped = text.strip()
    # Fast path: what Decimal reads and is finite, minus the underscores it also allows.
    try:
        value = Decimal(stripped)
    except ArithmeticError:
        raise ValueError(f"not a number: {text!r}") from None
    # Decimal also reads underscores (1_000) and any script's digits; plain notation is
    # what remains once those are ruled out: [+-] digits [. digits] [e [+-] digits].
    if value.is_finite() and stripped.isascii() and "_" not in stripped:
        return value
    raise ValueError(f"not a number: {text!r}")


class RoundingError(ArithmeticError):
    """A value that a declared rounding cannot round (too large for its places)."""


@attrs.frozen
class Rounding:
    """A declared rounding: a number of decimal places and a mode."""

    places: int
    mode: str = "half-up"
    _quantum: Decimal = attrs.field(init=False, repr=False, eq=False)
    _rounding: str = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        # Values are built by the loader, which reports bad input with its location;
        # this only guards programmatic misuse.
        if self.mode not in MODES:
            raise ValueError(f"unknown rounding mode {self.mode!r}")
        object.__setattr__(self, "_quantum", Decimal(1).scaleb(-self.places))
        object.__setattr__(self, "_rounding", _DECIMAL_MODES.get(self.mode, ""))

    @property
    def quantum(self) -> Decimal:
        """The unit of the last place kept: ``0.01`` for 2 places."""
        return self._quantum

    @property
    def decimal_rounding(self) -> str | None:
        """The ``decimal`` module's rounding constant of the mode (``None``: ``float``)."""
        return self._rounding or None

    def __call__(self, value: Decimal) -> Decimal:
        """Round ``value`` to ``places`` places with ``mode``; raise ``RoundingError``
        when it cannot be (a number too large to hold that many places)."""
        try:
            if self.mode == "float":
                as_float = float(value)
                if not math.isfinite(as_float):
                    raise RoundingError(f"{value} is too large for a binary double")
                # The double's shortest repr, then the declared places (3.0 → 3.00).
                rounded = Decimal(repr(round(as_float, self.places)))
                return rounded.quantize(self._quantum, context=CONTEXT)
            return value.quantize(self._quantum, rounding=self._rounding, context=CONTEXT)
        except decimal.InvalidOperation:
            raise RoundingError(
                f"{value} cannot be rounded to {self.places} places (too many digits)"
            ) from None

    def __str__(self) -> str:
        return f"{self.places} {self.mode}"


def parse_rounding(text: str) -> Rounding:
    """Read ``"<places> <mode>"`` (for example ``"2 half-up"``); raise ``ValueError``."""
    parts = text.split()
    if len(parts) != 2 or not re.fullmatch(r"-?\d+", parts[0]):
        raise ValueError(f'a rounding is "<places> <mode>", like "2 half-up", not {text!r}')
    places, mode = int(parts[0]), parts[1]
    if mode not in MODES:
        raise ValueError(f"unknown rounding mode {mode!r}; one of {', '.join(MODES)}")
    if not MIN_PLACES <= places <= MAX_PLACES:
        raise ValueError(f"{places} places is out of range ({MIN_PLACES} to {MAX_PLACES})")
    return Rounding(places, mode)


def is_finite(value: Decimal) -> bool:
    """Whether ``value`` is an ordinary finite number."""
    return value.is_finite()


def ln(value: Decimal) -> Decimal:
    """The natural logarithm, exact to the scoring context's precision."""
    return value.ln(CONTEXT)


def exp(value: Decimal) -> Decimal:
    """e to the power ``value``, exact to the scoring context's precision."""
    return value.exp(CONTEXT)


def sqrt(value: Decimal) -> Decimal:
    """The square root, exact to the scoring context's precision."""
    return value.sqrt(CONTEXT)


def power(base: Decimal, exponent: Decimal) -> Decimal:
    """``base ** exponent`` in the scoring context."""
    return CONTEXT.power(base, exponent)
