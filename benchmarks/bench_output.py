"""Benchmark: the workload of issue 8, from the engine to the file the command writes.

3,000 units × 60 indicators (half clamped linear, half stepped bands, points rounded to
2 places, totals, competition ranks) by default. Prints, each as the median of several
runs, in µs per cell (unit × indicator) and as × a bare Python loop doing the same
``Decimal`` arithmetic in the same process:

- ``ecoscore.evaluate`` on plain records (traces kept);
- the JSON form alone (``results_to_json`` of those results);
- the command end to end, ``ecoscore score c.toml d.csv -o out.json``, run in this process
  through ``ecoscore.cli.main`` and as a subprocess (which adds the interpreter's start);

and the bytes per cell of the JSON written.

    python benchmarks/bench_output.py [--units 3000] [--indicators 60] [--repeat 3]
        [--output out.json|out.xlsx] [-- extra options of ecoscore score]

Not a test: machines are shared and noisy, so it reports medians, never asserts.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ecoscore
from ecoscore.cli import main as ecoscore_main
from workload import bare_loop, criteria_text, records, write_csv


def _median(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", default="out.json", help="the file name the command writes")
    parser.add_argument("extra", nargs="*", help="more options for ecoscore score")
    args = parser.parse_args(argv)
    cells = args.units * args.indicators
    rows = records(args.units, args.indicators)
    criteria = ecoscore.loads(criteria_text(args.indicators))

    bare = _median(lambda: bare_loop(rows, args.indicators), args.repeat)
    holder: list[ecoscore.Results] = []
    engine = _median(lambda: holder.append(ecoscore.evaluate(criteria, rows)), args.repeat)
    expected = bare_loop(rows, args.indicators)
    got = sum((c.total for c in holder[-1] if c.total is not None), Decimal(0))
    if got != expected:
        print(f"MISMATCH: ecoscore {got} vs bare loop {expected}", file=sys.stderr)
        return 1
    export = _median(lambda: ecoscore.results_to_json(holder[-1]), args.repeat)
    holder.clear()  # the command's runs below start with the memory free

    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder)
        toml, data, out = where / "c.toml", where / "d.csv", where / args.output
        toml.write_text(criteria_text(args.indicators), encoding="utf-8")
        write_csv(data, rows)
        argv_score = ["score", str(toml), str(data), "-o", str(out), *args.extra]

        def in_process() -> None:
            with contextlib.redirect_stdout(io.StringIO()):
                code = ecoscore_main(argv_score)
            if code != 0:
                raise SystemExit("ecoscore score failed")

        command = _median(in_process, args.repeat)
        size = out.stat().st_size
        child = [sys.executable, "-m", "ecoscore", *argv_score]
        spawned = _median(
            lambda: subprocess.run(child, check=True, stdout=subprocess.DEVNULL), args.repeat
        )

    print(f"workload                 {args.units} units × {args.indicators} indicators = {cells}")
    print(f"runs                     median of {args.repeat}; ratios to the bare loop of this run")
    for name, seconds in (
        ("bare Decimal loop", bare),
        ("ecoscore.evaluate", engine),
        ("results_to_json", export),
        ("command, in process", command),
        ("command, subprocess", spawned),
    ):
        per = seconds / cells * 1e6
        print(f"{name:<24} {seconds:8.3f} s  {per:7.2f} µs per cell  {seconds / bare:7.2f} × bare")
    print(f"{args.output} written      {size:,} bytes, {size / cells:.1f} bytes per cell")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
