"""Results as an Excel workbook: the ranking, the scores, and the full trace.

Three sheets, named in the report's language:

``排名`` / ``Ranking``
    one row per unit in rank order: the rank in every ranking, the unit, the total, the
    grade (in its colour) and the rule that changed it.
``得分`` / ``Scores``
    one row per unit: attributes, every indicator's points (deductions negative, as they
    enter the sum), each node's subtotal after its children, the total, the grade. Two
    header rows: labels, then ids.
``过程`` / ``Trace``
    one row per indicator per unit (figures read, value, clause, intermediate steps,
    points before rounding, rounding, points, status, note), then the unit's nodes and
    its grade steps with their reasons.

Numbers are written as numbers. openpyxl accepts ``Decimal`` cell values and writes them
with ``"%.16g"`` (``openpyxl.compat.strings.safe_string``), that is through a binary
double; Excel keeps 15 significant digits. A Decimal of at most 15 significant digits
(every published score, rank and total) therefore shows exactly, and is written as a
number with a format that shows its declared places (``0.00`` for ``"2 half-up"``). A
Decimal with more digits (an unrounded mean such as ``33.33…``) is written as its exact
text rather than silently cut to a double.

Text never becomes a formula: openpyxl turns any string that starts with ``=`` into a
formula, and one that reads like ``#N/A`` into an error. Every text cell is therefore
typed as a string explicitly, and one that starts with ``=``, ``+``, ``-`` or ``@`` also
gets Excel's quote-prefix style (what typing ``'=cmd`` in Excel does): the cell holds
the exact text, shows it, and stays text when edited. A literal leading ``'`` would
instead be stored and shown as part of the name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from ecoscore.io.atomic import atomic_path
from ecoscore.io.workbook import (
    ILLEGAL_CHARACTERS_RE,
    Alignment,
    Cell,
    Font,
    PatternFill,
    Workbook,
    Worksheet,
    get_column_letter,
)
from ecoscore.model import TOTAL
from ecoscore.numbers import Rounding
from ecoscore.report.common import (
    FORMULA_TRIGGERS,
    aggregate_name,
    changing_step,
    grade_colour,
    grade_text,
    name_of,
    rank_cells,
    rounding_text,
    rule_name,
    score_columns,
    status_note,
    status_text,
    tree,
    unit_name,
    unit_order,
    value_text,
    word,
)
from ecoscore.report.left_out import left_out_count, left_out_rows
from ecoscore.results.assessment import Results
from ecoscore.results.card import ScoreCard

__all__ = ["EXCEL_DIGITS", "write_xlsx"]

#: Significant digits Excel keeps in a number ("Number precision: 15 digits", Excel
#: specifications and limits); a Decimal with more is written as text.
EXCEL_DIGITS = 15

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_ID_FONT = Font(color="777777", italic=True)

# A written cell: text, or a Decimal with its declared rounding (None: its own places).
Value = str | Decimal | bool | None


def _places_format(places: int) -> str:
    return "0" if places <= 0 else "0." + "0" * places


def _set(ws: Worksheet, row: int, col: int, value: Any, rounding: Rounding | None = None) -> Cell:
    """Write one cell: a number as a number with a format of its places, else text."""
    cell = ws.cell(row=row, column=col)
    assert isinstance(cell, Cell)  # no merged cells in these sheets
    if isinstance(value, bool) or value is None:
        cell.value = None if value is None else value_text(value)
        if value is not None:
            cell.data_type = "s"
        return cell
    if isinstance(value, Decimal):
        digits = len(value.normalize().as_tuple().digits)
        if value.is_finite() and digits <= EXCEL_DIGITS:
            cell.value = value
            places = rounding.places if rounding is not None else -int(value.as_tuple().exponent)
            cell.number_format = _places_format(places)
            return cell
        value = format(value, "f")
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    cell.value = text
    # Set after the value: openpyxl has already guessed "f" for "=…" or "e" for "#N/A".
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def _header(ws: Worksheet, row: int, titles: Iterable[str], *, ids: bool = False) -> None:
    for col, title in enumerate(titles, start=1):
        cell = _set(ws, row, col, title)
        cell.font = _ID_FONT if ids else _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=not ids)


def _width(value: Any) -> int:
    text = value if isinstance(value, str) else value_text(value, "")
    # Wide (CJK) characters take two columns.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _finish(
    ws: Worksheet, header_row: int, freeze: str, *, widest: int = 50, wrap_labels: bool = False
) -> None:
    """Freeze the headers, filter on the last header row, size the columns.

    With ``wrap_labels`` the first row (long criteria labels over narrow number columns)
    wraps instead of widening its column, and is made tall enough for its lines.
    """
    ws.freeze_panes = freeze
    last_col = get_column_letter(max(ws.max_column, 1))
    ws.auto_filter.ref = f"A{header_row}:{last_col}{max(ws.max_row, header_row)}"
    first = 2 if wrap_labels else 1
    lines = 1
    for col in range(1, ws.max_column + 1):
        widths = [_width(ws.cell(row=r, column=col).value) for r in range(first, ws.max_row + 1)]
        # Filter buttons cover about two characters of the header.
        width = min(max([8, *widths]) + 3, widest)
        ws.column_dimensions[get_column_letter(col)].width = width
        if wrap_labels:
            label = _width(ws.cell(row=1, column=col).value)
            lines = max(lines, -(-label // max(width - 2, 1)))
    if wrap_labels:
        ws.row_dimensions[1].height = 15 * min(lines, 6)


def write_xlsx(results: Results, path: str | os.PathLike[str], lang: str = "zh") -> None:
    """Write the results as an ``.xlsx`` workbook at ``path`` (atomically)."""
    wb = Workbook()
    ranking = wb.active
    assert ranking is not None
    ranking.title = "排名" if lang == "zh" else "Ranking"
    _ranking_sheet(results, ranking, lang)
    _scores_sheet(results, wb.create_sheet("得分" if lang == "zh" else "Scores"), lang)
    _trace_sheet(results, wb.create_sheet("过程" if lang == "zh" else "Trace"), lang)
    _left_out_sheet(results, wb, lang)
    with atomic_path(path) as temporary:
        wb.save(temporary)


def _left_out_sheet(results: Results, wb: Workbook, lang: str) -> None:
    """A sheet of the units left out (``--keep-going``), a row per located reason."""
    if not results.left_out:
        return
    ws = wb.create_sheet("未评分" if lang == "zh" else "Left out")
    _set(ws, 1, 1, left_out_count(results, lang))
    _header(ws, 2, [word("unit", lang), "原因" if lang == "zh" else "reason"])
    for row, (unit, reason) in enumerate(left_out_rows(results), start=3):
        _set(ws, row, 1, unit)
        _set(ws, row, 2, reason)


def _ranking_sheet(results: Results, ws: Worksheet, lang: str) -> None:
    c = results.criteria
    rankings = results.rankings
    grouped = [r for r in rankings if any(e.group is not None for e in r.entries)]
    titles = [rankings[0].label.text(lang, rankings[0].id)] if rankings else []
    titles += [
        word("unit", lang),
        word("total", lang),
        word("grade", lang),
        word("rule", lang),
        word("why", lang),
    ]
    titles += [r.label.text(lang, r.id) for r in rankings[1:]]
    titles += [f"{r.label.text(lang, r.id)} · {word('group', lang)}" for r in grouped]
    _header(ws, 1, titles)
    for row, unit in enumerate(unit_order(results), start=2):
        card = results[unit]
        cells = {cell.ranking: cell for cell in rank_cells(results, unit, lang)}
        step = changing_step(card)
        total = card.nodes[TOTAL].rounding if TOTAL in card.nodes else None
        values: list[tuple[Value, Rounding | None]] = []
        if rankings:
            values.append((cells[rankings[0].id].rank if rankings[0].id in cells else None, None))
        values += [(unit_name(results, unit, lang), None), (card.total, total)]
        grade_col = len(values) + 1
        values += [
            (None if card.grade is None else grade_text(c, card.grade, lang), None),
            (None if step is None else rule_name(step.rule, lang), None),
            (None if step is None else step.why.text(lang) or None, None),
        ]
        values += [(cells[r.id].rank if r.id in cells else None, None) for r in rankings[1:]]
        values += [(cells[r.id].group if r.id in cells else None, None) for r in grouped]
        for col, (value, rounding) in enumerate(values, start=1):
            cell = _set(ws, row, col, value, rounding)
            if col == grade_col and card.grade is not None:
                cell.font = Font(bold=True, color="FFFFFF")
                cell.fill = PatternFill("solid", fgColor=grade_colour(c, card.grade)[1:])
    _finish(ws, 1, "C2" if rankings else "B2")


def _scores_sheet(results: Results, ws: Worksheet, lang: str) -> None:
    c = results.criteria
    columns = list(score_columns(results.criteria))
    labels = [word("unit", lang)]
    ids = ["unit"]
    for kind, ident in columns:
        label = name_of(c, ident, lang, data=kind == "attribute")
        if kind == "indicator" and c.indicators[ident].effect == "deduction":
            label += f" ({'扣分' if lang == 'zh' else 'deduction'})"
        labels.append(label)
        ids.append(ident)
    labels.append(word("grade", lang))
    ids.append("grade")
    _header(ws, 1, labels)
    _header(ws, 2, ids, ids=True)
    for row, unit in enumerate(unit_order(results), start=3):
        card = results[unit]
        _set(ws, row, 1, unit_name(results, unit, lang))
        for col, (kind, ident) in enumerate(columns, start=2):
            value, rounding = _score_value(card, kind, ident)
            cell = _set(ws, row, col, value, rounding)
            if kind == "node":
                cell.font = _HEADER_FONT
        grade = None if card.grade is None else grade_text(c, card.grade, lang)
        _set(ws, row, len(columns) + 2, grade)
    _finish(ws, 2, "B3", wrap_labels=True)


def _score_value(card: ScoreCard, kind: str, ident: str) -> tuple[Value, Rounding | None]:
    if kind == "attribute":
        value = card.attributes.get(ident)
        return (
            value if isinstance(value, (str, Decimal, bool)) or value is None else str(value)
        ), None
    if kind == "indicator":
        res = card.indicators.get(ident)
        if res is None:
            return None, None
        return (res.contribution if res.contribution is not None else res.points), res.rounding
    node = card.nodes.get(ident)
    return (None, None) if node is None else (node.value, node.rounding)


_TRACE_KEYS = (
    "unit",
    "kind",
    "id",
    "item",
    "inputs",
    "value",
    "clause",
    "steps",
    "raw_points",
    "rounding",
    "points",
    "status",
    "note",
)


def _trace_sheet(results: Results, ws: Worksheet, lang: str) -> None:
    _header(ws, 1, [word(k, lang) for k in _TRACE_KEYS])
    row = 2
    for unit in unit_order(results):
        card = results[unit]
        for values, rounding in _trace_rows(results, card, lang):
            for col, (key, value) in enumerate(zip(_TRACE_KEYS, values, strict=True), start=1):
                _set(ws, row, col, value, rounding if key == "points" else None)
            row += 1
    _finish(ws, 1, "B2", widest=60)


def _trace_rows(
    results: Results, card: ScoreCard, lang: str
) -> Iterator[tuple[list[Value], Rounding | None]]:
    c = results.criteria
    unit = unit_name(results, card.unit, lang)
    sep = "；" if lang == "zh" else "; "
    for item in tree(c):
        res = card.indicators.get(item.id)
        if item.indicator is None or res is None:
            continue
        o = res.outcome
        inputs = sep.join(
            f"{name_of(c, n, lang, data=True)} = {value_text(v)}" for n, v in res.inputs
        )
        steps = "" if o is None else sep.join(f"{k} = {value_text(v)}" for k, v in o.steps)
        value: Value = res.value if isinstance(res.value, (str, Decimal, bool)) else None
        yield (
            [
                unit,
                word("indicator", lang),
                item.id,
                name_of(c, item.id, lang),
                inputs or None,
                value,
                None if o is None else o.text(lang),
                steps or None,
                res.raw_points,
                rounding_text(res.rounding, lang) or None,
                res.contribution if res.contribution is not None else res.points,
                status_text(res.status, lang),
                status_note("scored", res.note, lang) or None,
            ],
            res.rounding,
        )
    for kind, ident in score_columns(results.criteria):
        node = card.nodes.get(ident)
        if kind != "node" or node is None:
            continue
        notes = [node.note.text(lang)] if node.note else []
        for key, names in (("excluded", node.excluded), ("argmax", node.argmax)):
            if names:
                notes.append(f"{word(key, lang)}: " + sep.join(name_of(c, n, lang) for n in names))
        yield (
            [
                unit,
                word("node", lang),
                ident,
                name_of(c, ident, lang),
                None,
                None,
                aggregate_name(node.aggregate, lang),
                None,
                node.raw,
                rounding_text(node.rounding, lang) or None,
                node.value,
                None,
                sep.join(notes) or None,
            ],
            node.rounding,
        )
    for step in card.grade_steps:
        before = "" if step.before is None else f"{grade_text(c, step.before, lang)} → "
        yield (
            [
                unit,
                word("grade", lang),
                step.rule,
                rule_name(step.rule, lang),
                None,
                None,
                f"{before}{grade_text(c, step.after, lang)}",
                None,
                None,
                None,
                None,
                grade_text(c, step.after, lang),
                step.why.text(lang) or None,
            ],
            None,
        )
