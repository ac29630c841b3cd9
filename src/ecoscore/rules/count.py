"""Capped bonuses and deductions counted per item.

"Each national honour +1; each provincial honour +0.5, at most 1 from those; at most 3
in all." "Each overdue problem −0.5, at most 5."
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.numbers import CONTEXT
from ecoscore.rules.base import Outcome, fmt

__all__ = ["Count", "CountItem"]


@attrs.frozen
class CountItem:
    """``each`` points per unit of the input ``name``, at most ``at_most`` from it."""

    name: str
    each: Decimal
    at_most: Decimal | None = None


@attrs.frozen
class Count:
    """The sum over items, each capped, and the sum capped at ``at_most``."""

    items: tuple[CountItem, ...]
    at_most: Decimal | None = None
    kind: str = "count"

    @property
    def reads(self) -> tuple[str, ...]:
        """The inputs this rule reads."""
        return tuple(item.name for item in self.items)

    def score(self, value: Any, values: Mapping[str, Any]) -> Outcome:
        """Add up the items, capping each and then the whole."""
        total = Decimal(0)
        steps = []
        for item in self.items:
            amount = CONTEXT.multiply(values[item.name], item.each)
            if item.at_most is not None and amount > item.at_most:
                steps.append(
                    (
                        item.name,
                        f"{fmt(values[item.name])} × {fmt(item.each)} = "
                        f"{fmt(amount)}, capped at {fmt(item.at_most)}",
                    )
                )
                amount = item.at_most
            else:
                steps.append(
                    (item.name, f"{fmt(values[item.name])} × {fmt(item.each)} = {fmt(amount)}")
                )
            total += amount
        if self.at_most is not None and total > self.at_most:
            return Outcome(
                self.at_most,
                f"{fmt(total)} capped at {fmt(self.at_most)}",
                steps=tuple(steps),
                template_zh=f"{fmt(total)} 超过上限，按 {fmt(self.at_most)} 计",
            )
        return Outcome(total, f"= {fmt(total)}", steps=tuple(steps))
