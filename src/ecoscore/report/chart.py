"""The bar chart of totals in the HTML report: inline SVG, no script, no network.

Bar lengths are pixel geometry only; the label beside each bar carries the exact total as
the engine computed it.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ecoscore.report.common import decimal_text, grade_colour, unit_name, unit_order, word
from ecoscore.results.assessment import Results

__all__ = ["bar_chart"]


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _text_width(text: str, size: int) -> int:
    """A rough width in pixels: wide (CJK) characters a full em, others about half."""
    return sum(size if ord(ch) > 0x2E80 else size * 6 // 10 for ch in text)


def bar_chart(results: Results, lang: str, fonts: str) -> Iterator[str]:
    """A horizontal bar per unit, its exact total as the label."""
    c = results.criteria
    units = [u for u in unit_order(results) if results[u].total is not None]
    if not units:
        return
    totals = [results[u].total for u in units]
    top = max((t for t in totals if t is not None), default=Decimal(0))
    declared = c.total.points
    scale = declared if declared is not None and declared >= top else top
    row, size, label_w, bar_w, pad = 22, 12, 170, 420, 8
    width = label_w + bar_w + 70
    height = row * len(units) + 2 * pad
    yield f"<h2>{_e(word('chart', lang))}</h2>"
    yield "<figure>"
    # Inline SVG in HTML needs no namespace declaration (HTML Living Standard, 13.1.2).
    yield (
        f'<svg viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{_e(word("chart", lang))}" '
        f'font-size="{size}" style="font-family:{_e(fonts)}">'
    )
    yield (
        f'<line x1="{label_w}" y1="{pad - 2}" x2="{label_w}" y2="{height - pad + 2}" '
        'stroke="#888" stroke-width="1"/>'
    )
    for i, unit in enumerate(units):
        card = results[unit]
        total = card.total or Decimal(0)
        y = pad + i * row
        # Pixel geometry only: the label beside the bar carries the exact value.
        length = Decimal(0) if scale <= 0 or total <= 0 else min(total / scale, Decimal(1))
        bar = int((length * bar_w).to_integral_value(rounding=ROUND_HALF_UP))
        name = unit_name(results, unit, lang)
        fit = ""
        if _text_width(name, size) > label_w - 10:
            fit = f' textLength="{label_w - 10}" lengthAdjust="spacingAndGlyphs"'
        yield (
            f'<text x="{label_w - 6}" y="{y + row // 2 + 4}" text-anchor="end"{fit}>'
            f"{_e(name)}</text>"
        )
        yield (
            f'<rect x="{label_w}" y="{y + 3}" width="{bar}" height="{row - 6}" '
            f'fill="{grade_colour(c, card.grade)}"/>'
        )
        yield (
            f'<text x="{label_w + bar + 4}" y="{y + row // 2 + 4}" '
            f'font-weight="600">{_e(decimal_text(card.total))}</text>'
        )
    yield "</svg>"
    yield "</figure>"
