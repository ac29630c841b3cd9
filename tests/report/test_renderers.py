"""Tests for the report renderers: text, Markdown, HTML, XLSX and CSV.

The results come from tests/fixtures/render/criteria.toml and the rows below, which give
every kind of line a score card can hold: rounding of points and of the total, a bonus
and a deduction, a mean node, missing values (zero, left out, carried forward), a
division by zero, a veto, a cap, a precondition, a quota, a grouped ranking and a tie.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from openpyxl import load_workbook

import ecoscore
from ecoscore.report.common import (
    FORMULA_TRIGGERS,
    grade_colour,
    neutralise,
    score_columns,
)
from ecoscore.report.csv import render_csv
from ecoscore.report.html import render_html
from ecoscore.report.markdown import escape, render_markdown
from ecoscore.report.text import explain, render_table
from ecoscore.report.xlsx import write_xlsx
from ecoscore.results import Results

CRITERIA = Path(__file__).parents[1] / "fixtures" / "render" / "criteria.toml"
EVIL = "=cmd|'/C calc'!A0"
SCRIPT = "<script>alert(1)</script>"

ROWS: list[dict[str, str | None]] = [
    {
        "unit": "章贡区",
        "pm25": "22",
        "good_days": "99",
        "found": "706",
        "rectified": "687",
        "water": "100",
        "honours": "2",
        "complaints": "0",
        "incident": "0",
        "kind": "区",
    },
    # PM2.5 27.333 gives 7.667 points, rounded to 7.67; the total 25.77 rounds to 25.8.
    {
        "unit": "南康区",
        "pm25": "27.333",
        "good_days": "97.3",
        "found": "20",
        "rectified": "19",
        "water": "96",
        "honours": "0",
        "complaints": "1",
        "incident": "1",
        "kind": "区",
    },
    {
        "unit": "于都县",
        "pm25": "22",
        "good_days": "99",
        "found": "10",
        "rectified": "10",
        "water": "100",
        "honours": "0",
        "complaints": "0",
        "incident": "0",
        "kind": "县",
    },
    {
        "unit": "信丰县",
        "pm25": "22",
        "good_days": None,
        "found": "0",
        "rectified": "0",
        "water": "100",
        "honours": "3",
        "complaints": "3",
        "incident": "0",
        "kind": "县",
    },
    {
        "unit": "瑞金市",
        "pm25": "22",
        "good_days": "99",
        "found": "5",
        "rectified": "5",
        "water": "89",
        "honours": "3",
        "complaints": None,
        "incident": "0",
        "kind": "市",
    },
    {
        "unit": EVIL,
        "pm25": "30",
        "good_days": "96",
        "found": None,
        "rectified": None,
        "water": "92",
        "honours": "1",
        "complaints": "1",
        "incident": "0",
        "kind": "县",
    },
    {
        "unit": SCRIPT,
        "pm25": "30",
        "good_days": "96",
        "found": None,
        "rectified": None,
        "water": "92",
        "honours": "1",
        "complaints": "1",
        "incident": "0",
        "kind": "市",
    },
]
PREVIOUS: list[dict[str, str | None]] = [{"unit": "信丰县", "good_days": "99"}]


@pytest.fixture(scope="module")
def results() -> Results:
    """The evaluated fixture."""
    criteria = ecoscore.load(CRITERIA)
    return ecoscore.evaluate(criteria, ROWS, previous=[PREVIOUS])


def test_fixture_covers_every_grade_rule(results: Results) -> None:
    """The fixture's grades are changed by a cap, a quota, a precondition and a veto."""
    rules = {s.rule.split("[")[0] for card in results for s in card.grade_steps}
    assert {"band", "cap", "quota", "precondition", "veto"} == rules


# -- text ------------------------------------------------------------------------------


def _row_of(table: str, unit: str) -> list[str]:
    line = next(line for line in table.splitlines() if f" {unit} " in line)
    return re.split(r"\s{2,}", line.strip())


def test_table_lists_every_unit_with_its_exact_total(results: Results) -> None:
    """Each unit's row shows its rank and its total exactly as the engine made it."""
    table = render_table(results)
    for entry in results.ranking("overall").entries:
        row = _row_of(table, entry.unit)
        assert [format(entry.rank, "f"), entry.unit, format(results[entry.unit].total, "f")] == row[
            :3
        ]


def test_table_shows_ties_as_equal_ranks(results: Results) -> None:
    """Two units on the same total share the same rank."""
    table = render_table(results)
    assert _row_of(table, EVIL)[0] == _row_of(table, SCRIPT)[0] == "6"


def test_table_marks_grades_changed_by_a_rule(results: Results) -> None:
    """A vetoed grade reads 不合格 (一票否决), and the reason is listed under the table."""
    table = render_table(results)
    assert "不合格 (一票否决)" == _row_of(table, "南康区")[3]
    assert "南康区  一票否决 [veto[0]]  良好 → 不合格：发生重大环境事件" in table


def test_table_in_english_uses_english_labels(results: Results) -> None:
    """The English table has English headers, grades and rule names."""
    table = render_table(results, lang="en")
    header = re.split(r"\s{2,}", table.splitlines()[2].strip())
    assert ["Rank", "Unit", "Total", "Grade", "Rank by kind"] == header
    assert "Fail (veto)" == _row_of(table, "南康区")[3]


def test_table_prints_numbers_without_reformatting(results: Results) -> None:
    """Totals keep their declared places in the table (32.0, not 32)."""
    assert "32.0" == _row_of(render_table(results), "章贡区")[2]


def _trace_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"  [+−] ", line)]


@pytest.mark.parametrize("unit", [row["unit"] for row in ROWS])
def test_explained_trace_adds_up_to_the_total(results: Results, unit: str) -> None:
    """The signed amounts printed in the trace add up exactly to the printed total."""
    text = explain(results, unit)
    amounts = [
        Decimal(line[4:].split()[0]) * (-1 if line[2] == "−" else 1) for line in _trace_lines(text)
    ]
    assert len(results[unit].steps) == len(amounts)
    assert results[unit].total == sum(amounts, Decimal(0))
    assert f"= 总分 {results[unit].total}：各步相加等于总分" in text


@pytest.mark.parametrize("unit", [row["unit"] for row in ROWS])
def test_explain_names_every_clause_that_applied(results: Results, unit: str) -> None:
    """Each indicator's applied clause appears in the explanation."""
    text = explain(results, unit)
    clauses = [r.outcome.text("zh") for r in results[unit].indicators.values() if r.outcome]
    assert [] == [clause for clause in clauses if f"适用条款：{clause}" not in text]


def test_explain_shows_rounding_of_points_and_total(results: Results) -> None:
    """Points and the total are shown before and after their declared rounding."""
    text = explain(results, "南康区")
    assert "得分：7.667 → 修约（保留 2 位小数，四舍五入） → 7.67" in text
    assert "= 25.77 → 修约（保留 1 位小数，四舍五入） → 25.8" in text
    assert "+  0.03  总分 [total] 修约" in text


def test_explain_shows_inputs_value_and_steps(results: Results) -> None:
    """The figures read, the measured value and the rule's intermediate values are shown."""
    text = explain(results, "南康区")
    assert "输入：发现问题数 [found] = 20；已整改问题数 [rectified] = 19" in text
    assert "测得值：95.00" in text
    assert "中间步骤：shortfall = 0.7；units = 0.7；deduction = 1.4" in text


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("信丰县", "状态：缺数据，沿用上期（缺good_days，沿用上期数值）"),
        ("瑞金市", "状态：缺数据，记0分（缺complaints，计0分）"),
        (EVIL, "状态：不计入（剔除）（缺found、rectified，不参与计分）"),
        ("信丰县", "状态：除数为零，按规定处理（分母为0，计满分）"),
    ],
)
def test_explain_notes_missing_and_policy_statuses(
    results: Results, unit: str, expected: str
) -> None:
    """Missing values and declared policies are stated with the engine's note."""
    assert expected in explain(results, unit)


def test_explain_shows_node_aggregation_and_left_out_children(results: Results) -> None:
    """A mean node lists the children it averaged and the child it left out."""
    text = explain(results, EVIL)
    assert "- 水环境 [waters]：算术平均（水质达标率 [water] 6.00） = 6.00" in text
    assert "  不计入：问题整改 [rect]" in text


def test_explain_shows_each_grade_step_with_its_reason(results: Results) -> None:
    """The band and the veto that changed it are listed with the veto's reason."""
    text = explain(results, "南康区")
    assert "  1. 分数段：25.8 ≥ 20 → 良好" in text
    assert "  2. 一票否决 [veto[0]]：良好 → 不合格，原因：发生重大环境事件" in text


def test_explain_in_english_uses_english_reasons(results: Results) -> None:
    """In English the grade step gives the English reason."""
    text = explain(results, "南康区", lang="en")
    assert "  2. veto [veto[0]]: Good → Fail; a major environmental incident" in text
    assert "Sum 25.80 = Total 25.8: the steps add up to the total" in text


def test_explain_marks_shared_ranks(results: Results) -> None:
    """A tied unit's rank says it is shared, in every ranking."""
    text = explain(results, EVIL)
    assert "  总排名：并列第 6 名（共 7 个）" in text
    assert "  分类排名（县市）：并列第 4 名（共 5 个）" in text


def test_indicator_without_label_borrows_its_inputs_label(results: Results) -> None:
    """An indicator named after an input is shown with the input's label."""
    assert "3. 水质达标率 [water]（水环境 [waters] / 满分 10）" in explain(results, "章贡区")
    assert "3. Water compliance [water] (Water [waters] / Max 10)" in explain(
        results, "章贡区", lang="en"
    )


def test_english_falls_back_to_chinese_labels() -> None:
    """A label given only in Chinese is shown in an English report too."""
    criteria = ecoscore.loads(
        'ecoscore = 1\nid = "t"\ntitle = "只有中文"\n[inputs]\nx = { zh = "数值" }\n'
        '[indicator.x]\nzh = "指标甲"\npoints = 5\ntarget = { at_least = 1 }\n'
    )
    res = ecoscore.evaluate(criteria, [{"unit": "A", "x": "2"}])
    text = explain(res, "A", lang="en")
    assert "1. 指标甲 [x] (Total [total] / Max 5)" in text
    assert "只有中文 (t)" == text.splitlines()[1]


def test_explain_rejects_an_unknown_unit(results: Results) -> None:
    """Asking for a unit that was not evaluated raises KeyError."""
    with pytest.raises(KeyError):
        explain(results, "不存在")


def test_renderers_show_the_engines_numbers_not_their_own(results: Results) -> None:
    """A total that its trace does not add up to is printed as given and flagged."""
    card = attrs.evolve(results["章贡区"], total=Decimal("99.9"))
    odd = attrs.evolve(results, cards={**results.cards, "章贡区": card})
    text = explain(odd, "章贡区")
    assert "合计 32.00 ≠ 总分 99.9：各步相加不等于总分" in text
    assert "99.9" == _row_of(render_table(odd), "章贡区")[2]
    assert "≠ Total 99.9" in render_html(odd, lang="en")


# -- Markdown --------------------------------------------------------------------------


def test_markdown_escapes_names_that_would_break_a_table(results: Results) -> None:
    """A pipe and HTML in unit names are escaped, so every table row keeps its columns."""
    text = render_markdown(results)
    assert "| 6 | \\<script\\>alert(1)\\</script\\> | 17.5 | 合格 | 4 (县市) |" in text
    assert "| 6 | =cmd\\|'/C calc'\\!A0 | 17.5 | 合格 | 4 (县市) |" in text
    assert SCRIPT not in text


def test_markdown_has_a_breakdown_per_unit(results: Results) -> None:
    """Each unit has its own heading with its total and grade, and its trace."""
    text = render_markdown(results)
    headings = [line for line in text.splitlines() if line.startswith("### ") and "—" in line]
    assert len(results) == len(headings)
    assert "### 5. 南康区 — 总分 25.8 · 不合格 (一票否决)" in headings
    assert "**得分累加**：7.67 + 8.60 + 10.00 + 0.00 − 0.50 + 0.03 = 25.80 = 总分 25.8" in text


def test_markdown_lists_grade_changes(results: Results) -> None:
    """The grade changes table gives rule, before, after and the reason."""
    assert "| 南康区 | 一票否决 `veto[0]` | 良好 | 不合格 | 发生重大环境事件 |" in render_markdown(
        results
    )


def test_escape_makes_markdown_literal() -> None:
    """Markdown specials are backslash-escaped and line breaks become spaces."""
    assert "a\\*b\\_c\\|d \\[e\\] \\<f\\>" == escape("a*b_c|d\n[e] <f>")


# -- HTML ------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []
        self.closed: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.opened.append(tag)
        self.attrs.extend(attrs)

    def handle_endtag(self, tag: str) -> None:
        self.closed.append(tag)


def test_html_fetches_nothing_and_runs_nothing(results: Results) -> None:
    """The page has no external URL, no import, no script element and no event handler."""
    page = render_html(results)
    for needle in ('src="http', "href=", "@import", "url(", "<script", "<link", "<img"):
        assert needle not in page
    tags = _Tags()
    tags.feed(page)
    assert [] == [name for name, _ in tags.attrs if name.startswith("on")]
    assert "script" not in tags.opened


def test_html_escapes_unit_names(results: Results) -> None:
    """A unit named <script>… appears escaped, in the table and in the chart."""
    page = render_html(results)
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3


def test_html_has_each_unit_and_its_exact_total_in_the_chart(results: Results) -> None:
    """Each unit has a score card, and the chart labels each bar with the exact total."""
    page = render_html(results)
    assert len(results) == page.count('<section class="card"')
    for card in results:
        assert f'font-weight="600">{card.total}</text>' in page


def test_html_tags_are_balanced(results: Results) -> None:
    """Every element the page opens (other than void ones) is closed."""
    tags = _Tags()
    tags.feed(render_html(results))
    void = {"meta", "col", "line", "rect"}
    opened = sorted(t for t in tags.opened if t not in void)
    assert opened == sorted(t for t in tags.closed if t not in void)


def test_html_language_fonts_and_print_rules(results: Results) -> None:
    """The page declares its language, a CJK font stack, A4 pages and unsplit cards."""
    zh, en = render_html(results), render_html(results, lang="en")
    assert '<html lang="zh-CN">' in zh
    assert '<html lang="en">' in en
    assert '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei"' in zh
    assert "@page { size: A4;" in zh
    assert re.search(r"section\.card \{[^}]*break-inside: avoid", zh)


def test_html_footer_lists_criteria_hash_and_manifest(results: Results) -> None:
    """The footer gives the criteria's SHA-256 and version, and escapes manifest values."""
    page = render_html(results, manifest={"data": {"file": "<a&b>.xlsx", "sha256": "ff" * 32}})
    footer = page[page.index("<footer>") :]
    assert results.criteria.sha256 is not None
    assert f"<dd>{results.criteria.sha256}</dd>" in footer
    assert "<dt>data.file</dt><dd>&lt;a&amp;b&gt;.xlsx</dd>" in footer
    assert f"<dt>data.sha256</dt><dd>{'ff' * 32}</dd>" in footer


def test_html_colours_grades_and_gives_a_legend(results: Results) -> None:
    """Each grade has its own colour, shown in a legend with its lower bound."""
    page = render_html(results)
    colour = grade_colour(results.criteria, "优秀")
    assert (
        f'<span class="grade" style="background:{colour}">优秀</span>'
        '<span class="range">≥ 27</span>' in page
    )


def test_grade_colours_run_from_best_to_worst(results: Results) -> None:
    """The best grade is green, the worst red, and the four grades differ."""
    colours = [grade_colour(results.criteria, g) for g in ("优秀", "良好", "合格", "不合格")]
    assert "#1b7837" == colours[0]
    assert "#b2182b" == colours[-1]
    assert 4 == len(set(colours))


# -- XLSX ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook_path(results: Results, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture written as a Chinese workbook."""
    path = tmp_path_factory.mktemp("xlsx") / "results.xlsx"
    write_xlsx(results, path)
    return path


def test_xlsx_has_three_sheets_with_frozen_headers_and_filters(workbook_path: Path) -> None:
    """Ranking, scores and trace sheets, each with frozen headers and an autofilter."""
    wb = load_workbook(workbook_path)
    assert ["排名", "得分", "过程"] == wb.sheetnames
    assert ["C2", "B3", "B2"] == [ws.freeze_panes for ws in wb]
    assert ["A1:H8", "A2:L9"] == [wb["排名"].auto_filter.ref, wb["得分"].auto_filter.ref]
    assert (wb["过程"].auto_filter.ref or "").startswith("A1:M")


def test_xlsx_english_sheet_names(results: Results, tmp_path: Path) -> None:
    """An English workbook names its sheets in English."""
    path = tmp_path / "en.xlsx"
    write_xlsx(results, path, lang="en")
    assert ["Ranking", "Scores", "Trace"] == load_workbook(path).sheetnames


def test_xlsx_writes_numbers_with_their_declared_places(workbook_path: Path) -> None:
    """Points are numbers formatted 0.00 and the total 0.0, as the criteria round them."""
    ws = load_workbook(workbook_path)["得分"]
    ids = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "南康区")
    pm25, total = row[ids.index("pm25")], row[ids.index("total")]
    assert (7.67, "n", "0.00") == (pm25.value, pm25.data_type, pm25.number_format)
    assert (25.8, "n", "0.0") == (total.value, total.data_type, total.number_format)
    deduction = row[ids.index("complaints")]
    assert -0.5 == deduction.value


def test_xlsx_ranking_sheet_rows(workbook_path: Path) -> None:
    """The ranking sheet lists units in rank order with grade, rule and reason."""
    ws = load_workbook(workbook_path)["排名"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [5, "南康区", 25.8, "不合格", "一票否决", "发生重大环境事件", 2, "区"] == rows[4]
    assert [6, 6] == [rows[5][0], rows[6][0]]


def test_xlsx_formula_like_names_stay_text(workbook_path: Path) -> None:
    """A unit named =cmd… reads back as that exact text, typed as a string, never a formula."""
    wb = load_workbook(workbook_path)
    for ws in wb:
        cells = [c for row in ws.iter_rows() for c in row if c.value == EVIL]
        assert cells, ws.title
        assert {("s", True)} == {(c.data_type, c.quotePrefix) for c in cells}
    with zipfile.ZipFile(workbook_path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert [] == [n for n in sheets if "<f>" in z.read(n).decode()]


def test_xlsx_trace_has_a_row_per_indicator_node_and_grade_step(
    results: Results, workbook_path: Path
) -> None:
    """The trace sheet has every indicator, node and grade step of every unit."""
    ws = load_workbook(workbook_path)["过程"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    expected = sum(len(c.indicators) + len(c.nodes) + len(c.grade_steps) for c in results)
    assert expected == len(rows)
    veto = next(r for r in rows if r[0] == "南康区" and r[2] == "veto[0]")
    assert ["等级", "一票否决", "良好 → 不合格", "不合格", "发生重大环境事件"] == [
        veto[1],
        veto[3],
        veto[6],
        veto[11],
        veto[12],
    ]
    pm25 = next(r for r in rows if r[0] == "南康区" and r[2] == "pm25")
    assert [
        27.333,
        "10 × (27.333 − 35) / (25 − 35)",
        None,
        7.667,
        "保留 2 位小数，四舍五入",
        7.67,
    ] == pm25[5:11]


def test_xlsx_columns_fit_their_widest_cell(workbook_path: Path) -> None:
    """Each column is as wide as its widest cell (wide characters count twice), plus room
    for the filter button, within a cap."""
    ws = load_workbook(workbook_path)["排名"]
    names = [r[1].value for r in ws.iter_rows(min_row=2)]
    widest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in n) for n in names)
    # The file stores the width with the few pixels of padding Excel adds.
    assert 0 <= ws.column_dimensions["B"].width - min(widest + 3, 50) < 1


@pytest.mark.parametrize(("trace", "sheets"), [("summary", ["排名", "得分"]), ("none", ["排名"])])
def test_xlsx_trace_levels_leave_sheets_out(
    results: Results, tmp_path: Path, trace: str, sheets: list[str]
) -> None:
    """trace="summary" leaves out the trace sheet, trace="none" the scores sheet too."""
    path = tmp_path / f"{trace}.xlsx"
    write_xlsx(results, path, trace=trace)
    assert sheets == load_workbook(path).sheetnames


def test_xlsx_trace_goes_on_in_more_sheets_without_splitting_a_unit(
    results: Results, workbook_path: Path, tmp_path: Path
) -> None:
    """A trace longer than a sheet's rows goes on in 过程 2, 过程 3 …, each with its
    header, each unit's rows on one sheet, and no row lost."""
    whole = [
        [c.value for c in r] for r in load_workbook(workbook_path)["过程"].iter_rows(min_row=2)
    ]
    per_unit = max(len(c.indicators) + len(c.nodes) + len(c.grade_steps) for c in results)
    path = tmp_path / "split.xlsx"
    write_xlsx(results, path, rows_per_sheet=per_unit * 2 + 1)
    wb = load_workbook(path)
    traces = [ws for ws in wb if ws.title.startswith("过程")]
    assert ["过程", "过程 2"] == [ws.title for ws in traces[:2]]
    parts = [[[c.value for c in r] for r in ws.iter_rows(min_row=2)] for ws in traces]
    assert whole == [row for part in parts for row in part]
    units = [{row[0] for row in part} for part in parts]
    assert all(not (a & b) for k, a in enumerate(units) for b in units[k + 1 :])
    assert all(ws["A1"].value == "单位" and ws.freeze_panes == "B2" for ws in traces)


def test_xlsx_replaces_characters_a_worksheet_cannot_hold(tmp_path: Path) -> None:
    """A control character XML cannot hold becomes U+FFFD; a tab stays as it is."""
    criteria = ecoscore.loads(
        'ecoscore = 1\nid = "c"\ntitle = "c"\n[inputs]\nx = {}\n[indicator.x]\n'
        "points = 1\ntarget = { at_least = 1 }\n"
    )
    res = ecoscore.evaluate(criteria, [{"unit": "A\x01B", "x": "1"}, {"unit": "C\tD", "x": "1"}])
    write_xlsx(res, tmp_path / "c.xlsx")
    ws = load_workbook(tmp_path / "c.xlsx")["排名"]  # no ranking: the unit comes first
    names = [r[0].value for r in ws.iter_rows(min_row=2)]
    assert ["A\ufffdB", "C\tD"] == sorted(names)


def test_xlsx_keeps_long_decimals_exact_as_text(tmp_path: Path) -> None:
    """A value with more digits than Excel keeps is written as its exact text."""
    criteria = ecoscore.loads(
        'ecoscore = 1\nid = "m"\ntitle = "均值"\n[rounding]\nnodes = "2 half-up"\n'
        '[inputs]\na = {}\nb = {}\nd = {}\n[node.m]\naggregate = "mean"\n'
        '[indicator.a]\nparent = "m"\n[indicator.b]\nparent = "m"\n'
        '[indicator.d]\nparent = "m"\n'
    )
    res = ecoscore.evaluate(criteria, [{"unit": "A", "a": "10", "b": "10", "d": "0"}])
    path = tmp_path / "m.xlsx"
    write_xlsx(res, path, lang="en")
    ws = load_workbook(path)["Trace"]
    node = next(r for r in ws.iter_rows(min_row=2) if r[2].value == "m")
    raw = res["A"].nodes["m"].raw
    assert raw is not None
    assert (format(raw, "f"), "s") == (node[8].value, node[8].data_type)
    assert (6.67, "0.00") == (node[10].value, node[10].number_format)


# -- CSV -------------------------------------------------------------------------------


def _csv(results: Results, lang: str = "zh") -> list[list[str]]:
    return list(csv.reader(io.StringIO(render_csv(results, lang))))


def test_csv_has_a_row_per_unit_with_exact_numbers(results: Results) -> None:
    """Each unit has one row; points, subtotals and the total are exact decimal text."""
    rows = _csv(results)
    header = rows[0]
    assert len(results) + 1 == len(rows)
    row = next(r for r in rows if r[0] == "南康区")
    cells = dict(zip(header, row, strict=True))
    assert {
        "PM2.5 浓度": "7.67",
        "大气环境": "16.27",
        "投诉扣分": "-0.50",
        "总分": "25.8",
        "等级": "不合格",
        "总排名": "5",
        "分类排名": "2",
        "分类排名 · 组别": "区",
    } == {
        k: cells[k]
        for k in (
            "PM2.5 浓度",
            "大气环境",
            "投诉扣分",
            "总分",
            "等级",
            "总排名",
            "分类排名",
            "分类排名 · 组别",
        )
    }


def test_csv_columns_follow_the_tree(results: Results) -> None:
    """After the unit come attributes, then indicators with each node after its children."""
    header = _csv(results, "en")[0]
    assert [
        "Unit",
        "Kind",
        "PM2.5 concentration",
        "Good-air days",
        "Air",
        "Water compliance",
        "Rectification",
        "Water",
        "Honours bonus",
        "Complaints deduction",
        "Total",
        "Grade",
        "Overall rank",
        "Rank by kind",
        "Rank by kind · Group",
    ] == header
    assert len(list(score_columns(results.criteria))) + 5 == len(header)


def test_csv_neutralises_formula_like_text_only(results: Results) -> None:
    """A unit named =cmd… gets a leading quote; negative numbers stay numbers."""
    rows = _csv(results)
    evil = next(r for r in rows if r[0].endswith(EVIL))
    assert "'" + EVIL == evil[0]
    assert "-0.50" in evil
    assert "" == evil[rows[0].index("问题整改")]


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_neutralise_prefixes_every_trigger(trigger: str) -> None:
    """Text starting with = + - @ tab or carriage return gets a leading quote."""
    assert f"'{trigger}1+1" == neutralise(f"{trigger}1+1")


@pytest.mark.parametrize("text", ["章贡区", "a=b", "1-2", "", "'quoted"])
def test_neutralise_leaves_plain_text(text: str) -> None:
    """Text that does not start with a trigger is unchanged."""
    assert text == neutralise(text)


def test_renderers_handle_no_total_no_grades_and_no_rankings(tmp_path: Path) -> None:
    """A unit with every indicator left out, in criteria without grades or rankings,
    renders everywhere with a dash for what does not exist."""
    criteria = ecoscore.loads(
        'ecoscore = 1\nid = "t"\ntitle = { en = "Only English" }\n[inputs]\nx = {}\n'
        '[indicator.x]\npoints = 5\ntarget = { at_least = 1 }\nmissing = "exclude"\n'
    )
    res = ecoscore.evaluate(criteria, [{"unit": "A", "x": None}, {"unit": "B", "x": "2"}])
    assert ["", "A", "—", "—"] == re.split(r"\s{2,}", render_table(res).splitlines()[4])[:4]
    assert "总分 —（未修约总分 —），等级：—" in explain(res, "A")
    assert "A,,," == render_csv(res).splitlines()[1]
    assert "<h3>2. B — 总分 5 " in render_html(res)
    assert "### 1. A — 总分 — · —" in render_markdown(res)
    write_xlsx(res, tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")["得分"]
    assert ["A", None, None, None] == [c.value for c in ws[3]]
