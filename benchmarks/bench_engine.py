"""Benchmark: 3,000 units × 60 indicators of mixed rule kinds, scored with traces and ranked.

Prints the median wall time of ``ecoscore.evaluate`` over several runs, microseconds
per unit × indicator, and the ratio to a bare Python loop that does the same ``Decimal``
arithmetic for the same rules with no engine (no trace, no checks, no ranking).

    python benchmarks/bench_engine.py [--units 3000] [--repeat 5]

Not a test: machines are shared and noisy, so it reports medians, never asserts.
"""

from __future__ import annotations

import argparse
import decimal
import random
import statistics
import sys
import time
from decimal import Decimal

import ecoscore
from ecoscore.numbers import CONTEXT

KINDS = ("linear", "bands", "deduct", "target", "formula", "piecewise")
INDICATORS = 60


def criteria_text(n: int = INDICATORS) -> str:
    """A criteria file with ``n`` indicators cycling through the rule kinds."""
    lines = [
        "ecoscore = 1",
        'id = "bench"',
        'title = { zh = "基准", en = "benchmark" }',
        'rounding = { points = "2 half-up", total = "1 half-up" }',
        "[inputs]",
    ]
    lines += [f'x{i} = {{ zh = "指标{i}", min = 0, max = 100 }}' for i in range(n)]
    areas = 6
    for a in range(areas):
        lines += [f"[node.area{a}]", f'zh = "领域{a}"', f"points = {n // areas * 10}"]
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        lines += [f"[indicator.x{i}]", f'parent = "area{i % areas}"', "points = 10"]
        if kind == "linear":
            lines.append("linear = { zero_at = 35, full_at = 85 }")
        elif kind == "bands":
            lines.append(
                "bands = [{ at_least = 90, points = 10 },"
                " { at_least = 60, below = 90, points = 6 }, { below = 60, points = 0 }]"
            )
        elif kind == "deduct":
            lines.append("deduct = { below = 95, each = 0.5 }")
        elif kind == "target":
            lines.append("target = { at_least = 50 }")
        elif kind == "formula":
            lines.append(f'formula = "x{i} * 0.12 - 1"')
        else:
            lines.append("piecewise = { breakpoints = [0, 35, 75, 115], values = [10, 8, 4, 0] }")
            lines.append('round_points = "0 ceiling"')
    lines += [
        "[grades]",
        'bands = [{ grade = "优秀", at_least = 90 }, { grade = "良好", at_least = 75 },'
        ' { grade = "合格", at_least = 60 }, { grade = "不合格" }]',
        "[ranking.overall]",
        'tie_break = [{ by = "area0" }]',
    ]
    return "\n".join(lines) + "\n"


def records(units: int, n: int = INDICATORS, seed: int = 20241231) -> list[dict[str, str]]:
    """Random submissions, one decimal place, as text (as a spreadsheet gives them)."""
    rng = random.Random(seed)
    return [
        {"unit": f"U{u:05d}", **{f"x{i}": f"{rng.randint(200, 1000) / 10:.1f}" for i in range(n)}}
        for u in range(units)
    ]


def bare_loop(rows: list[dict[str, str]], n: int = INDICATORS) -> Decimal:
    """The same arithmetic by hand: parse, score each rule kind, round, add up."""
    q2, q1, q0 = Decimal("0.01"), Decimal("0.1"), Decimal(1)
    ten, zero = Decimal(10), Decimal(0)
    bps = (Decimal(0), Decimal(35), Decimal(75), Decimal(115))
    vals = (Decimal(10), Decimal(8), Decimal(4), Decimal(0))
    grand = zero
    with decimal.localcontext(CONTEXT):
        for row in rows:
            total = zero
            for i in range(n):
                x = Decimal(row[f"x{i}"])
                kind = KINDS[i % len(KINDS)]
                if kind == "linear":
                    p = ten if x >= 85 else zero if x <= 35 else ten * (x - 35) / 50
                elif kind == "bands":
                    p = ten if x >= 90 else Decimal(6) if x >= 60 else zero
                elif kind == "deduct":
                    p = ten if x >= 95 else max(zero, ten - (95 - x) * Decimal("0.5"))
                elif kind == "target":
                    p = ten if x >= 50 else zero
                elif kind == "formula":
                    p = min(ten, max(zero, x * Decimal("0.12") - 1))
                else:
                    p = vals[-1]
                    for k in range(1, 4):
                        if x <= bps[k]:
                            p = (vals[k] - vals[k - 1]) * (x - bps[k - 1]) / (
                                bps[k] - bps[k - 1]
                            ) + vals[k - 1]
                            break
                    p = p.quantize(q0, rounding=decimal.ROUND_CEILING)
                    total += p
                    continue
                total += p.quantize(q2, rounding=decimal.ROUND_HALF_UP)
            grand += total.quantize(q1, rounding=decimal.ROUND_HALF_UP)
    return grand


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    criteria = ecoscore.loads(criteria_text())
    rows = records(args.units)
    engine_times, bare_times = [], []
    grand_engine = grand_bare = Decimal(0)
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        results = ecoscore.evaluate(criteria, rows)
        engine_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        grand_bare = bare_loop(rows)
        bare_times.append(time.perf_counter() - t0)
        grand_engine = sum((card.total for card in results if card.total is not None), Decimal(0))
    if grand_engine != grand_bare:
        print(f"MISMATCH: engine {grand_engine} vs bare loop {grand_bare}", file=sys.stderr)
        return 1
    cells = args.units * INDICATORS
    engine, bare = statistics.median(engine_times), statistics.median(bare_times)
    print(f"units × indicators      {args.units} × {INDICATORS} = {cells}")
    per = "µs per unit × indicator"
    print(f"engine (median of {args.repeat})   {engine:.3f} s   {engine / cells * 1e6:.2f} {per}")
    print(f"bare Decimal loop       {bare:.3f} s   {bare / cells * 1e6:.2f} {per}")
    print(f"ratio engine / bare     {engine / bare:.2f}")
    print(f"check: both totals sum to {grand_engine}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
