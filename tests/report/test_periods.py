"""Tests for ecoscore.report.periods and the outputs of several periods: flags and the
earlier periods' totals, grades and ranks in every output, and verify comparing them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

import ecoscore
from ecoscore.audit.verify import verify
from ecoscore.engine.submission import Period
from ecoscore.io.tables import read_table
from ecoscore.report.csv import render_csv
from ecoscore.report.html import render_html
from ecoscore.report.markdown import render_markdown
from ecoscore.report.periods import history_headers, history_values
from ecoscore.report.text import render_table
from ecoscore.report.xlsx import write_xlsx

CRITERIA = ecoscore.loads(
    """
ecoscore = 1
id = "p"
title = { zh = "示例", en = "Example" }
[periods]
assessed = ["2023", "2024"]
[inputs]
score = { zh = "得分", en = "Score", min = 0, max = 100 }
[indicator.work]
points = 100
formula = "score"
[grades]
bands = [{ grade = "优秀", en = "Excellent", at_least = 90 }, { grade = "合格", en = "Pass" }]
[ranking.overall]
zh = "总排名"
en = "Overall"
[flag.summoned]
zh = "约谈"
en = "summoned"
when = "overall >= units and previous(overall) >= previous(units)"
"""
)
Y2023 = [{"unit": "A", "score": "95"}, {"unit": "B", "score": "70"}]
Y2024 = [{"unit": "A", "score": "85"}, {"unit": "B", "score": "60"}]


@pytest.fixture(scope="module")
def results() -> ecoscore.Results:
    earlier = Period("2023", tuple(ecoscore.Submission(r["unit"], r) for r in Y2023))
    return ecoscore.evaluate(CRITERIA, Y2024, previous=[earlier], period="2024")


def test_history_columns_hold_each_earlier_period(results: ecoscore.Results) -> None:
    """The earlier period's total, grade and rank stand beside the current ones."""
    assert ["2023 总分", "2023 等级", "2023 排名"] == history_headers(results)
    assert ["2023 Total", "2023 Grade", "2023 Rank"] == history_headers(results, "en")
    assert ["95", "优秀", "1"] == history_values(results, "A")
    assert ["70", "Pass", "2"] == history_values(results, "B", "en")


def test_the_terminal_table_shows_flags_and_history(results: ecoscore.Results) -> None:
    """The table printed by `ecoscore score` has the flags and the 2023 columns."""
    text = render_table(results)
    assert "标记" in text
    assert "2023 总分" in text
    line = next(line for line in text.splitlines() if " B " in f" {line} ")
    assert "约谈" in line
    assert "70" in line


def test_csv_markdown_and_html_show_flags_and_history(results: ecoscore.Results) -> None:
    """Every text output carries the flag and the earlier period's figures."""
    rows = list(csv.reader(io.StringIO(render_csv(results, "en"))))
    header = rows[0]
    b = next(r for r in rows if r[0] == "B")
    assert "summoned" == b[header.index("Flags")]
    assert "70" == b[header.index("2023 Total")]
    assert "约谈" in render_markdown(results)
    assert "2023 等级" in render_markdown(results)
    assert "约谈" in render_html(results)
    assert "2023 排名" in render_html(results)


def test_xlsx_ranking_sheet_has_flags_and_history(
    results: ecoscore.Results, tmp_path: Path
) -> None:
    """The ranking sheet has a flags column and the 2023 figures, numbers as numbers."""
    path = tmp_path / "r.xlsx"
    write_xlsx(results, path)
    ws = openpyxl.load_workbook(path)["排名"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "B")
    assert "约谈" == row[header.index("标记")]
    assert 70 == row[header.index("2023 总分")]


def test_json_has_the_period_flags_and_history(results: ecoscore.Results) -> None:
    """The JSON form names the period, each unit's flags, and the earlier periods."""
    document = json.loads(ecoscore.results_to_json(results))
    assert "2024" == document["period"]
    assert ["summoned"] == next(u for u in document["units"] if u["unit"] == "B")["flags"]
    (earlier,) = document["history"]
    assert "2023" == earlier["period"]
    assert {"total": "95", "grade": "优秀", "ranks": {"overall": "1"}, "flags": []} == (
        earlier["units"]["A"]
    )


def test_verify_compares_flags_and_earlier_years(results: ecoscore.Results, tmp_path: Path) -> None:
    """A published table with a flags column and 2023 columns is compared in full."""
    path = tmp_path / "published.csv"
    path.write_text(
        "单位,总分,标记,2023年总分,2023 等级,2023 排名\nA,85,,95,优秀,1\nB,60,,70,优秀,2\n",
        encoding="utf-8",
    )
    outcome = verify(results, read_table(path))
    assert {"total", "flags", "history:2023:total", "history:2023:grade"} <= set(outcome.compared)
    found = {(d.unit, d.item): (d.published, d.computed) for d in outcome.differences}
    assert {("B", "flags"): ("", "约谈"), ("B", "history:2023:grade"): ("优秀", "合格")} == found


def test_the_json_of_several_periods_fits_the_shipped_schema(results: ecoscore.Results) -> None:
    """period, flags and history are described by the schema that ships (and checked)."""
    import jsonschema

    from ecoscore.results.export import results_schema

    document = json.loads(ecoscore.results_to_json(results))
    schema = results_schema()
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    assert {"period", "flags", "history", "left_out"} <= set(schema["properties"])
    document["history"][0]["units"]["A"]["total"] = 95
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
