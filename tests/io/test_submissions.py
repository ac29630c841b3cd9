"""Tests for ecoscore.io.submissions and ecoscore.io.columns: tables of cells read into
each unit's submission, columns and units matched by name, problems located at cells."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import ecoscore
from ecoscore.engine import submission
from ecoscore.engine.submission import Submission
from ecoscore.errors import DataError, Location
from ecoscore.io.columns import (
    ColumnIndex,
    column_headers,
    normalise,
    tolerates_missing,
    unit_column,
)
from ecoscore.io.submissions import read_periods, read_submissions
from ecoscore.io.tables import read_table
from ecoscore.model import Criteria
from workbooks import patch_sheet_xml

FIXTURES = Path(__file__).parents[1] / "fixtures" / "cli"
DEMO = FIXTURES / "demo.toml"

SMALL = """
ecoscore = 1
id = "small"
title = { zh = "小", en = "Small" }
[inputs]
pm25 = { zh = "PM2.5年均浓度", en = "PM2.5 annual mean", unit = "µg/m³", min = 0 }
good = { zh = "优良天数比例", en = "Good-air day rate", unit = "%", min = 0, max = 100 }
note = { zh = "说明文字", type = "text" }
[indicator.pm25]
points = 10
linear = { zero_at = 35, full_at = 25 }
[indicator.good]
points = 10
missing = "zero"
target = { at_least = 95 }
"""


def load_small(text: str = SMALL) -> Criteria:
    """The small criteria above (or another text) loaded."""
    return ecoscore.loads(text, source="small.toml")


def write(tmp_path: Path, name: str, text: str) -> Path:
    """Write a UTF-8 text file into the test's directory."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path, criteria: Criteria, **options: object) -> tuple[Submission, ...]:
    """The submissions of a one-period file."""
    return read_submissions(read_table(path, **options), criteria)  # type: ignore[arg-type]


def messages(error: pytest.ExceptionInfo[DataError]) -> list[str]:
    """Every problem of a DataError as it prints."""
    return [str(problem) for problem in error.value.problems]


def by_unit(subs: tuple[Submission, ...]) -> dict[str, dict[str, object]]:
    """Each unit's values."""
    return {s.unit: dict(s.values) for s in subs}


# --- wide tables ---------------------------------------------------------------------------


def test_wide_table_by_labels_with_units_of_measure(tmp_path: Path) -> None:
    """Columns named 'label (unit)' or by the English label are matched to their inputs."""
    path = write(
        tmp_path,
        "d.csv",
        "单位,PM2.5年均浓度 (µg/m³),Good-air day rate,备注\n甲,31,95.5%,fine\n乙,３３,,\n",
    )
    subs = read(path, load_small())
    assert {
        "甲": {"pm25": Decimal("31"), "good": Decimal("95.5")},
        "乙": {"pm25": Decimal("33"), "good": None},
    } == by_unit(subs)


def test_each_value_keeps_its_cell(tmp_path: Path) -> None:
    """Each value, missing ones too, is located at its cell; the unit cell is the origin."""
    path = write(tmp_path, "d.csv", "unit,pm25,good\n甲,31,\n")
    (sub,) = read(path, load_small())
    assert Location(file=str(path), line=2, column=3) == sub.where("good")
    assert Location(file=str(path), line=2, column=1) == sub.origin


def test_gbk_csv_reads_full_width_figures_and_percentages() -> None:
    """A GBK CSV with Chinese headers, full-width digits and '%' reads as exact numbers."""
    criteria = ecoscore.load(DEMO)
    subs = read(FIXTURES / "gbk.csv", criteria)
    values = by_unit(subs)
    assert Decimal("27.45") == values["甲区"]["pm25"]
    assert Decimal("96.5") == values["甲区"]["good_rate"]
    assert Decimal("92") == values["乙县"]["good_rate"]
    assert ["甲区", "乙县", "丙县"] == [s.unit for s in subs]


def test_bom_csv_with_english_labels_and_unit_labels() -> None:
    """A UTF-8 CSV with a BOM names units by their English labels; they become unit ids."""
    criteria = ecoscore.load(DEMO)
    subs = read(FIXTURES / "bom.csv", criteria)
    assert ["甲区", "乙县", "丙县"] == [s.unit for s in subs]
    assert "no" == subs[0].values["incident"]
    assert "A District" == subs[0].label.en


def test_xlsx_formula_value_is_read(tmp_path: Path) -> None:
    """A formula cell gives the value Excel cached, read exactly from its text."""
    path = tmp_path / "d.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["单位", "pm25", "good"])
    sheet.append(["甲", 31, "=90+5.5"])
    workbook.save(path)
    patch_sheet_xml(path, "<f>90+5.5</f><v />", "<f>90+5.5</f><v>95.5</v>")
    (sub,) = read(path, load_small())
    assert Decimal("95.5") == sub.values["good"]


def test_xlsx_percentage_is_read_as_shown(tmp_path: Path) -> None:
    """A rate typed as 95.5% in Excel (stored as 0.955) reads as 95.5, as in CSV."""
    path = tmp_path / "d.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["unit", "pm25", "good"])
    sheet.append(["甲", 31, 0.955])
    sheet["C2"].number_format = "0.0%"
    workbook.save(path)
    (sub,) = read(path, load_small())
    assert Decimal("95.5") == sub.values["good"]


def test_text_input_keeps_its_text(tmp_path: Path) -> None:
    """A text input is read as text, even when it looks like a number."""
    path = write(tmp_path, "d.csv", "unit,pm25,good,note\n甲,31,95,0012\n")
    (sub,) = read(path, load_small())
    assert "0012" == sub.values["note"]


def test_id_in_square_brackets_names_the_input(tmp_path: Path) -> None:
    """A header ending in '[id]' names that input, whatever comes before."""
    path = write(tmp_path, "d.csv", "unit,anything at all [pm25],good\n甲,31,95\n")
    (sub,) = read(path, load_small())
    assert Decimal("31") == sub.values["pm25"]


@pytest.mark.parametrize(
    "name", ["unit", "Unit", "单位", "地区", "县(市、区)", "县（市、区）", "name"]
)
def test_unit_column_names(tmp_path: Path, name: str) -> None:
    """The unit column is found under any of its usual names, full-width brackets too."""
    path = write(tmp_path, "d.csv", f"序号,{name},pm25,good\n1,甲,31,95\n")
    (sub,) = read(path, load_small())
    assert "甲" == sub.unit


# --- problems ------------------------------------------------------------------------------


def test_every_bad_cell_is_reported_at_once(tmp_path: Path) -> None:
    """Bad numbers and out-of-range values are all reported, each at its cell."""
    path = write(tmp_path, "d.csv", "unit,pm25,good\n甲,abc,95\n乙,-1,10\n丙,30,101\n")
    with pytest.raises(DataError) as error:
        read(path, load_small())
    found = messages(error)
    assert 3 == len(found), found
    assert found[0].startswith(f"{path}:2:2: 甲: pm25 (PM2.5年均浓度): not a number: 'abc'")
    assert any(m.startswith(f"{path}:3:2: ") and "below the minimum" in m for m in found)
    assert any(m.startswith(f"{path}:4:3: ") and "above the maximum" in m for m in found)


def test_excel_error_value_is_located(tmp_path: Path) -> None:
    """An Excel error value in a workbook is an error at its sheet cell."""
    path = tmp_path / "d.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["unit", "pm25", "good"])
    sheet.append(["甲", 31, "#DIV/0!"])
    workbook.save(path)
    with pytest.raises(DataError) as error:
        read(path, load_small())
    assert [f"{path}:Sheet!C2: Excel error value #DIV/0! in a cell"] == [
        m.split(" (")[0] for m in messages(error)
    ]


def test_duplicate_and_unknown_units(tmp_path: Path) -> None:
    """A unit listed twice names its first row; an unknown unit gets a did-you-mean."""
    criteria = ecoscore.load(DEMO)
    path = write(tmp_path, "d.csv", "unit,pm25,incident\n甲区,30,否\n甲区,31,否\n丙县市,30,否\n")
    with pytest.raises(DataError) as error:
        read(path, criteria)
    found = messages(error)
    assert f"{path}:3:1: unit 甲区 is listed twice (first at {path}:2:1) (单位重复)" in found
    assert f"{path}:4:1: unknown unit '丙县市' (未知单位) (did you mean '丙县'?)" in found


def test_missing_column_is_an_error_at_the_header(tmp_path: Path) -> None:
    """An input whose indicator allows no missing value must have a column."""
    path = write(tmp_path, "d.csv", "unit,good\n甲,95\n")
    with pytest.raises(DataError) as error:
        read(path, load_small())
    assert [f"{path}:1: no column for 'pm25' (PM2.5年均浓度) (缺少该列)"] == [
        m.split(" (add")[0] for m in messages(error)
    ]


def test_missing_column_allowed_by_a_missing_policy(tmp_path: Path) -> None:
    """An input whose every indicator declares a missing policy may have no column."""
    path = write(tmp_path, "d.csv", "unit,pm25\n甲,31\n")
    (sub,) = read(path, load_small())
    assert {"pm25": Decimal("31")} == dict(sub.values)


def test_near_miss_column_gets_did_you_mean(tmp_path: Path) -> None:
    """A column close to an input that has no column is an error naming that input."""
    path = write(tmp_path, "d.csv", "unit,PM2.5年均浓,good,联系人\n甲,31,95,张三\n")
    with pytest.raises(DataError) as error:
        read(path, load_small())
    assert [
        f"{path}:1:2: column 'PM2.5年均浓' names no input (不是已知的填报项)"
        " (did you mean 'pm25' (PM2.5年均浓度)?)"
    ] == messages(error)


def test_clashing_labels_are_an_error(tmp_path: Path) -> None:
    """A header that is the label of two inputs is refused, with a way to name one."""
    criteria = load_small(SMALL.replace('note = { zh = "说明文字"', 'note = { zh = "优良天数比例"'))
    path = write(tmp_path, "d.csv", "unit,pm25,优良天数比例\n甲,31,95\n")
    with pytest.raises(DataError) as error:
        read(path, criteria)
    assert any("could be any of good, note" in m for m in messages(error))


def test_no_unit_column(tmp_path: Path) -> None:
    """A table without a unit column is an error that says how to name one."""
    path = write(tmp_path, "d.csv", "pm25,good\n31,95\n")
    with pytest.raises(DataError) as error:
        read(path, load_small())
    assert [f"{path}:1: no unit column (没有单位列)"] == [
        m.split(" (name")[0] for m in messages(error)
    ]


def test_row_without_a_unit(tmp_path: Path) -> None:
    """A row with figures but no unit name is an error at that row."""
    path = write(tmp_path, "d.csv", "unit,pm25,good\n,31,95\n")
    with pytest.raises(DataError) as error:
        read(path, load_small())
    assert [f"{path}:2: a row with no unit name (缺少单位名称)"] == messages(error)


def test_earlier_periods_may_leave_out_columns(tmp_path: Path) -> None:
    """A previous period's file needs only the columns it has."""
    criteria = ecoscore.load(DEMO)
    (period,) = read_periods(read_table(FIXTURES / "previous.csv"), criteria, strict=False)
    assert {"甲区": {"pm25": Decimal("29")}} == {
        s.unit: dict(s.values) for s in period.submissions if s.unit == "甲区"
    }


# --- long tables ---------------------------------------------------------------------------


def test_long_table_reads_like_the_wide_one() -> None:
    """A long table (unit, input, value) gives the same values as the wide one."""
    criteria = ecoscore.load(DEMO)
    wide = read(FIXTURES / "data.csv", criteria)
    long = read(FIXTURES / "long.csv", criteria)
    assert by_unit(wide) == by_unit(long)


def test_long_table_periods_most_recent_first() -> None:
    """A period column splits a long table into periods, the most recent first."""
    criteria = ecoscore.load(DEMO)
    periods = read_periods(read_table(FIXTURES / "long-periods.csv"), criteria)
    assert ["2024", "2023"] == [p.name for p in periods]
    assert {"pm25": Decimal("29")} == dict(periods[1].submissions[0].values)
    with pytest.raises(DataError):
        read_submissions(read_table(FIXTURES / "long-periods.csv"), criteria)


def test_periods_sort_numbers_as_numbers(tmp_path: Path) -> None:
    """Period names compare their numbers as numbers: 2024-10 is after 2024-9."""
    path = write(tmp_path, "d.csv", "period,unit,pm25,good\n2024-9,甲,30,95\n2024-10,甲,31,95\n")
    periods = read_periods(read_table(path), load_small())
    assert ["2024-10", "2024-9"] == [p.name for p in periods]


def test_long_table_problems(tmp_path: Path) -> None:
    """In a long table an unknown input and a figure given twice are located errors, and
    an unknown unit is reported once, at its first row."""
    path = write(
        tmp_path,
        "d.csv",
        "unit,input,value\n甲,pm25,31\n甲,pm25,32\n甲,pm2.5,1\n丁,pm25,1\n丁,good,1\n",
    )
    criteria = load_small(SMALL + '[units."甲"]\n[units."丙"]\n')
    with pytest.raises(DataError) as error:
        read(path, criteria)
    found = messages(error)
    assert 1 == sum("unknown unit '丁'" in m for m in found)
    assert any(m.startswith(f"{path}:5:1: unknown unit '丁'") for m in found)
    assert f"{path}:3:2: 甲: pm25 is given twice (first at {path}:2:3)" in found
    assert f"{path}:4:2: unknown input 'pm2.5' (未知填报项) (did you mean 'pm25'?)" in found


# --- columns -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_headers_read_back(lang: str) -> None:
    """Every header the template writes names its own input, in either language."""
    for criteria in (ecoscore.load(DEMO), load_small()):
        index = ColumnIndex(criteria)
        for ident, header in column_headers(criteria, lang).items():
            assert {ident} == index.match(header), header


def test_template_headers_add_the_id_where_labels_clash() -> None:
    """Where two inputs share a label, the header carries the id in square brackets."""
    criteria = load_small(SMALL.replace('note = { zh = "说明文字"', 'note = { zh = "优良天数比例"'))
    headers = column_headers(criteria, "zh")
    assert "优良天数比例 [note]" == headers["note"]
    assert "优良天数比例 (%) [good]" == headers["good"]


def test_normalise_ignores_case_spaces_and_full_width() -> None:
    """Names compare without case, spaces or full-width forms."""
    assert normalise("ＰＭ２.５ 年均（浓度）") == normalise("pm2.5年均(浓度)")


def test_tolerated_missing_columns() -> None:
    """Inputs read by a veto or ranking must have a column; those with a policy need not."""
    criteria = ecoscore.load(DEMO)
    optional = tolerates_missing(criteria)
    assert "kind" in optional  # [units] give it
    assert "incident" not in optional  # the veto reads it
    assert "pm25" not in optional
    assert "good" in tolerates_missing(load_small())


def test_unit_column_skips_input_columns(tmp_path: Path) -> None:
    """A column named like a unit column is not the unit column when it names an input."""
    path = write(tmp_path, "d.csv", "name,unit\nx,甲\n")
    assert 0 == unit_column(read_table(path))
    assert 1 == unit_column(read_table(path), skip=[0])


def test_figures_read_from_a_file_are_checked_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader checks the figures and hands them on typed: evaluate does not check
    them a second time for the same criteria, and does for other criteria."""
    criteria = ecoscore.loads(
        'ecoscore = 1\nid = "c"\ntitle = { zh = "c" }\n[inputs]\nx = { zh = "x", min = 0 }\n'
        "[indicator.x]\npoints = 10\ntarget = { at_least = 5 }\n"
    )
    path = tmp_path / "data.csv"
    path.write_text("unit,x\nA,6\nB,4\n", encoding="utf-8")
    subs = ecoscore.read_submissions(path, criteria)
    calls: list[str] = []
    read_unit = submission.read_unit

    def counted(*args: Any) -> Any:
        calls.append(args[1].unit)
        return read_unit(*args)

    monkeypatch.setattr(submission, "read_unit", counted)
    results = ecoscore.evaluate(criteria, subs)
    assert [] == calls
    assert Decimal(10) == results["A"].total
    other = ecoscore.loads(_OTHER)
    ecoscore.evaluate(other, subs)
    assert ["A", "B"] == calls


_OTHER = (
    'ecoscore = 1\nid = "o"\ntitle = { zh = "o" }\n[inputs]\nx = { zh = "x", min = 0 }\n'
    "[indicator.x]\npoints = 5\ntarget = { at_least = 5 }\n"
)
