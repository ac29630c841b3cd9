"""The results of an evaluation: every unit's card, the rankings, the summaries.

Everything here is a frozen value computed once by the engine; renderers (text, JSON,
spreadsheets, HTML) read it and never recompute a number.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

import attrs

from ecoscore.model import Criteria, Label
from ecoscore.results.card import ScoreCard
from ecoscore.results.left_out import LeftOut

__all__ = ["RankEntry", "Ranking", "Results", "Summary", "SummaryFigure"]


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
    and the summaries over the units. ``left_out`` lists the units a run that kept going
    (``ecoscore.engine.partial``) left out, with why; the rest rank among themselves."""

    criteria: Criteria
    cards: Mapping[str, ScoreCard]
    rankings: tuple[Ranking, ...] = ()
    summaries: tuple[Summary, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    #: The period these results are of (its name in the data or ``[periods]``), and the
    #: results of the earlier assessed periods, the most recent first.
    period: str | None = None
    history: tuple[Results, ...] = ()

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
