"""A unit's roll-ups in reports: each rolled-up figure with the sub-units behind it.

Small and self-contained, so that each renderer calls it in one place: ``rollup_lines``
for ``explain`` (text) and ``rollup_html`` for the HTML report. The words of a roll-up
are ``ecoscore.results.rollups.rolled_up_words``; nothing is recomputed here.
"""

from __future__ import annotations

import html

from ecoscore.model import Criteria
from ecoscore.results.card import ScoreCard
from ecoscore.results.rollups import rolled_up_words

__all__ = ["ROLLUP_TITLE", "rollup_html", "rollup_lines"]

#: The title of the roll-ups' part of a score card.
ROLLUP_TITLE = {"zh": "由下级单元汇总的数据", "en": "Figures rolled up from sub-units"}


def _name(criteria: Criteria, ident: str, lang: str) -> str:
    rollup = criteria.rollups.get(ident)
    label = rollup.label.text(lang, ident) if rollup is not None else ident
    return label if label == ident else f"{label} [{ident}]"


def rollup_lines(criteria: Criteria, card: ScoreCard, lang: str) -> list[str]:
    """One line per roll-up of the card: ``name: table (period): share 5 / 6 = 83.33; …``."""
    return [
        f"  {_name(criteria, ident, lang)}: {rolled_up_words(figure, lang)}"
        for ident, figure in card.rollups.items()
    ]


def rollup_html(criteria: Criteria, card: ScoreCard, lang: str) -> str:
    """The card's roll-ups as an HTML list (empty when the card has none)."""
    if not card.rollups:
        return ""
    title = html.escape(ROLLUP_TITLE["zh" if lang == "zh" else "en"])
    items = "".join(
        f"<li>{html.escape(_name(criteria, ident, lang))}: "
        f"{html.escape(rolled_up_words(figure, lang))}</li>"
        for ident, figure in card.rollups.items()
    )
    return f'<ul class="rollups" aria-label="{title}">{items}</ul>'
