"""A custom formula whose value is the points, and a condition that earns all or nothing."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.rules.base import Outcome

__all__ = ["Condition", "Formula"]


@attrs.frozen
class Formula:
    """Points are the value of the indicator's formula, kept within ``[low, high]``.

    "score = 70 × compliance rate − 63, at most 7, never below 0" is the formula
    ``70 * rate - 63`` with ``high`` 7 (the indicator's points) and ``low`` 0.
    """

    low: Decimal | None = Decimal(0)
    high: Decimal | None = None
    kind: str = "formula"

    def points_for(self, value: Decimal, values: Mapping[str, Any]) -> Decimal:
        """The points ``score`` gives, without its clause (the compiled engine's path)."""
        if self.high is not None and value > self.high:
            return self.high
        if self.low is not None and value < self.low:
            return self.low
        return value

    def score(self, value: Decimal, values: Mapping[str, Any]) -> Outcome:
        """The formula's value, clamped to the declared bounds."""
        if self.high is not None and value > self.high:
            return Outcome(
                self.high, "{} > {}: capped", (value, self.high), template_zh="{} > {}:以上限计"
            )
        if self.low is not None and value < self.low:
            return Outcome(
                self.low,
                "{} < {}: raised to {}",
                (value, self.low, self.low),
                template_zh="{} < {}:按 {} 计",
            )
        return Outcome(value, "= {}", (value,))


@attrs.frozen
class Condition:
    """All the points when the condition holds, otherwise ``otherwise`` points.

    "Double 100%": ``safe_use == 100 and survey == 100`` → 10 points, else 0.
    """

    met: Decimal
    otherwise: Decimal = Decimal(0)
    kind: str = "condition"

    def points_for(self, value: bool, values: Mapping[str, Any]) -> Decimal:
        """The points ``score`` gives, without its clause (the compiled engine's path)."""
        return self.met if value else self.otherwise

    def score(self, value: bool, values: Mapping[str, Any]) -> Outcome:
        """``met`` points if ``value`` is true."""
        if value:
            return Outcome(self.met, "condition holds", template_zh="条件成立")
        return Outcome(self.otherwise, "condition does not hold", template_zh="条件不成立")
