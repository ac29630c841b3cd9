"""The fixed words of every report, in Chinese and English, and how they are put together.

Column headers, statuses, rule and aggregate names, rounding modes and punctuation
(Chinese full-width colons and parentheses, English half-width ones): one table for all
the renderers, so a word is translated once.
"""

from __future__ import annotations

from ecoscore.model import Label
from ecoscore.numbers import Rounding

__all__ = [
    "aggregate_name",
    "colon",
    "listsep",
    "paren",
    "rounding_text",
    "rule_name",
    "status_note",
    "status_text",
    "trace_kind",
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
    "flags": ("标记", "Flags"),
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
    "zeroed": ("触发不得分条件", "no points: zero_if holds"),
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
    "cap": ("超过上限，按上限计", "capped at the node's at_most"),
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


def colon(lang: str = "zh") -> str:
    """The colon after a heading word: full width in Chinese."""
    return "：" if lang == "zh" else ": "


def listsep(lang: str = "zh") -> str:
    """The separator of items in a list."""
    return "；" if lang == "zh" else "; "


def paren(text: str, lang: str = "zh") -> str:
    """``text`` in brackets: full width in Chinese (no space before), else `` (text)``."""
    return f"（{text}）" if lang == "zh" else f" ({text})"
