"""Why a published figure differs from the recomputed one: the notes ``verify`` attaches.

Each function tries one explanation, the kind auditors meet in practice, and returns a
note in Chinese and English (a ``Label``) for each that fits, or nothing:

- ``rounding_notes``: the published figure is the exact one rounded another way (another
  mode, or other places), or not rounded at all;
- ``unrounded_sum_notes``: the published total is the indicators' points added up before
  their own rounding, then rounded ("round once at the end" against "round each term");
- ``grade_notes``: the published grade is the band of the published total, and the rules
  that changed the computed grade (veto, cap, precondition, quota);
- ``RankStyles``: the published rank is what another tie style (competition, dense,
  ordinal, fractional) or ranking the exact totals gives;
- ``tie_break_notes``: the unit shares its ranked value with others, and a tie-break
  decided the order: which one, against which unit, with both values ("lost to 兴国县 on
  the air area, 50.00 vs 53.03").

All of them are pure and compute nothing that the results do not already hold, except the
alternatives they try.
"""

from __future__ import annotations

from decimal import Decimal

from ecoscore.engine.ranking import assign_ranks
from ecoscore.model import TOTAL, Criteria, Label
from ecoscore.numbers import MODES, Rounding
from ecoscore.report.common import rounding_text
from ecoscore.report.words import rule_name
from ecoscore.results.assessment import Results
from ecoscore.results.card import ScoreCard

__all__ = ["RankStyles", "grade_notes", "rounding_notes", "tie_break_notes", "unrounded_sum_notes"]

_STYLES = {
    "competition": ("并列占位(1,1,3)", "competition (1, 1, 3)"),
    "dense": ("并列不占位(1,1,2)", "dense (1, 1, 2)"),
    "ordinal": ("按顺序(1,2,3)", "ordinal (1, 2, 3)"),
    "fractional": ("取平均名次(1,2.5,2.5)", "fractional (1, 2.5, 2.5)"),
}


def _text(value: Decimal | None) -> str:
    return "—" if value is None else format(value, "f")


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _fits(exact: Decimal, published: Decimal) -> Label | None:
    """How ``exact`` rounds to ``published``, in words ("rounded to 1 place, half up or
    ceiling"); ``None`` if no rounding to the places the published figure shows does."""
    if exact == published:
        return Label("未修约", "unrounded")
    places = _places(published)
    fits = [Rounding(places, mode) for mode in MODES if Rounding(places, mode)(exact) == published]
    if not fits:
        return None

    def words(lang: str, sep: str, either: str) -> str:
        # rounding_text gives "<places>, <mode>" in either language: name the places once.
        texts = [rounding_text(r, lang).partition(sep) for r in fits]
        return texts[0][0] + sep + either.join(t[2] for t in texts)

    return Label(words("zh", "，", " 或 "), "rounded to " + words("en", ", ", " or "))


def rounding_notes(
    published: Decimal,
    exact: Decimal | None,
    declared: Rounding | None,
    computed: Decimal | None,
) -> list[Label]:
    """Whether another rounding of ``exact`` (or none) gives the published figure:
    "published 85.5 = exact 85.45 rounded half-up; the criteria round half-even → 85.4"."""
    how = None if exact is None else _fits(exact, published)
    if how is None:
        return []
    if declared is None:
        rule = Label("细则未规定修约", "the criteria do not round it")
    else:
        rule = Label(
            f"细则规定{rounding_text(declared, 'zh')} → {_text(computed)}",
            f"the criteria round to {rounding_text(declared, 'en')} → {_text(computed)}",
        )
    return [
        Label(
            f"公布值 {published} = 精确值 {_text(exact)}，{how.zh}；{rule.zh}",
            f"published {published} = exact {_text(exact)}, {how.en}; {rule.en}",
        )
    ]


def unrounded_sum_notes(criteria: Criteria, card: ScoreCard, published: Decimal) -> list[Label]:
    """Whether the published total is the indicators' unrounded points, summed and then
    rounded, where the criteria round each indicator's points first. Only for trees of
    plain sums, where the points add up to the total."""
    if criteria.points_rounding is None or any(
        n.aggregate != "sum" or n.rescale_excluded for n in criteria.nodes.values()
    ):
        return []
    raw = Decimal(0)
    for res in card.indicators.values():
        if res.raw_points is not None:
            deduction = criteria.indicators[res.id].effect == "deduction"
            raw += -res.raw_points if deduction else res.raw_points
    how = _fits(raw, published)
    if how is None:
        return []
    first = criteria.points_rounding
    return [
        Label(
            f"公布值 = 各指标未修约得分之和 {_text(raw)}，{how.zh}；"
            f"细则先将各指标得分修约（{rounding_text(first, 'zh')}）再相加",
            f"published = the indicators' unrounded points summed, {_text(raw)}, {how.en};"
            f" the criteria round each indicator's points first ({rounding_text(first, 'en')})",
        )
    ]


def grade_notes(
    criteria: Criteria,
    card: ScoreCard,
    grade: str,
    published_total: Decimal | None,
) -> list[Label]:
    """Where a published grade may come from: no grade of the criteria, the band of the
    published total, or a rule that changed the computed grade."""
    notes: list[Label] = []
    grades = criteria.grades
    if grades is None:
        return notes
    if grade not in {b.grade for b in grades.bands}:
        notes.append(
            Label(f"{grade!r} 不是细则中的等级", f"{grade!r} is not a grade of the criteria")
        )
    elif published_total is not None and published_total != card.total:
        banded = next(
            (b.grade for b in grades.bands if b.at_least is None or published_total >= b.at_least),
            None,
        )
        if banded == grade:
            notes.append(
                Label(
                    f"公布等级是公布总分 {published_total} 所在的等级段",
                    f"the published grade is the band of the published total {published_total}",
                )
            )
    for step in card.grade_steps:
        if step.rule != "band":
            notes.append(
                Label(
                    f"计算等级由{rule_name(step.rule, 'zh')}从 {step.before} 调为 {step.after}："
                    f"{step.why.zh or step.why.en or ''}",
                    f"{rule_name(step.rule, 'en')} changed the computed grade from"
                    f" {step.before} to {step.after}: {step.why.en or step.why.zh or ''}",
                )
            )
    return notes


def tie_break_notes(results: Results, ident: str, unit: str) -> list[Label]:
    """How the tie-breaks placed ``unit`` among the units it shares its ranked value
    with: for each, the first tie-break on which they differ, and both values."""
    spec = next(s for s in results.criteria.rankings if s.id == ident)
    ranking = results.ranking(ident)
    mine = ranking.entry(unit)
    if not spec.tie_break or mine is None or mine.rank is None or mine.value is None:
        return []
    criteria = results.criteria
    card = results[unit]
    notes: list[Label] = []
    for other in ranking.entries:
        if (
            other.unit == unit
            or other.rank is None
            or other.value != mine.value
            or other.group != mine.group
        ):
            continue
        rival = results[other.unit]
        for tie in spec.tie_break:
            ours, theirs = (
                _tie_value(card, tie.by, spec.basis),
                _tie_value(rival, tie.by, spec.basis),
            )
            if ours == theirs:
                continue
            lost = other.rank < mine.rank
            zh_name, en_name = (
                rival.label.text("zh", rival.unit),
                rival.label.text("en", rival.unit),
            )
            by_zh, by_en = criteria.label_of(tie.by, "zh"), criteria.label_of(tie.by, "en")
            values = f"{_text(ours)} vs {_text(theirs)}"
            notes.append(
                Label(
                    f"与 {zh_name} 同为 {_text(mine.value)}，按{by_zh}"
                    f"{'排在其后' if lost else '排在其前'}：{_text(ours)} 对 {_text(theirs)}",
                    f"tied with {en_name} on {_text(mine.value)}; "
                    f"{'lost to' if lost else 'won over'} it on {by_en}, {values}",
                )
            )
            break
    return notes


def _tie_value(card: ScoreCard, name: str, basis: str) -> Decimal | None:
    """The value a tie-break reads from a score card: the total, a node or an
    indicator's points (a data value is not on the card: ``None``)."""
    exact = basis != "published"
    if name == TOTAL:
        return card.total_exact if exact else card.total
    if name in card.nodes:
        node = card.nodes[name]
        return node.raw if exact else node.value
    if name in card.indicators:
        res = card.indicators[name]
        return res.raw_points if exact else res.points
    return None


class RankStyles:
    """Ranks under the tie styles and bases a ranking does not declare, computed once per
    ranking, to see whether a published rank follows one of them.

    Only rankings without tie-breaks, groups or exclusions are tried: there the values
    alone decide the places.
    """

    def __init__(self, results: Results) -> None:
        self.results = results
        self.cache: dict[tuple[str, str, str], dict[str, Decimal | None]] = {}

    def notes(self, ident: str, unit: str, published: Decimal) -> list[Label]:
        """A note for each other style or basis whose rank for ``unit`` is ``published``."""
        spec = next(s for s in self.results.criteria.rankings if s.id == ident)
        if spec.tie_break or spec.group_by is not None or spec.exclude is not None:
            return []
        declared = _STYLES[spec.style]
        for basis in ("published", "exact"):
            if basis == "exact" and spec.by != TOTAL:
                continue
            for style, (zh, en) in _STYLES.items():
                if (basis, style) == (spec.basis, spec.style):
                    continue
                if self._ranks(ident, basis, style).get(unit) == published:
                    on_zh = "按未修约值" if basis == "exact" else "按公布值"
                    on_en = "exact values" if basis == "exact" else "published values"
                    return [
                        Label(
                            f"公布名次与{on_zh}、{zh}排名一致；细则规定{declared[0]}",
                            f"the published rank matches ranking {on_en} with ties {en};"
                            f" the criteria declare {declared[1]} on {spec.basis} values",
                        )
                    ]
        return []

    def _ranks(self, ident: str, basis: str, style: str) -> dict[str, Decimal | None]:
        key = (ident, basis, style)
        if key not in self.cache:
            spec = next(s for s in self.results.criteria.rankings if s.id == ident)
            keys = []
            for entry in self.results.ranking(ident).entries:
                value = entry.value
                if basis != spec.basis:  # only tried for rankings of the total
                    card = self.results[entry.unit]
                    value = card.total_exact if basis == "exact" else card.total
                keys.append((entry.unit, value, ()))
            self.cache[key] = assign_ranks(keys, descending=spec.descending, style=style)
        return self.cache[key]
