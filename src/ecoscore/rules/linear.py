"""Clamped linear: full points at one value, none at another, linear between."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.numbers import CONTEXT
from ecoscore.rules.base import Outcome

__all__ = ["Linear"]

_ZERO = Decimal(0)


@attrs.frozen
class Linear:
    """``points × (x − zero_at) / (full_at − zero_at)``, clamped to ``[0, points]``.

    Lower is better when ``full_at < zero_at`` ("full at or below 25, zero at or above 35").
    """

    zero_at: Decimal
    full_at: Decimal
    points: Decimal
    kind: str = "linear"

    def points_for(self, value: Decimal, values: Mapping[str, Any]) -> Decimal:
        """The points ``score`` gives, without its clause (the compiled engine's path)."""
        if (value <= self.full_at) if self.full_at < self.zero_at else (value >= self.full_at):
            return self.points
        if (value >= self.zero_at) if self.full_at < self.zero_at else (value <= self.zero_at):
            return _ZERO
        numerator = CONTEXT.multiply(self.points, CONTEXT.subtract(value, self.zero_at))
        return CONTEXT.divide(numerator, CONTEXT.subtract(self.full_at, self.zero_at))

    def score(self, value: Decimal, values: Mapping[str, Any]) -> Outcome:
        """Interpolate between the two anchors; outside them, full or zero."""
        lower_is_better = self.full_at < self.zero_at
        if (value <= self.full_at) if lower_is_better else (value >= self.full_at):
            return Outcome(
                self.points,
                "{} at or beyond {}: full",
                (value, self.full_at),
                template_zh="{} 达到 {}:满分",
            )
        if (value >= self.zero_at) if lower_is_better else (value <= self.zero_at):
            return Outcome(
                Decimal(0),
                "{} at or beyond {}: zero",
                (value, self.zero_at),
                template_zh="{} 达到或超过零分线 {}:0分",
            )
        # Multiply before dividing so that values on round fractions stay exact.
        numerator = CONTEXT.multiply(self.points, CONTEXT.subtract(value, self.zero_at))
        points = CONTEXT.divide(numerator, CONTEXT.subtract(self.full_at, self.zero_at))
        return Outcome(
            points,
            "{} × ({} − {}) / ({} − {})",
            (self.points, value, self.zero_at, self.full_at, self.zero_at),
        )
