"""The loader's part for grades, the rules that change them, and rankings.

Reads ``[grades]``, ``[[veto]]``, ``[[cap]]``, ``[[precondition]]`` and
``[ranking.<id>]`` into ``Grades`` and ``RankingSpec`` values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ecoscore.language.reader import Path, TableReader, did_you_mean
from ecoscore.model import (
    TOTAL,
    Attribute,
    GradeBand,
    GradeRule,
    Grades,
    Quota,
    RankingSpec,
    TieBreak,
)

__all__ = ["RANK_STYLES", "read_grades", "read_rankings"]

#: How tied units are numbered: 1,1,3 (并列, competition); 1,1,2 (dense); 1,2,3 by unit
#: id (ordinal); 1, 2.5, 2.5, 4 (fractional).
RANK_STYLES = ("competition", "dense", "ordinal", "fractional")

_GRADE_RULE_KEYS = {
    "veto": ("when", "grade", "why", "if_missing"),
    "cap": ("when", "grade", "why", "if_missing"),
    "precondition": ("requires", "grade", "why", "if_missing"),
}


def read_grades(
    r: TableReader, doc: Mapping[str, Any], known: Callable[[str], bool], names: list[str]
) -> Grades | None:
    """``[grades]`` and the grade rules, or ``None`` when the criteria grade nothing."""
    if "grades" not in doc:
        for kind in _GRADE_RULE_KEYS:
            if kind in doc:
                r.problem((kind,), f"[[{kind}]] needs [grades]")
        return None
    p: Path = ("grades",)
    t = r.table(
        doc["grades"], p, ("bands", "basis", "quota", "quota_ties", "quota_rounding", "ranking")
    )
    bands: list[GradeBand] = []
    previous: Decimal | None = None
    raw_bands = r.array(r.required(t, "bands", p), (*p, "bands"))
    if r.too_many(raw_bands, (*p, "bands"), "grades"):
        return None
    for i, item in enumerate(raw_bands):
        bp = (*p, "bands", i)
        b = r.table(item, bp, ("grade", "zh", "en", "at_least"))
        grade = r.string(r.required(b, "grade", bp), (*bp, "grade"))
        at_least = r.number(b["at_least"], (*bp, "at_least")) if "at_least" in b else None
        if at_least is None and i != len(raw_bands) - 1 and "at_least" not in b:
            r.problem(bp, "only the last (lowest) grade may have no at_least")
        if at_least is not None and previous is not None and at_least >= previous:
            r.problem(
                (*bp, "at_least"),
                f"grades go from best to worst: {at_least} is not below {previous}",
            )
        previous = at_least if at_least is not None else previous
        if grade is not None:
            if any(band.grade == grade for band in bands):
                r.problem((*bp, "grade"), f"grade {grade!r} is listed twice")
            label = r.label(b, bp)
            if label.zh is None:
                label = type(label)(grade, label.en)
            bands.append(GradeBand(grade, label, at_least))
    grade_names = [b.grade for b in bands]
    if bands and bands[-1].at_least is not None:
        r.problem(
            (*p, "bands"),
            f"totals below {bands[-1].at_least} get no grade",
            "give the last grade no at_least",
        )
    basis = r.string(t.get("basis", "published"), (*p, "basis"), ("published", "exact"))

    def grade_name(value: Any, path: Path) -> str | None:
        g = r.string(value, path)
        if g is not None and g not in grade_names:
            r.problem(path, f"no grade named {g!r}", did_you_mean(g, grade_names))
            return None
        return g

    rules: list[GradeRule] = []
    for kind, keys in _GRADE_RULE_KEYS.items():
        for i, item in enumerate(r.array(doc.get(kind, []), (kind,))):
            rp: Path = (kind, i)
            g = r.table(item, rp, keys)
            cond_key = "requires" if kind == "precondition" else "when"
            when = r.expression(r.required(g, cond_key, rp), (*rp, cond_key), known, names)
            grade = grade_name(r.required(g, "grade", rp), (*rp, "grade"))
            why = r.text_label(g.get("why", {}), (*rp, "why"))
            if_missing = r.string(
                g.get("if_missing", "skip"), (*rp, "if_missing"), ("skip", "apply")
            )
            if when is not None and grade is not None and if_missing is not None:
                rules.append(GradeRule(kind, grade, when, why, if_missing, f"{kind}[{i}]"))

    quotas: list[Quota] = []
    ties = (
        r.string(t["quota_ties"], (*p, "quota_ties"), ("keep", "drop"))
        if "quota_ties" in t
        else None
    )
    rounding = r.string(
        t.get("quota_rounding", "floor"), (*p, "quota_rounding"), ("floor", "ceiling", "half-up")
    )
    for grade, limit in r.table(t.get("quota", {}), (*p, "quota")).items():
        qp = (*p, "quota", grade)
        if grade_name(grade, qp) is None:
            continue
        share = isinstance(limit, str) and limit.strip().endswith("%")
        number = r.number(limit.strip().rstrip("%") if share else limit, qp)
        if number is None:
            continue
        if number < 0 or (share and number > 100):
            r.problem(qp, f"a quota of {limit} makes no sense")
            continue
        if not share and number != number.to_integral_value():
            r.problem(qp, 'a quota is a whole number of units, or a share like "30%"')
            continue
        if grade == grade_names[-1]:
            r.problem(qp, "the lowest grade has no grade below it to drop to")
            continue
        quotas.append(Quota(grade, number, share, ties, rounding or "floor"))
    ranking = r.string(t["ranking"], (*p, "ranking")) if "ranking" in t else None
    if not bands:
        return None
    return Grades(tuple(bands), tuple(rules), tuple(quotas), basis or "published", ranking)


def read_rankings(
    r: TableReader,
    doc: Mapping[str, Any],
    known: Callable[[str], bool],
    names: list[str],
    attributes: Mapping[str, Attribute],
    not_numbers: Mapping[str, str] | None = None,
) -> tuple[RankingSpec, ...]:
    """Every ``[ranking.<id>]``, in the order of the file. ``not_numbers`` maps the names
    that hold texts or yes/no values to their kind: nothing to rank on."""
    not_numbers = not_numbers or {}
    out: list[RankingSpec] = []
    for ident, spec in r.table(doc.get("ranking", {}), ("ranking",)).items():
        p: Path = ("ranking", ident)
        t = r.table(
            spec,
            p,
            (
                "zh",
                "en",
                "by",
                "order",
                "ties",
                "basis",
                "round",
                "tie_break",
                "group_by",
                "groups",
                "exclude",
                "note",
            ),
        )
        by = r.string(t.get("by", TOTAL), (*p, "by"))
        if by is not None and not known(by):
            r.problem((*p, "by"), f"unknown name {by!r}", did_you_mean(by, names))
        elif by is not None and by in not_numbers:
            r.problem(
                (*p, "by"), f"{by!r} holds {not_numbers[by]}, not numbers: nothing to rank on"
            )
        order = r.string(t.get("order", "descending"), (*p, "order"), ("descending", "ascending"))
        style = r.string(t.get("ties", "competition"), (*p, "ties"), RANK_STYLES)
        basis = r.string(t.get("basis", "published"), (*p, "basis"), ("published", "exact"))
        rounding = r.rounding(t["round"], (*p, "round")) if "round" in t else None
        breaks: list[TieBreak] = []
        for i, item in enumerate(r.array(t.get("tie_break", []), (*p, "tie_break"))):
            bp = (*p, "tie_break", i)
            b = r.table(item, bp, ("by", "order"))
            name = r.string(r.required(b, "by", bp), (*bp, "by"))
            if name is not None and not known(name):
                r.problem((*bp, "by"), f"unknown name {name!r}", did_you_mean(name, names))
            elif name is not None and name in not_numbers:
                r.problem((*bp, "by"), f"{name!r} holds {not_numbers[name]}, not numbers: no order")
            border = r.string(
                b.get("order", "descending"), (*bp, "order"), ("descending", "ascending")
            )
            if name is not None and border is not None:
                breaks.append(TieBreak(name, border == "descending"))
        group_by = r.attribute(t, "group_by", p, attributes)
        groups = None
        if "groups" in t:
            if group_by is None:
                r.problem((*p, "groups"), "groups need group_by")
            groups = {str(k): str(v) for k, v in r.table(t["groups"], (*p, "groups")).items()}
        exclude = (
            r.expression(t["exclude"], (*p, "exclude"), known, names) if "exclude" in t else None
        )
        if by is None or order is None or style is None or basis is None:
            continue
        out.append(
            RankingSpec(
                ident,
                by,
                order == "descending",
                style,
                basis,
                rounding,
                tuple(breaks),
                group_by,
                groups,
                exclude,
                r.label(t, p),
            )
        )
    return tuple(out)
