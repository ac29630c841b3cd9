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

from ecoscore.model import TOTAL, Criteria, Indicator, Label, Node
from ecoscore.numbers import Rounding
from ecoscore.results import GradeStep, Results, ScoreCard

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

# Column headers and fixed words of every report, in Chinese and English.
_WORDS: dict[str, tuple[str, str]] = {
    "rank": ("排名", "Rank"),
    "unit": ("单位", "Unit"),
    "total": ("总分", "Total"),
    "total_exact": ("未修约总分", "Unrounded total"),
    "grade": ("等级", "Grade"),
    "group": ("组别", "Group"),
    "indicator": ("指标", "Indicator"),
    "node": ("节点", "Node"),
    "item": ("项目", "Item"),
    "kind": ("类型", "Kind"),
    "id": ("编号", "ID"),
    "inputs": ("输入", "Inputs"),
    "value": ("测得值", "Value"),
    "clause": ("适用条款", "Clause applied"),
    "steps": ("中间步骤", "Intermediate steps"),
    "raw_points": ("修约前得分", "Points before rounding"),
    "rounding": ("修约", "Rounding"),
    "points": ("得分", "Points"),
    "max_points": ("满分", "Max"),
    "status": ("状态", "Status"),
    "note": ("说明", "Note"),
    "why": ("原因", "Reason"),
    "before": ("调整前", "Before"),
    "after": ("调整后", "After"),
    "rule": ("规则", "Rule"),
    "aggregate": ("汇总方式", "Aggregation"),
    "children": ("组成", "Made of"),
    "excluded": ("不计入", "Left out"),
    "argmax": ("最大项", "Maximum from"),
    "trace": ("得分累加", "How the points add up"),
    "sum": ("合计", "Sum"),
    "ranks": ("排名", "Ranks"),
    "ranking": ("排名", "Ranking"),
    "grade_changes": ("等级调整", "Grade changes"),
    "breakdown": ("单位得分明细", "Score cards"),
    "chart": ("总分对比", "Totals compared"),
    "legend": ("图例", "Legend"),
    "criteria": ("考核细则", "Criteria"),
    "version": ("版本", "Version"),
    "sha256": ("SHA-256", "SHA-256"),
    "manifest": ("运行信息", "Manifest"),
    "no_grade": ("未定等级", "not graded"),
    "not_ranked": ("不参与排名", "not ranked"),
    "units_count": ("参评单位", "Units"),
    "adds_up": ("各步相加等于总分", "the steps add up to the total"),
    "does_not_add_up": ("各步相加不等于总分", "the steps do NOT add up to the total"),
    "tied": ("并列", "tied"),
    "of": ("共", "of"),
    "weight": ("权重", "weight"),
    "scorecard": ("得分卡", "Score card"),
    "grade_steps": ("定级过程", "How the grade was set"),
    "ecoscore": ("ecoscore 版本", "ecoscore version"),
    "sec_indicators": ("指标得分", "Indicators"),
    "sec_nodes": ("节点汇总", "Nodes"),
    "summaries": ("汇总统计", "Summaries"),
    "summary": ("统计项", "Summary"),
    "figure": ("数值", "Figure"),
    "summary_class": ("类别", "Class"),
    "counted": ("计入/参与单位", "Counted/considered"),
    "left_out": ("缺数未计单位", "Left out (no value)"),
    "all_units": ("全部", "all"),
}

_STATUS: dict[str, tuple[str, str]] = {
    "scored": ("已评分", "scored"),
    "excluded": ("不计入（剔除）", "left out"),
    "missing-zero": ("缺数据，记0分", "missing: 0 points"),
    "missing-points": ("缺数据，按规定分值", "missing: declared points"),
    "carried-forward": ("缺数据，沿用上期", "missing: previous period carried forward"),
    "zero-division": ("除数为零，按规定处理", "division by zero: declared policy"),
    "error": ("错误", "error"),
}

_RULES: dict[str, tuple[str, str]] = {
    "band": ("分数段", "score band"),
    "precondition": ("评优前置条件", "precondition"),
    "cap": ("等级上限", "cap"),
    "veto": ("一票否决", "veto"),
    "quota": ("名额限制", "quota"),
}

_AGGREGATES: dict[str, tuple[str, str]] = {
    "sum": ("求和", "sum"),
    "mean": ("算术平均", "mean"),
    "weighted-mean": ("加权平均", "weighted mean"),
    "geometric-mean": ("几何平均", "geometric mean"),
    "min": ("取最小值", "minimum"),
    "max": ("取最大值", "maximum"),
    "formula": ("公式", "formula"),
}

_TRACE_KINDS: dict[str, tuple[str, str]] = {
    "points": ("得分", "points"),
    "bonus": ("加分", "bonus"),
    "deduction": ("扣分", "deduction"),
    "node": ("节点值", "node value"),
    "rescale": ("缺项按比例折算", "rescaled for left-out items"),
    "rounding": ("修约", "rounding"),
}

# GB/T 8170-2008 names the Chinese rounding rules (数值修约规则).
_ROUNDING_MODES: dict[str, tuple[str, str]] = {
    "half-up": ("四舍五入", "half up"),
    "half-even": ("四舍六入五成双", "half even"),
    "ceiling": ("向上进位", "ceiling"),
    "floor": ("向下舍去", "floor"),
    "down": ("截断", "truncate"),
    "float": ("按浮点数 round()", "as float round()"),
}

# Grade colours, best to worst: green, blue, amber, orange, red. Chosen to stay apart in
# greyscale print and for the common red-green colour blindness (blue sits between).
_PALETTE = ("#1b7837", "#2166ac", "#b8860b", "#d6604d", "#b2182b")
_NO_GRADE_COLOUR = "#777777"

#: Characters that make a spreadsheet read a text cell as a formula (OWASP, "CSV
#: Injection": = + - @, and tab and carriage return, which some programs skip first).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def word(key: str, lang: str = "zh") -> str:
    """A fixed word of the reports (a column header) in ``lang`` (``zh`` or ``en``)."""
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


def _pick(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    if key not in table:
        return key
    zh, en = table[key]
    return zh if lang == "zh" else en


def status_text(status: str, lang: str = "zh") -> str:
    """An indicator's status (``scored``, ``excluded``, ``missing-zero`` …) in words."""
    return _pick(_STATUS, status, lang)


def status_note(status: str, note: Label | None, lang: str = "zh") -> str:
    """An indicator's status and the engine's note, or ``""`` when plainly scored."""
    shown = None if note is None else note.text(lang)
    if status == "scored" and not shown:
        return ""
    return shown or status_text(status, lang)


def rule_name(rule: str, lang: str = "zh") -> str:
    """The kind of rule behind a grade step (``veto[0]`` → 一票否决 / veto)."""
    return _pick(_RULES, rule.split("[", 1)[0], lang)


def aggregate_name(aggregate: str, lang: str = "zh") -> str:
    """How a node aggregates its children, in words."""
    return _pick(_AGGREGATES, aggregate, lang)


def trace_kind(kind: str, lang: str = "zh") -> str:
    """The kind of an additive trace step, in words."""
    return _pick(_TRACE_KINDS, kind, lang)


def rounding_text(rounding: Rounding | None, lang: str = "zh") -> str:
    """A declared rounding in words: ``2 位,四舍五入`` / ``2 places, half up``."""
    if rounding is None:
        return ""
    mode = _pick(_ROUNDING_MODES, rounding.mode, lang)
    if lang == "zh":
        return f"保留 {rounding.places} 位小数，{mode}"
    return f"{rounding.places} place{'' if rounding.places == 1 else 's'}, {mode}"


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


def colon(lang: str = "zh") -> str:
    """The colon after a heading word: full width in Chinese."""
    return "：" if lang == "zh" else ": "


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


def listsep(lang: str = "zh") -> str:
    """The separator of items in a list."""
    return "；" if lang == "zh" else "; "


def paren(text: str, lang: str = "zh") -> str:
    """``text`` in brackets: full width in Chinese (no space before), else `` (text)``."""
    return f"（{text}）" if lang == "zh" else f" ({text})"


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
        ordered = [e.unit for e in results.rankings[0].entries if e.unit in results.cards]
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
        entry = next((e for e in ranking.entries if e.unit == unit), None)
        if entry is None:
            continue
        peers = [e for e in ranking.entries if e.group == entry.group]
        tied = entry.rank is not None and sum(1 for e in peers if e.rank == entry.rank) > 1
        size = sum(1 for e in peers if e.rank is not None)
        cells.append(
            RankCell(
                ranking.id,
                ranking.label.text(lang, ranking.id),
                entry.rank,
                entry.group,
                tied,
                size,
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
