"""Results as CSV: one row per unit, every score as exact decimal text.

Columns: the unit, its attributes, each indicator's points as they enter the sum
(deductions negative), each node's value after its children, the total, the grade, and
the unit's rank (and peer group) in every ranking. Headers are labels in the report's
language. Numbers are written exactly as the engine made them (``7.70``, never ``7.7``).

CSV injection: a spreadsheet that opens this file would run a cell that starts with
``=``, ``+``, ``-`` or ``@`` as a formula. Following OWASP's "CSV Injection" guidance,
every text cell (unit names, labels, grades, groups) that starts with one of these, or
with a tab or carriage return, is prefixed with a single quote (``'=cmd`` shows as text).
Number cells are left alone: ``-1.50`` is a number, not an attack. The csv module quotes
cells holding commas, quotes and line breaks (RFC 4180).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from ecoscore.report.common import (
    decimal_text,
    grade_text,
    name_of,
    neutralise,
    rank_cells,
    score_columns,
    unit_name,
    unit_order,
    value_text,
    word,
)
from ecoscore.report.periods import flags_text, has_flags, history_headers, history_values
from ecoscore.results.assessment import Results
from ecoscore.results.card import ScoreCard
from ecoscore.results.scores import brief_of

__all__ = ["render_csv"]


def _cell(value: Any) -> str:
    """A cell's text: Decimals exactly, text neutralised, nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return decimal_text(value)
    return neutralise(value_text(value))


def render_csv(results: Results, lang: str = "zh") -> str:
    """The results as CSV text (``\\r\\n`` line ends); write it as UTF-8 with a BOM
    (``utf-8-sig``) for Excel to detect the encoding."""
    c = results.criteria
    columns = list(score_columns(c))
    grouped = [r for r in results.rankings if any(e.group is not None for e in r.entries)]
    headers = [word("unit", lang)]
    headers += [name_of(c, ident, lang, data=kind == "attribute") for kind, ident in columns]
    headers.append(word("grade", lang))
    headers += [r.label.text(lang, r.id) for r in results.rankings]
    headers += [f"{r.label.text(lang, r.id)} · {word('group', lang)}" for r in grouped]
    flagged = has_flags(results)
    headers += [word("flags", lang)] if flagged else []
    history = history_headers(results, lang)
    headers += history
    # Two columns with the same label get their ids, so every header is unique.
    ids = [
        "unit",
        *(i for _, i in columns),
        "grade",
        *(r.id for r in results.rankings),
        *(f"{r.id}.group" for r in grouped),
        *(["flags"] if flagged else []),
        *history,
    ]
    headers = [
        f"{h} [{i}]" if headers.count(h) > 1 else h for h, i in zip(headers, ids, strict=True)
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(h) for h in headers])
    for unit in unit_order(results):
        card = results[unit]
        ranks = {cell.ranking: cell for cell in rank_cells(results, unit, lang)}
        row = [_cell(unit_name(results, unit, lang))]
        row += [_cell(_value(card, kind, ident)) for kind, ident in columns]
        row.append(_cell(grade_text(c, card.grade, lang) if card.grade is not None else None))
        row += [_cell(ranks[r.id].rank if r.id in ranks else None) for r in results.rankings]
        row += [_cell(ranks[r.id].group if r.id in ranks else None) for r in grouped]
        row += [_cell(flags_text(c, card, lang))] if flagged else []
        row += [_cell(None if v == "—" else v) for v in history_values(results, unit, lang)]
        writer.writerow(row)
    return out.getvalue()


def _value(card: ScoreCard, kind: str, ident: str) -> Any:
    if kind == "attribute":
        return card.attributes.get(ident)
    if kind == "indicator":
        brief = brief_of(card.indicators, ident)
        if brief is None:
            return None
        points, contribution, _ = brief
        return contribution if contribution is not None else points
    node = card.nodes.get(ident)
    return None if node is None else node.value
