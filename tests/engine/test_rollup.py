"""Tests for roll-ups (ecoscore.engine.rollup, engine.subunits): each unit's figures from its
sub-units' rows, with the sub-units behind each; the missing-value and no-sub-unit
policies; periods; and every problem of the rows at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import ecoscore
from ecoscore import DataError, EvaluationError, Results
from ecoscore.engine.subunits import SubunitRow
from ecoscore.errors import Location

CRITERIA = """\
ecoscore = 1
id = "rollups"
title = { zh = "汇总", en = "Roll-ups" }

[rounding]
points = "2 half-up"
nodes = "2 half-up"

[subunits.sections]
zh = "断面"
en = "sections"
key = "section"
belongs_to = "county"
period = "year"

[subunits.sections.inputs]
water_class = { zh = "水质类别", type = "class", values = ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"] }
cod = { zh = "化学需氧量", min = 0 }

[subunits.stations]
zh = "空气站点"
en = "stations"
key = "station"
belongs_to = "county"

[subunits.stations.inputs]
pm25 = { zh = "PM2.5", min = 0 }

[rollup.good_share]
from = "sections"
aggregate = "share"
when = "water_class in ('Ⅰ', 'Ⅱ', 'Ⅲ')"
round = "2 half-up"

[rollup.good_share_kept]
from = "sections"
aggregate = "share"
when = "water_class in ('Ⅰ', 'Ⅱ', 'Ⅲ')"
round = "2 half-up"
if_missing = "not-met"

[rollup.sections]
from = "sections"
aggregate = "count"
if_empty = 0

[rollup.worst]
from = "sections"
aggregate = "worst"
value = "water_class"

[rollup.best]
from = "sections"
aggregate = "best"
value = "water_class"

[rollup.cod_max]
from = "sections"
aggregate = "max"
value = "cod"

[rollup.pm25]
from = "stations"
aggregate = "mean"
value = "pm25"
round = "1 half-up"

[inputs]
other = { zh = "其他", min = 0, max = 100 }

[derived]
share_change = "good_share - previous(good_share)"

[node.water]
points = 25
rescale_excluded = true

[indicator.good_share]
parent = "water"
points = 10
missing = "exclude"
linear = { zero_at = 60, full_at = 100 }

[indicator.other]
parent = "water"
points = 15
linear = { zero_at = 0, full_at = 100 }

[indicator.pm25]
points = 10
missing = "exclude"
linear = { zero_at = 35, full_at = 15 }
"""

C = ecoscore.loads(CRITERIA, source="c.toml")


def section(key: str, unit: str, cls: str | None, cod: str = "10", year: str = "2024") -> Any:
    """A section's row as a plain mapping."""
    return {"section": key, "county": unit, "year": year, "water_class": cls, "cod": cod}


SECTIONS = [
    section("NK01", "南康区", "Ⅱ", "12"),
    section("NK02", "南康区", "Ⅲ", "18"),
    section("NK03", "南康区", "Ⅳ", "25"),
    section("NK04", "南康区", "Ⅰ", "9"),
    section("NK05", "南康区", None, "15"),
    section("NK06", "南康区", "Ⅱ", "25"),
    section("NK07", "南康区", "Ⅲ", "11"),
    section("NK01", "南康区", "Ⅲ", "12", "2023"),
    section("NK02", "南康区", "Ⅳ", "18", "2023"),
]
STATIONS = [
    {"station": "S1", "county": "南康区", "pm25": "22.3"},
    {"station": "S2", "county": "南康区", "pm25": "22.4"},
    {"station": "S3", "county": "石城县", "pm25": "19"},
]
UNITS = [{"unit": "南康区", "other": "60"}, {"unit": "石城县", "other": "33.33"}]
PREVIOUS = [[{"unit": "南康区", "other": "50"}, {"unit": "石城县", "other": "50"}]]


def run(sections: Any = SECTIONS, stations: Any = STATIONS, **kw: Any) -> Results:
    """The roll-up criteria evaluated on the given rows (2024 and 2023)."""
    kw.setdefault("previous", PREVIOUS)
    tables = {"sections": sections, "stations": stations}
    return ecoscore.evaluate(C, UNITS, tables=tables, source="data", **kw)


def test_a_share_names_the_subunits_behind_it() -> None:
    """Share 5 / 6 = 83.33: the sub-units counted, not counted, and NK05 left out (no class)."""
    f = run()["南康区"].rollups["good_share"]
    assert (Decimal("83.33"), "2024") == (f.value, f.period)
    assert ("NK01", "NK02", "NK04", "NK06", "NK07") == f.counted
    assert ("NK01", "NK02", "NK03", "NK04", "NK06", "NK07") == f.considered
    assert (("NK05", ("water_class",)),) == f.left_out
    assert Decimal("83." + "3" * 32) == f.raw  # 5 × 100 / 6 in 34 digits


def test_not_met_keeps_a_subunit_with_no_class_in_the_denominator() -> None:
    """if_missing = "not-met": NK05 counts against the share, 5 / 7 = 71.43, and is listed."""
    f = run()["南康区"].rollups["good_share_kept"]
    assert Decimal("71.43") == f.value
    assert 7 == len(f.considered)
    assert (("NK05", ("water_class",)),) == f.kept


def test_worst_best_and_max_follow_the_declared_order_and_name_where_they_come_from() -> None:
    """Worst Ⅳ (NK03), best Ⅰ (NK04), the highest COD 25 at NK03 and NK06."""
    figures = run()["南康区"].rollups
    assert ("Ⅳ", ("NK03",)) == (figures["worst"].value, figures["worst"].at)
    assert ("Ⅰ", ("NK04",)) == (figures["best"].value, figures["best"].at)
    assert (Decimal(25), ("NK03", "NK06")) == (figures["cod_max"].value, figures["cod_max"].at)


def test_a_mean_is_rounded_before_it_is_scored() -> None:
    """PM2.5 = (22.3 + 22.4) / 2 = 22.35 → 22.4 (1 place), then 10 × (35 − 22.4) / 20 = 6.30
    (unrounded, 22.35 would give 6.33)."""
    card = run()["南康区"]
    assert (Decimal("22.4"), Decimal("22.35")) == (
        card.rollups["pm25"].value,
        card.rollups["pm25"].raw,
    )
    assert Decimal("6.30") == card.indicators["pm25"].points


def test_a_unit_with_no_sections_has_its_indicator_excluded_and_the_area_rescaled_once() -> None:
    """石城县 has no section: good_share is missing (not 0), its indicator is excluded, and
    the water area is other's 5.00 × 25 / 15 = 8.333… rounded once to 8.33."""
    card = run()["石城县"]
    assert card.rollups["good_share"].value is None
    assert "no sections sub-units: the figure is missing" == card.rollups["good_share"].note_text(
        "en"
    )
    assert "excluded" == card.indicators["good_share"].status
    assert Decimal("5.00") == card.indicators["other"].points
    water = card.nodes["water"]
    assert (Decimal("8.33"), ("good_share",)) == (water.value, water.excluded)
    assert "× 25/15" in (water.note_text("en") or "")
    assert card.total == sum((s.amount for s in card.steps), Decimal(0))
    assert "rescale" in [s.kind for s in card.steps]


def test_if_empty_gives_a_declared_number() -> None:
    """The count of sections is declared 0 for a unit with none."""
    figure = run()["石城县"].rollups["sections"]
    assert Decimal(0) == figure.value
    assert "no sections sub-units: 0, as declared" == figure.note_text("en")


def test_rollups_of_earlier_periods_feed_previous() -> None:
    """2023's share (NK01 Ⅲ, NK02 Ⅳ: 50.00) is previous(good_share): 83.33 − 50 = 33.33."""
    results = run()
    card = results["南康区"]
    assert Decimal("33.33") == card.indicators["good_share"].values["share_change"]


def test_periods_are_matched_by_name_when_named() -> None:
    """period= names the current period: with "2023" current, 2023's rows are rolled up."""
    f = run(previous=[], period="2023")["南康区"].rollups["good_share"]
    assert (Decimal("50.00"), "2023") == (f.value, f.period)


def test_a_table_without_a_period_column_holds_the_current_period() -> None:
    """Stations have no period: they are this year's, and last year has none."""
    card = run()["南康区"]
    assert card.rollups["pm25"].period is None
    assert Decimal("22.4") == card.rollups["pm25"].value


def test_rows_may_be_checked_records_with_locations() -> None:
    """SubunitRow values (as io reads them) are rolled up like mappings."""
    at = Location("stations.csv", 2, 1)
    rows = [SubunitRow("S1", "南康区", None, {"pm25": "30"}, origin=at)]
    assert Decimal(30) == run(stations=rows)["南康区"].rollups["pm25"].value


def test_every_problem_of_the_rows_is_reported_at_once() -> None:
    """An unknown unit, a sub-unit twice, a class not declared, an unknown column."""
    rows = [
        section("NK01", "南康县", "Ⅱ"),
        section("NK02", "南康区", "III"),
        section("NK02", "南康区", "Ⅱ"),
        {**section("NK03", "南康区", "Ⅱ"), "codd": "1"},
    ]
    with pytest.raises(DataError) as caught:
        run(sections=rows)
    message = str(caught.value)
    assert "sections: NK01 belongs to '南康县', which is not a unit of the data" in message
    assert "did you mean '南康区'?" in message
    assert "NK02: water_class: 'III' is not one of Ⅰ, Ⅱ, Ⅲ, Ⅳ, Ⅴ, 劣Ⅴ" in message
    assert "sections: 'NK02' is listed twice in 2024" in message
    assert "unknown name 'codd': not a column of the sub-unit table 'sections'" in message


def test_tables_must_be_the_declared_ones() -> None:
    """A table not declared, and a declared table with no rows given, are errors."""
    with pytest.raises(DataError) as caught:
        ecoscore.evaluate(C, UNITS, tables={"sectons": [], "stations": []})
    message = str(caught.value)
    assert "no sub-unit table named 'sectons' in the criteria (did you mean 'sections'?)" in message
    assert "no rows given for the sub-unit table 'sections'" in message


def test_if_missing_error_and_if_empty_error_name_the_unit() -> None:
    """Declared errors stop the evaluation, naming the unit, the roll-up and the sub-unit."""
    text = CRITERIA.replace(
        'round = "2 half-up"\n\n[rollup.good_share_kept]',
        'round = "2 half-up"\nif_missing = "error"\nif_empty = "error"\n\n[rollup.good_share_kept]',
    )
    c = ecoscore.loads(text)
    tables = {"sections": SECTIONS, "stations": STATIONS}
    with pytest.raises(EvaluationError) as caught:
        ecoscore.evaluate(c, UNITS, tables=tables, previous=PREVIOUS)
    message = str(caught.value)
    assert "南康区: rollup good_share: NK05 has no water_class" in message
    assert "石城县: rollup good_share: no sections sub-units: nothing to aggregate" in message
    # The indicator reading the failed figure is not reported a second time.
    assert "indicator good_share" not in message


def test_the_json_form_and_explain_carry_the_subunits() -> None:
    """The card's roll-ups are in the JSON form and in explain."""
    results = run()
    unit = next(u for u in ecoscore.results_to_dict(results)["units"] if u["unit"] == "南康区")
    share = next(f for f in unit["rollups"] if f["id"] == "good_share")
    assert "83.33" == share["value"]
    assert [{"subunit": "NK05", "missing": ["water_class"]}] == share["left_out"]
    text = ecoscore.explain_text(results, "南康区", "en")
    assert "good_share: sections (2024): share 5 / 6 = 83.33 (83.3333" in text
    assert "NK05 has no water_class (left out)" in text


def test_a_current_period_the_table_does_not_have_is_an_error() -> None:
    """Periods named alike nowhere ("2024年" in the data, "2024" in the table) are an
    error, not a county with no sections."""
    with pytest.raises(DataError) as caught:
        run(period="2024年")
    message = str(caught.value)
    assert "the sub-unit table 'sections' has no rows for the period '2024年'" in message
    assert "(its periods: 2023, 2024)" in message


def test_tables_that_are_not_a_mapping_are_an_error() -> None:
    """A list of rows given for tables= is refused with what it should be."""
    with pytest.raises(DataError) as caught:
        ecoscore.evaluate(C, UNITS, tables=SECTIONS)  # type: ignore[arg-type]
    assert "tables= maps each sub-unit table's id to its rows, not a list" in str(caught.value)


def test_periods_declared_by_the_criteria_pick_the_rows_of_each_year() -> None:
    """With [periods], unnamed data take the declared names, and each period's rows are
    those of its name: 2024's share 83.33, 2023's 50.00 as previous(good_share); a year
    the table lacks (2022) has no share."""
    text = CRITERIA.replace(
        "[rounding]", '[periods]\nassessed = ["2024"]\nbaseline = ["2022", "2023"]\n\n[rounding]'
    )
    c = ecoscore.loads(text)
    tables = {"sections": SECTIONS, "stations": STATIONS}
    results = ecoscore.evaluate(c, UNITS, previous=[*PREVIOUS, PREVIOUS[0]], tables=tables)
    card = results["南康区"]
    assert (Decimal("83.33"), "2024") == (
        card.rollups["good_share"].value,
        card.rollups["good_share"].period,
    )
    assert Decimal("33.33") == card.indicators["good_share"].values["share_change"]
    assert card.indicators["good_share"].values.get("previous(good_share, 2)") is None
