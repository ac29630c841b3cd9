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
    its grade steps with their reasons. A sheet holds at most 1,048,576 rows (Excel's
    limit): a longer trace goes on in ``过程 2``, ``过程 3`` …, never splitting a unit.

``trace="summary"`` leaves out the trace sheet, ``trace="none"`` the scores sheet too.

The workbook is streamed (``ecoscore.io.xlsx_stream``): each row is written out as the
next begins, so memory does not grow with the number of units. Column widths are set
when a sheet is done, to fit its widest cell; the scores sheet, whose wrapped labels need
their row height before any row is written, measures its cells in a first pass.

Numbers are written as numbers: a ``Decimal`` is written as the binary double nearest to
it, and Excel keeps 15 significant digits. A Decimal of at most 15 significant digits
(every published score, rank and total) therefore shows exactly, and is written as a
number with a format that shows its declared places (``0.00`` for ``"2 half-up"``). A
Decimal with more digits (an unrounded mean such as ``33.33…``) is written as its exact
text rather than silently cut to a double.

Text never becomes a formula: every text cell is written as a string, and one that
starts with ``=``, ``+``, ``-`` or ``@`` also gets Excel's quote-prefix style (what typing
``'=cmd`` in Excel does): the cell holds the exact text, shows it, and stays text when
edited. A literal leading ``'`` would instead be stored and shown as part of the name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from ecoscore.io.atomic import atomic_path
from ecoscore.io.xlsx_stream import ILLEGAL_CHARACTERS, MAX_ROWS, Format, streaming_workbook
from ecoscore.model import TOTAL, Criteria
from ecoscore.numbers import Rounding
from ecoscore.report.common import (
    FORMULA_TRIGGERS,
    TreeItem,
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
from ecoscore.report.periods import flags_text, has_flags, history_cells, history_headers
from ecoscore.results.assessment import Results
from ecoscore.results.card import ScoreCard
from ecoscore.results.scores import brief_of

__all__ = ["EXCEL_DIGITS", "write_xlsx"]

#: Significant digits Excel keeps in a number ("Number precision: 15 digits", Excel
#: specifications and limits); a Decimal with more is written as text.
EXCEL_DIGITS = 15

_TRACES = ("full", "summary", "none")

# A written cell: text, or a Decimal with its declared rounding (None: its own places).
Value = str | Decimal | bool | None

# How a cell looks, beside its number format: plain, bold (a node's subtotal), a header,
# an id header (grey italic), or a grade in its colour (``grade:#1b7837``).
_PLAIN, _BOLD, _HEADER, _IDS = "plain", "bold", "header", "ids"

# Wide (CJK) characters take two columns.
_WIDE = re.compile("[\u2e81-\U0010ffff]")


def _places_format(places: int) -> str:
    return "0" if places <= 0 else "0." + "0" * places


def _width(value: Any) -> int:
    text = value if isinstance(value, str) else value_text(value, "")
    return len(text) if text.isascii() else len(text) + len(_WIDE.findall(text))


class _Book:
    """The workbook being streamed, with one cell format per look it uses."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.workbook = streaming_workbook(os.fspath(path))
        self.formats: dict[tuple[int | None, str, bool], Format] = {}

    def format(self, places: int | None, look: str, quote: bool) -> Format:
        key = (places, look, quote)
        found = self.formats.get(key)
        if found is None:
            props: dict[str, Any] = {}
            if places is not None:
                props["num_format"] = _places_format(places)
            if look == _BOLD:
                props["bold"] = True
            elif look in (_HEADER, _IDS):
                props.update(bg_color="#F2F2F2", pattern=1, valign="top")
                if look == _HEADER:
                    props.update(bold=True, text_wrap=True)
                else:
                    props.update(italic=True, font_color="#777777")
            elif look.startswith("grade:"):
                props.update(bold=True, font_color="#FFFFFF", bg_color=look[6:], pattern=1)
            if quote:
                props["quote_prefix"] = True
            found = self.formats[key] = self.workbook.add_format(props)
        return found

    def close(self) -> None:
        self.workbook.close()


class _Sheet:
    """One worksheet, written a row at a time, measuring its columns as it goes."""

    def __init__(self, book: _Book, name: str, *, widest: int = 50, measure_from: int = 0):
        self.book = book
        self.sheet = book.workbook.add_worksheet(name)
        self.row = 0  # the row being written, from 0
        self.widest = widest
        self.measure_from = measure_from
        self.widths: list[int] = []

    def put(
        self, col: int, value: Any, rounding: Rounding | None = None, look: str = _PLAIN
    ) -> None:
        """Write one cell of the current row: a number as a number, else text."""
        if value is None:
            return
        if isinstance(value, bool):
            value = value_text(value)
        elif isinstance(value, Decimal):
            _, digits, exponent = value.as_tuple()
            if isinstance(exponent, int) and (
                len(digits) <= EXCEL_DIGITS
                or len(value.normalize().as_tuple().digits) <= EXCEL_DIGITS
            ):
                places = rounding.places if rounding is not None else -exponent
                fmt = self.book.format(places, look, False)
                self.sheet.write_number(self.row, col, float(value), fmt)
                self._measure(col, format(value, "f"))
                return
            value = format(value, "f")
        text = str(value)
        if not text.isprintable():  # a control character, perhaps one XML cannot hold
            text = ILLEGAL_CHARACTERS.sub("\ufffd", text)
        fmt = self.book.format(None, look, text.startswith(FORMULA_TRIGGERS))
        self.sheet.write_string(self.row, col, text, fmt)
        self._measure(col, text)

    def _measure(self, col: int, text: str) -> None:
        if self.row < self.measure_from:
            return
        widths = self.widths
        while len(widths) <= col:
            widths.append(0)
        width = _width(text)
        widths[col] = max(widths[col], width)

    def header(self, titles: Iterable[str], *, ids: bool = False) -> None:
        for col, title in enumerate(titles):
            self.put(col, title, look=_IDS if ids else _HEADER)
        self.row += 1

    def finish(self, header_row: int, freeze: tuple[int, int], columns: int) -> None:
        """Freeze the headers, filter on the last header row, size the columns."""
        self.sheet.freeze_panes(*freeze)
        self.sheet.autofilter(header_row, 0, max(self.row - 1, header_row), max(columns, 1) - 1)
        for col in range(columns):
            measured = self.widths[col] if col < len(self.widths) else 0
            # Filter buttons cover about two characters of the header.
            self.sheet.set_column(col, col, min(max(8, measured) + 3, self.widest))


def write_xlsx(
    results: Results,
    path: str | os.PathLike[str],
    lang: str = "zh",
    *,
    trace: str = "full",
    rows_per_sheet: int = MAX_ROWS,
) -> None:
    """Write the results as an ``.xlsx`` workbook at ``path`` (atomically).

    ``trace`` is ``full`` (the three sheets), ``summary`` (no trace sheet) or ``none``
    (the ranking sheet only); ``rows_per_sheet`` is where a trace sheet goes on in the
    next (Excel's limit by default).
    """
    if trace not in _TRACES:
        raise ValueError(f"trace must be one of {', '.join(_TRACES)}, not {trace!r}")
    order = unit_order(results)
    with atomic_path(path) as temporary:
        book = _Book(temporary)
        _ranking_sheet(results, order, book, lang)
        if trace != "none":
            _scores_sheet(results, order, book, lang)
        if trace == "full":
            _trace_sheets(results, order, book, lang, rows_per_sheet)
        _left_out_sheet(results, book, lang)
        book.close()


def _left_out_sheet(results: Results, book: _Book, lang: str) -> None:
    """A sheet of the units left out (``--keep-going``), a row per located reason."""
    if not results.left_out:
        return
    ws = _Sheet(book, "未评分" if lang == "zh" else "Left out")
    ws.put(0, left_out_count(results, lang))
    ws.row += 1
    ws.header([word("unit", lang), "原因" if lang == "zh" else "reason"])
    for unit, reason in left_out_rows(results):
        ws.put(0, unit)
        ws.put(1, reason)
        ws.row += 1
    ws.finish(1, (2, 0), 2)


def _ranking_sheet(results: Results, order: Sequence[str], book: _Book, lang: str) -> None:
    c = results.criteria
    ws = _Sheet(book, "排名" if lang == "zh" else "Ranking")
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
    flagged = has_flags(results)
    titles += [word("flags", lang)] if flagged else []
    titles += history_headers(results, lang)
    ws.header(titles)
    for unit in order:
        card = results[unit]
        cells = {cell.ranking: cell for cell in rank_cells(results, unit, lang)}
        step = changing_step(card)
        total = card.nodes[TOTAL].rounding if TOTAL in card.nodes else None
        values: list[tuple[Value, Rounding | None]] = []
        if rankings:
            values.append((cells[rankings[0].id].rank if rankings[0].id in cells else None, None))
        values += [(unit_name(results, unit, lang), None), (card.total, total)]
        grade_col = len(values)
        values += [
            (None if card.grade is None else grade_text(c, card.grade, lang), None),
            (None if step is None else rule_name(step.rule, lang), None),
            (None if step is None else step.why.text(lang) or None, None),
        ]
        values += [(cells[r.id].rank if r.id in cells else None, None) for r in rankings[1:]]
        values += [(cells[r.id].group if r.id in cells else None, None) for r in grouped]
        values += [(flags_text(c, card, lang) or None, None)] if flagged else []
        values += [(v, None) for v in history_cells(results, unit, lang)]
        for col, (value, rounding) in enumerate(values):
            look = _PLAIN
            if col == grade_col and card.grade is not None:
                look = "grade:" + grade_colour(c, card.grade)
            ws.put(col, value, rounding, look)
        ws.row += 1
    ws.finish(0, (1, 2) if rankings else (1, 1), len(titles))


def _scores_sheet(results: Results, order: Sequence[str], book: _Book, lang: str) -> None:
    c = results.criteria
    ws = _Sheet(book, "得分" if lang == "zh" else "Scores", measure_from=1)
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
    # The labels wrap over narrow number columns: their row is as tall as the longest
    # needs, which depends on the column widths, so the cells are measured first.
    widths = [_width(i) for i in ids]
    for unit in order:
        for col, (value, _, _) in enumerate(_score_row(results, unit, columns, lang)):
            if value is not None:
                widths[col] = max(widths[col], _width(value_text(value)))
    lines = 1
    for col, label in enumerate(labels):
        width = min(max(8, widths[col]) + 3, ws.widest)
        lines = max(lines, -(-_width(label) // max(width - 2, 1)))
    ws.sheet.set_row(0, 15 * min(lines, 6))
    ws.header(labels)
    ws.header(ids, ids=True)
    for unit in order:
        for col, (value, rounding, look) in enumerate(_score_row(results, unit, columns, lang)):
            ws.put(col, value, rounding, look)
        ws.row += 1
    ws.finish(1, (2, 1), len(labels))


def _score_row(
    results: Results, unit: str, columns: Sequence[tuple[str, str]], lang: str
) -> Iterator[tuple[Value, Rounding | None, str]]:
    card = results[unit]
    yield unit_name(results, unit, lang), None, _PLAIN
    for kind, ident in columns:
        value, rounding = _score_value(card, kind, ident)
        yield value, rounding, _BOLD if kind == "node" else _PLAIN
    grade = None if card.grade is None else grade_text(results.criteria, card.grade, lang)
    yield grade, None, _PLAIN


def _score_value(card: ScoreCard, kind: str, ident: str) -> tuple[Value, Rounding | None]:
    if kind == "attribute":
        value = card.attributes.get(ident)
        return (
            value if isinstance(value, (str, Decimal, bool)) or value is None else str(value)
        ), None
    if kind == "indicator":
        brief = brief_of(card.indicators, ident)
        if brief is None:
            return None, None
        points, contribution, rounding = brief
        return (contribution if contribution is not None else points), rounding
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


def _trace_sheets(
    results: Results, order: Sequence[str], book: _Book, lang: str, rows_per_sheet: int
) -> None:
    title = "过程" if lang == "zh" else "Trace"
    context = _TraceContext(results.criteria, lang)
    sheets = 1
    ws = _trace_sheet(book, title, lang)
    for unit in order:
        rows = list(_trace_rows(results, results[unit], context))
        if ws.row > 1 and ws.row + len(rows) > rows_per_sheet:
            # A unit's rows stay together: the next sheet takes them.
            ws.finish(0, (1, 1), len(_TRACE_KEYS))
            sheets += 1
            ws = _trace_sheet(book, f"{title} {sheets}", lang)
        for values, rounding in rows:
            for col, (key, value) in enumerate(zip(_TRACE_KEYS, values, strict=True)):
                ws.put(col, value, rounding if key == "points" else None)
            ws.row += 1
    ws.finish(0, (1, 1), len(_TRACE_KEYS))


def _trace_sheet(book: _Book, name: str, lang: str) -> _Sheet:
    ws = _Sheet(book, name, widest=60)
    ws.header([word(k, lang) for k in _TRACE_KEYS])
    return ws


class _TraceContext:
    """What every unit's trace rows share, worked out once: the tree, the nodes in
    column order, and the names of things in the report's language."""

    def __init__(self, criteria: Criteria, lang: str) -> None:
        self.criteria = criteria
        self.lang = lang
        self.sep = "；" if lang == "zh" else "; "
        self.indicators: tuple[TreeItem, ...] = tuple(
            item for item in tree(criteria) if item.indicator is not None
        )
        self.nodes = tuple(ident for kind, ident in score_columns(criteria) if kind == "node")
        self._names: dict[tuple[str, bool], str] = {}

    def name(self, ident: str, *, data: bool = False) -> str:
        key = (ident, data)
        found = self._names.get(key)
        if found is None:
            found = self._names[key] = name_of(self.criteria, ident, self.lang, data=data)
        return found


def _trace_rows(
    results: Results, card: ScoreCard, context: _TraceContext
) -> Iterator[tuple[list[Value], Rounding | None]]:
    c = results.criteria
    lang, sep = context.lang, context.sep
    unit = unit_name(results, card.unit, lang)
    for item in context.indicators:
        res = card.indicators.get(item.id)
        if res is None:
            continue
        o = res.outcome
        inputs = sep.join(f"{context.name(n, data=True)} = {value_text(v)}" for n, v in res.inputs)
        steps = "" if o is None else sep.join(f"{k} = {value_text(v)}" for k, v in o.steps)
        value: Value = res.value if isinstance(res.value, (str, Decimal, bool)) else None
        yield (
            [
                unit,
                word("indicator", lang),
                item.id,
                context.name(item.id),
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
    for ident in context.nodes:
        node = card.nodes.get(ident)
        if node is None:
            continue
        notes = [node.note.text(lang)] if node.note else []
        for key, names in (("excluded", node.excluded), ("argmax", node.argmax)):
            if names:
                notes.append(f"{word(key, lang)}: " + sep.join(context.name(n) for n in names))
        yield (
            [
                unit,
                word("node", lang),
                ident,
                context.name(ident),
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
