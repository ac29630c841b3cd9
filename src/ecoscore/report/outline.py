"""The criteria in outline, as ``ecoscore check`` prints them.

One line per node and indicator of the tree, indented by depth: the id, the label, the
points or weight, and how the node aggregates or which rule the indicator applies with its
key parameters, written with the criteria language's own keys (``linear: pm25: zero_at
35, full_at 25``) so that an author recognises the file. Then the grades with their
vetoes, caps, preconditions and quotas, and the rankings.
"""

from __future__ import annotations

from typing import Any

from ecoscore.model import Criteria, Indicator
from ecoscore.report.common import aggregate_name, grade_text, name_of, tree
from ecoscore.report.rollups import rollup_outline
from ecoscore.rules.base import fmt

__all__ = ["outline", "rule_text"]

_WORDS: dict[str, tuple[str, str]] = {
    "grades": ("等级", "Grades"),
    "rankings": ("排名", "Rankings"),
    "summary": (
        "{inputs} 个填报项，{attributes} 个属性，{units} 个单位，{indicators} 个指标",
        "{inputs} inputs, {attributes} attributes, {units} units, {indicators} indicators",
    ),
}


_KINDS: dict[str, tuple[str, str]] = {
    "target": ("目标值", "target"),
    "condition": ("条件", "condition"),
    "linear": ("线性", "linear"),
    "formula": ("公式", "formula"),
    "proximity": ("距目标", "proximity"),
    "deduct": ("扣分", "deduct"),
    "bands": ("分档", "bands"),
    "piecewise": ("分段线性", "piecewise"),
    "classify": ("分类", "classify"),
    "rank": ("按名次", "rank"),
    "efficacy": ("功效系数", "efficacy"),
    "count": ("计数", "count"),
}
_EFFECTS = {"bonus": ("加分项", "bonus"), "deduction": ("扣分项", "deduction")}
_SYMBOLS = {"at_most": "≤", "below": "<", "at_least": "≥", "above": ">", "equal": "="}


def _pick(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    zh, en = table.get(key, (key, key))
    return zh if lang == "zh" else en


def outline(criteria: Criteria, lang: str = "zh") -> list[str]:
    """The criteria as lines of text: the title and hash, counts, the indicator tree (each
    node with its points or weight and aggregation, each indicator with its rule kind and
    key parameters), grades with their rules and quotas, and rankings."""
    lines = [
        f"{criteria.title.text(lang, criteria.id)} ({criteria.id})",
        f"SHA-256 {criteria.sha256}",
        _pick(_WORDS, "summary", lang).format(
            inputs=len(criteria.inputs),
            attributes=len(criteria.attributes),
            units=len(criteria.units),
            indicators=len(criteria.indicators),
        ),
        "",
    ]
    points = "分" if lang == "zh" else " pts"
    for item in tree(criteria):
        thing: Any = item.node or item.indicator
        label = name_of(criteria, item.id, lang)
        parts = [f"{'  ' * item.depth}{item.id}" + (f"  {label}" if label != item.id else "")]
        if thing.points is not None:
            parts.append(f"{fmt(thing.points)}{points}")
        if thing.weight is not None:
            parts.append(("权重 " if lang == "zh" else "weight ") + fmt(thing.weight))
        if item.node is not None:
            parts.append(aggregate_name(item.node.aggregate, lang))
        else:
            assert item.indicator is not None
            if item.indicator.effect in _EFFECTS:
                parts.append(_pick(_EFFECTS, item.indicator.effect, lang))
            parts.append(rule_text(item.indicator, lang))
        lines.append("  ".join(parts))
    lines += rollup_outline(criteria, lang)  # sub-unit tables and roll-ups (report.rollups)
    grades = criteria.grades
    if grades is not None:
        bands = "; ".join(
            grade_text(criteria, b.grade, lang)
            + ("" if b.at_least is None else f" ≥ {fmt(b.at_least)}")
            for b in grades.bands
        )
        lines += ["", _pick(_WORDS, "grades", lang) + f": {bands}"]
        for rule in grades.rules:
            grade = grade_text(criteria, rule.grade, lang)
            why = rule.why.text(lang)
            lines.append(f"  {rule.key}: {rule.when.source} → {grade}  {why}".rstrip())
        for quota in grades.quotas:
            limit = f"{fmt(quota.limit)}%" if quota.share else fmt(quota.limit)
            lines.append(f"  quota: {grade_text(criteria, quota.grade, lang)} ≤ {limit}")
    if criteria.rankings:
        lines += ["", _pick(_WORDS, "rankings", lang) + ":"]
        for spec in criteria.rankings:
            order = "descending" if spec.descending else "ascending"
            extra = f", group_by {spec.group_by}" if spec.group_by else ""
            lines.append(
                f"  {spec.id}  {spec.label.text(lang, '')}  by {spec.by} {order},"
                f" ties {spec.style}, basis {spec.basis}{extra}"
            )
    return lines


def rule_text(ind: Indicator, lang: str = "zh") -> str:
    """An indicator's rule kind and its key parameters, as the criteria write them."""
    rule = ind.rule
    source = ind.value.source if ind.value is not None else ind.id
    kind = rule.kind
    if kind == "formula" and rule.low is None and rule.high is None:
        return f"= {source}"
    if kind == "target":
        text = (
            f"{source} {_SYMBOLS.get(rule.comparison, rule.comparison)} {fmt(rule.threshold)}"
            f" → {fmt(rule.met)}, else {fmt(rule.missed)}"
        )
    elif kind == "condition":
        text = f"{source} → {fmt(rule.met)}, else {fmt(rule.otherwise)}"
    elif kind == "linear":
        text = f"{source}: zero_at {fmt(rule.zero_at)}, full_at {fmt(rule.full_at)}"
    elif kind == "formula":
        text = f"{source}, within [{fmt(rule.low)}, {fmt(rule.high)}]"
    elif kind == "proximity":
        text = f"{source}: best {fmt(rule.best)}, worst {fmt(rule.worst)}, {rule.transform}"
    elif kind == "deduct":
        side = "below" if rule.higher_is_better else "above"
        text = f"{source}: {side} {fmt(rule.target)}, each {fmt(rule.each)} per {fmt(rule.per)}"
    elif kind == "bands":
        text = f"{source}: " + "; ".join(
            f"{band} → {fmt(band.points) if band.points is not None else band.label}"
            for band in rule.bands
        )
    elif kind == "piecewise":
        text = f"{source}: " + ", ".join(
            f"{fmt(b)}→{fmt(v)}" for b, v in zip(rule.breakpoints, rule.values, strict=True)
        )
    elif kind == "classify":
        text = f"{'/'.join(rule.classes)}, worse {rule.worse}: {', '.join(rule.reads)}"
    elif kind == "rank":
        better = "higher" if rule.higher_is_better else "lower"
        text = f"{source}: better {better}, first {fmt(rule.first)}, step {fmt(rule.step)}"
    elif kind == "efficacy":
        better = "higher" if rule.higher_is_better else "lower"
        text = f"{source}: better {better}, base {fmt(rule.base)}, span {fmt(rule.span)}"
    else:  # count
        text = " + ".join(
            f"{i.name} × {fmt(i.each)}" + ("" if i.at_most is None else f" (≤ {fmt(i.at_most)})")
            for i in rule.items
        )
    return f"{_pick(_KINDS, kind, lang)}: {text}"
