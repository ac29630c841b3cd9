"""Benchmark: ``verify --hypotheses`` on the flagship, 18 units over 2021–2024.

Prints the median wall time of one exact evaluation, of one float evaluation
(``arithmetic="float"``), and of ``find_conventions`` on the example table computed in
floats (every convention alone and in pairs), with the number of hypotheses tried and
the time per hypothesis as a ratio to one evaluation.

    python benchmarks/bench_hypotheses.py [--repeat 5]

Not a test: machines are shared and noisy, so it reports medians, never asserts.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ecoscore
from ecoscore.audit.hypotheses import find_conventions
from ecoscore.io.tables import read_table

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples" / "ganzhou-2024"


def median_time(work: Callable[[], Any], repeat: int) -> float:
    """The median wall time of ``work`` in seconds, after one warm-up run."""
    work()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    criteria = ecoscore.load(ROOT / "criteria" / "ganzhou-county-2024.toml")
    current, *earlier = [
        period
        for k, year in enumerate(("2024", "2023", "2022", "2021"))
        for period in ecoscore.read_periods(
            EXAMPLES / f"submissions-{year}.csv", criteria, strict=k == 0
        )
    ]
    published = read_table(EXAMPLES / "published-2024-floats.csv")

    def evaluate(arithmetic: str) -> Callable[[], Any]:
        return lambda: ecoscore.evaluate(
            criteria,
            current.submissions,
            previous=earlier,
            period=current.name,
            arithmetic=arithmetic,
        )

    def hypotheses() -> Any:
        return find_conventions(
            criteria, published, current.submissions, previous=earlier, period=current.name
        )

    exact = median_time(evaluate("exact"), args.repeat)
    floats = median_time(evaluate("float"), args.repeat)
    found = median_time(hypotheses, args.repeat)
    tried = len(hypotheses().tried)
    print(f"one evaluation, exact:          {exact * 1000:8.1f} ms")
    print(f"one evaluation, float sums:     {floats * 1000:8.1f} ms  ({floats / exact:.2f}×)")
    print(f"find_conventions ({tried} tried):  {found * 1000:8.1f} ms")
    print(
        f"per hypothesis:                 {found / (tried + 1) * 1000:8.1f} ms"
        f"  ({found / (tried + 1) / exact:.2f}× one evaluation)"
    )


if __name__ == "__main__":
    main()
