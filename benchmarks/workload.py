"""The workload of issue 8, shared by the output and scale benchmarks.

Units × indicators, half clamped linear and half stepped bands, points rounded to 2
places, the total to 1, a competition ranking of the total; the figures as text with one
decimal place, as a spreadsheet gives them. ``bare_loop`` does the same ``Decimal``
arithmetic by hand (parse, score, round, add up, rank), with no engine, so a benchmark
can say how many times a bare loop ecoscore takes.
"""

from __future__ import annotations

import csv
import decimal
import random
from decimal import Decimal
from pathlib import Path

from ecoscore.numbers import CONTEXT

__all__ = ["bare_loop", "criteria_text", "records", "write_csv"]


def criteria_text(indicators: int) -> str:
    """A criteria file of ``indicators`` indicators: even ones linear, odd ones bands."""
    lines = [
        "ecoscore = 1",
        'id = "bench-output"',
        'title = { zh = "输出基准", en = "output benchmark" }',
        'rounding = { points = "2 half-up", total = "1 half-up" }',
        "[inputs]",
    ]
    lines += [f'x{i} = {{ zh = "指标{i}", min = 0, max = 100 }}' for i in range(indicators)]
    for i in range(indicators):
        lines += [f"[indicator.x{i}]", "points = 10"]
        if i % 2 == 0:
            lines.append("linear = { zero_at = 35, full_at = 85 }")
        else:
            lines.append(
                "bands = [{ at_least = 90, points = 10 },"
                " { at_least = 60, below = 90, points = 6 }, { below = 60, points = 0 }]"
            )
    lines += ["[ranking.overall]", 'ties = "competition"']
    return "\n".join(lines) + "\n"


def records(units: int, indicators: int, seed: int = 20241231) -> list[dict[str, str]]:
    """Random submissions, one decimal place, as text."""
    rng = random.Random(seed)
    return [
        {
            "unit": f"U{u:05d}",
            **{f"x{i}": f"{rng.randint(200, 1000) / 10:.1f}" for i in range(indicators)},
        }
        for u in range(units)
    ]


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    """The submissions as a CSV file, one row per unit."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def bare_loop(rows: list[dict[str, str]], indicators: int) -> Decimal:
    """The same arithmetic by hand: parse, score, round, total, competition ranks.

    Returns the sum of the totals, which the benchmarks compare with ecoscore's.
    """
    q2, q1 = Decimal("0.01"), Decimal("0.1")
    ten, six, zero, fifty = Decimal(10), Decimal(6), Decimal(0), Decimal(50)
    totals = []
    with decimal.localcontext(CONTEXT):
        for row in rows:
            total = zero
            for i in range(indicators):
                x = Decimal(row[f"x{i}"])
                if i % 2 == 0:
                    p = ten if x >= 85 else zero if x <= 35 else ten * (x - 35) / fifty
                else:
                    p = ten if x >= 90 else six if x >= 60 else zero
                total += p.quantize(q2, rounding=decimal.ROUND_HALF_UP)
            totals.append((total.quantize(q1, rounding=decimal.ROUND_HALF_UP), row["unit"]))
    # Competition ranks: 1, 1, 3.
    totals.sort(key=lambda t: (-t[0], t[1]))
    ranks: dict[str, int] = {}
    previous = None
    for place, (total, unit) in enumerate(totals, start=1):
        if total != previous:
            rank, previous = place, total
        ranks[unit] = rank
    return sum((t for t, _ in totals), zero)
