"""Tests for ecoscore.io.tables: CSV, XLSX and JSON read into located text cells.

XLSX workbooks are built here with openpyxl. openpyxl writes a formula without a cached
value, which is what a program-written workbook that Excel never opened looks like; the
case of a workbook saved by Excel, with the value cached, is made by writing the value
into the sheet's XML.
"""

# The house style writes asserts as `expected == actual`, which SIM300 calls Yoda.

from __future__ import annotations

import datetime
import os
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from ecoscore.errors import DataError, Location
from ecoscore.io.tables import Cell, Table, read_table
from workbooks import patch_sheet_xml

FIXTURES = Path(__file__).parents[1] / "fixtures" / "tables"


def texts(table: Table) -> list[list[str | None]]:
    """The text of every data cell, row by row."""
    return [[cell.text for cell in row] for row in table.rows]


def names(table: Table) -> list[str | None]:
    """The column names."""
    return [cell.text for cell in table.header]


def messages(error: pytest.ExceptionInfo[DataError]) -> list[str]:
    """Every problem of a DataError as it prints."""
    return [str(problem) for problem in error.value.problems]


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], title: str = "Sheet1") -> Path:
    """Write rows into a one-sheet workbook; None leaves a cell empty."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


# --- CSV -----------------------------------------------------------------------------------


def test_gbk_csv_with_chinese_headers() -> None:
    """A GBK CSV from a Chinese Excel reads with its Chinese names and its typed text."""
    table = read_table(FIXTURES / "gbk.csv")
    assert ["单位名称", "PM2.5年均浓度(μg/m3)", "优良天数比例(%)", "备注"] == names(table)
    assert [
        ["章贡区", "31", "95.5%", None],
        ["南康区", "３３", "９４．２％", None],
        ["信丰县", None, "96.1", None],
    ] == texts(table)


def test_csv_locations_are_physical_lines() -> None:
    """A row after a blank line keeps its own line number, and columns count from 1."""
    table = read_table(FIXTURES / "gbk.csv")
    source = str(FIXTURES / "gbk.csv")
    assert Location(file=source, line=1, column=2) == table.header[1].location
    assert Location(file=source, line=5, column=3) == table.rows[2][2].location


def test_utf8_bom_csv() -> None:
    """The byte-order mark of Excel's "CSV UTF-8" is not part of the first name."""
    table = read_table(FIXTURES / "utf8-bom.csv")
    assert ["unit", "pm25", "good_days_pct"] == names(table)
    assert [["Zhanggong", "31", "95.5"], ["Nankang", "33", "94.2"]] == texts(table)


def test_bom_is_dropped_when_encoding_is_given() -> None:
    """Naming the encoding as plain utf-8 still drops the byte-order mark."""
    assert "unit" == read_table(FIXTURES / "utf8-bom.csv", encoding="utf-8").header[0].text


def test_long_form_csv_is_a_plain_table() -> None:
    """A long-form file (unit, input, value) reads as an ordinary three-column table."""
    table = read_table(FIXTURES / "long-form.csv")
    assert ["unit", "input", "value"] == names(table)
    assert ["南康区", "good_days_pct", None] == [cell.text for cell in table.rows[3]]


def test_given_encoding_is_used(tmp_path: Path) -> None:
    """An explicit encoding overrides detection."""
    path = tmp_path / "latin.csv"
    path.write_bytes("name\nCafé\n".encode("latin-1"))
    assert [["Café"]] == texts(read_table(path, encoding="latin-1"))


def test_wrong_encoding_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Text that does not decode is reported at its line, with a way out."""
    monkeypatch.chdir(tmp_path)
    Path("data.csv").write_bytes("unit\nA\n章贡区\n".encode("gbk"))
    with pytest.raises(DataError) as caught:
        read_table("data.csv", encoding="utf-8")
    assert [
        "data.csv:3: cannot be read as utf-8 text (byte 0xd5)"
        " (save it as UTF-8, or give its encoding)"
    ] == messages(caught)


def test_undetectable_encoding(tmp_path: Path) -> None:
    """Bytes that are neither UTF-8 nor GB18030 name both, at the first bad line."""
    path = tmp_path / "data.csv"
    path.write_bytes(b"unit\nA\n\xff\xfe\n")
    with pytest.raises(DataError) as caught:
        read_table(path)
    assert [
        f"{path}:3: cannot be read as UTF-8 or GB18030 (GBK) text (byte 0xff)"
        " (save it as UTF-8, or give its encoding)"
    ] == messages(caught)


def test_unknown_encoding(tmp_path: Path) -> None:
    """An encoding Python does not know is a DataError, not a LookupError."""
    path = tmp_path / "data.csv"
    path.write_text("unit\nA\n")
    with pytest.raises(DataError, match="unknown text encoding 'klingon'"):
        read_table(path, encoding="klingon")


def test_quoted_newlines_keep_line_numbers(tmp_path: Path) -> None:
    """A row after a cell that spans lines is located at the line where it starts."""
    path = tmp_path / "data.csv"
    path.write_bytes(b'unit,note,pm25\r\n\r\nA,"two\r\nlines",31\r\nB,x,32\r\n')
    table = read_table(path)
    assert [["A", "two\r\nlines", "31"], ["B", "x", "32"]] == texts(table)
    assert [3, 5] == [row[0].location.line for row in table.rows]


def test_blank_cells_and_short_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Spaces-only cells are missing; a short row is an error at its line (it was padded
    with empty cells, which a missing-data policy would have scored)."""
    monkeypatch.chdir(tmp_path)
    path = Path("data.csv")
    path.write_text("unit,pm25,o3\n A ,\u3000,\nB,,\n", encoding="utf-8")
    table = read_table(path)
    assert [["A", None, None], ["B", None, None]] == texts(table)
    assert Location(file=str(path), line=3, column=3) == table.rows[1][2].location
    path.write_text("unit,pm25,o3\n A ,\u3000,\nB\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table(path)
    assert [
        "data.csv:3: line 3 has 1 cell, the header has 3"
        " (every row has a cell per column; leave a missing figure's cell empty)"
    ] == messages(caught)


def test_header_is_first_non_blank_row(tmp_path: Path) -> None:
    """Blank lines and blank-only rows before the header are skipped."""
    path = tmp_path / "data.csv"
    path.write_text("\n , \nunit,pm25\nA,31\n", encoding="utf-8")
    table = read_table(path)
    assert ["unit", "pm25"] == names(table)
    assert 3 == table.header[0].location.line


def test_nameless_empty_columns_are_dropped(tmp_path: Path) -> None:
    """Spacer columns and trailing commas with no name and no values leave no column."""
    path = tmp_path / "data.csv"
    path.write_text("unit,,pm25,,\nA,,31,,\n", encoding="utf-8")
    table = read_table(path)
    assert ["unit", "pm25"] == names(table)
    assert [["A", "31"]] == texts(table)
    assert 3 == table.rows[0][1].location.column


def test_value_under_no_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A value in a column with no name is a located problem; a value beyond the header
    makes a long row, reported at its line (it was "a value in a column with no name")."""
    monkeypatch.chdir(tmp_path)
    Path("data.csv").write_text("unit,,pm25\nA,x,31\nB,,32,extra\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table("data.csv")
    assert [
        "data.csv:3: line 3 has 4 cells, the header has 3"
        " (a cell holding a comma goes in double quotes)",
        "data.csv:2:2: a value in a column with no name in the header"
        " (name the column at column 2, or delete the value)",
    ] == messages(caught)


def test_duplicate_header_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A column name twice (after stripping) is reported at the second one."""
    monkeypatch.chdir(tmp_path)
    Path("data.csv").write_text("unit,pm25, pm25 \nA,1,2\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table("data.csv")
    assert ["data.csv:1:3: column 'pm25' is in the header twice (also at column 2)"] == messages(
        caught
    )


def test_excel_error_in_csv_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An Excel error that "Save as CSV" wrote as text is a problem at its line and column."""
    monkeypatch.chdir(tmp_path)
    lines = ["unit,pm25,o3,rate"] + [f"U{n},30,150,95" for n in range(2, 7)] + ["U7,30,150,#DIV/0!"]
    Path("data.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table("data.csv")
    assert [
        "data.csv:7:4: Excel error value #DIV/0! in a cell"
        " (fix the formula, or leave the cell empty if the figure is missing)"
    ] == messages(caught)


def test_unclosed_quote_is_an_error(tmp_path: Path) -> None:
    """An unclosed quote is reported instead of swallowing the rest of the file."""
    path = tmp_path / "data.csv"
    path.write_text('unit,pm25\nA,"31\nB,32\n', encoding="utf-8")
    with pytest.raises(DataError, match="not valid CSV"):
        read_table(path)


def test_empty_csv(tmp_path: Path) -> None:
    """A file with no header row is a DataError."""
    path = tmp_path / "data.csv"
    path.write_text("\n\n , \n", encoding="utf-8")
    with pytest.raises(DataError, match="the file is empty"):
        read_table(path)


def test_header_only_csv_has_no_rows(tmp_path: Path) -> None:
    """A header with nothing under it is a table with no rows."""
    path = tmp_path / "data.csv"
    path.write_text("unit,pm25\n", encoding="utf-8")
    assert () == read_table(path).rows


def test_workbook_named_csv(tmp_path: Path) -> None:
    """An .xlsx workbook saved under a .csv name is recognised, not decoded as garbage."""
    path = write_xlsx(tmp_path / "data.xlsx", [["unit"], ["A"]])
    path = path.rename(tmp_path / "data.csv")
    with pytest.raises(DataError, match=r"give an \.xlsx workbook an \.xlsx name"):
        read_table(path)


# --- XLSX ----------------------------------------------------------------------------------


def test_xlsx_values_as_text(tmp_path: Path) -> None:
    """Numbers read as the shortest exact text, integral ones without .0, never exponents."""
    when = datetime.datetime(2024, 12, 31, 8, 30)
    path = write_xlsx(
        tmp_path / "data.xlsx",
        [
            ["unit", "a", "b", "c", "d", "e", "f", "g"],
            ["章贡区", 95, 95.0, 0.1, 1e-05, 1e16, True, when],
            ["南康区", -3, 0.1 + 0.7, 33.5, " 12 ", "—", False, None],
        ],
    )
    table = read_table(path)
    assert [
        [
            "章贡区",
            "95",
            "95",
            "0.1",
            "0.00001",
            "10000000000000000",
            "true",
            "2024-12-31T08:30:00",
        ],
        ["南康区", "-3", "0.7999999999999999", "33.5", "12", None, "false", None],
    ] == texts(table)


def test_xlsx_locations(tmp_path: Path) -> None:
    """Cells are located by sheet and cell name, the header being the first non-empty row."""
    path = write_xlsx(
        tmp_path / "data.xlsx", [[], [], [None, "unit", "pm25"], [None, "A", 31]], title="2024年"
    )
    table = read_table(path)
    assert ["unit", "pm25"] == names(table)
    assert Location(file=str(path), sheet="2024年", cell="C4") == table.rows[0][1].location
    assert f"{path}:2024年!C4" == str(table.rows[0][1].location)


def test_xlsx_error_value_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An Excel error value is a problem printed with its sheet and cell."""
    monkeypatch.chdir(tmp_path)
    rows: list[list[object]] = [["unit", "pm25", "o3", "rate"]]
    rows += [[f"U{n}", 30, 150, 95] for n in range(2, 7)]
    rows.append(["U7", 30, 150, "#DIV/0!"])
    write_xlsx(tmp_path / "data.xlsx", rows)
    with zipfile.ZipFile("data.xlsx") as archive:
        assert (
            '<c r="D7" t="e"><v>#DIV/0!</v></c>'
            in archive.read("xl/worksheets/sheet1.xml").decode()
        )
    with pytest.raises(DataError) as caught:
        read_table("data.xlsx")
    assert [
        "data.xlsx:Sheet1!D7: Excel error value #DIV/0! in a cell"
        " (fix the formula, or leave the cell empty if the figure is missing)"
    ] == messages(caught)


def test_every_problem_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All problems of a file come in one DataError, in reading order then header checks."""
    monkeypatch.chdir(tmp_path)
    write_xlsx(
        tmp_path / "data.xlsx",
        [["unit", "pm25", "pm25"], ["A", "#N/A", 1], ["B", 2, "#REF!"]],
    )
    with pytest.raises(DataError) as caught:
        read_table("data.xlsx")
    assert [
        "data.xlsx:Sheet1!B2: Excel error value #N/A in a cell",
        "data.xlsx:Sheet1!C3: Excel error value #REF! in a cell",
        "data.xlsx:Sheet1!C1: column 'pm25' is in the header twice (also at B1)",
    ] == [str(problem).split(" (fix")[0] for problem in caught.value.problems]


def test_error_text_in_a_string_cell(tmp_path: Path) -> None:
    """An error code that another program stored as text is still an error, not text."""
    path = write_xlsx(tmp_path / "data.xlsx", [["unit", "pm25"], ["A", "x"]])
    patch_sheet_xml(
        path,
        '<c r="B2" t="inlineStr"><is><t>x</t></is></c>',
        '<c r="B2" t="str"><v>#VALUE!</v></c>',
    )
    with pytest.raises(DataError, match="B2: Excel error value #VALUE!"):
        read_table(path)


def test_formula_without_cached_value_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A formula never calculated by Excel is an error at its cell that says so (it read as
    an empty cell, then as a missing figure)."""
    monkeypatch.chdir(tmp_path)
    write_xlsx(Path("data.xlsx"), [["unit", "a", "b"], ["A", 95, "=B2*2"]])
    with pytest.raises(DataError) as caught:
        read_table("data.xlsx")
    assert [
        "data.xlsx:Sheet1!C2: this cell is a formula (=B2*2) that was never calculated"
        " (公式未计算) (open the workbook in Excel or WPS and save it, so that its formulas"
        " have values)"
    ] == messages(caught)


def test_formula_reads_cached_value(tmp_path: Path) -> None:
    """A formula Excel calculated reads as the value it cached, not as the formula."""
    path = write_xlsx(tmp_path / "data.xlsx", [["unit", "a", "b"], ["A", 95, "=B2*2"]])
    patch_sheet_xml(path, "<f>B2*2</f><v />", "<f>B2*2</f><v>190</v>")
    assert [["A", "95", "190"]] == texts(read_table(path))


def test_wrong_dimension_is_ignored(tmp_path: Path) -> None:
    """Cells outside a wrong <dimension> element are still read."""
    path = write_xlsx(tmp_path / "data.xlsx", [["unit", "pm25"], ["A", 31], ["B", 32]])
    patch_sheet_xml(path, '<dimension ref="A1:B3" />', '<dimension ref="A1" />')
    assert [["A", "31"], ["B", "32"]] == texts(read_table(path))


def test_sheet_by_name(tmp_path: Path) -> None:
    """A sheet named by the caller is read instead of the first."""
    path = tmp_path / "data.xlsx"
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.append(["unit"])
    second = workbook.create_sheet("2023年")
    second.append(["unit", "pm25"])
    second.append(["A", 35])
    workbook.save(path)
    assert ["unit"] == names(read_table(path))
    assert [["A", "35"]] == texts(read_table(path, sheet="2023年"))


def test_unknown_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unknown sheet name lists the sheets and suggests the nearest."""
    monkeypatch.chdir(tmp_path)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "2024年"
    workbook.create_sheet("说明")
    workbook.save("data.xlsx")
    with pytest.raises(DataError) as caught:
        read_table("data.xlsx", sheet="2024")
    assert [
        "data.xlsx: no sheet named '2024'; the sheets are '2024年', '说明' (did you mean '2024年'?)"
    ] == messages(caught)


def test_chart_sheet_is_not_a_table(tmp_path: Path) -> None:
    """Naming a chart sheet is a DataError."""
    path = tmp_path / "data.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([1])
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=1, min_row=1))
    workbook.create_chartsheet("chart").add_chart(chart)
    workbook.save(path)
    with pytest.raises(DataError, match="'chart' is a chart, not a worksheet"):
        read_table(path, sheet="chart")


def test_corrupt_workbook(tmp_path: Path) -> None:
    """A file with an .xlsx name that is not a workbook is a DataError."""
    path = tmp_path / "data.xlsx"
    path.write_text("unit,pm25\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"not a readable \.xlsx workbook"):
        read_table(path)


def test_input_file_is_untouched(tmp_path: Path) -> None:
    """Reading leaves the file's bytes and modification time as they were."""
    path = write_xlsx(tmp_path / "data.xlsx", [["unit", "pm25"], ["A", "#N/A"]])
    before = (path.read_bytes(), os.stat(path).st_mtime_ns)
    with pytest.raises(DataError):
        read_table(path)
    assert before == (path.read_bytes(), os.stat(path).st_mtime_ns)


# --- JSON ----------------------------------------------------------------------------------


def test_json_units_object() -> None:
    """The units form reads with every key as a column and numbers as written."""
    table = read_table(FIXTURES / "units.json")
    assert ["unit", "pm25", "rate", "key_region", "PM2.5 (24h)"] == names(table)
    assert [
        ["章贡区", "31", "0.1", "true", None],
        ["南康区", "33.50", None, None, None],
        ["信丰县", None, "1e-7", None, None],
    ] == texts(table)


def test_json_locations_are_key_paths() -> None:
    """JSON cells, present or not, are located by key path."""
    table = read_table(FIXTURES / "units.json")
    assert "units[1].rate" == table.rows[1][2].location.key
    assert 'units[1]["PM2.5 (24h)"]' == table.rows[1][4].location.key


def test_json_list(tmp_path: Path) -> None:
    """A plain list of objects is read, located as [i].column."""
    path = tmp_path / "data.json"
    path.write_text('[{"unit": "A", "pm25": 0.1}, {"pm25": -2E3, "unit": " B "}]')
    table = read_table(path)
    assert ["unit", "pm25"] == names(table)
    assert [["A", "0.1"], ["B", "-2E3"]] == texts(table)
    assert Cell("0.1", Location(file=str(path), key="[0].pm25")) == table.rows[0][1]


def test_json_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every JSON problem is collected and located by its key path."""
    monkeypatch.chdir(tmp_path)
    Path("data.json").write_text(
        '{"units": [{"unit": "A", "pm25": NaN, "o3": [1]}, 3, {"unit": "B", "unit": "C"}],'
        ' "year": 2024}'
    )
    with pytest.raises(DataError) as caught:
        read_table("data.json")
    assert [
        "data.json: year: unknown key 'year' (\"units\" only)",
        "data.json: units[0].pm25: NaN is not a number JSON allows (write null if missing)",
        "data.json: units[0].o3: a cell must be text, a number or null, not a list",
        "data.json: units[1]: a row must be an object of column: value",
        "data.json: units[2].unit: column 'unit' is in this row twice",
    ] == messages(caught)


def test_invalid_json_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Malformed JSON is reported at its line and column."""
    monkeypatch.chdir(tmp_path)
    Path("data.json").write_text('[\n  {"unit": "A",}\n]')
    with pytest.raises(DataError) as caught:
        read_table("data.json")
    assert [
        "data.json:2:16: not valid JSON: Expecting property name enclosed in double quotes"
    ] == (messages(caught))


@pytest.mark.parametrize("content", ['{"rows": []}', '"text"', '{"units": {}}'])
def test_json_of_the_wrong_shape(tmp_path: Path, content: str) -> None:
    """JSON that is neither a list of rows nor an object with units is a DataError."""
    path = tmp_path / "data.json"
    path.write_text(content)
    with pytest.raises(DataError, match="must be a list of rows"):
        read_table(path)


def test_json_without_rows(tmp_path: Path) -> None:
    """An empty list of units is a DataError."""
    path = tmp_path / "data.json"
    path.write_text('{"units": []}')
    with pytest.raises(DataError, match="there are no rows"):
        read_table(path)


# --- files ---------------------------------------------------------------------------------


def test_unsupported_file_type(tmp_path: Path) -> None:
    """An unknown extension names the kinds that can be read."""
    with pytest.raises(DataError) as caught:
        read_table(tmp_path / "data.ods")
    assert caught.value.problems[0].message == (
        "unsupported file type .ods; use .csv, .xlsx or .json"
    )


def test_old_excel_file(tmp_path: Path) -> None:
    """An .xls workbook is refused with the advice to save it as .xlsx."""
    with pytest.raises(DataError, match=r"save it as \.xlsx"):
        read_table(tmp_path / "data.XLS")


def test_missing_file(tmp_path: Path) -> None:
    """A file that does not exist is a DataError naming the path."""
    path = tmp_path / "nowhere.csv"
    with pytest.raises(DataError) as caught:
        read_table(path)
    assert [f"{path}: no such file"] == messages(caught)


def test_directory(tmp_path: Path) -> None:
    """A directory is not a table."""
    path = tmp_path / "data.csv"
    path.mkdir()
    with pytest.raises(DataError, match="is a directory"):
        read_table(path)


def test_source_is_the_name_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The table's source is the path as the caller wrote it."""
    monkeypatch.chdir(tmp_path)
    Path("data.csv").write_text("unit\nA\n", encoding="utf-8")
    assert "./data.csv" == read_table("./data.csv").source
