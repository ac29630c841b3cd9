"""A categorical class from limits, the worst class winning (GB 3838-2002 water class).

Each input has one limit per class, best class first: a value within a class's limit
(``≤`` for ``at_most`` limits, ``≥`` for ``at_least`` ones, like dissolved oxygen) is in
that class, and where two classes share a limit the better class is assigned. A value
beyond every limit, or outside a ``within`` range (pH 6–9), is in the ``worse`` class.
The unit's class is the worst of its inputs' classes (the single-factor method of the
地表水环境质量评价办法, 环办〔2011〕22号).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.rules.base import Outcome, fmt

__all__ = ["Classify", "Limit"]


@attrs.frozen
class Limit:
    """One input's limits, one per class, best class first."""

    name: str
    direction: str  # "at_most", "at_least" or "within"
    limits: tuple[Decimal, ...]

    def class_index(self, value: Decimal, count: int) -> int:
        """Index of the best class whose limit ``value`` meets; ``count`` means worse."""
        if self.direction == "within":
            low, high = self.limits
            return 0 if low <= value <= high else count
        for k, limit in enumerate(self.limits):
            if (value <= limit) if self.direction == "at_most" else (value >= limit):
                return k
        return count


@attrs.frozen
class Classify:
    """The worst class over several inputs, with optional points per class."""

    classes: tuple[str, ...]
    worse: str
    limits: tuple[Limit, ...]
    points: Mapping[str, Decimal] | None = None
    kind: str = "classify"

    @property
    def reads(self) -> tuple[str, ...]:
        """The inputs this rule reads."""
        return tuple(limit.name for limit in self.limits)

    def score(self, value: Any, values: Mapping[str, Any]) -> Outcome:
        """Class each input, then take the worst."""
        labels = (*self.classes, self.worse)
        worst, steps = 0, []
        for limit in self.limits:
            k = limit.class_index(values[limit.name], len(self.classes))
            steps.append((limit.name, f"{fmt(values[limit.name])} → {labels[k]}"))
            worst = max(worst, k)
        label = labels[worst]
        drivers = [
            s[0]
            for s, lim in zip(steps, self.limits, strict=True)
            if lim.class_index(values[lim.name], len(self.classes)) == worst
        ]
        points = None if self.points is None else self.points.get(label)
        clause = f"worst class {label} ({', '.join(drivers)})"
        clause_zh = f"最差类别 {label}({'、'.join(drivers)})"
        return Outcome(points, clause, steps=tuple(steps), label=label, template_zh=clause_zh)
