"""Results as terminal text: the ranking table, and one unit's score card in words.

``render_table`` is what ``ecoscore score`` prints; ``explain`` is what an auditor reads
to follow one unit's total from the submitted figures to the grade, step by step. Both
print every number exactly as the engine made it and never recompute a score.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from tabulate import tabulate

from ecoscore.model import Criteria
from ecoscore.report.common import (
    aggregate_name,
    changing_step,
    colon,
    decimal_text,
    grade_step_text,
    grade_text,
    grade_with_reason,
    listsep,
    name_of,
    paren,
    rank_cells,
    rounding_text,
    rule_name,
    status_text,
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
from ecoscore.report.rollups import ROLLUP_TITLE, rollup_lines
from ecoscore.results.assessment import Results
from ecoscore.results.card import ScoreCard
from ecoscore.results.scores import IndicatorResult

__all__ = ["explain", "render_table"]


def _title(results: Results, lang: str) -> str:
    c = results.criteria
    return f"{c.title.text(lang, c.id)} ({c.id})"


def render_table(results: Results, lang: str = "zh") -> str:
    """The ranking as a terminal table: rank, unit, total, grade and every ranking's rank,
    then the summaries' figures (if the criteria declare any).

    Units come in the order of the first ranking; tied units show the same rank. A grade
    that a rule changed is marked with the rule (``不合格 (一票否决)``) and the reasons are
    listed under the table.
    """
    c = results.criteria
    rankings = results.rankings
    headers = [word("rank", lang), word("unit", lang), word("total", lang), word("grade", lang)]
    headers += [r.label.text(lang, r.id) for r in rankings[1:]]
    flagged = has_flags(results)
    headers += [word("flags", lang)] if flagged else []
    headers += history_headers(results, lang)
    rows = []
    for unit in unit_order(results):
        card = results[unit]
        cells = rank_cells(results, unit, lang)
        first = cells[0].text(lang) if cells else ""
        rows.append(
            [
                first,
                unit_name(results, unit, lang),
                decimal_text(card.total),
                grade_with_reason(c, card, lang),
                *(cell.text(lang) for cell in cells[1:]),
                *([flags_text(c, card, lang)] if flagged else []),
                *history_values(results, unit, lang),
            ]
        )
    align = ["right", "left", "right", "left"] + ["right"] * (len(rankings) - 1)
    align += ["left"] * flagged + ["right"] * (len(headers) - len(align) - flagged)
    # disable_numparse: tabulate would otherwise reformat "7.70" as 7.7.
    table = tabulate(
        rows, headers=headers, disable_numparse=True, colalign=align, tablefmt="simple"
    )
    lines = [_title(results, lang), "", table]
    if results.summaries:
        heads, figures = summary_rows(results, lang)
        lines += ["", word("summaries", lang) + colon(lang).strip()]
        lines.append(
            tabulate(
                figures,
                headers=heads,
                disable_numparse=True,
                colalign=["left", "left", "right", "left", "right", "left"],
                tablefmt="simple",
            )
        )
    changes = [(u, results[u]) for u in unit_order(results) if changing_step(results[u])]
    if changes:
        lines += ["", word("grade_changes", lang) + colon(lang).strip()]
        for unit, card in changes:
            for step in card.grade_steps:
                if step.rule != "band" and step.before != step.after:
                    lines.append(
                        "  "
                        + _grade_change(
                            results,
                            unit,
                            step.rule,
                            step.before,
                            step.after,
                            step.why.text(lang),
                            lang,
                        )
                    )
    lines += _left_out(results, lang)
    return "\n".join(lines) + "\n"


def _left_out(results: Results, lang: str) -> list[str]:
    """The units a run that kept going left out, each with its located reasons."""
    if not results.left_out:
        return []
    lines = ["", left_out_heading(lang) + colon(lang).strip(), "  " + left_out_count(results, lang)]
    # Each reason names its unit and where its row is.
    lines += [f"  {reason}" for _, reason in left_out_rows(results)]
    return lines


def _grade_change(
    results: Results, unit: str, rule: str, before: str | None, after: str, why: str, lang: str
) -> str:
    c = results.criteria
    change = f"{grade_text(c, before, lang)} → {grade_text(c, after, lang)}"
    reason = f"{colon(lang)}{why}" if why else ""
    return f"{unit_name(results, unit, lang)}  {rule_name(rule, lang)} [{rule}]  {change}{reason}"


# -- explain ---------------------------------------------------------------------------


def explain(results: Results, unit: str, lang: str = "zh") -> str:
    """One unit's score card in words, every step from the figures to the grade.

    For each indicator: the figures it read, its measured value, the clause of the rule
    that applied, intermediate values, the rounding of its points and any status note
    (missing → 0, carried forward, left out). Then how each node aggregates its
    children, the additive trace with its sum next to the total, each grade step with
    its reason, and the unit's place in every ranking. Raises ``KeyError`` for an
    unknown unit.
    """
    card = results[unit]
    c = results.criteria
    shown = unit_name(results, unit, lang)
    head = f"{word('scorecard', lang)}{colon(lang)}{shown}"
    if shown != unit:
        head += f" [{unit}]"
    exact = f"{word('total_exact', lang)} {decimal_text(card.total_exact)}"
    total = f"{word('total', lang)} {decimal_text(card.total)}{paren(exact, lang)}"
    grade = grade_with_reason(c, card, lang)
    lines = [
        head,
        _title(results, lang),
        f"{total}，等级：{grade}" if lang == "zh" else f"{total}; grade: {grade}",
    ]
    sections: tuple[tuple[str, list[str]], ...] = (
        (word("sec_indicators", lang), list(_indicators(results, card, lang))),
        (word("sec_nodes", lang), list(_nodes(c, card, lang))),
        (word("trace", lang), list(_trace(c, card, lang))),
        (word("grade_steps", lang), list(_grades(results, card, lang))),
        (word("ranks", lang), list(_ranks(results, unit, lang))),
    )
    if card.rollups:
        # Roll-ups (report.rollups): the figures from sub-units, before what scores them.
        title = ROLLUP_TITLE["zh" if lang == "zh" else "en"]
        sections = ((title, rollup_lines(c, card, lang)), *sections)
    numerals = "一二三四五六"
    for k, (title, body) in enumerate(sections):
        lines.append("")
        lines.append(f"{numerals[k]}、{title}" if lang == "zh" else f"{title}:")
        lines.extend(body or ["  —"])
    return "\n".join(lines) + "\n"


def _name(c: Criteria, ident: str, lang: str, *, data: bool = False) -> str:
    label = name_of(c, ident, lang, data=data)
    return ident if label == ident else f"{label} [{ident}]"


def _indicators(results: Results, card: ScoreCard, lang: str) -> Iterator[str]:
    c = results.criteria
    k = 0
    for item in tree(c):
        ind = item.indicator
        if ind is None or ind.id not in card.indicators:
            continue
        k += 1
        facts = [_name(c, ind.parent, lang)]
        if ind.points is not None:
            facts.append(f"{word('max_points', lang)} {decimal_text(ind.points)}")
        if ind.effect != "score":
            facts.append(trace_kind(ind.effect, lang))
        if ind.weight is not None:
            facts.append(f"{word('weight', lang)} {decimal_text(ind.weight)}")
        yield f"{k}. {_name(c, ind.id, lang)}{paren(' / '.join(facts), lang)}"
        lines = _indicator_lines(c, card.indicators[ind.id], lang)
        yield from (f"   {line}" for line in lines)


def _indicator_lines(c: Criteria, res: IndicatorResult, lang: str) -> Iterator[str]:
    zh = lang == "zh"
    cn = colon(lang)
    if res.inputs:
        shown = listsep(lang).join(
            f"{_name(c, n, lang, data=True)} = {value_text(v)}" for n, v in res.inputs
        )
        yield f"{word('inputs', lang)}{cn}{shown}"
    if res.value is not None:
        yield f"{word('value', lang)}{cn}{value_text(res.value)}"
    outcome = res.outcome
    if outcome is not None:
        yield f"{word('clause', lang)}{cn}{outcome.text(lang)}"
        if outcome.label is not None:
            yield f"{'类别' if zh else 'Class'}{cn}{outcome.label}"
        if outcome.steps:
            shown = listsep(lang).join(f"{what} = {value_text(v)}" for what, v in outcome.steps)
            yield f"{word('steps', lang)}{cn}{shown}"
    if res.points is not None:
        points = decimal_text(res.points)
        raw = decimal_text(res.raw_points)
        if res.rounding is not None and res.raw_points is not None and raw != points:
            how = paren(rounding_text(res.rounding, lang), lang)
            verb = word("rounding", lang) if zh else "rounded"
            points = f"{decimal_text(res.raw_points)} → {verb}{how} → {points}"
        yield f"{word('points', lang)}{cn}{points}"
    if res.contribution is not None and res.contribution != res.points:
        yield f"{'计入上级' if zh else 'Enters its parent as'}{cn}{decimal_text(res.contribution)}"
    if res.status != "scored" or res.note:
        note = paren(res.note.text(lang), lang) if res.note else ""
        yield f"{word('status', lang)}{cn}{status_text(res.status, lang)}{note}"


def _child_value(card: ScoreCard, kid: str, node: str) -> str | None:
    """A child's value as it entered ``node``, or ``None`` when it was left out."""
    if kid in card.indicators:
        res = card.indicators[kid]
        if kid in card.nodes[node].excluded or res.contribution is None:
            return None
        return decimal_text(res.contribution)
    sub = card.nodes.get(kid)
    if sub is None or sub.value is None:
        return None
    return decimal_text(sub.value)


def _nodes(c: Criteria, card: ScoreCard, lang: str) -> Iterator[str]:
    cn = colon(lang)
    # Bottom-up, in the order the numbers were worked out.
    items = [t for t in tree(c) if t.node is not None and t.id in card.nodes]
    for item in sorted(items, key=lambda t: -t.depth):
        node = item.node
        assert node is not None
        res = card.nodes[node.id]
        parts = []
        left_out = []
        for kid in node.children:
            shown = _child_value(card, kid, node.id)
            if shown is None:
                left_out.append(_name(c, kid, lang))
                continue
            if node.aggregate in ("weighted-mean", "geometric-mean"):
                w = c.indicators[kid].weight if kid in c.indicators else c.nodes[kid].weight
                shown += f" × {word('weight', lang)} {decimal_text(w or Decimal(1))}"
            parts.append(f"{_name(c, kid, lang)} {shown}")
        how = aggregate_name(node.aggregate, lang)
        if node.aggregate == "formula" and node.formula is not None:
            how += f" {node.formula.source}"
        joined = " + ".join(parts) if node.aggregate == "sum" else listsep(lang).join(parts)
        line = f"- {_name(c, node.id, lang)}{cn}{how}{paren(joined, lang)}"
        line += f" = {decimal_text(res.raw)}"
        shown = decimal_text(res.value)
        if res.rounding is not None and res.value is not None and shown != decimal_text(res.raw):
            verb = word("rounding", lang) if lang == "zh" else "rounded"
            line += (
                f" → {verb}{paren(rounding_text(res.rounding, lang), lang)} → "
                f"{decimal_text(res.value)}"
            )
        yield line
        if left_out:
            yield f"  {word('excluded', lang)}{cn}{listsep(lang).join(left_out)}"
        if res.argmax:
            yield f"  {word('argmax', lang)}{cn}" + listsep(lang).join(
                _name(c, a, lang) for a in res.argmax
            )
        if res.note:
            yield f"  {word('note', lang)}{cn}{res.note.text(lang)}"


def _trace(c: Criteria, card: ScoreCard, lang: str) -> Iterator[str]:
    steps = card.steps
    if not steps:
        return
    width = max(len(decimal_text(abs(s.amount))) for s in steps)
    total = Decimal(0)
    for s in steps:
        # The sign stands in front of the magnitude so the column reads as a written sum.
        sign = "−" if s.amount.is_signed() else "+"
        yield (
            f"  {sign} {decimal_text(abs(s.amount)):>{width}}  "
            f"{_name(c, s.path, lang)} {trace_kind(s.kind, lang)}"
        )
        total += s.amount
    yield f"  = {decimal_text(total):>{width}}"
    # The sum only checks the trace; the total shown is the engine's.
    same = total == card.total
    verdict = word("adds_up" if same else "does_not_add_up", lang)
    yield (
        f"  {word('sum', lang)} {decimal_text(total)} {'=' if same else '≠'} "
        f"{word('total', lang)} {decimal_text(card.total)}{colon(lang)}{verdict}"
    )


def _grades(results: Results, card: ScoreCard, lang: str) -> Iterator[str]:
    c = results.criteria
    for k, step in enumerate(card.grade_steps, start=1):
        yield f"  {k}. {grade_step_text(c, card, step, lang)}"
    if card.grade_steps:
        yield f"  {word('grade', lang)}{colon(lang)}{grade_with_reason(c, card, lang)}"


def _ranks(results: Results, unit: str, lang: str) -> Iterator[str]:
    for cell in rank_cells(results, unit, lang):
        yield "  " + cell.sentence(lang)
