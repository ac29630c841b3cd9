"""A unit's roll-ups in reports: each rolled-up figure with the sub-units behind it.

Small and self-contained, so that each renderer calls it in one place: ``rollup_lines``
for ``explain`` (text), ``rollup_html`` for the HTML report, and ``rollup_outline`` for
the criteria as ``ecoscore check`` prints them. The words of a roll-up
are ``ecoscore.results.rollups.rolled_up_words``; nothing is recomputed here.
"""

from __future__ import annotations

import html

from ecoscore.model import Criteria
from ecoscore.results.card import ScoreCard
from ecoscore.results.rollups import RolledUp, rolled_up_words

__all__ = ["ROLLUP_TITLE", "rollup_html", "rollup_lines", "rollup_outline"]

#: The title of the roll-ups' part of a score card.
ROLLUP_TITLE = {"zh": "由下级单元汇总的数据", "en": "Figures rolled up from sub-units"}


def _name(criteria: Criteria, ident: str, lang: str) -> str:
    rollup = criteria.rollups.get(ident)
    label = rollup.label.text(lang, ident) if rollup is not None else ident
    return label if label == ident else f"{label} [{ident}]"


def _words(criteria: Criteria, figure: RolledUp, lang: str) -> str:
    table = criteria.subunits.get(figure.table)
    label = table.label.text(lang, figure.table) if table is not None else figure.table
    return rolled_up_words(figure, lang, label)


def rollup_lines(criteria: Criteria, card: ScoreCard, lang: str) -> list[str]:
    """One line per roll-up of the card: ``name: table (period): share 5 / 6 = 83.33; …``."""
    return [
        f"  {_name(criteria, ident, lang)}: {_words(criteria, figure, lang)}"
        for ident, figure in card.rollups.items()
    ]


def rollup_html(criteria: Criteria, card: ScoreCard, lang: str) -> str:
    """The card's roll-ups as an HTML list (empty when the card has none)."""
    if not card.rollups:
        return ""
    title = html.escape(ROLLUP_TITLE["zh" if lang == "zh" else "en"])
    items = "".join(
        f"<li>{html.escape(_name(criteria, ident, lang))}: "
        f"{html.escape(_words(criteria, figure, lang))}</li>"
        for ident, figure in card.rollups.items()
    )
    return f'<ul class="rollups" aria-label="{title}">{items}</ul>'


def rollup_outline(criteria: Criteria, lang: str) -> list[str]:
    """The sub-unit tables and roll-ups of the criteria, for ``ecoscore check``: each
    table with its columns, each roll-up with its aggregate and expressions."""
    if not criteria.subunits:
        return []
    zh = lang == "zh"
    lines = ["", "下级单元数据表及汇总：" if zh else "Sub-unit tables and roll-ups:"]
    for table in criteria.subunits.values():
        columns = [table.unit, table.key, *([table.period] if table.period else [])]
        order = "由好到差：" if zh else "best first: "
        inputs = "; ".join(
            f"{n} ({order}{', '.join(spec.values)})" if spec.type == "class" else n
            for n, spec in table.inputs.items()
        )
        label = table.label.text(lang, table.id)
        lines.append(f"  {table.id}  {label}  [{', '.join(columns)}]  {inputs}")
        for rollup in criteria.rollups.values():
            if rollup.table != table.id:
                continue
            parts = [f"    {_name(criteria, rollup.id, lang)}: {rollup.aggregate}"]
            for key in ("value", "when", "where"):
                e = getattr(rollup, key)
                if e is not None:
                    parts.append(f"{key} {e.source}")
            if rollup.rounding is not None:
                parts.append(f"round {rollup.rounding}")
            parts.append(f"if_missing {rollup.if_missing}, if_empty {rollup.if_empty}")
            lines.append("  ".join(parts))
    return lines
