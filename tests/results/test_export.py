"""Tests for ecoscore.results.export: the stable JSON form of results."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from typing import Any

import attrs
import jsonschema
import pytest

import ecoscore
from ecoscore.results.export import FORMAT, iter_results_json, results_schema
from ecoscore.rules.base import Outcome

_CRITERIA = """\
ecoscore = 1
id = "demo"
title = { zh = "示例", en = "Demo" }
[rounding]
points = "2 half-up"
total = "1 half-up"
[inputs]
pm25 = { zh = "PM2.5", min = 0 }
rate = { min = 0, max = 100 }
[indicator.pm25]
points = 10
linear = { zero_at = 75, full_at = 35 }
[indicator.rate]
points = 5
target = { at_least = 90 }
missing = "exclude"
[grades]
bands = [{ grade = "优秀", at_least = 10 }, { grade = "合格" }]
[ranking.overall]
"""

_ROWS = [
    {"unit": "南康区", "pm25": "40", "rate": ""},
    {"unit": "章贡区", "pm25": "50", "rate": "95"},
]


@pytest.fixture(scope="module")
def results() -> ecoscore.Results:
    return ecoscore.evaluate(ecoscore.loads(_CRITERIA, source="demo.toml"), _ROWS)


def clause_text(document: dict[str, Any], unit: dict[str, Any], ident: str, lang: str) -> str:
    """An indicator's clause in ``lang``, put together as docs/results-format.md says."""
    k, *args = unit["indicators"][ident]["clause"]
    table = next(i for i in document["indicators"] if i["id"] == ident)
    template: str = table["clauses"][k][lang]
    return template.format(*args) if args else template


def assert_clauses_as_outcomes(document: dict[str, Any], results: ecoscore.Results) -> None:
    """Every cell's clause, in both languages, is the text its outcome gives."""
    for unit in document["units"]:
        for ident, res in results[unit["unit"]].indicators.items():
            if res.outcome is None:
                assert "clause" not in unit["indicators"][ident]
                continue
            for lang in ("zh", "en"):
                assert res.outcome.text(lang) == clause_text(document, unit, ident, lang)


def test_the_form_is_named_and_versioned(results: ecoscore.Results) -> None:
    """The JSON says its format, its trace and which criteria (with their fingerprint) it
    scored."""
    data = ecoscore.results_to_dict(results)
    assert ("ecoscore-results/2", "full") == (data["format"], data["trace"])
    assert FORMAT == data["format"]
    assert {
        "id": "demo",
        "title": {"zh": "示例", "en": "Demo"},
        "sha256": results.criteria.sha256,
        "version": 1,
    } == data["criteria"]


def test_numbers_are_exact_decimal_strings(results: ecoscore.Results) -> None:
    """Every number is a string of the exact decimal, null where there is none."""
    unit = ecoscore.results_to_dict(results)["units"][1]
    pm25 = unit["indicators"]["pm25"]
    assert ("章贡区", "11.3", "11.25", "6.25", "50") == (
        unit["unit"],
        unit["total"],
        unit["total_exact"],
        pm25["points"],
        pm25["value"],
    )
    assert ("5.00", "5") == (
        unit["indicators"]["rate"]["points"],
        unit["indicators"]["rate"]["raw_points"],
    )
    rate = ecoscore.results_to_dict(results)["units"][0]["indicators"]["rate"]
    assert (None, None, "excluded") == (rate["points"], rate["value"], rate["status"])


def test_what_every_unit_shares_is_written_once(results: ecoscore.Results) -> None:
    """Each indicator's parent, rounding and clause templates, and each node's aggregate
    and rounding, are at the top; a unit's cells hold its own values."""
    data = ecoscore.results_to_dict(results)
    assert [
        {
            "id": "pm25",
            "label": {"zh": None, "en": None},
            "parent": "total",
            "rounding": "2 half-up",
            "clauses": [{"zh": "10 × ({} − 75) / (35 − 75)", "en": "10 × ({} − 75) / (35 − 75)"}],
        },
        {
            "id": "rate",
            "label": {"zh": None, "en": None},
            "parent": "total",
            "rounding": "2 half-up",
            "clauses": [{"zh": "95 ≥ 90:达标", "en": "95 ≥ 90: met"}],
        },
    ] == data["indicators"]
    assert [
        {
            "id": "total",
            "label": {"zh": None, "en": None},
            "parent": None,
            "aggregate": "sum",
            "rounding": "1 half-up",
            "children": ["pm25", "rate"],
        }
    ] == data["nodes"]
    assert {"value": "40", "points": "8.75", "clause": [0, "40"], "inputs": {"pm25": "40"}} == (
        data["units"][0]["indicators"]["pm25"]
    )


def test_a_key_is_left_out_only_when_it_holds_its_default(results: ecoscore.Results) -> None:
    """raw_points and contribution appear when their text differs from the points, status
    when not scored, rounding when not the indicator's; a node's raw when it differs."""
    units = ecoscore.results_to_dict(results)["units"]
    excluded = units[0]["indicators"]["rate"]
    assert {
        "value": None,
        "points": None,
        "status": "excluded",
        "rounding": None,
        "note": {"zh": "缺rate，不参与计分", "en": "no rate: left out"},
        "inputs": {"rate": None},
    } == excluded
    assert {"value": "8.8", "raw": "8.75", "excluded": ["rate"]} == units[0]["nodes"]["total"]


def test_clauses_put_together_are_the_outcomes_texts(results: ecoscore.Results) -> None:
    """A clause's template with its args is exactly the text of the rule's outcome."""
    assert_clauses_as_outcomes(ecoscore.results_to_dict(results), results)


_BANDS = """\
ecoscore = 1
id = "bands"
title = { en = "Bands" }
rounding = { points = "2 half-up" }
[inputs]
x = { min = 0, max = 100 }
[indicator.x]
points = 10
bands = [{ at_least = 90, points = 10 }, { at_least = 60, below = 90, points = 6 },
         { below = 60, points = 0 }]
"""


def test_a_rules_constants_are_written_into_its_templates() -> None:
    """A band's range and points are in its template once; each cell holds its value."""
    rows = [{"unit": f"u{k}", "x": x} for k, x in enumerate(["95", "91", "70", "65", "10", "20"])]
    results = ecoscore.evaluate(ecoscore.loads(_BANDS), rows)
    data = ecoscore.results_to_dict(results)
    templates = [c["en"] for c in data["indicators"][0]["clauses"]]
    assert ["{} in [90, +∞) → 10", "{} in [60, 90) → 6", "{} in (−∞, 60) → 0"] == templates
    assert [[0, "95"], [0, "91"], [1, "70"], [1, "65"], [2, "10"], [2, "20"]] == [
        u["indicators"]["x"]["clause"] for u in data["units"]
    ]
    assert_clauses_as_outcomes(data, results)


def test_braces_in_a_rules_words_are_escaped_only_where_args_remain() -> None:
    """A class named with braces is escaped ({{, }}) in a template that still takes args,
    and written as it is in one that takes none (it is then the text itself)."""
    text = _BANDS.replace(
        "bands = [{ at_least = 90, points = 10 }, { at_least = 60, below = 90, points = 6 },\n"
        "         { below = 60, points = 0 }]",
        'bands = [{ at_least = 90, points = 10, class = "{A}" }, { below = 90, points = 0,'
        ' class = "B}" }]',
    )
    rows = [{"unit": u, "x": x} for u, x in (("a", "95"), ("b", "92"), ("c", "5"))]
    results = ecoscore.evaluate(ecoscore.loads(text), rows)
    data = ecoscore.results_to_dict(results)
    assert ["{} in [90, +∞) → {{A}}, 10", "5 in (−∞, 90) → B}, 0"] == [
        c["en"] for c in data["indicators"][0]["clauses"]
    ]
    assert_clauses_as_outcomes(data, results)


def test_a_template_with_numbered_fields_keeps_every_arg(results: ecoscore.Results) -> None:
    """A template that names its fields ({1} then {0}) is kept as it is, each cell with all
    its args: the text put together is still the outcome's."""
    cards = {}
    for k, (unit, card) in enumerate(results.cards.items()):
        res = card.indicators["pm25"]
        outcome = Outcome(res.points, "{1} then {0}", (Decimal(k), Decimal(2)))
        indicators = {**card.indicators, "pm25": attrs.evolve(res, outcome=outcome)}
        cards[unit] = attrs.evolve(card, indicators=indicators)
    changed = attrs.evolve(results, cards=cards)
    data = ecoscore.results_to_dict(changed)
    assert [{"zh": "{1} then {0}", "en": "{1} then {0}"}] == data["indicators"][0]["clauses"]
    assert [[0, "0", "2"], [0, "1", "2"]] == [
        u["indicators"]["pm25"]["clause"] for u in data["units"]
    ]
    assert_clauses_as_outcomes(data, changed)


def test_the_trace_adds_up_to_the_total(results: ecoscore.Results) -> None:
    """The JSON trace's amounts add up exactly to the JSON total."""
    for unit in ecoscore.results_to_dict(results)["units"]:
        assert Decimal(unit["total"]) == sum(
            (Decimal(amount) for _, _, amount in unit["trace"]), Decimal(0)
        )


def test_units_are_sorted_and_ranked(results: ecoscore.Results) -> None:
    """Units are in unit order, each with its rank in every ranking."""
    data = ecoscore.results_to_dict(results)
    assert (["南康区", "章贡区"], "1", "2") == (
        [u["unit"] for u in data["units"]],
        data["units"][1]["ranks"]["overall"]["rank"],
        data["units"][0]["ranks"]["overall"]["rank"],
    )
    assert {"id", "label", "entries"} == set(data["rankings"][0])
    assert {"unit", "rank", "group", "value", "note"} == set(data["rankings"][0]["entries"][0])


@pytest.mark.parametrize("trace", ["full", "summary", "none"])
def test_every_trace_level_fits_the_schema(results: ecoscore.Results, trace: str) -> None:
    """The form fits the JSON Schema shipped with the package, at each trace level."""
    data = ecoscore.results_to_dict(results, trace=trace)
    jsonschema.Draft202012Validator.check_schema(results_schema())
    jsonschema.validate(data, results_schema(), cls=jsonschema.Draft202012Validator)


def test_a_summary_trace_keeps_values_and_points_only(results: ecoscore.Results) -> None:
    """trace="summary" keeps each indicator's value and points, each node's value and the
    grade steps; no clause, input, step or additive trace."""
    data = ecoscore.results_to_dict(results, trace="summary")
    unit = data["units"][1]
    assert {"value": "50", "points": "6.25"} == unit["indicators"]["pm25"]
    assert "trace" not in unit
    assert "clauses" not in data["indicators"][0]
    assert ["band"] == [s["rule"] for s in unit["grade_steps"]]


def test_no_trace_keeps_totals_grades_and_ranks(results: ecoscore.Results) -> None:
    """trace="none" keeps each unit's total, grade and ranks, and the rankings."""
    unit = ecoscore.results_to_dict(results, trace="none")["units"][1]
    assert {"unit", "attributes", "total", "total_exact", "grade", "ranks"} == set(unit)


def test_an_unknown_trace_is_refused(results: ecoscore.Results) -> None:
    """A trace level the form does not know is a ValueError that names the levels."""
    with pytest.raises(ValueError, match="full, summary, none"):
        ecoscore.results_to_dict(results, trace="some")


def test_the_json_text_is_byte_identical_and_keeps_chinese(results: ecoscore.Results) -> None:
    """The same results give the same text, UTF-8 Chinese as is, ending in a newline."""
    text = ecoscore.results_to_json(results)
    again = ecoscore.results_to_json(
        ecoscore.evaluate(ecoscore.loads(_CRITERIA, source="demo.toml"), _ROWS[::-1])
    )
    assert text == again
    assert "章贡区" in text
    assert text.endswith("}\n")
    assert ecoscore.results_to_dict(results) == json.loads(text)


def test_shuffled_rows_give_the_same_templates_and_bytes() -> None:
    """The clause tables, found over every unit, do not depend on the rows' order."""
    rows = [{"unit": f"u{k:02d}", "x": str(k * 3)} for k in range(34)]
    criteria = ecoscore.loads(_BANDS)
    text = ecoscore.results_to_json(ecoscore.evaluate(criteria, rows))
    random.Random(8).shuffle(rows)
    assert text == ecoscore.results_to_json(ecoscore.evaluate(criteria, rows))


def test_compact_json_is_one_line_without_spaces(results: ecoscore.Results) -> None:
    """By default the text is compact: one line, no space after a separator."""
    text = ecoscore.results_to_json(results)
    assert 1 == len(text.splitlines())
    assert json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":")) + "\n" == text


@pytest.mark.parametrize("indent", [None, 2])
def test_the_pieces_join_to_the_whole_document(
    results: ecoscore.Results, indent: int | None
) -> None:
    """Written a unit at a time, the text is exactly json.dumps of the whole document."""
    more = {"manifest": {"ecoscore": "x", "settings": {"lang": "zh"}}}
    document = {**ecoscore.results_to_dict(results), **more}
    separators = (",", ":") if indent is None else (",", ": ")
    expected = json.dumps(document, ensure_ascii=False, indent=indent, separators=separators)
    assert expected + "\n" == "".join(iter_results_json(results, indent=indent, more=more))


def test_no_units_is_an_empty_list() -> None:
    """Results with no unit still write a whole document, pretty or compact."""
    results = ecoscore.evaluate(ecoscore.loads(_BANDS), [])
    for indent in (None, 2):
        assert [] == json.loads(ecoscore.results_to_json(results, indent=indent))["units"]
