"""Tests for ecoscore.report.template: the blank submission form, read back by the reader."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

import ecoscore
from ecoscore.io.columns import column_headers
from ecoscore.io.submissions import read_submissions
from ecoscore.io.tables import read_table
from ecoscore.model import Criteria
from ecoscore.report.template import build_template, write_template

FIXTURES = Path(__file__).parents[1] / "fixtures" / "cli"
DEMO = FIXTURES / "demo.toml"


def demo() -> Criteria:
    """The command-line demo criteria."""
    return ecoscore.load(DEMO)


def form(criteria: Criteria, lang: str = "zh") -> Worksheet:
    """The form sheet of a fresh template."""
    sheet = build_template(criteria, lang).worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet


def rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    """Every row's values."""
    return list(sheet.iter_rows(values_only=True))


def validations(sheet: Worksheet) -> dict[str, tuple[Any, ...]]:
    """Each validated range: (type, operator, formula1, formula2, error style)."""
    return {
        str(v.sqref): (v.type, v.operator, v.formula1, v.formula2, v.errorStyle)
        for v in sheet.data_validations.dataValidation
    }


def test_one_row_per_unit_and_a_column_per_input() -> None:
    """The form lists the units, a column per input and attribute, attributes filled in."""
    sheet = form(demo())
    assert [
        (
            "单位",
            "PM2.5年均浓度 (µg/m³)",
            "优良天数比例 (%)",
            "发现问题数",
            "已整改问题数",
            "重大环境事件",
            "工作评价",
            "荣誉数",
            "类型",
        ),
        ("甲区", None, None, None, None, None, None, None, "区"),
        ("乙县", None, None, None, None, None, None, None, "县"),
        ("丙县", None, None, None, None, None, None, None, "县"),
    ] == rows(sheet)


def test_english_form_uses_english_labels_and_unit_names() -> None:
    """A form in English has English headers and unit names, which read back as ids."""
    sheet = form(demo(), "en")
    assert ("unit", "PM2.5 annual mean (µg/m³)") == rows(sheet)[0][:2]
    assert ["A District", "B County", "C County"] == [r[0] for r in rows(sheet)[1:]]


def test_cell_validation_follows_the_declared_ranges() -> None:
    """Numbers within min/max, whole numbers, a bound from another column, and lists."""
    checks = validations(form(demo()))
    assert {
        "B2:B4": ("decimal", "greaterThanOrEqual", "0", None, "stop"),
        "C2:C4": ("decimal", "between", "0", "100", "stop"),
        "D2:D4": ("whole", "greaterThanOrEqual", "0", None, "stop"),
        # rectified ≤ found: the bound is the same row's found cell, a warning only.
        "E2:E4": ("whole", "between", "0", "D2", "warning"),
        "F2:F4": ("list", None, '"是,否"', None, None),
        "G2:G4": ("list", None, '"好,中,差"', None, None),
        "H2:H4": ("whole", "greaterThanOrEqual", "0", None, "stop"),
        "I2:I4": ("list", None, '"区,县"', None, None),
    } == checks


def test_validations_allow_empty_cells_and_explain_themselves() -> None:
    """Every validation allows a blank cell and shows the range when the cell is chosen."""
    sheet = form(demo())
    for rule in sheet.data_validations.dataValidation:
        assert rule.allow_blank
        assert rule.showInputMessage
        assert rule.prompt
    good = next(v for v in sheet.data_validations.dataValidation if str(v.sqref) == "C2:C4")
    assert "范围 Range: 0 – 100" in (good.prompt or "")


def test_header_comments_name_the_input() -> None:
    """Each header cell has a comment with the id, both labels and the unit of measure."""
    comment = form(demo())["B1"].comment
    assert comment is not None
    assert "id: pm25" in comment.text
    assert "English: PM2.5 annual mean" in comment.text
    assert "单位 Unit: µg/m³" in comment.text


def test_instructions_sheet_is_bilingual_and_lists_every_column() -> None:
    """The second sheet explains in Chinese and English and lists every input's id."""
    workbook = build_template(demo())
    sheet = workbook.worksheets[1]
    assert "说明 Instructions" == sheet.title
    text = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert "填写说明" in text
    assert "How to fill in" in text
    for ident in (*demo().inputs, *demo().attributes):
        assert f" {ident} " in f" {text} "


def test_no_units_gives_blank_rows_with_validation() -> None:
    """Criteria without [units] give a form with validated blank rows."""
    criteria = ecoscore.loads(
        """
ecoscore = 1
id = "x"
title = "无单位"
[inputs]
rate = { zh = "比例", min = 0, max = 100 }
[indicator.rate]
points = 10
target = { at_least = 95 }
"""
    )
    sheet = form(criteria)
    assert [("单位", "比例")] == rows(sheet)
    assert {"B2:B201"} == set(validations(sheet))


def test_long_lists_go_to_a_hidden_sheet() -> None:
    """A list too long for Excel's inline limit is kept on a hidden sheet."""
    values = ", ".join(f'"类别{i:03d}"' for i in range(60))
    criteria = ecoscore.loads(
        f"""
ecoscore = 1
id = "x"
title = "长列表"
[inputs]
kind = {{ zh = "类别", type = "text", values = [{values}] }}
n = {{ zh = "数量" }}
[indicator.n]
points = 1
target = {{ at_least = 1 }}
"""
    )
    workbook = build_template(criteria)
    (rule,) = [
        v for v in workbook.worksheets[0].data_validations.dataValidation if v.type == "list"
    ]
    assert "'lists'!$A$1:$A$60" == rule.formula1
    assert "hidden" == workbook["lists"].sheet_state
    assert "类别059" == workbook["lists"]["A60"].value


def test_formula_like_text_is_neutralised(tmp_path: Path) -> None:
    """A unit name that starts like a formula is written as quoted text and read back."""
    criteria = ecoscore.loads(
        """
ecoscore = 1
id = "x"
title = "注入"
[inputs]
n = { zh = "数量" }
[units."=SUM(A1)"]
[units."-甲"]
[units."@乙"]
[indicator.n]
points = 1
target = { at_least = 1 }
"""
    )
    path = tmp_path / "form.xlsx"
    write_template(criteria, path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    for row, name in ((2, "=SUM(A1)"), (3, "-甲"), (4, "@乙")):
        cell = sheet.cell(row, 1)
        assert (name, "s", True) == (cell.value, cell.data_type, cell.quotePrefix)
    subs = read_submissions(read_table(path), criteria)
    assert ["=SUM(A1)", "-甲", "@乙"] == [s.unit for s in subs]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_filled_form_reads_back(tmp_path: Path, lang: str) -> None:
    """A form filled in as a person would (numbers, 是/否, listed texts) reads back."""
    criteria = demo()
    path = tmp_path / "form.xlsx"
    write_template(criteria, path, lang)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    figures = {
        2: [27.45, 96.5, 20, 19, no, "好", 1],
        3: [33, 92, 0, 0, yes, "中", 3],
        4: [24, 89, 10, 10, no, "好", 0],
    }
    for row, values in figures.items():
        for column, value in enumerate(values, start=2):
            sheet.cell(row, column).value = value
    workbook.save(path)
    subs = read_submissions(read_table(path), criteria)
    results = ecoscore.evaluate(criteria, subs)
    assert {"甲区": Decimal("31.0"), "乙县": Decimal("19.0"), "丙县": Decimal("25.0")} == {
        card.unit: card.total for card in results
    }
    assert list(column_headers(criteria, lang).values()) == [c.value for c in sheet[1][1:]]


SECTIONS_CRITERIA = (
    Path(__file__).resolve().parents[2] / "criteria" / ("ganzhou-county-2024-sections.toml")
)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_sheet_per_subunit_table_is_filled_in_and_read_back(tmp_path: Path, lang: str) -> None:
    """Each sub-unit table gets a sheet named after it, with its unit, period and key
    columns, a class as a list; filled in, the workbook scores with its roll-ups."""
    from ecoscore.cli import main

    criteria = ecoscore.load(SECTIONS_CRITERIA)
    book = build_template(criteria, lang)
    names = {
        "zh": ["环境空气质量监测站点", "国考断面"],
        "en": ["Air-quality stations", "National water sections"],
    }
    shown = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
    assert names[lang] == shown[2:]
    stations, sections = (book[n] for n in names[lang])
    assert [
        "单位" if lang == "zh" else "unit",
        "year",
        "站点名称" if lang == "zh" else "Station",
    ] == [c.value for c in stations[1][:3]]
    lists = [v.formula1 for v in sections.data_validations.dataValidation]
    assert '"Ⅰ,Ⅱ,Ⅲ,Ⅳ,Ⅴ,劣Ⅴ"' in lists
    # Fill in the form (18 units, each figure from the example) and one row per sub-unit.
    example = read_table(
        SECTIONS_CRITERIA.parents[1]
        / "examples"
        / "ganzhou-2024"
        / "subunits"
        / "submissions-2024.csv"
    )
    headers = column_headers(criteria, lang)
    ids = [h.text for h in example.header]
    columns = {h.value: k for k, h in enumerate(book.worksheets[0][1])}
    for r, row in enumerate(example.rows, start=2):
        by_id = dict(zip(ids, (c.text for c in row), strict=True))
        unit = criteria.units[str(by_id["unit"])]
        book.worksheets[0].cell(r, 1).value = unit.id if lang == "zh" else unit.label.en
        for name, header in headers.items():
            value = by_id.get(name)
            if value in ("true", "false"):
                value = {"zh": {"true": "是", "false": "否"}, "en": {"true": "yes", "false": "no"}}[
                    lang
                ][value]
            book.worksheets[0].cell(r, columns[header] + 1).value = value
    for k, unit in enumerate(criteria.units.values(), start=2):
        name = unit.id if lang == "zh" else unit.label.en
        stations.append([name, "2024", f"S{k}", 20])
        if unit.id != "石城县":
            sections.append([name, "2024", f"W{k}", "Ⅱ"])
    previous = SECTIONS_CRITERIA.parents[1] / "examples" / "ganzhou-2024" / "subunits"
    # 2023 is assessed too ([periods]): its sub-units come from the example's tables.
    labels = {u.id: (u.id if lang == "zh" else u.label.en) for u in criteria.units.values()}
    for sheet, file in ((stations, "stations.csv"), (sections, "sections.csv")):
        for line in (previous / file).read_text(encoding="utf-8").splitlines()[1:]:
            year, county, key, value = line.split(",")
            if year == "2023":
                figure: object = float(value) if sheet is stations else value
                sheet.append([labels[county], year, key, figure])
    path = tmp_path / "filled.xlsx"
    book.save(path)
    out = tmp_path / "r.json"
    argv = ["score", str(SECTIONS_CRITERIA), str(path), "-o", str(out)]
    assert 0 == main([*argv, "--previous", str(previous / "submissions-2023.csv")])
    units = {u["unit"]: u for u in json.loads(out.read_text("utf-8"))["units"]}
    assert 18 == len(units)
    assert "20.0" == next(r for r in units["章贡区"]["rollups"] if r["id"] == "pm25")["value"]
    assert (
        [] == next(r for r in units["石城县"]["rollups"] if r["id"] == "national_rate")["subunits"]
    )
