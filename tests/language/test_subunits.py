"""Tests for reading sub-unit tables and roll-ups (ecoscore.language.subunits): what loads,
and every mistake located at its key, all at once."""

from __future__ import annotations

from decimal import Decimal

import pytest

import ecoscore
from ecoscore import CriteriaError

HEAD = """\
ecoscore = 1
id = "sections"
title = { zh = "断面", en = "Sections" }

[subunits.sections]
zh = "断面"
en = "sections"
key = "section"
belongs_to = "county"
period = "year"

[subunits.sections.inputs]
water_class = { zh = "水质类别", type = "class", values = ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"] }
cod = { zh = "化学需氧量", unit = "mg/L", min = 0 }
level = { zh = "断面级别", type = "text", values = ["国考", "省考"] }
"""

GOOD = (
    HEAD
    + """
[rollup.good_share]
zh = "Ⅰ～Ⅲ类断面比例"
from = "sections"
aggregate = "share"
when = "water_class in ('Ⅰ', 'Ⅱ', 'Ⅲ')"
where = "level == '国考'"
round = "2 half-up"
if_missing = "not-met"

[rollup.worst]
from = "sections"
aggregate = "worst"
value = "water_class"

[rollup.cod]
from = "sections"
aggregate = "mean"
value = "cod"
if_empty = 0

[indicator.good_share]
points = 10
missing = "exclude"
bands = [{ at_least = 90, points = 10 }, { at_least = 0, below = 90, points = 0 }]

[indicator.worst_ok]
points = 2
condition = "worst in ('Ⅰ', 'Ⅱ', 'Ⅲ')"
missing = "exclude"
"""
)


def problems(text: str) -> str:
    """The message of the criteria's load error."""
    with pytest.raises(CriteriaError) as caught:
        ecoscore.loads(text, source="c.toml")
    return str(caught.value)


def test_tables_and_rollups_load_in_file_order() -> None:
    """A table keeps its columns and inputs (a class with its order); roll-ups their keys."""
    c = ecoscore.loads(GOOD)
    table = c.subunits["sections"]
    assert ("section", "county", "year") == (table.key, table.unit, table.period)
    assert ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ") == table.inputs["water_class"].values
    assert ["good_share", "worst", "cod"] == list(c.rollups)
    share = c.rollups["good_share"]
    assert ("share", "not-met", "missing") == (share.aggregate, share.if_missing, share.if_empty)
    assert ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ") == c.rollups["worst"].classes
    assert Decimal(0) == c.rollups["cod"].if_empty
    assert "Ⅰ～Ⅲ类断面比例" == c.rollups["good_share"].label.zh


def test_an_indicator_may_be_named_after_its_rollup_and_bands_cover_a_share() -> None:
    """good_share scores the roll-up of that name; its bands need cover only [0, 100]."""
    c = ecoscore.loads(GOOD)
    assert "good_share" == c.indicators["good_share"].value.plain  # type: ignore[union-attr]


def test_the_unit_column_defaults_to_unit() -> None:
    """Without belongs_to, the column naming the unit is called unit."""
    text = HEAD.replace('belongs_to = "county"\n', "")
    assert "unit" == ecoscore.loads(text + "[indicator.x]\nvalue = '1'\n").subunits["sections"].unit


@pytest.mark.parametrize(
    ("rollup", "fragment"),
    [
        (
            'from = "sectons"\naggregate = "count"',
            "rollup.r.from: no sub-unit table named 'sectons' (did you mean 'sections'?)",
        ),
        (
            'from = "sections"\naggregate = "share"\nwhen = "water_class in (\'Ⅰ\', \'III\')"',
            "rollup.r.when: 'III' is not a class of water_class (Ⅰ, Ⅱ, Ⅲ, Ⅳ, Ⅴ, 劣Ⅴ)",
        ),
        (
            'from = "sections"\naggregate = "count"\nwhen = "water_class <= \'Ⅲ\'"',
            "classes are not ordered by <, <=, > or >= in an expression",
        ),
        (
            'from = "sections"\naggregate = "worst"\nvalue = "cod"',
            "a worst reads one class input of 'sections', not 'cod'",
        ),
        (
            'from = "sections"\naggregate = "mean"\nvalue = "cod"\nif_missing = "not-met"',
            '"not-met" keeps a sub-unit in a count or share',
        ),
        (
            'from = "sections"\naggregate = "share"',
            "rollup.r: missing required key 'when'",
        ),
        (
            'from = "sections"\naggregate = "median"\nvalue = "cod"',
            "rollup.r.aggregate: 'median' is not allowed",
        ),
        (
            'from = "sections"\naggregate = "sum"\nvalue = "codd"',
            "unknown name 'codd'",
        ),
        (
            'from = "sections"\naggregate = "mean"\nvalue = "cod - previous(cod)"',
            "previous() reads a unit's figures",
        ),
        (
            'from = "sections"\naggregate = "sum"\nvalue = "level"',
            "a sum adds up numbers; level is a text",
        ),
        (
            'from = "sections"\naggregate = "count"\nwhen = "cod > 20"\nvalue = "cod"',
            "rollup.r.value: a count roll-up takes no value",
        ),
        (
            'from = "sections"\naggregate = "best"\nvalue = "water_class"\nif_empty = 3',
            "a best gives a class, not the number 3",
        ),
        (
            'from = "sections"\naggregate = "count"\nif_empty = "zero"',
            "rollup.r.if_empty: 'zero' is not allowed",
        ),
    ],
)
def test_a_mistake_in_a_rollup_is_located_at_its_key(rollup: str, fragment: str) -> None:
    """Each mistake in a roll-up is a load error at its key, with a hint where one helps."""
    message = problems(HEAD + f"\n[rollup.r]\n{rollup}\n\n[indicator.x]\nvalue = '1'\n")
    assert fragment in message
    assert message.startswith("c.toml:")


def test_a_table_column_that_is_also_an_input_and_a_class_with_no_classes() -> None:
    """Every problem of a table is reported at once."""
    text = HEAD.replace('key = "section"', 'key = "cod"') + (
        'grade = { type = "class" }\n\n[indicator.x]\nvalue = "1"\n'
    )
    message = problems(text)
    assert "subunits.sections.key: 'cod' is also an input of the table" in message
    assert "subunits.sections.inputs.grade: a class input lists its classes, best first" in message


def test_a_rollup_shares_its_name_with_nothing_but_its_indicator() -> None:
    """A roll-up named like an input is refused, as any name used twice."""
    text = GOOD + '\n[inputs]\nworst = "最差"\n'
    assert "'worst' is already a name in [inputs]" in problems(text)


def test_rules_read_rollups_as_inputs() -> None:
    """Derived values, grade rules, rankings and summaries may read a roll-up's id."""
    text = GOOD + (
        '\n[derived]\ntwice = "good_share * 2"\n'
        '\n[[veto]]\nwhen = "worst == \'劣Ⅴ\'"\ngrade = "不合格"\n'
        '\n[grades]\nbands = [{ grade = "合格", at_least = 0 }, { grade = "不合格" }]\n'
        '\n[ranking.share]\nby = "good_share"\n'
    )
    c = ecoscore.loads(text)
    assert "twice" in [d.id for d in c.derived]
