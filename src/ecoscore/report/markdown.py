"""Results as Markdown: the ranking table, grade changes, and each unit's breakdown.

For pasting into a report or an issue. Every text from outside (unit names, labels,
clauses, reasons) is escaped, so a unit named ``<script>`` or ``a|b`` shows as typed and
cannot break a table or inject HTML; numbers are the engine's Decimals, printed as they
are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

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
    rank_cells,
    rule_name,
    status_note,
    trace_kind,
    tree,
    unit_name,
    unit_order,
    value_text,
    word,
)
from ecoscore.report.left_out import left_out_count, left_out_heading, left_out_rows
from ecoscore.report.periods import flags_text, has_flags, history_headers, history_values
from ecoscore.results.assessment import Results
from ecoscore.results.card import ScoreCard

__all__ = ["escape", "render_markdown"]

# The characters with an inline meaning in CommonMark (and GitHub's tables: the pipe),
# each of which may be escaped with a backslash. & and < would start an entity or HTML.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#!$])")


def escape(text: str) -> str:
    """``text`` as literal Markdown: special characters backslash-escaped, one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.splitlines()))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_markdown(results: Results, lang: str = "zh") -> str:
    """The results as a Markdown document: title, ranking, grade changes, score cards."""
    c = results.criteria
    lines = [f"# {escape(c.title.text(lang, c.id))}", ""]
    facts = [f"{word('criteria', lang)} `{c.id}`", f"{word('version', lang)} {c.version}"]
    if c.sha256:
        facts.append(f"SHA-256 `{c.sha256}`")
    facts.append(f"{word('units_count', lang)} {len(results)}")
    lines += [" · ".join(facts), ""]
    lines += list(_ranking(results, lang))
    lines += _left_out(results, lang)
    lines += list(_changes(results, lang))
    lines += ["", f"## {word('breakdown', lang)}"]
    for k, unit in enumerate(unit_order(results), start=1):
        lines += ["", *_card(results, results[unit], k, lang)]
    return "\n".join(lines) + "\n"


def _ranking(results: Results, lang: str) -> Iterator[str]:
    c = results.criteria
    yield f"## {word('ranking', lang)}"
    yield ""
    headers = [word("rank", lang), word("unit", lang), word("total", lang), word("grade", lang)]
    headers += [escape(r.label.text(lang, r.id)) for r in results.rankings[1:]]
    flagged = has_flags(results)
    headers += [word("flags", lang)] if flagged else []
    history = [escape(h) for h in history_headers(results, lang)]
    headers += history
    yield _row(headers)
    marks = ["---:", "---", "---:", "---"] + ["---:"] * (len(results.rankings[1:]))
    yield _row([*marks, *(["---"] if flagged else []), *(["---:"] * len(history))])
    for unit in unit_order(results):
        card = results[unit]
        cells = rank_cells(results, unit, lang)
        first = escape(cells[0].text(lang)) if cells else ""
        yield _row(
            [
                first,
                escape(unit_name(results, unit, lang)),
                decimal_text(card.total),
                escape(grade_with_reason(c, card, lang)),
                *(escape(cell.text(lang)) for cell in cells[1:]),
                *([escape(flags_text(c, card, lang))] if flagged else []),
                *(escape(v) for v in history_values(results, unit, lang)),
            ]
        )


def _left_out(results: Results, lang: str) -> list[str]:
    """A section listing the units left out (``--keep-going``) with their reasons."""
    if not results.left_out:
        return []
    lines = [
        "",
        f"## {escape(left_out_heading(lang))}",
        "",
        escape(left_out_count(results, lang)),
        "",
    ]
    lines += [
        _row([word("unit", lang), "原因" if lang == "zh" else "reason"]),
        _row(["---", "---"]),
    ]
    lines += [_row([escape(unit), escape(reason)]) for unit, reason in left_out_rows(results)]
    return lines


def _changes(results: Results, lang: str) -> Iterator[str]:
    c = results.criteria
    changed = [u for u in unit_order(results) if changing_step(results[u]) is not None]
    if not changed:
        return
    yield ""
    yield f"### {word('grade_changes', lang)}"
    yield ""
    yield _row(
        [
            word("unit", lang),
            word("rule", lang),
            word("before", lang),
            word("after", lang),
            word("why", lang),
        ]
    )
    yield _row(["---"] * 5)
    for unit in changed:
        for step in results[unit].grade_steps:
            if step.rule == "band" or step.before == step.after:
                continue
            yield _row(
                [
                    escape(unit_name(results, unit, lang)),
                    f"{escape(rule_name(step.rule, lang))} `{step.rule}`",
                    escape(grade_text(c, step.before, lang)),
                    escape(grade_text(c, step.after, lang)),
                    escape(step.why.text(lang)),
                ]
            )


def _card(results: Results, card: ScoreCard, k: int, lang: str) -> Iterator[str]:
    c = results.criteria
    name = escape(unit_name(results, card.unit, lang))
    yield (
        f"### {k}. {name} — {word('total', lang)} {decimal_text(card.total)} · "
        f"{escape(grade_with_reason(c, card, lang))}"
    )
    yield ""
    yield _row(
        [
            word("item", lang),
            word("value", lang),
            word("clause", lang),
            word("points", lang),
            word("max_points", lang),
            word("note", lang),
        ]
    )
    yield _row(["---", "---:", "---", "---:", "---:", "---"])
    for item in tree(c):
        label = escape(name_of(c, item.id, lang))
        # Full-width spaces indent the tree: Markdown collapses ordinary ones.
        indent = "\u3000" * item.depth
        if item.node is not None:
            res = card.nodes.get(item.id)
            if res is None:
                continue
            how = escape(aggregate_name(res.aggregate, lang))
            notes = [escape(res.note.text(lang))] if res.note else []
            for key, names in (("excluded", res.excluded), ("argmax", res.argmax)):
                if names:
                    shown = listsep(lang).join(name_of(c, n, lang) for n in names)
                    notes.append(f"{word(key, lang)}{colon(lang)}{escape(shown)}")
            points = f"**{decimal_text(res.value)}**"
            if res.raw is not None and res.value is not None and res.raw != res.value:
                points += f" ({decimal_text(res.raw)})"
            yield _row(
                [
                    f"{indent}**{label}**",
                    "",
                    how,
                    points,
                    decimal_text(item.node.points, ""),
                    "; ".join(notes),
                ]
            )
            continue
        res_i = card.indicators.get(item.id)
        if res_i is None or item.indicator is None:
            continue
        clause = "" if res_i.outcome is None else escape(res_i.outcome.text(lang))
        note = escape(status_note(res_i.status, res_i.note, lang))
        points = decimal_text(
            res_i.contribution if res_i.contribution is not None else res_i.points
        )
        yield _row(
            [
                f"{indent}{label}",
                escape(value_text(res_i.value, "")),
                clause,
                points,
                decimal_text(item.indicator.points, ""),
                note,
            ]
        )
    yield ""
    yield from _trace(results, card, lang)
    yield from _grade_steps(results, card, lang)
    ranks = [escape(cell.sentence(lang)) for cell in rank_cells(results, card.unit, lang)]
    if ranks:
        yield ""
        yield f"**{word('ranks', lang)}**{colon(lang)}" + listsep(lang).join(ranks)


def _trace(results: Results, card: ScoreCard, lang: str) -> Iterator[str]:
    steps = card.steps
    if not steps:
        return
    terms = []
    for i, s in enumerate(steps):
        magnitude = decimal_text(abs(s.amount))
        if s.amount.is_signed():
            terms.append(f"− {magnitude}")
        else:
            terms.append(magnitude if i == 0 else f"+ {magnitude}")
    # The sum only checks the trace; the total shown is the engine's.
    total = sum((s.amount for s in steps), Decimal(0))
    same = total == card.total
    yield (
        f"**{word('trace', lang)}**{colon(lang)}{' '.join(terms)} = {decimal_text(total)} "
        f"{'=' if same else '≠'} {word('total', lang)} {decimal_text(card.total)}"
    )
    yield ""
    kinds = listsep(lang).join(
        f"{escape(name_of(results.criteria, s.path, lang))} "
        f"{trace_kind(s.kind, lang)} {decimal_text(s.amount)}"
        for s in steps
    )
    yield f"_{kinds}_"


def _grade_steps(results: Results, card: ScoreCard, lang: str) -> Iterator[str]:
    if not card.grade_steps:
        return
    yield ""
    yield f"**{word('grade_steps', lang)}**{colon(lang)}"
    yield ""
    for k, step in enumerate(card.grade_steps, start=1):
        yield f"{k}. {escape(grade_step_text(results.criteria, card, step, lang))}"
