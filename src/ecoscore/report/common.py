"""What every report renderer shares: bilingual words, exact numbers, grade colours.

Renderers (text, Markdown, HTML, XLSX, CSV) read ``ecoscore.results.Results`` and never
recompute a score: each number shown is a ``Decimal`` the engine made, printed as it is
(``format(d, "f")``: ``7.70`` stays ``7.70``, never ``7.7`` or ``7.7E+0``).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.model import TOTAL, Criteria, Indicator, Node
from ecoscore.report.words import (
    aggregate_name,
    colon,
    listsep,
    paren,
    rounding_text,
    rule_name,
    status_note,
    status_text,
    trace_kind,
    word,
)
from ecoscore.results.assessment import Results
from ecoscore.results.card import GradeStep, ScoreCard

__all__ = [
    "FORMULA_TRIGGERS",
    "RankCell",
    "TreeItem",
    "aggregate_name",
    "changing_step",
    "colon",
    "decimal_text",
    "grade_colour",
    "grade_legend",
    "grade_step_text",
    "grade_text",
    "grade_with_reason",
    "listsep",
    "name_of",
    "neutralise",
    "paren",
    "rank_cells",
    "rounding_text",
    "rule_name",
    "score_columns",
    "status_note",
    "status_text",
    "summary_rows",
    "trace_kind",
    "tree",
    "unit_name",
    "unit_order",
    "value_text",
    "word",
]

_PALETTE = ("#1b7837", "#2166ac", "#b8860b", "#d6604d", "#b2182b")
_NO_GRADE_COLOUR = "#777777"

#: Characters that make a spreadsheet read a text cell as a formula (OWASP, "CSV
#: Injection": = + - @, and tab and carriage return, which some programs skip first).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def decimal_text(value: Decimal | None, missing: str = "—") -> str:
    """A Decimal exactly as the engine made it (``format(d, "f")``), or ``missing``."""
    return missing if value is None else format(value, "f")


def value_text(value: Any, missing: str = "—") -> str:
    """Any traced value as text: Decimals exactly, yes/no as ``true``/``false``."""
    if value is None:
        return missing
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def neutralise(text: str) -> str:
    """Text that a spreadsheet cannot take for a formula.

    Following OWASP's CSV injection guidance, a cell that begins with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a leading single quote, which
    spreadsheets show as text. Apply it to text only: numbers are written as numbers.
    """
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def summary_rows(results: Results, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """The summaries as a table: headers, and one row per figure (every unit, then each
    group), with the class its bands give, the units counted and considered, and those
    left out for lack of a value."""
    headers = [
        word(k, lang)
        for k in ("summary", "group", "figure", "summary_class", "counted", "left_out")
    ]
    rows = []
    for summary in results.summaries:
        for f in summary.groups:
            rows.append(
                [
                    summary.label.text(lang, summary.id),
                    word("all_units", lang) if f.group is None else f.group,
                    decimal_text(f.value, "" if f.label is not None else "—"),
                    f.label or "",
                    f"{f.count}/{f.considered}",
                    listsep(lang).join(unit_name(results, u, lang) for u in f.left_out),
                ]
            )
    return headers, rows


def name_of(criteria: Criteria, ident: str, lang: str = "zh", *, data: bool = False) -> str:
    """The label of a named thing, skipping tables where it has no label.

    An indicator named after its input often has no label of its own: it is shown with the
    input's. With ``data``, the data tables (inputs, derived, attributes) are read first,
    for the figures an indicator read. The total is 总分 / Total when it has no label.
    """
    if ident.startswith("previous(") and ident.endswith(")"):
        # previous(x) or previous(x, k): the value of x k periods back.
        inner, _, back = ident[len("previous(") : -1].partition(",")
        label = name_of(criteria, inner.strip(), lang, data=True)
        k = back.strip() or "1"
        if lang == "zh":
            return f"上期{label}" if k == "1" else f"前 {k} 期{label}"
        return f"previous {label}" if k == "1" else f"{label} {k} periods back"
    derived = {d.id: d for d in criteria.derived}
    tables: tuple[Any, ...] = (
        criteria.indicators,
        criteria.nodes,
        criteria.inputs,
        derived,
        criteria.attributes,
    )
    if data:
        tables = (
            criteria.inputs,
            derived,
            criteria.attributes,
            criteria.indicators,
            criteria.nodes,
        )
    for table in tables:
        if ident in table:
            text = table[ident].label.text(lang, "")
            if text:
                return str(text)
    return word("total", lang) if ident == TOTAL else ident


def unit_name(results: Results, unit: str, lang: str = "zh") -> str:
    """The name a unit is shown with: its label from the data or the criteria, or its id."""
    card = results.cards.get(unit)
    if card is not None and (card.label.zh or card.label.en):
        return card.label.text(lang, unit)
    declared = results.criteria.units.get(unit)
    if declared is not None:
        return declared.label.text(lang, unit)
    return unit


def grade_text(criteria: Criteria, grade: str | None, lang: str = "zh") -> str:
    """A grade's label in ``lang`` (the grade itself if it has no such label)."""
    if grade is None:
        return "—" if criteria.grades is None else word("no_grade", lang)
    if criteria.grades is not None:
        for band in criteria.grades.bands:
            if band.grade == grade:
                return band.label.text(lang, grade)
    return grade


def changing_step(card: ScoreCard) -> GradeStep | None:
    """The last grade step that changed the band's grade, or ``None``."""
    changes = [s for s in card.grade_steps if s.rule != "band" and s.before != s.after]
    return changes[-1] if changes else None


def grade_with_reason(criteria: Criteria, card: ScoreCard, lang: str = "zh") -> str:
    """The grade, marked with the rule that set it when a rule changed the band's grade:
    ``不合格 (一票否决)``."""
    text = grade_text(criteria, card.grade, lang)
    step = changing_step(card)
    if step is None:
        return text
    return f"{text} ({rule_name(step.rule, lang)})"


def grade_step_text(criteria: Criteria, card: ScoreCard, step: GradeStep, lang: str = "zh") -> str:
    """One grade step in words: ``分数段：25.8 ≥ 20 → 良好``, or the rule that changed the
    grade, the change and its reason: ``一票否决 [veto[0]]：良好 → 不合格，原因：…``."""
    after = grade_text(criteria, step.after, lang)
    if step.rule == "band" and criteria.grades is not None:
        basis = card.total if criteria.grades.basis == "published" else card.total_exact
        band = next((b for b in criteria.grades.bands if b.grade == step.after), None)
        bound = "" if band is None or band.at_least is None else f" ≥ {decimal_text(band.at_least)}"
        return f"{rule_name('band', lang)}{colon(lang)}{decimal_text(basis)}{bound} → {after}"
    why = step.why.text(lang)
    reason = ""
    if why:
        reason = f"，{word('why', lang)}：{why}" if lang == "zh" else f"; {why}"
    before = "" if step.before is None else f"{grade_text(criteria, step.before, lang)} → "
    return f"{rule_name(step.rule, lang)} [{step.rule}]{colon(lang)}{before}{after}{reason}"


def grade_colour(criteria: Criteria, grade: str | None) -> str:
    """A CSS colour for ``grade``: the best green, the worst red, spread between."""
    if grade is None or criteria.grades is None:
        return _NO_GRADE_COLOUR
    bands = criteria.grades.bands
    try:
        position = criteria.grades.order(grade)
    except KeyError:
        return _NO_GRADE_COLOUR
    if len(bands) == 1:
        return _PALETTE[0]
    # Spread the bands over the palette so the worst grade is always red.
    index = round(position * (len(_PALETTE) - 1) / (len(bands) - 1))
    return _PALETTE[index]


def grade_legend(criteria: Criteria, lang: str = "zh") -> tuple[tuple[str, str, str], ...]:
    """Each grade as ``(label, colour, range)``, best first: ``("优秀", "#1b7837", "≥ 90")``."""
    if criteria.grades is None:
        return ()
    out = []
    above: Decimal | None = None
    for band in criteria.grades.bands:
        if band.at_least is not None:
            span = f"≥ {format(band.at_least, 'f')}"
            above = band.at_least
        else:
            span = "" if above is None else f"< {format(above, 'f')}"
        out.append(
            (grade_text(criteria, band.grade, lang), grade_colour(criteria, band.grade), span)
        )
    return tuple(out)


def unit_order(results: Results) -> tuple[str, ...]:
    """Units in the order of the first ranking (ranked first, by rank), else by id."""
    if results.rankings:
        # A dict keeps the ranking's order and answers "already placed?" at once.
        ordered = dict.fromkeys(
            e.unit for e in results.rankings[0].entries if e.unit in results.cards
        )
        rest = [u for u in results.cards if u not in ordered]
        return (*ordered, *rest)
    return tuple(results.cards)


@attrs.frozen
class RankCell:
    """A unit's place in one ranking, ready to show."""

    ranking: str
    label: str
    rank: Decimal | None
    group: str | None
    tied: bool
    size: int
    note: str | None

    def text(self, lang: str = "zh", *, with_group: bool = True) -> str:
        """``3``, ``3 (县市)`` or ``—``."""
        shown = decimal_text(self.rank)
        if with_group and self.group is not None:
            shown = f"{shown} ({self.group})"
        return shown

    def sentence(self, lang: str = "zh") -> str:
        """``总排名（县市）：并列第 4 名（共 5 个）`` / ``Overall (县市): 4 (tied) of 5``."""
        where = paren(self.group, lang) if self.group else ""
        head = f"{self.label}{where}{colon(lang)}"
        if self.rank is None:
            return head + word("not_ranked", lang) + (paren(self.note, lang) if self.note else "")
        rank = decimal_text(self.rank)
        if lang == "zh":
            return f"{head}{'并列' if self.tied else ''}第 {rank} 名（共 {self.size} 个）"
        return f"{head}{rank}{' (tied)' if self.tied else ''} of {self.size}"


def rank_cells(results: Results, unit: str, lang: str = "zh") -> tuple[RankCell, ...]:
    """The unit's place in every ranking, with whether it shares that place."""
    cells = []
    for ranking in results.rankings:
        # The ranking's index: the same time for every unit, however many there are.
        entry = ranking.entry(unit)
        if entry is None:
            continue
        cells.append(
            RankCell(
                ranking.id,
                ranking.label.text(lang, ranking.id),
                entry.rank,
                entry.group,
                ranking.shares_rank(entry),
                ranking.ranked_in(entry.group),
                entry.note_text(lang),
            )
        )
    return tuple(cells)


@attrs.frozen
class TreeItem:
    """A place in the indicator tree: a node or an indicator, with its depth."""

    id: str
    depth: int
    node: Node | None = None
    indicator: Indicator | None = None


def tree(criteria: Criteria) -> Iterator[TreeItem]:
    """The tree depth first, each node before its children, from the total down."""

    def visit(node: Node, depth: int) -> Iterator[TreeItem]:
        yield TreeItem(node.id, depth, node=node)
        for kid in node.children:
            if kid in criteria.nodes:
                yield from visit(criteria.nodes[kid], depth + 1)
            elif kid in criteria.indicators:
                yield TreeItem(kid, depth + 1, indicator=criteria.indicators[kid])

    yield from visit(criteria.nodes[TOTAL], 0)


def score_columns(criteria: Criteria) -> Iterator[tuple[str, str]]:
    """``(kind, id)`` for the columns of a score table: attributes, then the tree with
    each node after its children (a subtotal), the total last."""
    for attr in criteria.attributes:
        yield "attribute", attr
    closing: list[tuple[int, str]] = []
    for item in tree(criteria):
        while closing and closing[-1][0] >= item.depth:
            yield "node", closing.pop()[1]
        if item.node is not None:
            closing.append((item.depth, item.id))
        else:
            yield "indicator", item.id
    while closing:
        yield "node", closing.pop()[1]
