"""Deduct per unit of shortfall, until the item is used up.

"每差1个百分点扣2分,扣完为止": full points at the target, minus ``each`` points for every
``per`` units the value falls short of it, never below zero. Pro rata by default
(0.7 short → 1.4 points at 2 per point); ``whole_units`` counts only full units
(1.9 µg/m³ over at 0.5 per µg/m³ → 0.5).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import attrs

from ecoscore.numbers import CONTEXT
from ecoscore.rules.base import Outcome

__all__ = ["Deduct"]

_ZERO = Decimal(0)


@attrs.frozen
class Deduct:
    """``points − each × shortfall / per``, floored at zero."""

    target: Decimal
    higher_is_better: bool
    each: Decimal
    points: Decimal
    per: Decimal = Decimal(1)
    whole_units: bool = False
    kind: str = "deduct"

    def points_for(self, value: Decimal, values: Mapping[str, Any]) -> Decimal:
        """The points ``score`` gives, without its clause (the compiled engine's path)."""
        gap = self.target - value if self.higher_is_better else value - self.target
        if gap <= 0:
            return self.points
        units = CONTEXT.divide(gap, self.per)
        if self.whole_units:
            units = units.to_integral_value(rounding=ROUND_FLOOR)
        deduction = CONTEXT.multiply(units, self.each)
        return _ZERO if deduction >= self.points else self.points - deduction

    def score(self, value: Decimal, values: Mapping[str, Any]) -> Outcome:
        """Full points at or beyond the target; then deduct for the shortfall."""
        gap = self.target - value if self.higher_is_better else value - self.target
        if gap <= 0:
            return Outcome(
                self.points,
                "{} meets {}: full",
                (value, self.target),
                template_zh="{} 达到 {}:满分",
            )
        units = CONTEXT.divide(gap, self.per)
        if self.whole_units:
            units = units.to_integral_value(rounding=ROUND_FLOOR)
        deduction = CONTEXT.multiply(units, self.each)
        steps = (("shortfall", gap), ("units", units), ("deduction", deduction))
        if deduction >= self.points:
            return Outcome(
                Decimal(0),
                "short by {}: deduction used up",
                (gap,),
                steps,
                template_zh="差 {}:扣完为止",
            )
        return Outcome(
            self.points - deduction,
            "short by {}: {} − {} × {}",
            (gap, self.points, units, self.each),
            steps,
            template_zh="差 {}:{} − {} × {}",
        )
