"""Evaluation that keeps going: units that cannot be scored are left out, with why.

``evaluate_keeping_going`` evaluates as ``ecoscore.engine.evaluation.evaluate`` does;
when that fails, it finds the unit each problem belongs to — the row it is located at
(``Submission.origin`` or one of its cells) or the unit its message names
(``"章贡区: …"``) — leaves those units out, and evaluates the others again, until the
evaluation succeeds. A problem that belongs to no unit (a ranking over nobody, a quota
that cannot be met) is not a unit's fault: it stops the run as it would a strict one.

The units scored are then scored, ranked and graded among themselves, as if the others
had not been submitted: a cohort rule (points by rank, the efficacy coefficient) sees only
them. Each evaluation is the strict one, unchanged, so a unit that is scored is scored
exactly as a strict run over the same units would score it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ecoscore.engine.evaluation import evaluate
from ecoscore.engine.rollup import Tables, tables_without
from ecoscore.engine.submission import Period, Submission, as_submission
from ecoscore.errors import DataError, Location, Problem
from ecoscore.model import Criteria
from ecoscore.results.assessment import Results
from ecoscore.results.left_out import LeftOut, merge_left_out

__all__ = ["evaluate_keeping_going", "unit_of", "without_units"]

Record = Mapping[str, Any] | Submission


def evaluate_keeping_going(
    criteria: Criteria,
    submissions: Iterable[Record],
    *,
    previous: Sequence[Iterable[Record] | Period] = (),
    source: str = "<submissions>",
    left_out: Iterable[LeftOut] = (),
    period: str | None = None,
    tables: Tables | None = None,
) -> Results:
    """``evaluate``, leaving out the units whose figures cannot be read or scored; the
    results list them in ``Results.left_out`` (with ``left_out``, the units a reader
    already left out). Raises as ``evaluate`` does for a problem that belongs to no
    unit, and when no unit at all can be scored."""
    records = [as_submission(record, k, source) for k, record in enumerate(submissions)]
    earlier = [p if isinstance(p, Period) else list(p) for p in previous]
    dropped: list[LeftOut] = list(left_out)
    while True:
        try:
            # A unit of [units] left out is not asked for: the others are scored alone.
            kept = without_units(criteria, {entry.unit for entry in dropped})
            # The left-out units' sub-units go with them (engine.rollup).
            rows = tables_without(criteria, tables, {e.unit for e in dropped}) if tables else None
            results = evaluate(
                kept, records, previous=earlier, source=source, period=period, tables=rows
            )
        except DataError as error:
            blamed = _blame(error.problems, records)
            if blamed is None or len(blamed) == len({r.unit for r in records}):
                # A problem of no unit's, or every unit at fault: nothing sensible is left,
                # and the run fails as a strict one, with every problem found on the way.
                earlier_problems = [p for entry in dropped for p in entry.problems]
                raise type(error)([*earlier_problems, *error.problems]) from None
            dropped.extend(LeftOut(unit, tuple(found)) for unit, found in blamed.items())
            records = [r for r in records if r.unit not in blamed]
            continue
        return attrs.evolve(results, criteria=criteria, left_out=merge_left_out(dropped))


def without_units(criteria: Criteria, units: set[str]) -> Criteria:
    """The criteria without the listed units ``units`` (``[units]``): a run that left
    them out does not require their rows."""
    if not units & set(criteria.units):
        return criteria
    kept = {name: unit for name, unit in criteria.units.items() if name not in units}
    return attrs.evolve(criteria, units=kept)


def _blame(
    problems: Sequence[Problem], records: Sequence[Submission]
) -> dict[str, list[Problem]] | None:
    """Each unit's problems, or ``None`` when one problem belongs to no unit."""
    blamed: dict[str, list[Problem]] = {}
    for problem in problems:
        unit = unit_of(problem, records)
        if unit is None:
            return None
        blamed.setdefault(unit, []).append(problem)
    return blamed


def unit_of(problem: Problem, records: Sequence[Submission]) -> str | None:
    """The unit a problem belongs to: the one whose row or cell it is located at, else the
    one its message starts with (``"章贡区: …"``, the engine's way of naming the unit)."""
    for record in records:
        if _at(problem.location, record):
            return record.unit
    # The longest name first, so that 南康区 is not taken for 南康.
    for record in sorted(records, key=lambda r: len(r.unit), reverse=True):
        if record.unit and problem.message.startswith(f"{record.unit}: "):
            return record.unit
    return None


def _at(location: Location, record: Submission) -> bool:
    """Whether a problem's location is the record's row or one of its cells. A location
    that says only its file (or nothing) is at no row."""
    if (location.line, location.cell, location.key) == (None, None, None):
        return False
    return location == record.origin or location in record.locations.values()
