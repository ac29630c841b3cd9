"""Tests for reading sub-unit tables from files (ecoscore.io.subunit_tables) and the
command's --table option: columns by id or label, units by label, every problem at its
cell, and workbook sheets named after a table."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import ecoscore
from ecoscore import DataError
from ecoscore.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE, main
from ecoscore.io.subunit_tables import read_subunit_table, sheet_for, workbook_sheets

CRITERIA = """\
ecoscore = 1
id = "tables"
title = { zh = "断面", en = "Sections" }

[units."南康区"]
en = "Nankang"
[units."信丰县"]
en = "Xinfeng"

[subunits.sections]
zh = "断面"
en = "sections"
key = { id = "section", zh = "断面名称" }
period = "year"

[subunits.sections.inputs]
water_class = { zh = "水质类别", type = "class", values = ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"] }
cod = { zh = "化学需氧量", unit = "mg/L", min = 0 }

[rollup.good_share]
from = "sections"
aggregate = "share"
when = "water_class in ('Ⅰ', 'Ⅱ', 'Ⅲ')"
round = "2 half-up"

[rollup.cod]
from = "sections"
aggregate = "mean"
value = "cod"

[indicator.good_share]
missing = "exclude"
"""


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A criteria file, a data file, and a sections file named by labels."""
    (tmp_path / "c.toml").write_text(CRITERIA, "utf-8")
    (tmp_path / "data.csv").write_text("单位\n南康区\n信丰县\n", "utf-8")
    (tmp_path / "sections.csv").write_text(
        "年度,县(市、区),断面名称,水质类别,化学需氧量 (mg/L)\n"
        "2024,南康区,NK01,Ⅱ,12\n"
        "2024,Nankang,NK02,Ⅳ,１８\n"
        "2024,信丰县,XF01,Ⅲ,\n",
        "utf-8",
    )
    return tmp_path


def test_columns_and_units_are_matched_by_label(files: Path) -> None:
    """The key by its label, the unit column by its usual name and units by label, the
    figures as typed (full-width digits included)."""
    criteria = ecoscore.load(files / "c.toml")
    rows = read_subunit_table(files / "sections.csv", criteria, "sections")
    assert [("NK01", "南康区"), ("NK02", "南康区"), ("XF01", "信丰县")] == [
        (r.key, r.unit) for r in rows
    ]
    assert {"water_class": "Ⅳ", "cod": Decimal(18)} == dict(rows[1].values)
    assert str(rows[1].locations["water_class"]).endswith("sections.csv:3:4")


def test_every_problem_of_a_file_is_at_its_cell(files: Path) -> None:
    """A missing column, an unknown unit and a figure that is not a number, at once."""
    (files / "bad.csv").write_text(
        "年度,单位,断面名称,化学需氧量\n2024,南康县,NK01,12\n2024,南康区,NK02,abc\n", "utf-8"
    )
    criteria = ecoscore.load(files / "c.toml")
    with pytest.raises(DataError) as caught:
        read_subunit_table(files / "bad.csv", criteria, "sections")
    message = str(caught.value)
    assert "sections: no column for 'water_class'" in message
    assert "bad.csv:2:2: unknown unit '南康县'" in message
    assert "bad.csv:3:4: NK02: cod: " in message


def test_a_class_not_declared_is_reported_at_its_cell(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The engine's check of a figure keeps the cell the reader found it in."""
    text = (files / "sections.csv").read_text("utf-8").replace("Ⅳ", "IV")
    (files / "sections.csv").write_text(text, "utf-8")
    argv = ["score", str(files / "c.toml"), str(files / "data.csv")]
    assert EXIT_INPUT == main([*argv, "--table", f"sections={files / 'sections.csv'}"])
    assert "sections.csv:3:4: NK02: water_class: 'IV' is not one of" in capsys.readouterr().err


def test_the_command_reads_tables_from_files_and_from_sheets(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--table NAME=FILE, or a sheet named after the table in the data workbook."""
    argv = ["explain", str(files / "c.toml"), str(files / "data.csv"), "南康区", "--lang", "en"]
    assert EXIT_OK == main([*argv, "--table", f"sections={files / 'sections.csv'}"])
    assert "share 1 / 2 = 50.00; counted: NK01; not counted: NK02" in capsys.readouterr().out
    book = openpyxl.Workbook()
    form = book.active
    assert form is not None
    for row in (["单位"], ["南康区"], ["信丰县"]):
        form.append(row)
    sheet = book.create_sheet("断面")
    for line in (files / "sections.csv").read_text("utf-8").splitlines():
        sheet.append(line.split(","))
    book.save(files / "data.xlsx")
    assert ("Sheet", "断面") == workbook_sheets(files / "data.xlsx")
    criteria = ecoscore.load(files / "c.toml")
    assert "断面" == sheet_for(criteria.subunits["sections"], workbook_sheets(files / "data.xlsx"))
    argv[2] = str(files / "data.xlsx")
    assert EXIT_OK == main(argv)
    assert "share 1 / 2 = 50.00" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("sections", "write --table NAME=FILE"),
        ("sectons=x.csv", "--table sectons: the criteria declare no such table (sections)"),
    ],
)
def test_a_wrong_table_option_is_bad_usage(
    files: Path, capsys: pytest.CaptureFixture[str], option: str, message: str
) -> None:
    """A malformed --table, or one naming no declared table, exits 2 with a message."""
    argv = ["score", str(files / "c.toml"), str(files / "data.csv"), "--table", option]
    assert EXIT_USAGE == main(argv)
    assert message in capsys.readouterr().err


def test_a_declared_table_with_no_rows_is_an_input_error(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --table or a sheet, the command says how to give the rows."""
    assert EXIT_INPUT == main(["score", str(files / "c.toml"), str(files / "data.csv")])
    assert "give --table sections=FILE" in capsys.readouterr().err


def test_an_output_never_overwrites_a_table(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o naming a table file is refused before anything is read."""
    table = str(files / "sections.csv")
    argv = ["score", str(files / "c.toml"), str(files / "data.csv"), "--table"]
    assert EXIT_USAGE == main([*argv, f"sections={table}", "-o", table])
    assert "sections.csv" in capsys.readouterr().err


def test_a_file_that_is_not_a_workbook_has_no_sheets(files: Path) -> None:
    """workbook_sheets is empty for a CSV file and for a damaged workbook."""
    assert () == workbook_sheets(files / "sections.csv")
    (files / "broken.xlsx").write_bytes(b"not a zip")
    assert () == workbook_sheets(files / "broken.xlsx")


def test_a_table_may_name_its_file_in_the_criteria(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """file = "…" in [subunits.<id>], relative to the criteria, when no --table is given."""
    text = CRITERIA.replace('period = "year"', 'period = "year"\nfile = "sections.csv"')
    (files / "c.toml").write_text(text, "utf-8")
    argv = ["explain", str(files / "c.toml"), str(files / "data.csv"), "南康区", "--lang", "en"]
    assert EXIT_OK == main(argv)
    assert "share 1 / 2 = 50.00" in capsys.readouterr().out


def test_keep_going_leaves_a_unit_out_with_its_subunits(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --keep-going, a unit whose row cannot be scored is left out, and its sections
    with it: the others are rolled up and scored."""
    (files / "data.csv").write_text("单位,bad\n南康区,1\n信丰县,2\n", "utf-8")
    text = CRITERIA + "\n[inputs]\nbad = { max = 1 }\n[indicator.bad]\n"
    (files / "c.toml").write_text(text, "utf-8")
    argv = ["score", str(files / "c.toml"), str(files / "data.csv"), "--keep-going"]
    assert 4 == main([*argv, "--table", f"sections={files / 'sections.csv'}"])
    captured = capsys.readouterr()
    assert "南康区" in captured.out
    assert "信丰县: bad: 2 is above the maximum" in captured.err
