"""The compiled engine: each indicator scored over every unit at once, on a fast path.

Once per evaluation, each indicator becomes a ``ColumnScorer``: its rule's points
function (``points_for`` where the rule kind has one, else the points of ``score``), its
rounding, and whether its common case can take the fast path at all. Scoring then runs
indicator by indicator over all units; for each cell, the fast path takes a value of
the kind the rule scores, its points and their rounding, and keeps them in the
``IndicatorTable``'s columns: no ``IndicatorResult``, no clause, no trace object — those
are built when a card is read.

A cell that is not the common case — a missing value, a division by zero, a value of
the wrong kind, a figure too long to score, a class with no points — is left to the
reference path (``IndicatorScorer.score``), which applies the declared policies and
words the problems, exactly as when every cell took it. The engine calls it for those
cells unit by unit afterwards, so problems come in the same order as before.

Indicators that read their inputs themselves (counts, classes), and those with a
``zero_if``, always take the reference path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, DecimalException
from typing import Any

from ecoscore.engine.scoring import IndicatorScorer
from ecoscore.expr.expression import EvaluationFailure
from ecoscore.model import Criteria, Indicator
from ecoscore.numbers import CONTEXT, Rounding, RoundingError
from ecoscore.results.scores import IndicatorTable
from ecoscore.rules.cohort import CohortError

__all__ = ["ColumnScorer", "score_columns"]

#: What a rule's points function takes and gives.
PointsFunction = Callable[[Any, Mapping[str, Any]], "Decimal | None"]


def _points_function(rule: Any) -> PointsFunction:
    """The rule's points without its clause: ``points_for``, else ``score(...).points``."""
    fast = getattr(rule, "points_for", None)
    if fast is not None:
        return fast  # type: ignore[no-any-return]

    def points(value: Any, values: Mapping[str, Any]) -> Decimal | None:
        return rule.score(value, values).points  # type: ignore[no-any-return]

    return points


class ColumnScorer:
    """One indicator, ready to score a column of units."""

    __slots__ = ("fast", "indicator", "name", "points", "rounding", "rule", "wanted")

    def __init__(self, indicator: Indicator, rule: Any, rounding: Rounding | None) -> None:
        self.indicator = indicator
        self.rule = rule
        self.rounding = rounding
        value = indicator.value
        # Counts and classes read their inputs themselves; zero_if needs its own checks.
        self.fast = value is not None and indicator.zero_if is None
        self.name = value.plain if value is not None else None
        self.wanted: type = bool if rule.kind == "condition" else Decimal
        self.points = _points_function(rule)

    def score(
        self, measured: Sequence[Any], envs: Sequence[Mapping[str, Any]]
    ) -> tuple[list[Any], list[Any], list[int]]:
        """The raw points and the points of every row the fast path scores, and the rows
        it leaves to the reference path (their entries are ``None``)."""
        wanted = self.wanted
        if all(value.__class__ is wanted for value in measured):
            # Every unit has a value the rule scores: one pass with no check per cell,
            # unless a cell turns out not to be the common case after all.
            try:
                return self._column(measured, envs)
            except _NotCommon:
                pass
        return self._cells(measured, envs)

    def _column(
        self, measured: Sequence[Any], envs: Sequence[Mapping[str, Any]]
    ) -> tuple[list[Any], list[Any], list[int]]:
        points_for = self.points
        try:
            found = [points_for(value, env) for value, env in zip(measured, envs, strict=True)]
            if None in found:
                raise _NotCommon
            raw: list[Decimal] = found  # type: ignore[assignment]  # no None, checked above
            quantum, mode = self._quantizer()
            if quantum is not None:
                points = [r.quantize(quantum, rounding=mode, context=CONTEXT) for r in raw]
            elif self.rounding is not None:
                points = [self.rounding(r) for r in raw]
            else:
                points = raw
        except _FAILURES:
            raise _NotCommon from None
        return raw, points, []

    def _cells(
        self, measured: Sequence[Any], envs: Sequence[Mapping[str, Any]]
    ) -> tuple[list[Any], list[Any], list[int]]:
        wanted = self.wanted
        points_for = self.points
        rounding = self.rounding
        quantum, mode = self._quantizer()
        raw_out: list[Any] = []
        points_out: list[Any] = []
        left: list[int] = []
        for row, value in enumerate(measured):
            raw = points = None
            if value.__class__ is wanted:
                try:
                    raw = points_for(value, envs[row])
                    # None: a class only, or a value in no band; the reference path says so.
                    if raw is not None:
                        if quantum is not None:
                            points = raw.quantize(quantum, rounding=mode, context=CONTEXT)
                        else:
                            points = raw if rounding is None else rounding(raw)
                except _FAILURES:
                    raw = points = None
            if points is None:
                left.append(row)
                raw = None
            raw_out.append(raw)
            points_out.append(points)
        return raw_out, points_out, left

    def _quantizer(self) -> tuple[Decimal | None, str | None]:
        # Rounding.__call__ inlined for the decimal modes: a quantize in the scoring
        # context (what it cannot round, the reference path words as Rounding does).
        rounding = self.rounding
        if rounding is not None and rounding.decimal_rounding is not None:
            return rounding.quantum, rounding.decimal_rounding
        return None, None


class _NotCommon(Exception):
    """A column with a cell off the common case: it is scored cell by cell instead."""


#: What scoring a cell may raise; the reference path words each one.
_FAILURES = (CohortError, EvaluationFailure, DecimalException, RoundingError)


def score_columns(
    criteria: Criteria,
    scorer: IndicatorScorer,
    envs: Sequence[Mapping[str, Any]],
    measured: Mapping[str, list[Any]],
    bound: Mapping[str, Any],
    *,
    fast: bool = True,
) -> tuple[IndicatorTable, list[list[Indicator]]]:
    """Score every indicator over every unit (a row of ``envs``) on the fast path.

    ``measured`` holds each indicator's measured values by row, ``bound`` its rule (bound
    to the cohort where the rule needs it). Returns the table, and for each row the
    indicators the fast path left to the reference path, in the criteria's order
    (``fast=False``: every indicator, for every row).
    """
    table = IndicatorTable(tuple(criteria.indicators), envs)
    left: list[list[Indicator]] = [[] for _ in envs]
    for ind in criteria.indicators.values():
        rule = bound[ind.id]
        column = ColumnScorer(ind, rule, scorer.rounding[ind.id])
        values = measured[ind.id]
        if fast and column.fast:
            raw, points, rows = column.score(values, envs)
        else:
            rows = list(range(len(envs)))
            raw = [None] * len(envs)
            points = [None] * len(envs)
        for row in rows:
            left[row].append(ind)
        table.add_column(
            ind.id,
            rule,
            scorer.rounding[ind.id],
            scorer.reads[ind.id],
            ind.effect == "deduction",
            values,
            raw,
            points,
        )
    return table, left
