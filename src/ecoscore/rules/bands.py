"""Stepped bands: "staffing ≥ 95% → 10; 90–95% → 5; below 90% → 0".

Each band is an interval whose bounds say whether they are inclusive (``at_least`` ≥,
``above`` >, ``at_most`` ≤, ``below`` <), so a value on a boundary is never in doubt.
``band_coverage`` is the load-time analysis (a one-dimensional DMN decision-table
check): bands that overlap, and ranges of the domain that no band covers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.rules.base import Outcome, fmt

__all__ = ["Band", "Bands", "band_coverage"]


@attrs.frozen
class Band:
    """One interval and what it gives: points, a class label, or both.

    A bound of ``None`` is open (−∞ or +∞). ``otherwise`` marks the catch-all band.
    """

    low: Decimal | None = None
    low_inclusive: bool = True
    high: Decimal | None = None
    high_inclusive: bool = False
    points: Decimal | None = None
    label: str | None = None
    otherwise: bool = False

    def contains(self, x: Decimal) -> bool:
        """Whether ``x`` lies in this band's interval."""
        if self.otherwise:
            return True
        if self.low is not None and (x < self.low or (x == self.low and not self.low_inclusive)):
            return False
        return not (
            self.high is not None
            and (x > self.high or (x == self.high and not self.high_inclusive))
        )

    def __str__(self) -> str:
        if self.otherwise:
            return "otherwise"
        return interval_text(self.low, self.low_inclusive, self.high, self.high_inclusive)


def interval_text(
    low: Decimal | None, low_inclusive: bool, high: Decimal | None, high_inclusive: bool
) -> str:
    """An interval in the usual notation: ``[90, 95)``, ``(−∞, 90)``."""
    left = "(−∞" if low is None else ("[" if low_inclusive else "(") + fmt(low)
    right = "+∞)" if high is None else fmt(high) + ("]" if high_inclusive else ")")
    return f"{left}, {right}"


@attrs.frozen
class Bands:
    """The band that holds the value gives the points (first match, after load checks)."""

    bands: tuple[Band, ...]
    kind: str = "bands"
    # The bands as plain tuples, for points_for: no method call per band tried.
    _flat: tuple[tuple[Any, ...], ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        flat = tuple(
            (b.otherwise, b.low, b.low_inclusive, b.high, b.high_inclusive, b.points)
            for b in self.bands
        )
        object.__setattr__(self, "_flat", flat)

    def points_for(self, value: Decimal, values: Mapping[str, Any]) -> Decimal | None:
        """The points ``score`` gives, without its clause (the compiled engine's path)."""
        for otherwise, low, low_inclusive, high, high_inclusive, points in self._flat:
            if otherwise:
                return points  # type: ignore[no-any-return]
            if low is not None and (value < low or (value == low and not low_inclusive)):
                continue
            if high is not None and (value > high or (value == high and not high_inclusive)):
                continue
            return points  # type: ignore[no-any-return]
        return None

    def score(self, value: Decimal, values: Mapping[str, Any]) -> Outcome:
        """Find the band holding ``value``."""
        for band in self.bands:
            if band.contains(value):
                what = band.label if band.points is None else band.points
                if band.points is not None and band.label is not None:
                    return Outcome(
                        band.points,
                        "{} in {} → {}, {}",
                        (value, band, band.label, band.points),
                        label=band.label,
                        template_zh="{} 属于 {} → {},{}分",
                    )
                return Outcome(
                    band.points,
                    "{} in {} → {}",
                    (value, band, what),
                    label=band.label,
                    template_zh="{} 属于 {} → {}" + ("" if band.points is None else "分"),
                )
        # The loader refuses bands with gaps, except outside an input's declared range.
        return Outcome(None, "{} is in no band", (value,), template_zh="{} 不在任何区间内")


def _sort_key(band: Band) -> tuple[int, Decimal, int]:
    if band.low is None:
        return (0, Decimal(0), 0)
    return (1, band.low, 0 if band.low_inclusive else 1)


def _overlap(a: Band, b: Band) -> bool:
    # The larger lower bound must lie below the smaller upper bound.
    lo, lo_inc = _max_low(a, b)
    hi, hi_inc = _min_high(a, b)
    if lo is None or hi is None:
        return True
    return lo < hi or (lo == hi and lo_inc and hi_inc)


def _max_low(a: Band, b: Band) -> tuple[Decimal | None, bool]:
    if a.low is None:
        return b.low, b.low_inclusive
    if b.low is None or a.low > b.low:
        return a.low, a.low_inclusive
    if b.low > a.low:
        return b.low, b.low_inclusive
    return a.low, a.low_inclusive and b.low_inclusive


def _min_high(a: Band, b: Band) -> tuple[Decimal | None, bool]:
    if a.high is None:
        return b.high, b.high_inclusive
    if b.high is None or a.high < b.high:
        return a.high, a.high_inclusive
    if b.high < a.high:
        return b.high, b.high_inclusive
    return a.high, a.high_inclusive and b.high_inclusive


def band_coverage(
    bands: Sequence[Band], low: Decimal | None = None, high: Decimal | None = None
) -> tuple[list[tuple[int, int, str]], list[str]]:
    """Overlapping pairs ``(i, j, overlap)`` and uncovered ranges of ``[low, high]``.

    ``low``/``high`` are the declared range of the value (``None``: unbounded). A band
    marked ``otherwise`` covers every gap.
    """
    ranged = [(i, b) for i, b in enumerate(bands) if not b.otherwise]
    overlaps: list[tuple[int, int, str]] = []
    for n, (i, a) in enumerate(ranged):
        for j, b in ranged[n + 1 :]:
            if _overlap(a, b):
                lo, lo_inc = _max_low(a, b)
                hi, hi_inc = _min_high(a, b)
                overlaps.append((i, j, interval_text(lo, lo_inc, hi, hi_inc)))
    if any(b.otherwise for b in bands):
        return overlaps, []
    gaps: list[str] = []
    # Sweep: everything below `edge` is covered; `edge` itself is covered iff `closed`.
    edge, closed = low, low is None
    unbounded_low = low is None
    for _, band in sorted(ranged, key=lambda ib: _sort_key(ib[1])):
        if band.low is not None and (
            unbounded_low
            or edge is None
            or band.low > edge
            or (band.low == edge and not closed and not band.low_inclusive)
        ):
            if unbounded_low:
                gaps.append(interval_text(None, True, band.low, not band.low_inclusive))
            elif edge is not None and (band.low > edge or not closed):
                gaps.append(interval_text(edge, not closed, band.low, not band.low_inclusive))
        unbounded_low = False
        if band.high is None:
            edge, closed = None, True
            break
        if edge is None and not closed:
            edge, closed = band.high, band.high_inclusive
        elif edge is None or band.high > edge or (band.high == edge and band.high_inclusive):
            edge, closed = band.high, band.high_inclusive or (band.high == edge and closed)
    else:
        if unbounded_low:
            gaps.append(interval_text(None, True, high, True))
        elif edge is not None and (high is None or edge < high or (edge == high and not closed)):
            gaps.append(interval_text(edge, not closed, high, high is not None))
    return overlaps, gaps
