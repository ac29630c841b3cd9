"""A binding target, pass or fail: "PM2.5 annual mean ≤ 35 µg/m³ → 10 points, else 0"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.rules.base import Outcome

__all__ = ["COMPARATORS", "Target"]

#: The comparisons a target or a band bound may use, by their criteria key.
COMPARATORS: dict[str, tuple[str, Callable[[Decimal, Decimal], bool]]] = {
    "at_most": ("≤", lambda x, t: x <= t),
    "below": ("<", lambda x, t: x < t),
    "at_least": ("≥", lambda x, t: x >= t),
    "above": (">", lambda x, t: x > t),
    "equal": ("=", lambda x, t: x == t),
}


@attrs.frozen
class Target:
    """Full points when the value meets the threshold, otherwise ``missed`` points."""

    comparison: str
    threshold: Decimal
    met: Decimal
    missed: Decimal = Decimal(0)
    kind: str = "target"

    def points_for(self, value: Decimal, values: Mapping[str, Any]) -> Decimal:
        """The points ``score`` gives, without its clause (the compiled engine's path)."""
        return self.met if COMPARATORS[self.comparison][1](value, self.threshold) else self.missed

    def score(self, value: Decimal, values: Mapping[str, Any]) -> Outcome:
        """``met`` points if ``value`` compares as declared, else ``missed``."""
        symbol, test = COMPARATORS[self.comparison]
        if test(value, self.threshold):
            return Outcome(
                self.met,
                "{} " + symbol + " {}: met",
                (value, self.threshold),
                template_zh="{} " + symbol + " {}:达标",
            )
        return Outcome(
            self.missed,
            "{} " + symbol + " {}: missed",
            (value, self.threshold),
            template_zh="{} " + symbol + " {}:未达标",
        )
