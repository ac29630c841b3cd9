"""Results as one self-contained HTML page, for the screen and for A4 print.

The page needs nothing but itself: CSS and the bar chart (SVG) are inline, there is no
script, no font, image or style sheet to fetch. Every text that comes from the criteria
or the data is escaped with ``html.escape``; numbers are the engine's Decimals, printed
as they are. Print rules (``@page size A4``, ``break-inside: avoid``) keep a unit's
score card on one page where it fits, and repeat table headers across pages.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from ecoscore._version import __version__
from ecoscore.report.chart import bar_chart
from ecoscore.report.common import (
    aggregate_name,
    changing_step,
    colon,
    decimal_text,
    grade_colour,
    grade_legend,
    grade_step_text,
    grade_text,
    grade_with_reason,
    listsep,
    name_of,
    paren,
    rank_cells,
    rule_name,
    status_note,
    summary_rows,
    trace_kind,
    tree,
    unit_name,
    unit_order,
    value_text,
    word,
)
from ecoscore.report.left_out import left_out_count, left_out_heading, left_out_rows
from ecoscore.report.periods import flags_text, has_flags, history_headers, history_values
from ecoscore.report.rollups import rollup_html
from ecoscore.results.assessment import Results
from ecoscore.results.card import ScoreCard

__all__ = ["render_html"]

_FONTS = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
    '"WenQuanYi Micro Hei", "Noto Sans", "Helvetica Neue", Arial, sans-serif'
)

_CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: %(fonts)s; color: #1a1a1a; background: #fff; margin: 0 auto;
       max-width: 190mm; padding: 10mm 6mm; font-size: 10pt; line-height: 1.5; }
h1 { font-size: 18pt; margin: 0 0 1mm; line-height: 1.25; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 2px solid #1a1a1a;
     break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 0 0 2mm; break-after: avoid; page-break-after: avoid; }
p.meta { color: #555; margin: 0 0 4mm; font-size: 9pt; }
table { border-collapse: collapse; width: 100%%; margin: 0 0 2mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border-bottom: 1px solid #d9d9d9; padding: 1mm 1.6mm; text-align: left;
         vertical-align: top; overflow-wrap: break-word; }
th { background: #f2f2f2; font-weight: 600; white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.grade { display: inline-block; padding: 0 2mm; border-radius: 1mm; color: #fff;
         font-weight: 600; white-space: nowrap; }
.why { color: #555; font-size: 8.5pt; }
.legend { margin: 1mm 0 3mm; font-size: 9pt; }
.legend span.grade { margin-right: 1mm; }
.legend .range { margin-right: 4mm; color: #555; }
figure { margin: 2mm 0 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%%; height: auto; display: block; }
section.card { break-inside: avoid; page-break-inside: avoid; margin: 0 0 6mm;
               padding-top: 2mm; }
section.card table { font-size: 8.5pt; line-height: 1.35; table-layout: fixed; }
section.card td { padding: 0.7mm 1.4mm; }
td.unit { white-space: nowrap; }
section.card th { white-space: normal; }
tr.node td { background: #f7f7f7; font-weight: 600; }
tr.total td { background: #ececec; font-weight: 700; }
td.clause { font-size: 8.3pt; color: #333; }
td.note { font-size: 8.3pt; color: #8a4b00; }
p.trace, p.ranks { margin: 1mm 0; font-size: 9pt; }
ol.steps { margin: 1mm 0; padding-left: 6mm; font-size: 9pt; }
.bad { color: #b2182b; font-weight: 700; }
footer { margin-top: 8mm; padding-top: 2mm; border-top: 1px solid #999; font-size: 8pt;
         color: #444; break-inside: avoid; page-break-inside: avoid; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 4mm; margin: 0; }
footer dt { font-weight: 600; }
footer dd { margin: 0; overflow-wrap: anywhere; font-family: "Noto Sans Mono CJK SC",
            "DejaVu Sans Mono", monospace; }
@media print { body { padding: 0; max-width: none; } }
""" % {"fonts": _FONTS}  # noqa: UP031 -- CSS is full of braces; %-style keeps it readable


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _chip(colour: str, text: str) -> str:
    return f'<span class="grade" style="background:{colour}">{_e(text)}</span>'


def render_html(
    results: Results, lang: str = "zh", manifest: Mapping[str, Any] | None = None
) -> str:
    """The results as one self-contained HTML page (``lang`` ``zh`` or ``en``).

    ``manifest`` (file hashes, settings, versions: whatever the caller records about
    the run) is listed in the footer with the criteria's id, version and SHA-256.
    """
    c = results.criteria
    title = c.title.text(lang, c.id)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(word("criteria", lang))}{_e(colon(lang))}{_e(c.id)} · '
        f"{_e(word('version', lang))} {c.version} · {_e(word('units_count', lang))} "
        f"{len(results)}</p>",
        "</header>",
    ]
    parts += _ranking(results, lang)
    parts += _left_out(results, lang)
    parts += _summaries(results, lang)
    parts += bar_chart(results, lang, _FONTS)
    parts += _changes(results, lang)
    parts.append(f"<h2>{_e(word('breakdown', lang))}</h2>")
    for k, unit in enumerate(unit_order(results), start=1):
        parts += _card(results, results[unit], k, lang)
    parts += _footer(results, lang, manifest)
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _ranking(results: Results, lang: str) -> Iterator[str]:
    c = results.criteria
    yield f"<h2>{_e(word('ranking', lang))}</h2>"
    legend = grade_legend(c, lang)
    if legend:
        items = "".join(
            f'{_chip(colour, label)}<span class="range">{_e(span)}</span>'
            for label, colour, span in legend
        )
        yield f'<div class="legend">{_e(word("legend", lang))}{_e(colon(lang))}{items}</div>'
    heads = [
        ("num", word("rank", lang)),
        ("", word("unit", lang)),
        ("num", word("total", lang)),
        ("", word("grade", lang)),
    ]
    heads += [("num", r.label.text(lang, r.id)) for r in results.rankings[1:]]
    flagged = has_flags(results)
    heads += [("", word("flags", lang))] if flagged else []
    heads += [("num", h) for h in history_headers(results, lang)]
    yield "<table>"
    yield (
        "<thead><tr>"
        + "".join(f'<th class="{cls}">{_e(h)}</th>' for cls, h in heads)
        + "</tr></thead>"
    )
    yield "<tbody>"
    for unit in unit_order(results):
        card = results[unit]
        cells = rank_cells(results, unit, lang)
        first = cells[0].text(lang) if cells else ""
        grade = _chip(grade_colour(c, card.grade), grade_text(c, card.grade, lang))
        step = changing_step(card)
        if step is not None:
            grade += f' <span class="why">{_e(paren(rule_name(step.rule, lang), lang))}</span>'
        others = "".join(f'<td class="num">{_e(cell.text(lang))}</td>' for cell in cells[1:])
        if flagged:
            others += f'<td class="flags">{_e(flags_text(c, card, lang))}</td>'
        others += "".join(
            f'<td class="num">{_e(v)}</td>' for v in history_values(results, unit, lang)
        )
        name = _e(unit_name(results, unit, lang))
        yield (
            f'<tr><td class="num">{_e(first)}</td><td class="unit">{name}</td>'
            f'<td class="num">{_e(decimal_text(card.total))}</td><td>{grade}</td>{others}</tr>'
        )
    yield "</tbody></table>"


def _left_out(results: Results, lang: str) -> list[str]:
    """A section listing the units left out (``--keep-going``) with their reasons."""
    if not results.left_out:
        return []
    rows = "".join(
        f"<tr><td>{_e(unit)}</td><td>{_e(reason)}</td></tr>"
        for unit, reason in left_out_rows(results)
    )
    return [
        f'<section class="left-out"><h2>{_e(left_out_heading(lang))}</h2>',
        f"<p>{_e(left_out_count(results, lang))}</p>",
        f"<table><tbody>{rows}</tbody></table></section>",
    ]


def _summaries(results: Results, lang: str) -> Iterator[str]:
    if not results.summaries:
        return
    heads, rows = summary_rows(results, lang)
    # The figure and the counts are numbers, aligned right.
    cls = ["", "", ' class="num"', "", ' class="num"', ""]
    yield f"<h2>{_e(word('summaries', lang))}</h2>"
    yield "<table>"
    yield (
        "<thead><tr>"
        + "".join(f"<th{c}>{_e(h)}</th>" for c, h in zip(cls, heads, strict=True))
        + "</tr></thead>"
    )
    yield "<tbody>"
    for row in rows:
        yield (
            "<tr>"
            + "".join(f"<td{c}>{_e(v)}</td>" for c, v in zip(cls, row, strict=True))
            + "</tr>"
        )
    yield "</tbody></table>"


def _changes(results: Results, lang: str) -> Iterator[str]:
    c = results.criteria
    changed = [u for u in unit_order(results) if changing_step(results[u]) is not None]
    if not changed:
        return
    yield f"<h2>{_e(word('grade_changes', lang))}</h2>"
    yield "<table>"
    yield (
        "<thead><tr>"
        + "".join(
            f"<th>{_e(word(k, lang))}</th>" for k in ("unit", "rule", "before", "after", "why")
        )
        + "</tr></thead>"
    )
    yield "<tbody>"
    for unit in changed:
        for step in results[unit].grade_steps:
            if step.rule == "band" or step.before == step.after:
                continue
            before = _chip(grade_colour(c, step.before), grade_text(c, step.before, lang))
            after = _chip(grade_colour(c, step.after), grade_text(c, step.after, lang))
            yield (
                f'<tr><td class="unit">{_e(unit_name(results, unit, lang))}</td>'
                f'<td>{_e(rule_name(step.rule, lang))} <span class="why">{_e(step.rule)}'
                f"</span></td><td>{before}</td><td>{after}</td>"
                f"<td>{_e(step.why.text(lang))}</td></tr>"
            )
    yield "</tbody></table>"


def _card(results: Results, card: ScoreCard, k: int, lang: str) -> Iterator[str]:
    c = results.criteria
    yield f'<section class="card" id="unit-{k}">'
    grade = _chip(grade_colour(c, card.grade), grade_with_reason(c, card, lang))
    yield (
        f"<h3>{k}. {_e(unit_name(results, card.unit, lang))} — "
        f"{_e(word('total', lang))} {_e(decimal_text(card.total))} {grade}</h3>"
    )
    heads = [
        ("", "item"),
        ("num", "value"),
        ("", "clause"),
        ("num", "points"),
        ("num", "max_points"),
        ("", "note"),
    ]
    yield "<table>"
    # Fixed column widths, so that every unit's card lines up with the others.
    yield (
        "<colgroup>"
        + "".join(f'<col style="width:{w}%">' for w in (30, 9, 25, 11, 6, 19))
        + "</colgroup>"
    )
    yield (
        "<thead><tr>"
        + "".join(f'<th class="{cls}">{_e(word(key, lang))}</th>' for cls, key in heads)
        + "</tr></thead>"
    )
    yield "<tbody>"
    yield from _card_rows(results, card, lang)
    yield "</tbody></table>"
    if card.rollups:
        yield rollup_html(c, card, lang)  # the figures from sub-units (report.rollups)
    yield from _trace(results, card, lang)
    if card.grade_steps:
        yield f'<ol class="steps" aria-label="{_e(word("grade_steps", lang))}">'
        for step in card.grade_steps:
            yield f"<li>{_e(grade_step_text(c, card, step, lang))}</li>"
        yield "</ol>"
    ranks = [cell.sentence(lang) for cell in rank_cells(results, card.unit, lang)]
    if ranks:
        yield f'<p class="ranks">{_e(listsep(lang).join(ranks))}</p>'
    yield "</section>"


def _card_rows(results: Results, card: ScoreCard, lang: str) -> Iterator[str]:
    c = results.criteria
    for item in tree(c):
        indent = f' style="padding-left:{1.6 + 4 * item.depth}mm"'
        label = _e(name_of(c, item.id, lang))
        if item.node is not None:
            res = card.nodes.get(item.id)
            if res is None:
                continue
            notes = [res.note.text(lang)] if res.note else []
            for key, names in (("excluded", res.excluded), ("argmax", res.argmax)):
                if names:
                    shown = listsep(lang).join(name_of(c, n, lang) for n in names)
                    notes.append(f"{word(key, lang)}{colon(lang)}{shown}")
            value = decimal_text(res.value)
            if res.raw is not None and res.value is not None and res.raw != res.value:
                value = f"{decimal_text(res.raw)} → {value}"
            cls = "total" if item.depth == 0 else "node"
            yield (
                f'<tr class="{cls}"><td{indent}>{label}</td><td></td>'
                f'<td class="clause">{_e(aggregate_name(res.aggregate, lang))}</td>'
                f'<td class="num">{_e(value)}</td>'
                f'<td class="num">{_e(decimal_text(item.node.points, ""))}</td>'
                f'<td class="note">{_e(listsep(lang).join(notes))}</td></tr>'
            )
            continue
        res_i = card.indicators.get(item.id)
        if res_i is None or item.indicator is None:
            continue
        clause = "" if res_i.outcome is None else res_i.outcome.text(lang)
        if (
            res_i.outcome is not None
            and res_i.outcome.label is not None
            and res_i.outcome.label not in clause
        ):
            clause += f" [{res_i.outcome.label}]"
        note = status_note(res_i.status, res_i.note, lang)
        points = decimal_text(
            res_i.contribution if res_i.contribution is not None else res_i.points
        )
        if (
            res_i.rounding is not None
            and res_i.raw_points is not None
            and res_i.raw_points != res_i.points
        ):
            points = f"{decimal_text(res_i.raw_points)} → {points}"
        yield (
            f"<tr><td{indent}>{label}</td>"
            f'<td class="num">{_e(value_text(res_i.value, ""))}</td>'
            f'<td class="clause">{_e(clause)}</td><td class="num">{_e(points)}</td>'
            f'<td class="num">{_e(decimal_text(item.indicator.points, ""))}</td>'
            f'<td class="note">{_e(note)}</td></tr>'
        )


def _trace(results: Results, card: ScoreCard, lang: str) -> Iterator[str]:
    steps = card.steps
    if not steps:
        return
    terms = []
    for i, s in enumerate(steps):
        what = f"{name_of(results.criteria, s.path, lang)} {trace_kind(s.kind, lang)}"
        magnitude = decimal_text(abs(s.amount))
        sign = "− " if s.amount.is_signed() else ("" if i == 0 else "+ ")
        terms.append(f'{sign}<span title="{_e(what)}">{_e(magnitude)}</span>')
    # The sum only checks the trace; the total shown is the engine's.
    total = sum((s.amount for s in steps), Decimal(0))
    same = total == card.total
    verdict = "" if same else f' <span class="bad">{_e(word("does_not_add_up", lang))}</span>'
    yield (
        f'<p class="trace"><b>{_e(word("trace", lang))}</b>{_e(colon(lang))}'
        f"{' '.join(terms)} = {_e(decimal_text(total))} {'=' if same else '≠'} "
        f"{_e(word('total', lang))} {_e(decimal_text(card.total))}{verdict}</p>"
    )


def _flatten(prefix: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _flatten(f"{prefix}.{key}" if prefix else str(key), item)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _flatten(f"{prefix}[{i}]", item)
    elif value is not None:
        yield prefix, value_text(value)


def _footer(results: Results, lang: str, manifest: Mapping[str, Any] | None) -> Iterator[str]:
    c = results.criteria
    rows = [
        (word("criteria", lang), f"{c.title.text(lang, c.id)} ({c.id})"),
        (word("version", lang), str(c.version)),
        (word("sha256", lang), c.sha256 or "—"),
    ]
    if c.source:
        rows.append(("source", c.source))
    if not manifest or "ecoscore" not in manifest:
        rows.append((word("ecoscore", lang), __version__))
    rows += list(_flatten("", manifest or {}))
    yield "<footer>"
    yield f"<div><b>{_e(word('manifest', lang))}</b></div>"
    yield "<dl>"
    for key, value in rows:
        yield f"<dt>{_e(key)}</dt><dd>{_e(value)}</dd>"
    yield "</dl>"
    yield "</footer>"
