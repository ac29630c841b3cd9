"""Tests for roll-ups in reports (ecoscore.report.rollups): explain, the HTML card and the
outline of ``ecoscore check`` name the sub-units behind each rolled-up figure."""

from __future__ import annotations

import ecoscore
from ecoscore.report.html import render_html
from ecoscore.report.outline import outline
from ecoscore.report.rollups import rollup_lines

CRITERIA = ecoscore.loads(
    """
ecoscore = 1
id = "report-rollups"
title = { zh = "汇总", en = "Roll-ups" }
[subunits.sections]
zh = "断面"
en = "sections"
key = "section"
[subunits.sections.inputs]
water_class = { type = "class", values = ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"] }
[rollup.good_share]
zh = "优良比例"
en = "good share"
from = "sections"
aggregate = "share"
when = "water_class in ('Ⅰ', 'Ⅱ', 'Ⅲ')"
round = "2 half-up"
[indicator.good_share]
missing = "exclude"
"""
)
ROWS = [
    {"section": "A1", "unit": "甲", "water_class": "Ⅱ"},
    {"section": "A2", "unit": "甲", "water_class": "Ⅴ"},
]
RESULTS = ecoscore.evaluate(CRITERIA, [{"unit": "甲"}], tables={"sections": ROWS})


def test_explain_shows_the_rollups_first() -> None:
    """The card in words opens with the figures rolled up from sub-units."""
    text = ecoscore.explain_text(RESULTS, "甲", "zh")
    assert "一、由下级单元汇总的数据\n  优良比例 [good_share]: 断面: 比例 1 / 2 = 50.00" in text
    assert [
        "  good share [good_share]: sections: share 1 / 2 = 50.00; counted: A1; not counted: A2"
    ] == (rollup_lines(CRITERIA, RESULTS["甲"], "en"))


def test_the_html_card_lists_the_rollups_escaped() -> None:
    """The HTML card has a list of the roll-ups, its text escaped."""
    page = render_html(RESULTS, "en")
    assert '<ul class="rollups" aria-label="Figures rolled up from sub-units">' in page
    assert "<li>good share [good_share]: sections: share 1 / 2 = 50.00;" in page


def test_check_outlines_the_tables_and_their_rollups() -> None:
    """ecoscore check prints each table's columns and each roll-up's aggregate."""
    lines = outline(CRITERIA, "en")
    assert (
        "  sections  sections  [unit, section]  water_class (best first: Ⅰ, Ⅱ, Ⅲ, Ⅳ, Ⅴ, 劣Ⅴ)"
        in lines
    )
    assert any(
        line.startswith("    good share [good_share]: share  when water_class in") for line in lines
    )
