"""Grades: bands on the total, then preconditions, caps, vetoes, and quotas by rank.

The order is fixed and recorded in each unit's ``grade_steps``:

1. the band that holds the total (lower bounds inclusive: "90分及以上为优秀");
2. preconditions (评优前置指标): a grade, or any better one, needs its condition; a unit
   that fails it drops to the grade just below;
3. caps: when the condition holds the grade is at best the cap's;
4. vetoes (一票否决): when the condition holds the grade is forced;
5. quotas: at most N units (or a share of all units) keep a grade, by rank; the rest drop
   to the grade below. A tie across the boundary is settled as the criteria declare
   (``quota_ties = "keep"`` or ``"drop"``); if they declare nothing, it is an error,
   never a guess.

A condition that reads a value the unit did not submit does not apply (``if_missing =
"skip"``, the default) or applies (``"apply"``), and the step says which.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

import attrs

from ecoscore.engine.scope import condition
from ecoscore.errors import Location, Problem
from ecoscore.expr.expression import EvaluationFailure
from ecoscore.model import Criteria, Grades, Label, Quota
from ecoscore.results.assessment import Ranking
from ecoscore.results.card import GradeStep, ScoreCard

__all__ = ["grade_all"]


def _band(grades: Grades, total: Decimal) -> str:
    for band in grades.bands:
        if band.at_least is None or total >= band.at_least:
            return band.grade
    return grades.bands[-1].grade


def grade_unit(
    criteria: Criteria, card: ScoreCard, env: Mapping[str, Any], problems: list[Problem]
) -> tuple[str | None, list[GradeStep]]:
    """A unit's grade before quotas, with every step that set or changed it."""
    grades = criteria.grades
    assert grades is not None
    total = card.total if grades.basis == "published" else card.total_exact
    if total is None:
        return None, []
    grade = _band(grades, total)
    steps = [GradeStep("band", None, grade)]
    for kind in ("precondition", "cap", "veto"):
        for rule in grades.rules:
            if rule.kind != kind:
                continue
            try:
                holds, missing = condition(rule.when, card, env)
            except EvaluationFailure as exc:
                problems.append(
                    Problem(
                        f"{card.unit}: {rule.key}: {rule.when.source}: {exc.message}",
                        Location(criteria.path, key=rule.key),
                    )
                )
                continue
            if holds is None:
                what = ", ".join(missing)
                if rule.if_missing == "skip":
                    # Not applied, and said so: the trace shows why a rule did not bite.
                    steps.append(
                        GradeStep(
                            rule.key,
                            grade,
                            grade,
                            Label(f"缺{'、'.join(missing)}，本条未适用", f"no {what}: not applied"),
                        )
                    )
                    continue
                holds = kind in {"veto", "cap"}
            order, target = grades.order(grade), grades.order(rule.grade)
            new = grade
            if kind == "precondition" and not holds and order <= target:
                new = grades.bands[min(target + 1, len(grades.bands) - 1)].grade
            elif (kind == "cap" and holds and order < target) or (kind == "veto" and holds):
                new = rule.grade
            if new != grade:
                steps.append(GradeStep(rule.key, grade, new, rule.why))
                grade = new
    return grade, steps


def _quota_limit(quota: Quota, count: int) -> int:
    if not quota.share:
        return int(quota.limit)
    exact = quota.limit * count / 100
    mode = {"floor": ROUND_FLOOR, "ceiling": ROUND_CEILING, "half-up": ROUND_HALF_UP}[
        quota.rounding
    ]
    return int(exact.to_integral_value(rounding=mode))


def _apply_quota(
    grades: Grades,
    quota: Quota,
    ranking: Ranking,
    graded: dict[str, tuple[str | None, list[GradeStep]]],
    problems: list[Problem],
    criteria_path: str | None,
) -> None:
    groups: dict[str | None, list[Any]] = {}
    for entry in ranking.entries:
        if entry.rank is None:
            # Not ranked (left out, or no value): a quota chosen by rank cannot place it.
            if graded[entry.unit][0] == quota.grade:
                problems.append(
                    Problem(
                        f"quota for {quota.grade}: {entry.unit} has the grade but no rank in "
                        f"ranking {ranking.id}, so the quota cannot place it",
                        Location(criteria_path, key="grades.quota"),
                        "choose a ranking that ranks every unit with grades.ranking",
                    )
                )
            continue
        groups.setdefault(entry.group, []).append(entry)
    below = grades.bands[grades.order(quota.grade) + 1].grade
    for group, entries in groups.items():
        limit = _quota_limit(quota, len(entries))
        holders = [e for e in entries if graded[e.unit][0] == quota.grade]
        holders.sort(key=lambda e: (e.rank is None, e.rank or 0, e.unit))
        if len(holders) <= limit:
            continue
        keep = holders[:limit]
        if limit and holders[limit].rank is not None and holders[limit].rank == keep[-1].rank:
            tied = [e.unit for e in holders if e.rank == keep[-1].rank]
            if quota.ties is None:
                where = f" in {group}" if group else ""
                problems.append(
                    Problem(
                        f"quota for {quota.grade}{where}: {', '.join(tied)} tie at rank "
                        f"{keep[-1].rank} across the limit of {limit}",
                        Location(criteria_path, key="grades.quota_ties"),
                        'declare quota_ties = "keep" (all keep the grade) or "drop"',
                    )
                )
                continue
            boundary = keep[-1].rank
            keep = (
                [e for e in holders if (e.rank is not None and e.rank <= boundary)]
                if quota.ties == "keep"
                else [e for e in holders if e.rank is not None and e.rank < boundary]
            )
        kept = {e.unit for e in keep}
        share = f"{quota.limit}%" if quota.share else ""
        of_zh = f"（全部{len(entries)}个单位的{share}）" if share else ""
        of_en = f" ({share} of {len(entries)} units)" if share else ""
        tie_zh = {"keep": "，并列者均保留", "drop": "，并列者均不保留"}.get(quota.ties or "", "")
        tie_en = {"keep": "; ties all keep it", "drop": "; ties all lose it"}.get(
            quota.ties or "", ""
        )
        grade_en = grades.bands[grades.order(quota.grade)].label.text("en", quota.grade)
        for place, e in enumerate(holders, start=1):
            if e.unit not in kept:
                grade, steps = graded[e.unit]
                why_zh = (
                    f"{quota.grade}名额{limit}个{of_zh}；本单位排名第{e.rank}，"
                    f"为第{place}个达到{quota.grade}的单位{tie_zh}"
                )
                why_en = (
                    f"at most {limit} unit{'' if limit == 1 else 's'} may be {grade_en}{of_en}; "
                    f"ranked {e.rank}, this unit is number {place} to reach it{tie_en}"
                )
                steps.append(GradeStep("quota", grade, below, Label(why_zh, why_en)))
                graded[e.unit] = (below, steps)


def grade_all(
    criteria: Criteria,
    cards: Mapping[str, ScoreCard],
    envs: Mapping[str, Mapping[str, Any]],
    rankings: tuple[Ranking, ...],
    problems: list[Problem],
) -> dict[str, ScoreCard]:
    """Every card with its grade and grade steps (cards are returned unchanged when the
    criteria grade nothing)."""
    grades = criteria.grades
    if grades is None:
        return dict(cards)
    graded = {u: grade_unit(criteria, card, envs[u], problems) for u, card in cards.items()}
    if grades.quotas:
        ident = grades.ranking or criteria.rankings[0].id
        ranking = next(r for r in rankings if r.id == ident)
        for quota in grades.quotas:
            _apply_quota(grades, quota, ranking, graded, problems, criteria.path)
    return {
        u: attrs.evolve(card, grade=graded[u][0], grade_steps=tuple(graded[u][1]))
        for u, card in cards.items()
    }
