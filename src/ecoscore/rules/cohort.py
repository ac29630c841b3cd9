"""Rules that score a unit against the whole cohort: points by rank, efficacy coefficient.

The efficacy-coefficient method (功效系数法) of the green development index (绿色发展
指标体系, 2016): ``60 + 40·(x − min)/(max − min)`` over all units, and
``60 + 40·(max − x)/(max − min)`` where lower is better.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.numbers import CONTEXT
from ecoscore.rules.base import Outcome, fmt

__all__ = ["CohortError", "Efficacy", "RankPoints"]


class CohortError(ValueError):
    """A cohort rule that cannot score this cohort (every value equal, no policy)."""


@attrs.frozen
class RankPoints:
    """``first − step × (place − 1)``, never below ``floor``; ties share the higher place."""

    higher_is_better: bool
    first: Decimal
    step: Decimal
    floor: Decimal = Decimal(0)
    dense: bool = False
    cohort: tuple[Decimal, ...] = ()
    kind: str = "rank"

    def prepare(self, cohort: Sequence[Decimal]) -> RankPoints:
        """Bind to every unit's value."""
        return attrs.evolve(self, cohort=tuple(cohort))

    def score(self, value: Decimal, values: Mapping[str, Any]) -> Outcome:
        """Place among the cohort (competition, or dense), then points by place."""
        better = [v for v in self.cohort if (v > value if self.higher_is_better else v < value)]
        place = 1 + (len(set(better)) if self.dense else len(better))
        points = max(self.floor, self.first - CONTEXT.multiply(self.step, Decimal(place - 1)))
        return Outcome(
            points,
            "place {} of {}: {} − {} × {}",
            (place, len(self.cohort), self.first, self.step, place - 1),
            steps=(("place", place),),
            template_zh="第 {} 名(共 {} 个):{} − {} × {}",
        )


@attrs.frozen
class Efficacy:
    """``base + span × (x − min)/(max − min)`` (reversed where lower is better)."""

    higher_is_better: bool
    base: Decimal = Decimal(60)
    span: Decimal = Decimal(40)
    when_all_equal: Decimal | None = None
    points: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    kind: str = "efficacy"

    def prepare(self, cohort: Sequence[Decimal]) -> Efficacy:
        """Bind to the cohort's smallest and largest values."""
        if not cohort:
            return self
        return attrs.evolve(self, low=min(cohort), high=max(cohort))

    def score(self, value: Decimal, values: Mapping[str, Any]) -> Outcome:
        """Scale the value between the cohort's extremes."""
        low, high = self.low, self.high
        if low is None or high is None:
            raise CohortError("no unit has a value")
        if low == high:
            if self.when_all_equal is None:
                raise CohortError(
                    f"every unit has {fmt(low)}: max = min, and no when_all_equal is declared"
                )
            # On the same 0–100 scale as the coefficient, so scaled to points alike.
            score = self.when_all_equal
            clause = f"max = min = {fmt(low)}: {fmt(self.when_all_equal)}"
            clause_zh = f"各单位数值均为 {fmt(low)}:按 {fmt(self.when_all_equal)} 计"
        else:
            distance = value - low if self.higher_is_better else high - value
            score = self.base + CONTEXT.divide(CONTEXT.multiply(self.span, distance), high - low)
            clause = clause_zh = (
                f"{fmt(self.base)} + {fmt(self.span)} × {fmt(distance)} / "
                f"({fmt(high)} − {fmt(low)})"
            )
        if self.points is not None and self.points != 100:
            score = CONTEXT.divide(CONTEXT.multiply(score, self.points), Decimal(100))
            clause += f"; × {fmt(self.points)}/100"
            clause_zh += f";× {fmt(self.points)}/100"
        return Outcome(score, clause, steps=(("min", low), ("max", high)), template_zh=clause_zh)
