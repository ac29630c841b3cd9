"""What an evaluation produces: score cards with their traces, grades, rankings.

Everything here is a frozen value computed once by the engine; renderers (text, JSON,
spreadsheets, HTML) read it and never recompute a number.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.model import Criteria, Label
from ecoscore.numbers import CONTEXT, Rounding
from ecoscore.rules.base import Outcome
from ecoscore.tree import TraceStep, trace_steps

__all__ = [
    "GradeStep",
    "IndicatorResult",
    "NodeResult",
    "RankEntry",
    "Ranking",
    "Results",
    "ScoreCard",
    "Summary",
    "SummaryFigure",
    "TraceStep",
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


@attrs.frozen
class GradeStep:
    """One change of a unit's grade and the rule that made it."""

    rule: str  # "band", "precondition[0]", "cap[1]", "veto[0]", "quota"
    before: str | None
    after: str
    why: Label = Label()


@attrs.frozen
class RankEntry:
    """A unit's place in one ranking (``rank`` is ``None`` when excluded or unranked)."""

    unit: str
    rank: Decimal | None
    value: Decimal | None
    group: str | None = None
    note: Label | None = None

    def note_text(self, lang: str = "zh") -> str | None:
        """Why the unit is not ranked, in ``lang``, or ``None``."""
        return None if self.note is None else self.note.text(lang)


@attrs.frozen
class Ranking:
    """A ranking's entries in rank order (unranked units last, by unit id)."""

    id: str
    label: Label
    entries: tuple[RankEntry, ...]

    def rank_of(self, unit: str) -> Decimal | None:
        """The rank of ``unit``, or ``None``."""
        for entry in self.entries:
            if entry.unit == unit:
                return entry.rank
        return None


@attrs.frozen
class ScoreCard:
    """One unit's full result: every indicator and node, the total, the grade."""

    unit: str
    label: Label
    attributes: Mapping[str, Any]
    indicators: Mapping[str, IndicatorResult]
    nodes: Mapping[str, NodeResult]
    total_exact: Decimal | None
    total: Decimal | None
    grade: str | None = None
    grade_steps: tuple[GradeStep, ...] = ()
    plan: Any = attrs.field(default=None, repr=False, eq=False)

    @property
    def steps(self) -> tuple[TraceStep, ...]:
        """The additive trace: every indicator's contribution (for sums), each non-additive
        node's value, each rescaling and rounding; they add up exactly to ``total``."""
        # Worked out when asked: most cards of a large evaluation are never traced.

        if self.plan is None:
            return ()
        # In the scoring context, as the nodes were added: outside it a sum of long
        # decimals rounds to 28 digits and no longer matches the node (a false "rescale").
        with decimal.localcontext(CONTEXT):
            return trace_steps(self.plan, self.indicators, self.nodes)

    def points(self, name: str) -> Decimal | None:
        """Points of an indicator, or value of a node, by id."""
        if name in self.indicators:
            return self.indicators[name].points
        if name in self.nodes:
            return self.nodes[name].value
        raise KeyError(name)


@attrs.frozen
class SummaryFigure:
    """One figure of a summary: over every unit (``group`` ``None``) or over one group.

    ``value`` is the published figure (after the summary's ``round``), ``raw`` the exact
    one; both are ``None`` when no unit was considered (a share of nothing) or when a
    formula gave a text. ``count`` is the units counted (``when`` held; for sums, means,
    minima and maxima, the units whose value entered), ``considered`` the units considered
    (the denominator of a share), ``left_out`` the units left out because an expression
    read a value they lack. ``label`` is the class the summary's bands give the figure, or
    the text a formula gave.
    """

    group: str | None
    value: Decimal | None
    raw: Decimal | None
    count: int
    considered: int
    left_out: tuple[str, ...] = ()
    label: str | None = None


@attrs.frozen
class Summary:
    """A ``[summary.<id>]``: its figure over every unit, then one per group."""

    id: str
    label: Label
    groups: tuple[SummaryFigure, ...]

    def figure(self, group: str | None = None) -> SummaryFigure:
        """The figure of ``group`` (``None``: over every unit); ``KeyError`` if none."""
        for figure in self.groups:
            if figure.group == group:
                return figure
        raise KeyError(group)


@attrs.frozen
class Results:
    """An evaluation: the criteria, a score card per unit (sorted by unit id), rankings,
    and the summaries over the units."""

    criteria: Criteria
    cards: Mapping[str, ScoreCard]
    rankings: tuple[Ranking, ...] = ()
    summaries: tuple[Summary, ...] = ()

    def __iter__(self) -> Iterator[ScoreCard]:
        return iter(self.cards.values())

    def __getitem__(self, unit: str) -> ScoreCard:
        return self.cards[unit]

    def __len__(self) -> int:
        return len(self.cards)

    def ranking(self, ident: str | None = None) -> Ranking:
        """A ranking by id; the first declared one by default."""
        for ranking in self.rankings:
            if ident is None or ranking.id == ident:
                return ranking
        raise KeyError(ident)

    def summary(self, ident: str) -> Summary:
        """A summary by id; ``KeyError`` if the criteria declare none by that id."""
        for summary in self.summaries:
            if summary.id == ident:
                return summary
        raise KeyError(ident)
