"""Submissions: one unit's figures for one period, checked against the declared inputs.

A submission comes from a spreadsheet row (``ecoscore.io``) or from a plain Python
mapping (``{"unit": "章贡区", "pm25": "22", ...}``). Values may be text (read exactly),
``Decimal``, ``int``, ``bool`` or ``None`` (missing). A ``float`` is taken at its
shortest repr (``0.1`` → ``Decimal("0.1")``), which is the number its writer typed;
pass text or ``Decimal`` to avoid even that.

``read_period`` turns a period's submissions into typed values per unit, and reports
every problem at once: an unknown or repeated unit, a text where a number belongs, a
number out of its declared range, NaN or infinity.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from ecoscore.errors import Location, Problem
from ecoscore.language.reader import did_you_mean
from ecoscore.model import Criteria, Label
from ecoscore.numbers import parse_decimal

__all__ = ["UNIT_KEYS", "Period", "Submission", "as_submission", "read_period"]

#: Keys that name the unit in a plain record, in the order they are looked for.
UNIT_KEYS = ("unit", "单位", "id")

_TRUE = frozenset({"true", "yes", "1", "是", "y", "t", "√"})
_FALSE = frozenset({"false", "no", "0", "否", "n", "f", "×"})

Value = Decimal | str | bool | None


@attrs.frozen
class Submission:
    """One unit's submitted values for one period, with where each came from."""

    unit: str
    values: Mapping[str, Any]
    locations: Mapping[str, Location] = attrs.field(factory=dict)
    label: Label = Label()
    origin: Location = Location()
    #: Set by a reader that checked the values (``ecoscore.io``): the criteria they were
    #: checked against and the typed values, so that ``evaluate`` does not check them
    #: again for those criteria.
    checked: tuple[Criteria, Mapping[str, Any]] | None = attrs.field(
        default=None, eq=False, repr=False
    )

    def where(self, name: str) -> Location:
        """The location of ``name``'s value, or of the row."""
        return self.locations.get(name, self.origin)


@attrs.frozen
class Period:
    """One period's submissions; ``name`` is the period's name (``None``: none)."""

    name: str | None
    submissions: tuple[Submission, ...]


def as_submission(record: Mapping[str, Any] | Submission, index: int, source: str) -> Submission:
    """A plain mapping as a ``Submission``; the unit is under ``unit`` (or 单位, id)."""
    if isinstance(record, Submission):
        return record
    for key in UNIT_KEYS:
        if key in record and record[key] not in (None, ""):
            values = {k: v for k, v in record.items() if k != key}
            return Submission(
                str(record[key]).strip(), values, origin=Location(source, key=f"[{index}]")
            )
    return Submission("", dict(record), origin=Location(source, key=f"[{index}]"))


#: Submitted figures are scored exactly in 34 significant digits; a figure outside these
#: bounds is refused where it was typed rather than failing deep inside a rule.
_LARGEST_EXPONENT = 30


def _sane(value: Decimal, text: str | None = None) -> Decimal:
    """``value`` if it can be scored exactly, else a ``ValueError`` saying why; ``text`` is
    what it was read from, when known."""
    if value and not -_LARGEST_EXPONENT <= value.adjusted() <= _LARGEST_EXPONENT:
        raise ValueError(
            f"{value} is too large or too small to score (between 1e-{_LARGEST_EXPONENT} and "
            f"1e{_LARGEST_EXPONENT})"
        )
    # A text of at most 34 characters cannot hold more than 34 digits: no need to count.
    if (text is None or len(text) > 34) and len(value.as_tuple().digits) > 34:
        raise ValueError(f"{value} has more than 34 significant digits")
    return value


def _number(raw: Any) -> Decimal:
    return _sane(_plain_number(raw))


def _plain_number(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError("a yes/no value where a number belongs")
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise ValueError(f"{raw} is not a finite number")
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueError(f"{raw} is not a finite number")
        return Decimal(repr(raw))
    if isinstance(raw, str):
        try:
            return parse_decimal(raw)
        except (ValueError, InvalidOperation):
            raise ValueError(f"{raw!r} is not a number") from None
    raise ValueError(f"a {type(raw).__name__} is not a number")


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{raw!r} is not yes or no (true/false, 是/否, 1/0)")


def _missing(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _typed(kind: str, raw: Any, allowed: tuple[str, ...]) -> Value:
    if kind == "number":
        return _number(raw)
    if kind == "bool":
        return _boolean(raw)
    text = str(raw).strip()
    if allowed and text not in allowed:
        raise ValueError(f"{text!r} is not one of {', '.join(allowed)}")
    return text


class _Reading:
    """How a unit's figures are read, worked out once per period from the criteria."""

    __slots__ = ("attributes", "criteria", "inputs", "ranges")

    def __init__(self, criteria: Criteria) -> None:
        self.criteria = criteria
        # (name, spec, a number, whole numbers only) in the criteria's order.
        self.inputs = tuple(
            (n, s, s.type == "number", s.integer) for n, s in criteria.inputs.items()
        )
        self.attributes = tuple(criteria.attributes.items())
        # (name, minimum, maximum) for the inputs with a declared range.
        self.ranges = tuple(
            (n, s.minimum, s.maximum)
            for n, s in criteria.inputs.items()
            if s.minimum is not None or s.maximum is not None
        )


def read_unit(reading: _Reading, sub: Submission, problems: list[Problem]) -> dict[str, Value]:
    """A unit's typed values: inputs and attributes, ``None`` where missing."""
    env: dict[str, Value] = {}
    values = sub.values
    for name, spec, is_number, integer in reading.inputs:
        raw = values.get(name)
        if is_number and raw.__class__ is str and len(raw) <= 34:
            # The common case first: a number as text, as spreadsheets give them. This is
            # parse_decimal and _sane inlined; anything they would refuse or need to look
            # at closer takes the slow path below, which says what is wrong.
            text = raw.strip()
            try:
                number = Decimal(text)
            except ArithmeticError:
                number = None
            if (
                number is not None
                and number.is_finite()
                and text.isascii()
                and "_" not in text
                and (not number or -_LARGEST_EXPONENT <= number.adjusted() <= _LARGEST_EXPONENT)
            ):
                env[name] = number
                if integer:
                    _whole(sub, name, number, problems)
                continue
        elif is_number and raw.__class__ is Decimal:
            # A number a spreadsheet reader already read exactly (ecoscore.io's cells).
            try:
                number = _sane(_plain_number(raw))
            except ValueError:
                pass  # the slow path below says what is wrong
            else:
                env[name] = number
                if integer:
                    _whole(sub, name, number, problems)
                continue
        if _missing(raw):
            env[name] = None
            continue
        try:
            value = _typed(spec.type, raw, spec.values)
        except ValueError as exc:
            problems.append(Problem(f"{sub.unit}: {name}: {exc}", sub.where(name)))
            env[name] = None
            continue
        if isinstance(value, Decimal) and spec.integer:
            _whole(sub, name, value, problems)
        env[name] = value
    unit = reading.criteria.units.get(sub.unit)
    for name, attribute in reading.attributes:
        raw = sub.values.get(name)
        if _missing(raw) and unit is not None:
            raw = unit.attributes.get(name)
        if _missing(raw):
            env[name] = None
            continue
        try:
            env[name] = _typed(attribute.type, raw, attribute.values)
        except ValueError as exc:
            problems.append(Problem(f"{sub.unit}: {name}: {exc}", sub.where(name)))
            env[name] = None
    # Ranges last: a bound may be another input ("rectified at most found").
    for name, minimum, maximum in reading.ranges:
        value = env[name]
        if value.__class__ is not Decimal:
            continue
        low = env.get(minimum) if minimum.__class__ is str else minimum
        if low.__class__ is Decimal and value < low:
            _out_of_range(sub, name, value, minimum, low, problems)
        high = env.get(maximum) if maximum.__class__ is str else maximum
        if high.__class__ is Decimal and value > high:
            _out_of_range(sub, name, value, maximum, high, problems)
    return env


def _whole(sub: Submission, name: str, number: Decimal, problems: list[Problem]) -> None:
    if number != number.to_integral_value():
        problems.append(
            Problem(f"{sub.unit}: {name}: {number} is not a whole number", sub.where(name))
        )


def _out_of_range(
    sub: Submission,
    name: str,
    value: Decimal,
    bound: Any,
    limit: Any,
    problems: list[Problem],
) -> None:
    word = "above the maximum" if value > limit else "below the minimum"
    what = f"{bound} = {limit}" if isinstance(bound, str) else str(limit)
    problems.append(Problem(f"{sub.unit}: {name}: {value} is {word} ({what})", sub.where(name)))


def read_period(
    criteria: Criteria,
    records: Iterable[Mapping[str, Any] | Submission],
    problems: list[Problem],
    *,
    source: str = "<submissions>",
    check_units: bool = True,
) -> dict[str, tuple[Submission, dict[str, Value]]]:
    """Every unit's submission and typed values; problems are appended to ``problems``."""
    out: dict[str, tuple[Submission, dict[str, Value]]] = {}
    if isinstance(records, (Mapping, str, bytes)):
        # A common slip: one record, or a flat list given where periods were meant.
        problems.append(
            Problem(
                "expected a list of records (one mapping per unit), got "
                + ("a mapping" if isinstance(records, Mapping) else "a text"),
                Location(source),
                "previous= takes a list of periods, each a list of records"
                if "previous" in source
                else None,
            )
        )
        return out
    known = {*criteria.inputs, *criteria.attributes, *UNIT_KEYS}
    reading = _Reading(criteria)
    for i, record in enumerate(records):
        if not isinstance(record, (Mapping, Submission)):
            problems.append(
                Problem(
                    f"a record is a mapping of names to values, not a {type(record).__name__}",
                    Location(source, key=f"[{i}]"),
                )
            )
            continue
        if not isinstance(record, Submission):
            for key in record:
                if key not in known:
                    # A mistyped name would otherwise be read as a missing value.
                    problems.append(
                        Problem(
                            f"unknown name {key!r}: not an input or attribute of the criteria",
                            Location(source, key=f"[{i}].{key}"),
                            did_you_mean(str(key), [*criteria.inputs, *criteria.attributes]),
                        )
                    )
        sub = as_submission(record, i, source)
        if not sub.unit:
            problems.append(Problem("a row with no unit name", sub.origin))
            continue
        if sub.unit in out:
            first = out[sub.unit][0].origin
            problems.append(
                Problem(f"unit {sub.unit!r} is listed twice (first at {first})", sub.origin)
            )
            continue
        if check_units and criteria.units and sub.unit not in criteria.units:
            problems.append(
                Problem(
                    f"unknown unit {sub.unit!r}", sub.origin, did_you_mean(sub.unit, criteria.units)
                )
            )
            continue
        if sub.checked is not None and sub.checked[0] is criteria:
            # Read and checked by the spreadsheet reader already: not a second time.
            out[sub.unit] = (sub, dict(sub.checked[1]))
            continue
        out[sub.unit] = (sub, read_unit(reading, sub, problems))
    if check_units and criteria.units:
        for name in criteria.units:
            if name not in out:
                problems.append(Problem(f"no figures for unit {name!r}", Location(source)))
    return out
