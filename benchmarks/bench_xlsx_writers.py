"""Benchmark: openpyxl's write-only mode against XlsxWriter's constant-memory mode.

Writes the same sheet both ways, in a fresh subprocess each, and prints the time and the
peak memory of each: rows shaped like ecoscore's trace sheet (13 columns: texts, exact
decimals as numbers with a number format of their places, a bold styled cell every row,
a header row, frozen panes and a filter). This is what decided which library the XLSX
writer streams with; ``python benchmarks/bench_xlsx_writers.py [--rows 200000]``.

Not a test: machines are shared and noisy, so it reports medians, never asserts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import run_measured

COLUMNS = 13


def _rows(count: int) -> Iterator[list[object]]:
    # Made as they are written, so the peak memory is the library's, not the data's.
    for r in range(count):
        points = Decimal(r % 1000) / 100
        yield (
            [
                f"U{r // 50:05d}",
                "指标",
                f"x{r % 50}",
                "指标名称",
                f"x{r % 50} = {points}",
                points,
                f"{points} in [90, +∞) → 10",
                None,
                points,
                "2 位，四舍五入",
                points,
                "计分",
                None,
            ]
        )


def _openpyxl(path: str, rows: Iterable[list[object]], count: int) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("过程")
    ws.freeze_panes = "B2"
    for col in range(1, COLUMNS + 1):
        ws.column_dimensions[chr(64 + col)].width = 12
    bold = Font(bold=True)
    header = []
    for k in range(COLUMNS):
        cell = WriteOnlyCell(ws, value=f"列{k}")
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in rows:
        cells: list[object] = []
        for k, value in enumerate(row):
            if isinstance(value, Decimal):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "0.00"
                if k == 10:
                    cell.font = bold
                cells.append(cell)
            else:
                cells.append(value)
        ws.append(cells)
    ws.auto_filter.ref = f"A1:M{count + 1}"
    wb.save(path)


def _xlsxwriter(path: str, rows: Iterable[list[object]], count: int) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet("过程")
    bold = wb.add_format({"bold": True})
    places = wb.add_format({"num_format": "0.00"})
    places_bold = wb.add_format({"num_format": "0.00", "bold": True})
    for k in range(COLUMNS):
        ws.write_string(0, k, f"列{k}", bold)
    for r, row in enumerate(rows, start=1):
        for k, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, Decimal):
                ws.write_number(r, k, float(value), places_bold if k == 10 else places)
            else:
                ws.write_string(r, k, str(value))
    ws.set_column(0, COLUMNS - 1, 12)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, count, COLUMNS - 1)
    wb.close()


def _child(library: str, count: int) -> None:
    rows = _rows(count)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "t.xlsx")
        t0 = time.perf_counter()
        (_openpyxl if library == "openpyxl" else _xlsxwriter)(path, rows, count)
        seconds = time.perf_counter() - t0
        print(f"{seconds} {os.path.getsize(path)}")


def main(argv: list[str] | None = None) -> int:
    """Run each library in fresh subprocesses; print medians and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.rows)
        return 0
    cells = args.rows * COLUMNS
    print(f"{args.rows} rows × {COLUMNS} columns = {cells} cells; median of {args.repeat}")
    for library in ("openpyxl", "xlsxwriter"):
        times, peaks, size = [], [], 0
        for _ in range(args.repeat):
            child = [sys.executable, __file__, "--rows", str(args.rows), "--child", library]
            _, peak, out = run_measured(child)
            seconds, size_text = out.split()
            times.append(float(seconds))
            peaks.append(peak)
            size = int(size_text)
        seconds = statistics.median(times)
        print(
            f"{library:<11} {seconds:7.2f} s  {seconds / cells * 1e6:5.2f} µs per cell"
            f"  {size / 1e6:6.1f} MB  peak {statistics.median(peaks):6.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
