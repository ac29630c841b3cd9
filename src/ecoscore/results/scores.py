"""One unit's result for each indicator and each node of the tree.

Frozen values computed once by the engine (``ecoscore.engine``); renderers read them and
never recompute a number.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.model import Label
from ecoscore.numbers import CONTEXT, Rounding
from ecoscore.rules.base import Outcome

__all__ = [
    "IndicatorResult",
    "IndicatorTable",
    "NodeResult",
    "UnitIndicators",
    "brief_of",
    "contribution_of",
    "outcome_of",
    "points_of",
]


@attrs.frozen
class IndicatorResult:
    """One indicator for one unit: its value, the clause that applied, its points.

    ``status`` is ``scored``, ``excluded`` (left out of its parent), ``missing-zero``,
    ``missing-points`` (declared points for a missing value), ``carried-forward`` (the
    previous period's value), ``zero-division`` (a declared policy applied), or
    ``zeroed`` (its ``zero_if`` held: the rule's points are kept in ``raw_points``, the
    item scores 0).
    ``raw_points`` are before the declared rounding; ``points`` after it. ``contribution``
    is what enters the parent's sum: negative for a deduction.
    """

    id: str
    value: Any
    outcome: Outcome | None
    raw_points: Decimal | None
    points: Decimal | None
    contribution: Decimal | None
    status: str = "scored"
    rounding: Rounding | None = None
    reads: tuple[str, ...] = ()
    note: Label | None = None
    values: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def note_text(self, lang: str = "zh") -> str | None:
        """The note (why a policy applied) in ``lang``, or ``None``."""
        return None if self.note is None else self.note.text(lang)

    @property
    def inputs(self) -> tuple[tuple[str, Any], ...]:
        """The named values the indicator read, as ``(name, value)`` pairs."""
        return tuple((name, self.values.get(name)) for name in self.reads)

    @property
    def label(self) -> str | None:
        """The class label the rule gave, if any (a water class, a trend class)."""
        return None if self.outcome is None else self.outcome.label

    @property
    def gives_points(self) -> bool:
        """Whether the indicator gives points at all: a rule that gives only a class (a
        water class) does not, and its parent leaves it out of the sum."""
        return self.outcome is None or self.outcome.points is not None


@attrs.frozen
class NodeResult:
    """An aggregated node for one unit: its value before and after rounding."""

    id: str
    aggregate: str
    raw: Decimal | None
    value: Decimal | None
    rounding: Rounding | None = None
    excluded: tuple[str, ...] = ()
    argmax: tuple[str, ...] = ()
    note: Label | None = None
    capped_from: Decimal | None = None  # the value before the node's at_most applied

    def note_text(self, lang: str = "zh") -> str | None:
        """The note (a rescaling, a cap, every child left out) in ``lang``, or ``None``."""
        return None if self.note is None else self.note.text(lang)


class IndicatorTable:
    """Every indicator's results for every unit of one evaluation, kept as plain columns.

    The compiled engine (``ecoscore.engine.compiled``) scores an indicator over all
    units at once and keeps, per unit (a row), only the measured value, the points
    before and after rounding; a unit's ``IndicatorResult`` — with the rule's clause,
    which is most of its size — is built when it is read (``UnitIndicators``). A cell the
    fast path did not score (a missing value, a policy, an error) keeps its full result.
    Filled once by the engine, never changed after.
    """

    __slots__ = ("_full", "_points", "_raw", "_rules", "_statics", "_values", "envs", "ids")

    def __init__(self, ids: tuple[str, ...], envs: Sequence[Mapping[str, Any]]) -> None:
        self.ids = ids
        self.envs = envs
        self._rules: dict[str, Any] = {}
        self._statics: dict[str, tuple[Rounding | None, tuple[str, ...], bool]] = {}
        self._values: dict[str, list[Any]] = {}
        self._raw: dict[str, list[Any]] = {}
        self._points: dict[str, list[Any]] = {}
        self._full: dict[str, dict[int, IndicatorResult]] = {i: {} for i in ids}

    def add_column(
        self,
        ident: str,
        rule: Any,
        rounding: Rounding | None,
        reads: tuple[str, ...],
        deduction: bool,
        values: list[Any],
        raw: list[Any],
        points: list[Any],
    ) -> None:
        """An indicator's scored cells: ``values``, ``raw`` and ``points`` by row."""
        self._rules[ident] = rule
        self._statics[ident] = (rounding, reads, deduction)
        self._values[ident] = values
        self._raw[ident] = raw
        self._points[ident] = points

    def set_full(self, ident: str, row: int, result: IndicatorResult) -> None:
        """A cell scored by the reference path, kept whole."""
        self._full[ident][row] = result

    def result(self, ident: str, row: int) -> IndicatorResult:
        """The cell as an ``IndicatorResult``, its outcome worked out now."""
        full = self._full[ident].get(row)
        if full is not None:
            return full
        rounding, reads, deduction = self._statics[ident]
        value = self._values[ident][row]
        env = self.envs[row]
        points = self._points[ident][row]
        outcome = self._outcome(ident, value, env)
        # In the scoring context, as the engine negated it (read outside the engine, -x
        # would round to 28 digits).
        contribution = CONTEXT.minus(points) if deduction else points
        return IndicatorResult(
            ident,
            value,
            outcome,
            self._raw[ident][row],
            points,
            contribution,
            "scored",
            rounding,
            reads,
            None,
            env,
        )

    def contributions(self) -> dict[str, list[Any]]:
        """Each indicator's contributions to its parent's sum by row, as the fast path
        scored them (negative for a deduction; ``None`` where it left the cell)."""
        out: dict[str, list[Any]] = {}
        for ident in self.ids:
            points = self._points[ident]
            out[ident] = (
                [None if p is None else CONTEXT.minus(p) for p in points]
                if self._statics[ident][2]
                else points
            )
        return out

    def brief(self, ident: str, row: int) -> tuple[Decimal | None, Decimal | None, Rounding | None]:
        """The cell's points, contribution and rounding, without building its result."""
        full = self._full[ident].get(row)
        if full is not None:
            return full.points, full.contribution, full.rounding
        rounding, _, deduction = self._statics[ident]
        points = self._points[ident][row]
        return points, CONTEXT.minus(points) if deduction else points, rounding

    def outcome(self, ident: str, row: int) -> Outcome | None:
        """The cell's outcome (its clause and steps), without building its result."""
        full = self._full[ident].get(row)
        if full is not None:
            return full.outcome
        return self._outcome(ident, self._values[ident][row], self.envs[row])

    def _outcome(self, ident: str, value: Any, env: Mapping[str, Any]) -> Outcome:
        # The rule again, for its clause and steps: the same value gives the same outcome,
        # in the scoring context, as when it was scored (a reader already in it, such as
        # the JSON writer, saves switching for every cell).
        rule = self._rules[ident]
        context = decimal.getcontext()
        if context.prec == CONTEXT.prec and context.rounding == CONTEXT.rounding:
            return rule.score(value, env)  # type: ignore[no-any-return]
        with decimal.localcontext(CONTEXT):
            return rule.score(value, env)  # type: ignore[no-any-return]

    def points(self, ident: str, row: int) -> tuple[Decimal | None, Decimal | None]:
        """The cell's points and raw points, without building its result."""
        full = self._full[ident].get(row)
        if full is not None:
            return full.points, full.raw_points
        return self._points[ident][row], self._raw[ident][row]

    def contribution(self, ident: str, row: int) -> tuple[bool, Decimal | None]:
        """Whether the cell gives points at all (a class alone does not), and what it
        adds to its parent's sum (negative for a deduction)."""
        full = self._full[ident].get(row)
        if full is not None:
            return full.gives_points, full.contribution
        points = self._points[ident][row]
        return True, CONTEXT.minus(points) if self._statics[ident][2] else points


class UnitIndicators(Mapping[str, IndicatorResult]):
    """One unit's indicator results, read from an ``IndicatorTable`` row when asked."""

    __slots__ = ("_row", "_table")

    def __init__(self, table: IndicatorTable, row: int) -> None:
        self._table = table
        self._row = row

    def __getitem__(self, ident: str) -> IndicatorResult:
        if ident not in self._table._full:
            raise KeyError(ident)
        return self._table.result(ident, self._row)

    def __iter__(self) -> Iterator[str]:
        return iter(self._table.ids)

    def __len__(self) -> int:
        return len(self._table.ids)

    def __contains__(self, ident: object) -> bool:
        return ident in self._table._full

    def __repr__(self) -> str:
        return f"UnitIndicators({dict(self)!r})"

    def points(self, ident: str) -> tuple[Decimal | None, Decimal | None]:
        """An indicator's points and raw points, without building its result."""
        if ident not in self._table._full:
            raise KeyError(ident)
        return self._table.points(ident, self._row)

    def contribution(self, ident: str) -> tuple[bool, Decimal | None]:
        """Whether an indicator gives points, and what it adds to its parent's sum,
        without building its result."""
        return self._table.contribution(ident, self._row)

    def brief(self, ident: str) -> tuple[Decimal | None, Decimal | None, Rounding | None]:
        """An indicator's points, contribution and rounding, without building its result."""
        return self._table.brief(ident, self._row)

    def outcome(self, ident: str) -> Outcome | None:
        """An indicator's outcome (its clause and steps), without building its result."""
        if ident not in self._table._full:
            raise KeyError(ident)
        return self._table.outcome(ident, self._row)


def contribution_of(
    indicators: Mapping[str, IndicatorResult], ident: str
) -> tuple[bool, Decimal | None]:
    """Whether indicator ``ident`` gives points at all (a class alone does not), and
    what it adds to its parent's sum; read cheaply where it can be."""
    if isinstance(indicators, UnitIndicators):
        return indicators.contribution(ident)
    result = indicators[ident]
    return result.gives_points, result.contribution


def points_of(
    indicators: Mapping[str, IndicatorResult], ident: str
) -> tuple[Decimal | None, Decimal | None]:
    """Indicator ``ident``'s points and raw points, read cheaply where they can be."""
    if isinstance(indicators, UnitIndicators):
        return indicators.points(ident)
    result = indicators[ident]
    return result.points, result.raw_points


def outcome_of(indicators: Mapping[str, IndicatorResult], ident: str) -> Outcome | None:
    """Indicator ``ident``'s outcome (its clause and steps), read cheaply where it can be."""
    if isinstance(indicators, UnitIndicators):
        return indicators.outcome(ident)
    return indicators[ident].outcome


def brief_of(
    indicators: Mapping[str, IndicatorResult], ident: str
) -> tuple[Decimal | None, Decimal | None, Rounding | None] | None:
    """Indicator ``ident``'s points, contribution and rounding (``None`` if the unit has no
    such indicator), read without building its result where it can be."""
    if isinstance(indicators, UnitIndicators):
        return indicators.brief(ident) if ident in indicators else None
    result = indicators.get(ident)
    return None if result is None else (result.points, result.contribution, result.rounding)
