"""Sub-unit rows: one sub-unit's figures (a section, a station), checked against its table.

A row comes from a file (``ecoscore.io.subunit_tables``, as a ``SubunitRow`` with the
location of every cell) or from a plain mapping (``{"section": "NK01", "county": "南康区",
"year": "2024", "water_class": "Ⅲ"}``), keyed by the columns the ``[subunits.<id>]``
table declares. ``read_rows`` checks them all and reports every problem at once: a row
that names no sub-unit or no unit, a column the table does not declare, a sub-unit
listed twice in a period, and each figure as a unit's figures are checked
(``ecoscore.engine.submission``: types, ranges, whole numbers, classes not declared).

Periods. Rows of a table with a ``period`` column are matched to the periods of the
evaluation by name when the evaluation names them (``period=`` and ``Period`` values, or
``[periods]``); otherwise the table's
own periods, most recent first (the digits in a name compared as numbers), are the
current period, then the previous ones, in order. A table with no period column holds
the current period only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.engine.submission import Submission, Value, read_period
from ecoscore.errors import Location, Problem
from ecoscore.language.reader import did_you_mean
from ecoscore.model import Criteria, SubunitTable

__all__ = ["SubunitRecord", "SubunitRow", "period_rows", "read_rows"]

_DIGITS = re.compile(r"(\d+)", re.ASCII)


@attrs.frozen
class SubunitRow:
    """One sub-unit's row as read from a file: its key, its unit, its period, its figures
    (text as typed, or values), and where each was."""

    key: str
    unit: str
    period: str | None
    values: Mapping[str, Any]
    locations: Mapping[str, Location] = attrs.field(factory=dict)
    origin: Location = Location()


@attrs.frozen
class SubunitRecord:
    """One sub-unit's checked figures in one period (``None`` where missing)."""

    key: str
    unit: str
    values: Mapping[str, Value]
    origin: Location = Location()


def _row(table: SubunitTable, raw: Any, index: int, source: str, problems: list[Problem]) -> Any:
    """A plain mapping as a ``SubunitRow``; ``None`` (and problems) when it cannot be one."""
    if isinstance(raw, SubunitRow):
        return raw
    where = Location(source, key=f"{table.id}[{index}]")
    if not isinstance(raw, Mapping):
        problems.append(
            Problem(f"a row is a mapping of names to values, not a {type(raw).__name__}", where)
        )
        return None
    columns = [table.key, table.unit, *([table.period] if table.period else [])]
    for name in raw:
        if name not in columns and name not in table.inputs:
            problems.append(
                Problem(
                    f"unknown name {name!r}: not a column of the sub-unit table {table.id!r}",
                    Location(source, key=f"{table.id}[{index}].{name}"),
                    did_you_mean(str(name), [*columns, *table.inputs]),
                )
            )
    key, unit = _text(raw.get(table.key)), _text(raw.get(table.unit))
    period = _text(raw.get(table.period)) if table.period else None
    for name, text in ((table.key, key), (table.unit, unit)):
        if text is None:
            problems.append(Problem(f"a row with no {name!r}", where))
    if table.period and period is None:
        problems.append(Problem(f"a row with no {table.period!r} (the period)", where))
    if key is None or unit is None:
        return None
    values = {k: v for k, v in raw.items() if k in table.inputs}
    return SubunitRow(key, unit, period, values, origin=where)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def read_rows(
    criteria: Criteria,
    table: SubunitTable,
    rows: Iterable[Mapping[str, Any] | SubunitRow],
    problems: list[Problem],
    *,
    source: str = "<tables>",
) -> dict[str | None, list[SubunitRecord]]:
    """Every row of ``table``, checked, by period (``None`` when the table has no period
    column); problems are appended to ``problems``."""
    if isinstance(rows, (Mapping, str, bytes)):
        problems.append(
            Problem(
                f"the rows of {table.id!r} are a list of records, one mapping per sub-unit",
                Location(source, key=table.id),
            )
        )
        return {}
    # The figures are checked as a unit's are, by the criteria of the table's inputs alone.
    figures = Criteria(id=table.id, title=table.label, inputs=table.inputs)
    by_period: dict[str | None, list[SubunitRow]] = {}
    first: dict[tuple[str | None, str], SubunitRow] = {}
    for i, raw in enumerate(rows):
        row = _row(table, raw, i, source, problems)
        if row is None:
            continue
        period = row.period if table.period else None
        earlier = first.get((period, row.key))
        if earlier is not None:
            when = "" if period is None else f" in {period}"
            problems.append(
                Problem(
                    f"{table.id}: {row.key!r} is listed twice{when} (first at {earlier.origin})",
                    row.origin,
                )
            )
            continue
        first[(period, row.key)] = row
        by_period.setdefault(period, []).append(row)
    out: dict[str | None, list[SubunitRecord]] = {}
    for period, listed in by_period.items():
        subs = [Submission(r.key, r.values, r.locations, origin=r.origin) for r in listed]
        typed = read_period(figures, subs, problems, source=source, check_units=False)
        out[period] = [
            SubunitRecord(r.key, r.unit, typed[r.key][1], r.origin)
            for r in listed
            if r.key in typed
        ]
    return out


def period_rows(
    table: SubunitTable,
    read: Mapping[str | None, list[SubunitRecord]],
    periods: Sequence[str | None],
    count: int,
) -> list[list[SubunitRecord]]:
    """The table's records for each of ``count`` periods (the current one first).

    ``periods`` names them where the evaluation knows their names; see the module
    docstring for the rule."""
    out: list[list[SubunitRecord]] = [[] for _ in range(count)]
    if table.period is None:
        out[0] = list(read.get(None, []))
        return out
    names = list(periods)[:count]
    if any(name is not None for name in names):
        for k, name in enumerate(names):
            if name is not None:
                out[k] = list(read.get(name, []))
        return out
    for k, name in enumerate(sorted(read, key=natural_key, reverse=True)[:count]):
        out[k] = list(read[name])
    return out


def table_period(
    table: SubunitTable,
    read: Mapping[str | None, list[SubunitRecord]],
    periods: Sequence[str | None],
    k: int,
) -> str | None:
    """The name of the period whose rows ``period_rows`` gives as the ``k``-th."""
    if table.period is None:
        return None
    names = list(periods)
    if any(name is not None for name in names):
        return names[k] if k < len(names) else None
    found = sorted(read, key=natural_key, reverse=True)
    return found[k] if k < len(found) else None


def natural_key(name: str | None) -> tuple[tuple[int, Decimal | str], ...]:
    """A sort key that compares the digit runs of a period's name as numbers (``2023`` <
    ``2024``, ``2024-2`` < ``2024-10``), as ``ecoscore.io.submissions`` sorts periods."""
    if name is None:
        return ()
    parts = _DIGITS.split(name)
    return tuple((0, Decimal(p)) if p.isascii() and p.isdigit() else (1, p) for p in parts if p)
