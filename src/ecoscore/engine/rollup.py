"""Roll-ups: each unit's figures aggregated from its sub-units' rows, before scoring.

``roll_up`` reads every sub-unit table (``ecoscore.engine.subunits``), gives each row to
its unit and period, and works out every ``[rollup.<id>]`` for every unit of every
period, the current one and the earlier ones (so ``previous(good_share)`` reads last
year's share). Each figure is added to the unit's values: to every rule that follows
(derived values, indicators, grades, rankings, summaries) it is an input like any
other. The current period's figures are also kept whole (``RolledUp``), with the
sub-units behind each, for the unit's score card.

For one unit, the sub-units are taken sorted by key, so the order of the rows never
changes a figure. Each sub-unit is, in turn:

1. outside the roll-up, when its ``where`` is false;
2. lacking a figure one of its expressions reads: then ``if_missing`` decides: left out
   of the figure (``"leave-out"``, the default), kept in a count's or share's
   denominator as not counted (``"not-met"``), or an error (``"error"``) — and is listed;
3. considered: counted or not (a ``count``, a ``share``: ``when``), or bringing its
   ``value`` (the other aggregates).

A share is counted × 100 / considered, exactly (as a summary's share); a mean is the
exact sum over the count; ``worst``/``best`` take the declared order of the classes.
The figure is then rounded as declared (``round``), once. When no sub-unit is
considered — the unit has none in the period, or every one is outside or left out —
``if_empty`` gives the figure: missing (the default: the indicators reading it apply
their own ``missing`` policy, ``"exclude"`` leaving them out of their area), an error,
or a declared number.

Problems of the rows (an unknown unit, a class not declared) are reported for every
period; problems of the policies and expressions for the periods that are assessed (the
current one, and the earlier ones a rule reads the results of): in a period that only
lends its figures, a figure that cannot be worked out is missing, as a derived value's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping, Sequence, Set
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.engine.subunits import (
    SubunitRecord,
    SubunitRow,
    natural_key,
    period_rows,
    read_rows,
    table_period,
)
from ecoscore.engine.summary import aggregate_values, share_of
from ecoscore.errors import Location, Problem
from ecoscore.expr.expression import EvaluationFailure, Expression
from ecoscore.language.reader import did_you_mean
from ecoscore.model import Criteria, Label, Rollup, SubunitTable
from ecoscore.numbers import RoundingError
from ecoscore.results.rollups import RolledUp

__all__ = ["RolledUpPeriods", "Tables", "roll_up", "tables_without"]

#: What ``evaluate(tables=…)`` takes: each sub-unit table's rows, by table id.
Tables = Mapping[str, Iterable[Mapping[str, Any] | SubunitRow]]

_EMPTY_HINT = (
    'declare if_empty = "missing" (the indicators reading it then apply their missing '
    "policy) or a number on the roll-up"
)


@attrs.frozen
class RolledUpPeriods:
    """The roll-ups of an evaluation, one entry per period (the current first):
    ``figures[k][unit][rollup]``, and ``failed[k]``, the ``(unit, roll-up)`` pairs whose
    figure failed with a problem of its own (so what reads it is not reported again)."""

    figures: tuple[dict[str, dict[str, RolledUp]], ...] = ()
    failed: tuple[frozenset[tuple[str, str]], ...] = ()

    def of(self, position: int) -> dict[str, dict[str, RolledUp]]:
        """The figures of the period ``position`` places back, by unit (none: empty)."""
        return self.figures[position] if position < len(self.figures) else {}

    def failed_in(self, position: int) -> frozenset[tuple[str, str]]:
        """The failed figures of the period ``position`` places back."""
        return self.failed[position] if position < len(self.failed) else frozenset()


def roll_up(
    criteria: Criteria,
    tables: Tables,
    periods: Sequence[str | None],
    units: Sequence[Mapping[str, MutableMapping[str, Any]]],
    read_problems: list[Problem],
    problems: list[Problem],
    *,
    strict: Sequence[bool] = (True,),
    source: str = "<tables>",
) -> RolledUpPeriods:
    """Every roll-up of every unit in every period, added to its values, and kept whole.

    ``units`` holds each period's units' values (the current period first, then the
    previous ones, most recent first); ``periods`` their names where known. Problems of
    the rows go to ``read_problems``; those of working out a figure go to ``problems``
    for the periods ``strict`` marks (the assessed ones), and in the others only leave
    the figure missing.
    """
    if not _tables_given(criteria, tables, read_problems, source):
        return RolledUpPeriods()
    records: dict[str, list[list[SubunitRecord]]] = {}
    names: dict[str, list[str | None]] = {}
    for ident, table in criteria.subunits.items():
        read = read_rows(criteria, table, tables[ident], read_problems, source=source)
        _check_current_period(table, read, periods, read_problems, source)
        records[ident] = period_rows(table, read, periods, len(units))
        names[ident] = [table_period(table, read, periods, k) for k in range(len(units))]
        for k, listed in enumerate(records[ident]):
            _check_units(criteria, table, listed, set(units[k]), read_problems)
    if read_problems:
        return RolledUpPeriods()
    figures: list[dict[str, dict[str, RolledUp]]] = []
    failed: list[frozenset[tuple[str, str]]] = []
    for k, period in enumerate(units):
        reporting = problems if k < len(strict) and strict[k] else None
        by_unit = {ident: _by_unit(listed[k]) for ident, listed in records.items()}
        here: dict[str, dict[str, RolledUp]] = {}
        lost: set[tuple[str, str]] = set()
        for unit, values in period.items():
            figures_of: dict[str, RolledUp] = {}
            for rollup in criteria.rollups.values():
                table = criteria.subunits[rollup.table]
                rows = by_unit[rollup.table].get(unit, [])
                name = names[rollup.table][k]
                figure = _figure(criteria, rollup, table, unit, name, rows, reporting, k > 0)
                if figure is None:
                    values[rollup.id] = None
                    if reporting is not None:
                        lost.add((unit, rollup.id))
                    continue
                values[rollup.id] = figure.value
                figures_of[rollup.id] = figure
            here[unit] = figures_of
        figures.append(here)
        failed.append(frozenset(lost))
    return RolledUpPeriods(tuple(figures), tuple(failed))


def tables_without(criteria: Criteria, tables: Tables, units: Set[str]) -> Tables:
    """``tables`` less the rows of ``units`` (units a run that keeps going left out)."""
    if not units or not isinstance(tables, Mapping):
        return tables
    out: dict[str, Any] = {}
    for ident, rows in tables.items():
        spec = criteria.subunits.get(ident)
        if spec is None or isinstance(rows, (Mapping, str, bytes)):
            out[ident] = rows  # reported as it is
            continue
        out[ident] = [row for row in rows if _unit_of(row, spec) not in units]
    return out


def _unit_of(row: Any, spec: SubunitTable) -> Any:
    if isinstance(row, SubunitRow):
        return row.unit
    return row.get(spec.unit) if isinstance(row, Mapping) else None


def _tables_given(criteria: Criteria, tables: Tables, problems: list[Problem], source: str) -> bool:
    """Every declared table is given, and nothing else; ``False`` when there is nothing
    to roll up (no table declared, or a problem)."""
    before = len(problems)
    if not isinstance(tables, Mapping):
        problems.append(
            Problem(
                f"tables= maps each sub-unit table's id to its rows, not a {type(tables).__name__}",
                Location(source),
                'tables={"sections": [...]}',
            )
        )
        return False
    for ident in tables:
        if ident not in criteria.subunits:
            problems.append(
                Problem(
                    f"no sub-unit table named {ident!r} in the criteria",
                    Location(source, key=str(ident)),
                    did_you_mean(str(ident), criteria.subunits),
                )
            )
    for ident in criteria.subunits:
        if ident not in tables:
            problems.append(
                Problem(
                    f"no rows given for the sub-unit table {ident!r}",
                    Location(source),
                    f"pass tables={{{ident!r}: rows}}, or --table {ident}=FILE",
                )
            )
    return bool(criteria.subunits) and len(problems) == before


def _check_current_period(
    table: SubunitTable,
    read: Mapping[str | None, list[SubunitRecord]],
    periods: Sequence[str | None],
    problems: list[Problem],
    source: str,
) -> None:
    """A table with rows of other periods but none of the current one, named by the
    data, is a mismatch of names (``2024年`` and ``2024``), never "no sub-units"."""
    current = periods[0] if periods else None
    if table.period is None or current is None or not read or current in read:
        return
    found = ", ".join(str(p) for p in sorted(read, key=natural_key))
    problems.append(
        Problem(
            f"the sub-unit table {table.id!r} has no rows for the period {current!r}"
            f" (its periods: {found})",
            Location(source, key=table.id),
            "name the periods alike in the data and in the table",
        )
    )


def _check_units(
    criteria: Criteria,
    table: SubunitTable,
    records: Iterable[SubunitRecord],
    submitted: Set[str],
    problems: list[Problem],
) -> None:
    """Each row's unit is a unit of the criteria (``[units]``), or of the data."""
    known = set(criteria.units) or set(submitted)
    for record in records:
        if record.unit not in known:
            problems.append(
                Problem(
                    f"{table.id}: {record.key} belongs to {record.unit!r}, which is not a unit"
                    + ("" if criteria.units else " of the data"),
                    record.origin,
                    did_you_mean(record.unit, sorted(known)),
                )
            )


def _by_unit(records: Iterable[SubunitRecord]) -> dict[str, list[SubunitRecord]]:
    out: dict[str, list[SubunitRecord]] = {}
    for record in records:
        out.setdefault(record.unit, []).append(record)
    for listed in out.values():
        listed.sort(key=lambda r: r.key)  # the order of the rows never matters
    return out


class _Failed(Exception):
    """A figure that cannot be worked out (a problem is reported, if reporting)."""


def _figure(
    criteria: Criteria,
    rollup: Rollup,
    table: SubunitTable,
    unit: str,
    period: str | None,
    rows: Sequence[SubunitRecord],
    problems: list[Problem] | None,
    earlier: bool = False,
) -> RolledUp | None:
    """One unit's figure, or ``None`` when it failed. ``problems``: ``None`` for a period
    whose failures only leave the figure missing; ``earlier``: name the period in them."""
    where = Location(criteria.path, key=f"rollup.{rollup.id}")
    who = f"{unit} ({period})" if earlier and period is not None else unit
    try:
        return _work_out(rollup, table, who, period, rows, problems, where)
    except _Failed:
        return None


def _work_out(
    rollup: Rollup,
    table: SubunitTable,
    unit: str,
    period: str | None,
    rows: Sequence[SubunitRecord],
    problems: list[Problem] | None,
    declared: Location,
) -> RolledUp:
    def fail(message: str, where: Location, hint: str | None = None) -> _Failed:
        if problems is not None:
            problems.append(Problem(f"{unit}: rollup {rollup.id}: {message}", where, hint))
        return _Failed()

    considered: list[str] = []
    counted: list[str] = []
    brought: list[tuple[str, Any]] = []
    outside: list[str] = []
    left_out: list[tuple[str, tuple[str, ...]]] = []
    kept: list[tuple[str, tuple[str, ...]]] = []
    counting = rollup.aggregate in ("count", "share")
    for row in rows:
        if rollup.where is not None:
            inside, lacking = _read(rollup.where, row, bool, fail)
            if lacking:
                if rollup.if_missing == "error":
                    raise fail(f"{row.key} has no {', '.join(lacking)}", row.origin)
                left_out.append((row.key, lacking))
                continue
            if not inside:
                outside.append(row.key)
                continue
        e = rollup.when if counting else rollup.value
        if e is None:  # a count of every sub-unit considered
            considered.append(row.key)
            counted.append(row.key)
            continue
        value, lacking = _read(e, row, bool if counting else _kind(rollup), fail)
        if lacking:
            if rollup.if_missing == "error":
                raise fail(f"{row.key} has no {', '.join(lacking)}", row.origin)
            if rollup.if_missing == "not-met":
                kept.append((row.key, lacking))
                considered.append(row.key)
            else:
                left_out.append((row.key, lacking))
            continue
        considered.append(row.key)
        if counting:
            if value:
                counted.append(row.key)
        else:
            counted.append(row.key)
            brought.append((row.key, value))
    keys = tuple(row.key for row in rows)
    parts: dict[str, Any] = {
        "period": period,
        "subunits": keys,
        "considered": tuple(considered),
        "counted": tuple(counted),
        "values": tuple(brought),
        "outside": tuple(outside),
        "left_out": tuple(left_out),
        "kept": tuple(kept),
    }
    if not considered:
        return _empty(rollup, table, keys, parts, fail, declared)
    raw, at = _aggregate(rollup, len(counted), len(considered), brought)
    figure: Decimal | str = raw
    if rollup.rounding is not None and isinstance(raw, Decimal):
        try:
            figure = rollup.rounding(raw)
        except RoundingError as exc:
            raise fail(str(exc), declared) from None
    return RolledUp(rollup.id, table.id, rollup.aggregate, figure, raw, at=at, **parts)


def _kind(rollup: Rollup) -> type:
    return str if rollup.aggregate in ("worst", "best") else Decimal


def _read(e: Expression, row: SubunitRecord, want: type, fail: Any) -> tuple[Any, tuple[str, ...]]:
    """``e`` on the row: its value, or the names it lacks."""
    scope = {n: row.values.get(n) for n in e.needs}
    lacking = tuple(n for n, v in scope.items() if v is None)
    if lacking:
        return None, lacking
    try:
        value = e.evaluate(scope)
    except EvaluationFailure as exc:
        raise fail(f"{row.key}: {e.source}: {exc.message}", row.origin) from None
    if value.__class__ is not want:
        what = "true or false" if want is bool else "a number" if want is Decimal else "a class"
        shown = repr(value) if isinstance(value, str) else str(value).lower()
        raise fail(f"{row.key}: {e.source} gives {shown}, not {what}", row.origin)
    return value, ()


def _aggregate(
    rollup: Rollup, counted: int, considered: int, brought: list[tuple[str, Any]]
) -> tuple[Decimal | str, tuple[str, ...]]:
    """The exact figure, and the sub-units that gave a min, max, worst or best."""
    aggregate = rollup.aggregate
    if aggregate == "count":
        return Decimal(counted), ()
    if aggregate == "share":
        return share_of(counted, considered), ()
    if aggregate in ("worst", "best"):
        rank = {c: i for i, c in enumerate(rollup.classes)}  # best first
        pick = max if aggregate == "worst" else min
        chosen = pick(brought, key=lambda kv: rank[kv[1]])[1]
        return chosen, tuple(k for k, v in brought if v == chosen)
    values = [v for _, v in brought]
    figure = aggregate_values(aggregate, values)
    at = tuple(k for k, v in brought if v == figure) if aggregate in ("min", "max") else ()
    return figure, at


def _empty(
    rollup: Rollup,
    table: SubunitTable,
    keys: tuple[str, ...],
    parts: dict[str, Any],
    fail: Any,
    declared: Location,
) -> RolledUp:
    """The figure when no sub-unit is considered, as ``if_empty`` declares."""
    name_zh, name_en = table.label.zh or table.id, table.label.en or table.id
    if keys:
        why = Label(f"没有可参与计算的{name_zh}", f"no {name_en} sub-unit considered")
    else:
        why = Label(f"无{name_zh}", f"no {name_en} sub-units")
    if rollup.if_empty == "error":
        raise fail(f"{why.en}: nothing to aggregate", declared, _EMPTY_HINT)
    if isinstance(rollup.if_empty, Decimal):
        n = rollup.if_empty
        note = Label(f"{why.zh}，按{n}计", f"{why.en}: {n}, as declared")
        return RolledUp(rollup.id, table.id, rollup.aggregate, n, n, note=note, **parts)
    note = Label(f"{why.zh}，该项缺失", f"{why.en}: the figure is missing")
    return RolledUp(rollup.id, table.id, rollup.aggregate, None, None, note=note, **parts)
