"""Piecewise linear over breakpoints (the AQI's IAQI tables).

``(V_hi − V_lo) × (x − B_lo) / (B_hi − B_lo) + V_lo`` on the segment that holds x,
multiplied before dividing so that a value on a breakpoint is exact (HJ 633-2012, eq. 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.numbers import CONTEXT
from ecoscore.rules.base import Outcome

__all__ = ["Piecewise"]


@attrs.frozen
class Piecewise:
    """Interpolate ``values`` over increasing ``breakpoints``.

    Beyond the last breakpoint the value is ``beyond`` (the AQI caps at 500); below the
    first, the first value.
    """

    breakpoints: tuple[Decimal, ...]
    values: tuple[Decimal, ...]
    beyond: Decimal | None = None
    kind: str = "piecewise"

    def points_for(self, value: Decimal, values: Mapping[str, Any]) -> Decimal:
        """The points ``score`` gives, without its clause (the compiled engine's path)."""
        bps, vals = self.breakpoints, self.values
        if value <= bps[0]:
            return vals[0]
        if value > bps[-1]:
            return vals[-1] if self.beyond is None else self.beyond
        for i in range(1, len(bps)):
            if value <= bps[i]:
                b_lo, b_hi, v_lo, v_hi = bps[i - 1], bps[i], vals[i - 1], vals[i]
                num = CONTEXT.multiply(CONTEXT.subtract(v_hi, v_lo), CONTEXT.subtract(value, b_lo))
                return CONTEXT.add(CONTEXT.divide(num, CONTEXT.subtract(b_hi, b_lo)), v_lo)
        raise AssertionError("unreachable: value is within the breakpoints")

    def score(self, value: Decimal, values: Mapping[str, Any]) -> Outcome:
        """The interpolated value on the segment holding ``value``."""
        bps, vals = self.breakpoints, self.values
        if value <= bps[0]:
            return Outcome(vals[0], "{} ≤ {}: {}", (value, bps[0], vals[0]))
        if value > bps[-1]:
            cap = vals[-1] if self.beyond is None else self.beyond
            return Outcome(cap, "{} > {}: {}", (value, bps[-1], cap))
        # Segments are (lo, hi]; the first one includes its lower end as well.
        for i in range(1, len(bps)):
            if value <= bps[i]:
                b_lo, b_hi, v_lo, v_hi = bps[i - 1], bps[i], vals[i - 1], vals[i]
                num = CONTEXT.multiply(CONTEXT.subtract(v_hi, v_lo), CONTEXT.subtract(value, b_lo))
                result = CONTEXT.add(CONTEXT.divide(num, CONTEXT.subtract(b_hi, b_lo)), v_lo)
                return Outcome(
                    result,
                    "({} − {}) × ({} − {}) / ({} − {}) + {}",
                    (v_hi, v_lo, value, b_lo, b_hi, b_lo, v_lo),
                )
        raise AssertionError("unreachable: value is within the breakpoints")
