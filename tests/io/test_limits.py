"""The bounds on data files: size, a workbook's uncompressed parts, rows and cells; and the
shapes of CSV that used to read as something else (delimiters, ragged rows, UTF-16, no rows)."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import attrs
import pytest

from ecoscore import DataError
from ecoscore.io.submissions import read_submissions
from ecoscore.io.tables import read_table
from ecoscore.language.loader import loads
from ecoscore.limits import Limits
from workbooks import write_bomb

CRITERIA = """
ecoscore = 1
id = "t"
title = "t"
[inputs]
x = { zh = "x" }
[indicator.x]
points = 10
target = { at_least = 1 }
"""


def messages(error: pytest.ExceptionInfo[DataError]) -> list[str]:
    """Every problem of a DataError as it prints."""
    return [str(problem) for problem in error.value.problems]


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in its own folder, so locations print as short names."""
    monkeypatch.chdir(tmp_path)


def test_a_zip_bomb_is_refused_from_its_zip_directory() -> None:
    """Two million rows in a 400 KB workbook: refused by the uncompressed size, at once."""
    write_bomb(Path("bomb.xlsx"), 2_000_000)
    start = time.perf_counter()
    with pytest.raises(DataError) as caught:
        read_table("bomb.xlsx")
    assert time.perf_counter() - start < 5
    assert [
        "bomb.xlsx: the workbook holds 122.1 MiB once uncompressed (xl/worksheets/sheet1.xml:"
        " 122.1 MiB), more than the limit of 50 MiB"
        " (see docs/limits.md: Limits(workbook_bytes=…) raises it)"
    ] == messages(caught)


def test_a_sheet_declaring_too_many_rows_is_refused() -> None:
    """A sheet whose <dimension> declares more rows than the limit is refused at its corner."""
    write_bomb(Path("bomb.xlsx"), 2_000)
    with pytest.raises(DataError) as caught:
        read_table("bomb.xlsx", limits=attrs.evolve(Limits(), rows=1_000))
    assert [
        "bomb.xlsx:Sheet: the sheet declares 2,000 rows × 2 columns (to B2000), more than"
        " the limit of 1,000 rows or 2,500,000 cells"
        " (see docs/limits.md: Limits(rows=…, cells=…) raises them)"
    ] == messages(caught)


def test_a_sheet_holding_too_many_rows_is_refused_before_openpyxl_parses_it() -> None:
    """With no <dimension>, the rows are counted in the XML, fast, and refused at the limit."""
    write_bomb(Path("bomb.xlsx"), 400_000, dimension=False)
    start = time.perf_counter()
    with pytest.raises(DataError) as caught:
        read_table("bomb.xlsx")
    assert time.perf_counter() - start < 5
    assert [
        "bomb.xlsx:Sheet: more than 100,000 rows, the limit"
        " (see docs/limits.md: Limits(rows=…) raises it)"
    ] == messages(caught)


def test_cells_are_bounded_too() -> None:
    """A sheet within the row limit but past the cell limit is refused."""
    write_bomb(Path("bomb.xlsx"), 3_000, dimension=False)
    with pytest.raises(DataError, match="more than 5,000 cells, the limit"):
        read_table("bomb.xlsx", limits=attrs.evolve(Limits(), cells=5_000))


def test_a_sheet_under_the_limits_reads() -> None:
    """The same workbook, within raised limits, reads every row."""
    write_bomb(Path("rows.xlsx"), 3_000, dimension=False)
    table = read_table("rows.xlsx", limits=attrs.evolve(Limits(), cells=10_000))
    assert 2_999 == len(table.rows)  # the first row is the header


def test_a_data_file_past_the_size_limit_is_refused() -> None:
    """A file larger than ``table_bytes`` is refused before it is read."""
    Path("big.csv").write_text("unit,x\n" + "A,1\n" * 1000, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table("big.csv", limits=attrs.evolve(Limits(), table_bytes=1000))
    assert [
        "big.csv: the file is 4,007 bytes, more than the limit of 1,000 bytes"
        " (see docs/limits.md: Limits(table_bytes=…) raises it)"
    ] == messages(caught)


def test_csv_rows_are_bounded() -> None:
    """A CSV past the row limit is refused at the line where it passes it."""
    Path("rows.csv").write_text("unit,x\n" + "A,1\n" * 20, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table("rows.csv", limits=attrs.evolve(Limits(), rows=10))
    assert [
        "rows.csv:11: more than 10 rows, the limit (see docs/limits.md: Limits(rows=…) raises it)"
    ] == messages(caught)


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_another_delimiter_is_detected(delimiter: str) -> None:
    """A CSV split by semicolons, tabs or bars reads as if split by commas."""
    Path("data.csv").write_text(
        delimiter.join(["unit", "x"]) + "\n" + delimiter.join(["A", "1,5"]) + "\n",
        encoding="utf-8",
    )
    table = read_table("data.csv")
    assert ["unit", "x"] == [cell.text for cell in table.header]
    assert [["A", "1,5"]] == [[cell.text for cell in row] for row in table.rows]


def test_a_one_cell_header_with_a_delimiter_is_named() -> None:
    """When detection cannot split the header, the "no unit column" error names the
    delimiter it holds."""
    Path("data.csv").write_text("单位;x\n", encoding="utf-8")
    criteria = loads(CRITERIA)
    table = read_table("data.csv", limits=Limits())
    table = attrs.evolve(table, header=(attrs.evolve(table.header[0], text="单位;x"),))
    with pytest.raises(DataError) as caught:
        read_submissions(table, criteria)
    assert "the file seems split by semicolons, not commas" in messages(caught)[0]


def test_a_header_without_rows_lists_no_units() -> None:
    """A CSV with a header and no rows is an error (it scored as an empty result)."""
    Path("data.csv").write_text("unit,x\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_submissions("data.csv", loads(CRITERIA))
    assert [
        "data.csv:1: the file has a header and no rows under it: no unit to score (没有数据行)"
    ] == messages(caught)


def test_a_short_row_is_not_scored_under_a_missing_policy() -> None:
    """Under a missing-data policy, a short row is still an error at its line."""
    criteria = loads(CRITERIA.replace("points = 10", 'points = 10\nmissing = "zero"'))
    Path("data.csv").write_text("unit,x,y\nA,1,2\nB\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_submissions("data.csv", criteria)
    assert ["data.csv:3: line 3 has 1 cell, the header has 3"] == [
        m.split(" (")[0] for m in messages(caught)
    ]


def test_utf16_csv_is_read() -> None:
    """A UTF-16 CSV with a BOM (Excel's Unicode text) reads, tabs and all."""
    Path("data.csv").write_bytes("unit\tx\n章贡区\t1\n".encode("utf-16"))
    table = read_table("data.csv")
    assert [["章贡区", "1"]] == [[cell.text for cell in row] for row in table.rows]


def test_deeply_nested_json_is_a_located_error() -> None:
    """JSON nested 100,000 deep is an error, not a RecursionError."""
    Path("data.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table("data.json")
    assert [
        "data.json: arrays or objects nested too deeply: a table is a list of rows, each an object"
    ] == messages(caught)


def test_score_on_a_zip_bomb_ends_fast_and_small(tmp_path: Path) -> None:
    """`ecoscore score` on a zip bomb ends in < 30 s and < 1 GB with a located error."""
    write_bomb(tmp_path / "bomb.xlsx", 2_000_000)
    (tmp_path / "c.toml").write_text(CRITERIA, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "ecoscore", "score", "c.toml", "bomb.xlsx", "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    elapsed = time.perf_counter() - start
    peak_kb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    assert 1 == done.returncode
    assert done.stderr.startswith("bomb.xlsx: the workbook holds 122.1 MiB once uncompressed")
    assert "Traceback" not in done.stderr
    assert elapsed < 30
    assert peak_kb < 1_000_000


def test_a_device_named_csv_is_read_only_up_to_the_limit() -> None:
    """/dev/zero behind a .csv name is refused after reading one byte past the limit."""
    Path("zero.csv").symlink_to("/dev/zero")
    with pytest.raises(DataError, match="more than the limit of 1,000 bytes"):
        read_table("zero.csv", limits=attrs.evolve(Limits(), table_bytes=1000))


def test_a_password_protected_workbook_is_named() -> None:
    """An encrypted .xlsx (a compound file, not a zip) gets advice, not "not a zip file"."""
    Path("locked.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(DataError) as caught:
        read_table("locked.xlsx")
    assert [
        "locked.xlsx: a password-protected workbook, or an old .xls under an .xlsx name:"
        " it cannot be read (open it in Excel or WPS and save it as .xlsx, without a password)"
    ] == messages(caught)
