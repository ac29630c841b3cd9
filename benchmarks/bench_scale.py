"""Benchmark: how time and memory grow with the units, to JSON and to XLSX.

For each size (300, 3,000, 30,000 and 40,000 units × 50 indicators by default, the
workload of issue 8) the command ``ecoscore score c.toml d.csv -o out.json`` (and
``out.xlsx``) runs in a fresh process; the benchmark prints its wall time, its peak
resident memory, the file it wrote, and the growth factor from the previous size (time
ratio against units ratio: linear growth gives the same figure), then the issue's
targets next to what was measured. Small sizes take the median of several runs.

    python benchmarks/bench_scale.py [--sizes 300,3000,30000,40000] [--indicators 50]
        [--formats json,xlsx] [--repeat 3] [--repeat-up-to 3000] [-- --trace summary]

A tiny run for CI: ``--sizes 50,100 --repeat 1``. The large sizes take minutes.
Not a test: machines are shared and noisy, so it reports figures, never asserts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import run_measured
from workload import criteria_text, records, write_csv

# The targets of issue 8 for 40,000 units × 50: seconds, peak MiB, file MB.
TARGETS = {"json": (60, 2048, 400), "xlsx": (120, 2048, None)}


def main(argv: list[str] | None = None) -> int:
    """Run the series and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,3000,30000,40000")
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--formats", default="json,xlsx")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each small size")
    parser.add_argument("--repeat-up-to", type=int, default=3000, help="the largest small size")
    parser.add_argument("--write-csv", help=argparse.SUPPRESS)
    parser.add_argument("extra", nargs="*", help="more options for ecoscore score")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.write_csv:
        write_csv(Path(args.write_csv), records(sizes[0], args.indicators))
        return 0
    formats = args.formats.split(",")
    print(
        f"units × {args.indicators} indicators; ecoscore score … -o out.<format>"
        f" {' '.join(args.extra)}; each run a fresh process"
    )
    print(f"{'format':<6} {'units':>7} {'runs':>4} {'time':>9} {'peak':>10} {'file':>10}  growth")
    seen: dict[tuple[str, int], tuple[float, float, int]] = {}
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder)
        toml = where / "c.toml"
        toml.write_text(criteria_text(args.indicators), encoding="utf-8")
        for fmt in formats:
            previous: tuple[int, float] | None = None
            for units in sizes:
                data = where / f"d{units}.csv"
                if not data.exists():
                    # Made in a child: a forked child's peak memory counts the parent's at
                    # the fork, so this process must stay small.
                    run_measured(
                        [
                            sys.executable,
                            __file__,
                            "--write-csv",
                            str(data),
                            "--sizes",
                            str(units),
                            "--indicators",
                            str(args.indicators),
                        ]
                    )
                out = where / f"out{units}.{fmt}"
                argv_score = [sys.executable, "-m", "ecoscore", "score", str(toml), str(data)]
                argv_score += ["-o", str(out), *args.extra]
                runs = args.repeat if units <= args.repeat_up_to else 1
                measured = [run_measured(argv_score) for _ in range(runs)]
                seconds = statistics.median(m[0] for m in measured)
                peak = statistics.median(m[1] for m in measured)
                size = out.stat().st_size
                out.unlink()
                growth = ""
                if previous is not None:
                    growth = (
                        f"× {seconds / previous[1]:.1f} time for × {units / previous[0]:g} units"
                    )
                print(
                    f"{fmt:<6} {units:>7} {runs:>4} {seconds:8.2f}s {peak:7.0f} MiB"
                    f" {size / 1e6:7.1f} MB  {growth}",
                    flush=True,
                )
                seen[fmt, units] = (seconds, peak, size)
                previous = (units, seconds)
    _targets(seen, sizes, args.indicators)
    return 0


def _targets(
    seen: dict[tuple[str, int], tuple[float, float, int]], sizes: list[int], n: int
) -> None:
    """The issue's targets beside the figures, where the series measured them."""
    if n != 50:
        return
    for fmt, (seconds, peak, megabytes) in TARGETS.items():
        if (fmt, 40000) in seen:
            got = seen[fmt, 40000]
            line = f"target {fmt} 40,000 × 50: < {seconds} s (got {got[0]:.0f} s),"
            line += f" < {peak} MiB (got {got[1]:.0f} MiB)"
            if megabytes is not None:
                line += f", file < {megabytes} MB (got {got[2] / 1e6:.0f} MB)"
            print(line)
    if ("json", 3000) in seen and ("json", 30000) in seen and {3000, 30000} <= set(sizes):
        ratio = seen["json", 30000][0] / seen["json", 3000][0]
        print(f"target json 30,000 ≤ 11 × the time of 3,000: got × {ratio:.1f}")


if __name__ == "__main__":
    raise SystemExit(main())
