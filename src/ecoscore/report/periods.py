"""What every report shows of flags and of the earlier assessed periods.

A unit's flags are shown by their labels in the report's language (``约谈``), wherever the
unit's total and grade are; the earlier assessed periods' totals, grades and ranks (first
ranking) stand beside the current period's, the most recent first, with the period's name
in the header (``2023 总分``). Nothing here recomputes a number: each is read from the
results of that period, as the engine made them.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ecoscore.model import Criteria
from ecoscore.report.common import decimal_text, grade_text
from ecoscore.report.words import word
from ecoscore.results.assessment import Results
from ecoscore.results.card import ScoreCard

__all__ = [
    "flag_labels",
    "flags_text",
    "has_flags",
    "history_cells",
    "history_headers",
    "history_values",
]


def has_flags(results: Results) -> bool:
    """Whether the criteria declare flags (then every table has a flags column)."""
    return bool(results.criteria.flags)


def flag_labels(criteria: Criteria, card: ScoreCard, lang: str = "zh") -> list[str]:
    """The labels of the unit's flags, in the criteria's order."""
    labels = {f.id: f.label.text(lang, f.id) for f in criteria.flags}
    return [labels.get(ident, ident) for ident in card.flags]


def flags_text(criteria: Criteria, card: ScoreCard, lang: str = "zh") -> str:
    """The unit's flags as one text (``约谈、三年连续优秀``; ``summoned, …`` in English)."""
    return ("、" if lang == "zh" else ", ").join(flag_labels(criteria, card, lang))


def _periods(results: Results) -> Iterator[tuple[str, Results]]:
    for k, earlier in enumerate(results.history, start=1):
        yield earlier.period or f"-{k}", earlier


def history_headers(results: Results, lang: str = "zh") -> list[str]:
    """A header per earlier period and figure: its total, grade and rank."""
    out: list[str] = []
    for name, earlier in _periods(results):
        out.append(f"{name} {word('total', lang)}")
        if earlier.criteria.grades is not None:
            out.append(f"{name} {word('grade', lang)}")
        if earlier.rankings:
            out.append(f"{name} {word('rank', lang)}")
    return out


def history_cells(results: Results, unit: str, lang: str = "zh") -> list[Decimal | str | None]:
    """The unit's total, grade and rank in each earlier period (``None`` where it was not
    assessed), as ``history_headers`` names them: numbers as the engine made them."""
    out: list[Decimal | str | None] = []
    for _, earlier in _periods(results):
        card = earlier.cards.get(unit)
        out.append(None if card is None else card.total)
        if earlier.criteria.grades is not None:
            grade = None if card is None else card.grade
            out.append(None if grade is None else grade_text(earlier.criteria, grade, lang))
        if earlier.rankings:
            out.append(earlier.rankings[0].rank_of(unit))
    return out


def history_values(results: Results, unit: str, lang: str = "zh") -> list[str]:
    """``history_cells`` as text: exact decimals, ``—`` where there is none."""
    return [
        decimal_text(v) if v is None or isinstance(v, Decimal) else v
        for v in history_cells(results, unit, lang)
    ]
