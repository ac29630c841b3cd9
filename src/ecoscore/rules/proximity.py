"""Proximity to target (Yale EPI): ``100·(f(x) − f(worst)) / (f(best) − f(worst))``.

Source: Yale Center for Environmental Law & Policy, EPI technical appendix (2020 and
later): f is the identity, ln, or ln(x + α); scores are clipped to [0, 100] at the
goalposts; for lower-is-better indicators best < worst.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ecoscore import numbers
from ecoscore.numbers import CONTEXT
from ecoscore.rules.base import Outcome, fmt

__all__ = ["Proximity"]

_HUNDRED = Decimal(100)


@attrs.frozen
class Proximity:
    """A 0–100 distance-to-target score, scaled to ``points`` when the indicator has them."""

    best: Decimal
    worst: Decimal
    transform: str = "identity"  # or "ln"
    alpha: Decimal = Decimal(0)
    points: Decimal | None = None
    kind: str = "proximity"

    def _f(self, x: Decimal) -> Decimal:
        if self.transform == "ln":
            return numbers.ln(CONTEXT.add(x, self.alpha))
        return x

    def score(self, value: Decimal, values: Mapping[str, Any]) -> Outcome:
        """Clip at the goalposts, then transform and interpolate."""
        lower_is_better = self.best < self.worst
        if (value <= self.best) if lower_is_better else (value >= self.best):
            score, clause = _HUNDRED, f"{fmt(value)} at or beyond best {fmt(self.best)}: 100"
            clause_zh = f"{fmt(value)} 达到最优值 {fmt(self.best)}:100"
        elif (value >= self.worst) if lower_is_better else (value <= self.worst):
            score, clause = Decimal(0), f"{fmt(value)} at or beyond worst {fmt(self.worst)}: 0"
            clause_zh = f"{fmt(value)} 达到或差于最差值 {fmt(self.worst)}:0"
        else:
            f_x, f_best, f_worst = self._f(value), self._f(self.best), self._f(self.worst)
            num = CONTEXT.multiply(_HUNDRED, CONTEXT.subtract(f_x, f_worst))
            score = CONTEXT.divide(num, CONTEXT.subtract(f_best, f_worst))
            name = "x" if self.transform == "identity" else "ln(x)" if not self.alpha else "ln(x+α)"
            clause = clause_zh = f"100 × ({name} − f(worst)) / (f(best) − f(worst)) = {fmt(score)}"
        if self.points is None or self.points == _HUNDRED:
            return Outcome(score, clause, steps=(("score", score),), template_zh=clause_zh)
        points = CONTEXT.divide(CONTEXT.multiply(score, self.points), _HUNDRED)
        return Outcome(
            points,
            f"{clause}; × {fmt(self.points)}/100",
            steps=(("score", score),),
            template_zh=f"{clause_zh};× {fmt(self.points)}/100",
        )
