"""The fuzz suite: damaged criteria files and spreadsheets never end in a traceback.

Valid files (the shipped criteria and their examples) are damaged by the strategies of
``tests/strategies.py`` — lines deleted, duplicated, retyped, truncated, nested, Unicode
inserted, other encodings; cells, rows, headers, delimiters and encodings of the
spreadsheets — and run through the ``ecoscore`` command. Every case ends in success or in
located problems with a non-zero exit; never another exception, never more than 5 s, and
the process never grows past 500 MB above where it started.

It runs fast by default (and deterministically under ``CI=true``, the hypothesis "ci"
profile, which this module leaves alone). For a long run by hand::

    HYPOTHESIS_PROFILE=fuzz-long python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import resource
import tempfile
from datetime import timedelta
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecoscore.cli import main
from strategies import csv_bytes, damaged_criteria, damaged_rows

ROOT = Path(__file__).resolve().parent.parent
CRITERIA = {
    path.stem: path.read_text(encoding="utf-8") for path in (ROOT / "criteria").glob("*.toml")
}
#: Criteria and an example each scores, small enough to run many times.
SHEETS = {
    "cn-city-air-composite-index": "cn-city-air-composite-index/jiangxi-cities.csv",
    "gb3838-water-class": "gb3838-water-class/sections.csv",
    "epi-style-composite": "epi-style-composite/regions.csv",
    "us-epa-aqi-2024": "us-epa-aqi-2024/sites.csv",
    "cn-aqi-hourly-hj633-2012": "cn-aqi-hourly/station-hours-with-gaps.csv",
}

settings.register_profile("fuzz-long", max_examples=2_000)
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz-long"
if LONG:
    settings.load_profile("fuzz-long")

_FUZZ = settings(
    max_examples=2_000 if LONG else 25,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_START_KB = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
_SUMMARY = re.compile(r"^ecoscore: ")


def run(argv: list[str]) -> tuple[int, str]:
    """The exit code and error output of the ecoscore command; any exception escapes."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(argv)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - _START_KB < 500_000
    return code, err.getvalue()


def assert_located(code: int, err: str, files: list[str], *, lines: bool = False) -> None:
    """A failure exits non-zero and every problem it prints begins with one of the files
    (``lines``: with a line number too, as every problem of a criteria file has)."""
    if code == 0:
        return
    assert code in (1, 4), (code, err)
    printed = [line for line in err.splitlines() if line and not _SUMMARY.match(line)]
    problems = [line.strip() for line in printed if not line.startswith("    ")]
    assert problems or code == 4, err
    for problem in problems:
        assert any(problem.startswith(f"{name}:") for name in files), problem
        if lines:
            assert any(re.match(rf"{re.escape(name)}:\d+", problem) for name in files), problem


def _rows(example: str) -> list[list[str]]:
    import csv

    with (ROOT / "examples" / example).open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


@_FUZZ
@given(st.sampled_from(sorted(CRITERIA)), st.data())
def test_damaged_criteria_check_or_fail_located(name: str, data: st.DataObject) -> None:
    """`ecoscore check` on a damaged criteria file succeeds or reports located problems."""
    damaged = data.draw(damaged_criteria(CRITERIA[name]))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.toml"
        path.write_bytes(damaged)
        code, err = run(["check", str(path), "--lang", "en"])
        assert_located(code, err, [str(path)], lines=True)


@_FUZZ
@given(st.sampled_from(sorted(SHEETS)), st.data(), st.booleans())
def test_damaged_csv_scores_or_fails_located(
    name: str, data: st.DataObject, keep_going: bool
) -> None:
    """`ecoscore score` on a damaged CSV succeeds, leaves rows out (--keep-going), or
    reports located problems."""
    rows = data.draw(damaged_rows(_rows(SHEETS[name])))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.csv"
        path.write_bytes(data.draw(csv_bytes(rows)))
        criteria = str(ROOT / "criteria" / f"{name}.toml")
        argv = ["score", criteria, str(path), "--lang", "en"]
        code, err = run([*argv, "--keep-going"] if keep_going else argv)
        assert_located(code, err, [str(path), criteria])


@settings(_FUZZ, max_examples=400 if LONG else 8)
@given(st.sampled_from(sorted(SHEETS)), st.data())
def test_damaged_xlsx_scores_or_fails_located(name: str, data: st.DataObject) -> None:
    """The same on a workbook (formulas never calculated included: cells "=…")."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    rows = data.draw(damaged_rows(_rows(SHEETS[name])))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.xlsx"
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        for row in rows:
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
        workbook.save(path)
        criteria = str(ROOT / "criteria" / f"{name}.toml")
        code, err = run(["score", criteria, str(path), "--lang", "en"])
        assert_located(code, err, [str(path), criteria])
