"""A blank submission form (XLSX) for the units to fill in, made from the criteria.

``build_template(criteria, lang)`` makes a workbook of two sheets:

1. the form (``填报表`` / ``Form``): a header row with the unit column and one column per
   input and attribute, named ``label (unit of measure)`` in ``lang`` exactly as
   ``ecoscore.io.submissions`` reads them back; one row per unit when the criteria list
   ``[units]`` (attributes the criteria give are filled in); each header cell has a
   comment with the id, both labels, the unit of measure and the allowed range. Each
   column has a data validation where Excel has one: whole or decimal numbers within the
   declared ``min``/``max`` (a bound that is another input refers to that input's cell
   in the same row, and only warns, since that cell may still be empty), and drop-down
   lists for texts with declared values and for yes/no. Empty cells are always allowed:
   whether a missing figure is an error is the criteria's business.
2. the instructions (``说明 Instructions``), in Chinese and English, with a table of
   every column;
3. a sheet for each sub-unit table the criteria declare (``[subunits.<id>]``: sections,
   stations), named after it, with its unit, key and period columns and one column per
   input, validated as the form's are (a class from its list), the unit column from the
   units' list; ``ecoscore score`` reads these sheets back from a filled-in workbook.

Text that a spreadsheet could take for a formula (beginning with ``=``, ``+``, ``-``,
``@``) is written as a text cell with Excel's quote prefix, so it is shown and read back
exactly as it is but never evaluated (OWASP, "CSV Injection").
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any, Literal

from ecoscore.io.columns import UnitIndex, column_headers, normalise, unit_header
from ecoscore.io.workbook import (
    Alignment,
    Comment,
    DataValidation,
    Font,
    PatternFill,
    Workbook,
    Worksheet,
    get_column_letter,
    quote_sheetname,
)
from ecoscore.model import Attribute, Criteria, Input, Label, SubunitTable
from ecoscore.report.common import FORMULA_TRIGGERS

__all__ = ["build_template", "write_template"]

# Rows given a validation when the criteria list no units.
_BLANK_ROWS = 200
# Excel's limits: a list written into the validation, a prompt, and their titles.
_LIST_LIMIT = 255
_PROMPT_LIMIT = 255
_TITLE_LIMIT = 32
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

_WORDS = {
    "form": ("填报表", "Form"),
    "instructions": ("说明 Instructions", "说明 Instructions"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "invalid": ("输入有误", "Invalid entry"),
}

_INSTRUCTIONS = (
    (
        "请在“填报表”中每个单位一行、每项一列填写数据，不要改动第一行的列名。",
        "Fill in the form sheet: one row per unit, one column per figure. Do not change the "
        "names in the first row.",
    ),
    (
        "数字直接填写，如 95.5；百分比填百分数，如 95.5 表示 95.5%（不要填 0.955）。",
        "Type numbers as they are, like 95.5; type percentages in percent: 95.5 means 95.5% "
        "(not 0.955).",
    ),
    (
        "没有数据的单元格请留空，不要填 0，也不要填写公式。",
        "Leave a cell empty when there is no figure; do not type 0 instead, and no formulas.",
    ),
    ("是/否项请从下拉列表中选择。", "Choose yes/no values from the drop-down list."),
    (
        "填好后另存为 .xlsx 文件，用 ecoscore score 计算得分。",
        "Save the workbook as .xlsx; score it with ecoscore score.",
    ),
)

_COLUMNS = (
    "列 Column",
    "编号 ID",
    "中文名称",
    "English name",
    "单位 Unit",
    "类型 Type",
    "取值范围 Range",
    "可选值 Allowed values",
)

_TYPES = {
    "number": "数字 number",
    "integer": "整数 whole number",
    "text": "文本 text",
    "bool": "是/否 yes/no",
}


def _word(key: str, lang: str) -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write a value into a cell; text that looks like a formula stays text."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        # openpyxl takes "=…" for a formula; the quote prefix keeps Excel from doing so
        # when the cell is edited, and the text itself is unchanged.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _range_text(spec: Input, criteria: Criteria, lang: str) -> str:
    low, high = spec.minimum, spec.maximum
    if low is None and high is None:
        return ""

    def bound(value: Decimal | str) -> str:
        if isinstance(value, str):
            return (
                criteria.inputs[value].label.text(lang, value)
                if value in criteria.inputs
                else value
            )
        return format(value, "f")

    if low is not None and high is not None:
        return f"{bound(low)} – {bound(high)}"
    if low is not None:
        return f"≥ {bound(low)}"
    assert high is not None
    return f"≤ {bound(high)}"


def _choices(spec: Input | Attribute, lang: str) -> tuple[str, ...]:
    if spec.type == "bool":
        return (_word("yes", lang), _word("no", lang))
    return spec.values


class _Form:
    """The form sheet being built."""

    def __init__(self, criteria: Criteria, lang: str, workbook: Workbook) -> None:
        self.criteria = criteria
        self.lang = lang
        self.workbook = workbook
        sheet = workbook.active
        assert isinstance(sheet, Worksheet)
        sheet.title = _word("form", lang)
        self.sheet = sheet
        self.rows = len(criteria.units) or _BLANK_ROWS
        self.headers = column_headers(criteria, lang)
        self.column = {name: k + 2 for k, name in enumerate(self.headers)}
        self.lists: Worksheet | None = None

    def build(self) -> None:
        sheet, lang = self.sheet, self.lang
        header = _put(sheet, 1, 1, unit_header(lang))
        header.font = Font(bold=True)
        header.fill = _HEADER_FILL
        sheet.column_dimensions["A"].width = 18
        for name, column in self.column.items():
            spec: Input | Attribute = (
                self.criteria.inputs.get(name) or self.criteria.attributes[name]
            )
            cell = _put(sheet, 1, column, self.headers[name])
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.comment = Comment(self._describe(spec), "ecoscore", width=300, height=150)
            width = max(12, min(40, len(self.headers[name]) * 1.6))
            sheet.column_dimensions[get_column_letter(column)].width = width
            self._validate(spec, column)
        self._units()
        sheet.freeze_panes = "B2"

    def _units(self) -> None:
        index = UnitIndex(self.criteria)
        for row, unit in enumerate(self.criteria.units.values(), start=2):
            # The label in the form's language, when it names this unit and no other.
            name = (unit.label.zh if self.lang == "zh" else unit.label.en) or unit.id
            if index.keys.get(normalise(name)) != unit.id:
                name = unit.id
            _put(self.sheet, row, 1, name)
            for attribute, value in unit.attributes.items():
                if attribute in self.column:
                    shown = value
                    if isinstance(value, bool):
                        shown = _word("yes" if value else "no", self.lang)
                    _put(self.sheet, row, self.column[attribute], shown)

    def _describe(self, spec: Input | Attribute) -> str:
        lines = [f"id: {spec.id}"]
        if spec.label.zh:
            lines.append(f"中文：{spec.label.zh}")
        if spec.label.en:
            lines.append(f"English: {spec.label.en}")
        if isinstance(spec, Input):
            if spec.unit:
                lines.append(f"单位 Unit: {spec.unit}")
            shown = _range_text(spec, self.criteria, self.lang)
            if shown:
                lines.append(f"范围 Range: {shown}")
            if spec.integer:
                lines.append("整数 Whole number")
        choices = _choices(spec, self.lang)
        if choices:
            lines.append("可选 Choose: " + ", ".join(choices))
        return "\n".join(lines)

    def _validate(self, spec: Input | Attribute, column: int) -> None:
        letter = get_column_letter(column)
        cells = f"{letter}2:{letter}{self.rows + 1}"
        label = spec.label.text(self.lang, spec.id)
        choices = _choices(spec, self.lang)
        rule: DataValidation | None = None
        if choices:
            rule = DataValidation(type="list", formula1=self._list(choices), allow_blank=True)
        elif isinstance(spec, Input) and spec.type == "number":
            rule = self._number_rule(spec)
        if rule is None:
            return
        rule.showErrorMessage = True
        rule.showInputMessage = True
        rule.promptTitle = label[:_TITLE_LIMIT]
        rule.prompt = self._describe(spec)[:_PROMPT_LIMIT]
        rule.errorTitle = _word("invalid", self.lang)
        rule.error = self._describe(spec)[:_PROMPT_LIMIT]
        rule.add(cells)
        self.sheet.add_data_validation(rule)

    def _number_rule(self, spec: Input) -> DataValidation:
        kind: Literal["whole", "decimal"] = "whole" if spec.integer else "decimal"

        def formula(bound: Decimal | str) -> str:
            if isinstance(bound, str):
                # Relative to the first cell of the range: the same row, the bound's column.
                return f"{get_column_letter(self.column[bound])}2"
            return format(bound, "f")

        low, high = spec.minimum, spec.maximum
        style: Literal["warning", "stop"] = (
            "warning" if isinstance(low, str) or isinstance(high, str) else "stop"
        )
        if low is not None and high is not None:
            rule = DataValidation(
                type=kind,
                operator="between",
                formula1=formula(low),
                formula2=formula(high),
                allow_blank=True,
            )
        elif low is not None:
            rule = DataValidation(
                type=kind, operator="greaterThanOrEqual", formula1=formula(low), allow_blank=True
            )
        elif high is not None:
            rule = DataValidation(
                type=kind, operator="lessThanOrEqual", formula1=formula(high), allow_blank=True
            )
        else:
            # Any number: Excel's decimal type needs bounds, so give the widest.
            rule = DataValidation(
                type=kind,
                operator="between",
                formula1="-1E+307",
                formula2="1E+307",
                allow_blank=True,
            )
        rule.errorStyle = style
        return rule

    def _list(self, choices: tuple[str, ...]) -> str:
        inline = ",".join(choices)
        if len(inline) + 2 <= _LIST_LIMIT and not any('"' in c or "," in c for c in choices):
            return f'"{inline}"'
        # Too long, or a comma inside a choice: the list goes on a hidden sheet.
        if self.lists is None:
            self.lists = self.workbook.create_sheet("lists")
            self.lists.sheet_state = "hidden"
        column = self.lists.max_column + (
            1 if self.lists.max_row > 1 or self.lists.cell(1, 1).value is not None else 0
        )
        for row, choice in enumerate(choices, start=1):
            _put(self.lists, row, column, choice)
        letter = get_column_letter(column)
        return f"{quote_sheetname(self.lists.title)}!${letter}$1:${letter}${len(choices)}"


def _instructions(
    criteria: Criteria, workbook: Workbook, lang: str, headers: dict[str, str]
) -> None:
    sheet = workbook.create_sheet(_word("instructions", lang), 1)
    title = criteria.title
    _put(sheet, 1, 1, title.zh or title.en or criteria.id).font = Font(bold=True, size=14)
    if title.en and title.zh:
        _put(sheet, 2, 1, title.en).font = Font(italic=True)
    _put(sheet, 3, 1, f"criteria: {criteria.id}")
    if criteria.sha256:
        _put(sheet, 3, 2, f"SHA-256 {criteria.sha256}")
    row = 5
    _put(sheet, row, 1, "填写说明").font = Font(bold=True)
    _put(sheet, row, 2, "How to fill in").font = Font(bold=True)
    for zh, en in _INSTRUCTIONS:
        row += 1
        _put(sheet, row, 1, zh)
        _put(sheet, row, 2, en)
    row += 2
    for column, name in enumerate(_COLUMNS, start=1):
        cell = _put(sheet, row, column, name)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for name, header in headers.items():
        row += 1
        spec: Input | Attribute = criteria.inputs.get(name) or criteria.attributes[name]
        kind = "integer" if isinstance(spec, Input) and spec.integer else spec.type
        values = (
            header,
            name,
            spec.label.zh or "",
            spec.label.en or "",
            spec.unit or "" if isinstance(spec, Input) else "",
            _TYPES.get(kind, kind),
            _range_text(spec, criteria, lang) if isinstance(spec, Input) else "",
            ", ".join(_choices(spec, lang)),
        )
        for column, value in enumerate(values, start=1):
            _put(sheet, row, column, value)
    for letter, width in zip("ABCDEFGH", (36, 60, 24, 28, 14, 18, 18, 24), strict=True):
        sheet.column_dimensions[letter].width = width


def build_template(criteria: Criteria, lang: str = "zh") -> Workbook:
    """The blank submission form for ``criteria``, labelled in ``lang`` (``zh``/``en``)."""
    workbook = Workbook()
    form = _Form(criteria, lang, workbook)
    form.build()
    _instructions(criteria, workbook, lang, form.headers)
    for table in criteria.subunits.values():
        _subunit_sheet(criteria, table, workbook, lang)
    return workbook


#: What Excel refuses in a sheet's name, and its longest name.
_SHEET_REFUSES = frozenset("[]:*?/\\")
_SHEET_LIMIT = 31


def _subunit_sheet(criteria: Criteria, table: SubunitTable, workbook: Workbook, lang: str) -> None:
    """A sheet for one sub-unit table: its columns are the form's, for the table's own
    inputs, after its period and key columns (read back by ``io.subunit_tables``)."""
    title = table.label.text(lang, table.id)
    if len(title) > _SHEET_LIMIT or _SHEET_REFUSES & set(title) or title in workbook.sheetnames:
        title = table.id
    sheet = workbook.create_sheet(title)
    columns: dict[str, Input] = {}
    if table.period is not None:
        columns[table.period] = Input(table.period, Label(table.period), type="text")
    columns[table.key] = Input(table.key, table.key_label, type="text")
    columns.update(table.inputs)
    # The form's columns, validations and comments, for a criteria of the table's columns.
    figures = Criteria(id=table.id, title=table.label, inputs=columns)
    workbook.active = sheet  # _Form fills the active sheet
    try:
        builder = _Form(figures, lang, workbook)
        builder.build()
    finally:
        workbook.active = 0  # the form, first
    sheet.title = title
    if criteria.units:
        # The unit column: a unit of the criteria, by the name the form uses.
        names = tuple(
            (u.label.en or u.id) if lang == "en" else u.id for u in criteria.units.values()
        )
        rule = DataValidation(type="list", formula1=builder._list(names), allow_blank=True)
        rule.add(f"A2:A{_BLANK_ROWS + 1}")
        sheet.add_data_validation(rule)


def write_template(criteria: Criteria, path: str | os.PathLike[str], lang: str = "zh") -> None:
    """Write the blank form to ``path`` (an ``.xlsx`` file; no atomicity here, see
    ``ecoscore.io.atomic``)."""
    build_template(criteria, lang).save(os.fspath(path))
