"""Tests for summaries over units ([summary.<id>]: ecoscore.engine.summary, language.summaries):
counts, shares, sums, means, minima, maxima and formulas, by group, with left-out units,
rounding and bands; the `in` operator and class_of(); the JSON form and the renderers;
and the figures printed in docs/criteria.md, section "Summaries over units"."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given

import ecoscore
from ecoscore import CriteriaError, EvaluationError, Results
from ecoscore.numbers import CONTEXT
from ecoscore.report.html import render_html
from ecoscore.report.text import render_table
from ecoscore.results import SummaryFigure
from strategies import summary_rows
from test_docs import BLOCKS, CRITERIA_MD, TEXTS, _records

BASE = """\
ecoscore = 1
id = "summaries"
title = { zh = "汇总", en = "Summaries" }

[inputs]
x = { zh = "数值", en = "x" }
kind = { zh = "类型", en = "kind", type = "text" }

[attributes]
river = { zh = "河流", en = "river", values = ["b", "a"] }

[indicator.x]
missing = "exclude"
"""

EVERY_AGGREGATE = """
[summary.n]
aggregate = "count"
group_by = "river"

[summary.big]
aggregate = "count"
when = "x >= 50"

[summary.share]
zh = "大值占比"
en = "share of large values"
aggregate = "share"
when = "x >= 50"
group_by = "river"
round = "2 half-up"

[summary.total]
aggregate = "sum"
value = "x"

[summary.avg]
aggregate = "mean"
value = "x"
round = "2 half-up"

[summary.low]
aggregate = "min"
value = "x"

[summary.high]
aggregate = "max"
value = "x"
where = "kind == 'A'"
"""

#: u4 has no x; u5 has no river.
ROWS: list[dict[str, Any]] = [
    {"unit": "u1", "river": "a", "x": "80", "kind": "A"},
    {"unit": "u2", "river": "a", "x": "40", "kind": "B"},
    {"unit": "u3", "river": "b", "x": "60", "kind": "A"},
    {"unit": "u4", "river": "b", "x": None, "kind": "A"},
    {"unit": "u5", "river": None, "x": "20", "kind": "B"},
]


def evaluate(summaries: str, rows: list[dict[str, Any]] = ROWS, base: str = BASE) -> Results:
    """BASE with the given summaries, evaluated on the rows."""
    return ecoscore.evaluate(ecoscore.loads(base + summaries, source="criteria.toml"), rows)


def refused(summaries: str, base: str = BASE) -> str:
    """The load error of BASE with the given summaries, as text."""
    with pytest.raises(CriteriaError) as caught:
        ecoscore.loads(base + summaries, source="criteria.toml")
    return str(caught.value)


def figures(results: Results, ident: str) -> list[tuple[Any, ...]]:
    """A summary's figures as (group, value, count, considered, left out, class)."""
    return [
        (
            f.group,
            None if f.value is None else str(f.value),
            f.count,
            f.considered,
            f.left_out,
            f.label,
        )
        for f in results.summary(ident).groups
    ]


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of the first line of ``text`` holding ``fragment``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


# -- the aggregates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ident", "expected"),
    [
        # A count with no when counts every unit considered; u5 has no river: all only.
        (
            "n",
            [(None, "5", 5, 5, (), None), ("b", "2", 2, 2, (), None), ("a", "2", 2, 2, (), None)],
        ),
        ("big", [(None, "2", 2, 4, ("u4",), None)]),
        (
            "share",
            [
                (None, "50.00", 2, 4, ("u4",), None),
                ("b", "100.00", 1, 1, ("u4",), None),
                ("a", "50.00", 1, 2, (), None),
            ],
        ),
        ("total", [(None, "200", 4, 4, ("u4",), None)]),
        ("avg", [(None, "50.00", 4, 4, ("u4",), None)]),
        ("low", [(None, "20", 4, 4, ("u4",), None)]),
        # where kind == 'A': u1 and u3 (u4 is left out, u2 and u5 are not considered).
        ("high", [(None, "80", 2, 2, ("u4",), None)]),
    ],
)
def test_each_aggregate(ident: str, expected: list[tuple[Any, ...]]) -> None:
    """count, share, sum, mean, min and max over every unit and per group, exactly."""
    assert expected == figures(evaluate(EVERY_AGGREGATE), ident)


def test_groups_follow_the_attribute_values_then_sorted() -> None:
    """Groups come in the order of the attribute's values, then any others sorted."""
    base = BASE.replace('values = ["b", "a"] ', "")
    rows = [{**r, "river": r["river"] and {"a": "z", "b": "m"}[r["river"]]} for r in ROWS]
    results = evaluate('[summary.n]\naggregate = "count"\ngroup_by = "river"\n', rows, base)
    assert [None, "m", "z"] == [f.group for f in results.summary("n").groups]


def test_a_missing_value_leaves_the_unit_out_never_zero() -> None:
    """A unit whose when reads a missing value is listed as left out and is not in the
    denominator: the share is 1 of 1, not 1 of 2."""
    results = evaluate(EVERY_AGGREGATE)
    figure = results.summary("share").figure("b")
    assert (Decimal("100.00"), 1, 1, ("u4",)) == (
        figure.value,
        figure.count,
        figure.considered,
        figure.left_out,
    )


def test_where_reading_a_missing_value_leaves_the_unit_out() -> None:
    """A where that reads a missing value leaves the unit out too."""
    results = evaluate('[summary.s]\naggregate = "count"\nwhere = "x > 30"\n')
    assert [(None, "3", 3, 3, ("u4",), None)] == figures(results, "s")


def test_nothing_considered_gives_no_figure() -> None:
    """A share, mean, sum, min or max over no unit has no value; a count over none is 0."""
    results = evaluate(
        '[summary.s]\naggregate = "share"\nwhen = "x > 1"\nwhere = "x > 1000"\n'
        '[summary.m]\naggregate = "sum"\nvalue = "x"\nwhere = "x > 1000"\n'
        '[summary.c]\naggregate = "count"\nwhere = "x > 1000"\n'
    )
    assert [(None, 0), (None, 0), (Decimal(0), 0)] == [
        (results.summary(s).figure().value, results.summary(s).figure().considered)
        for s in ("s", "m", "c")
    ]


@pytest.mark.parametrize(
    ("summary", "value"),
    [
        (
            'aggregate = "share"\nwhen = "x == 80"\nwhere = "kind == \'A\'"\nround = "2 half-up"',
            "33.33",
        ),
        (
            'aggregate = "share"\nwhen = "x == 80"\nwhere = "kind == \'A\'"\nround = "0 ceiling"',
            "34",
        ),
        (
            'aggregate = "share"\nwhen = "x == 80"\nwhere = "kind == \'A\'"\nround = "1 floor"',
            "33.3",
        ),
        (
            'aggregate = "mean"\nvalue = "x"\nwhere = "x == 40 or x == 10"\nround = "-1 half-even"',
            "2E+1",
        ),
        (
            'aggregate = "mean"\nvalue = "x"\nwhere = "x == 40 or x == 10"\nround = "-1 half-up"',
            "3E+1",
        ),
        (
            'aggregate = "mean"\nvalue = "x"\nwhere = "x < 70 and x > 20"\nround = "0 half-even"',
            "50",
        ),
    ],
)
def test_the_figure_is_rounded_as_declared(summary: str, value: str) -> None:
    """round gives the published figure, in the declared mode and places."""
    rows = [*ROWS, {"unit": "u6", "river": "a", "x": "10", "kind": "A"}]
    figure = evaluate(f"[summary.s]\n{summary}\n", rows).summary("s").figure()
    assert value == str(figure.value)


def test_share_raw_is_exact() -> None:
    """The raw share is count × 100 / considered in the scoring precision."""
    rows = [*ROWS, {"unit": "u6", "river": "a", "x": "10", "kind": "A"}]
    figure = (
        evaluate(
            '[summary.s]\naggregate = "share"\nwhen = "x == 80"\nwhere = "kind == \'A\'"\n', rows
        )
        .summary("s")
        .figure()
    )
    assert Decimal("33.33333333333333333333333333333333") == figure.raw


@given(summary_rows())
def test_results_do_not_depend_on_the_order_of_the_units(
    rows: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    """Every figure is the same whatever the order of the rows, and a share is always
    counted × 100 / considered over the units not left out."""
    first, shuffled = (evaluate(EVERY_AGGREGATE, list(r)) for r in rows)
    assert first.summaries == shuffled.summaries
    for figure in first.summary("share").groups:
        if figure.considered:
            assert figure.raw == CONTEXT.divide(Decimal(figure.count) * 100, figure.considered)
        group = [r for r in rows[0] if figure.group is None or r["river"] == figure.group]
        assert len(group) == figure.considered + len(figure.left_out)


# -- bands and formulas -------------------------------------------------------------------------

SHARE_BANDS = """
[summary.s]
aggregate = "share"
when = "x >= 50"
group_by = "river"
round = "2 half-up"
bands = [
  { at_least = 90, class = "优" },
  { at_least = 50, below = 90, class = "良好" },
  { below = 50, class = "一般" },
]
"""


def test_bands_class_the_published_figure() -> None:
    """The band holding the rounded figure gives its class; 50.00 is in [50, 90)."""
    results = evaluate(SHARE_BANDS)
    assert [None, "b", "a"] == [f.group for f in results.summary("s").groups]
    assert ["良好", "优", "良好"] == [f.label for f in results.summary("s").groups]


def test_a_numeric_formula_is_rounded_and_classed() -> None:
    """A formula over two summaries of the same groups, rounded and classed by its bands."""
    results = evaluate(
        SHARE_BANDS
        + """
[summary.small]
aggregate = "share"
when = "x < 50"
group_by = "river"

[summary.gap]
aggregate = "formula"
formula = "(s - small) / 3"
group_by = "river"
round = "1 half-up"
bands = [{ at_least = 0, class = "多" }, { below = 0, class = "少" }]
"""
    )
    assert [(None, "0.0", "多"), ("b", "33.3", "多"), ("a", "0.0", "多")] == [
        (f.group, str(f.value), f.label) for f in results.summary("gap").groups
    ]


def test_a_text_formula_gives_the_class() -> None:
    """A formula that gives a text sets the figure's class and no value; its units are
    its group's, and its left-out units those of the summaries it reads."""
    results = evaluate(
        SHARE_BANDS
        + """
[summary.verdict]
aggregate = "formula"
formula = "'达标' if s >= 75 else '未达标'"
group_by = "river"
"""
    )
    assert [
        (None, None, 5, 5, ("u4",), "未达标"),
        ("b", None, 2, 2, ("u4",), "达标"),
        ("a", None, 2, 2, (), "未达标"),
    ] == figures(results, "verdict")


def test_a_formula_over_a_summary_without_figure_has_none() -> None:
    """A formula reading a figure that does not exist (a share of nothing) has none."""
    results = evaluate(
        '[summary.s]\naggregate = "share"\nwhen = "x > 1"\nwhere = "x > 1000"\n'
        '[summary.f]\naggregate = "formula"\nformula = "s + 1"\n'
    )
    assert (None, None) == (
        results.summary("f").figure().value,
        results.summary("f").figure().label,
    )


def test_a_text_formula_with_bands_is_an_evaluation_error() -> None:
    """Bands class numbers: a formula that gives a text with bands is refused."""
    with pytest.raises(EvaluationError) as caught:
        evaluate(
            '[summary.s]\naggregate = "count"\n[summary.f]\naggregate = "formula"\n'
            "formula = \"'a' if s > 1 else 'b'\"\nbands = [{ otherwise = true, class = \"x\" }]\n"
        )
    assert "summary f: the formula gives the text 'a'; bands class a number" in str(caught.value)


# -- load errors ----------------------------------------------------------------------------------


def test_overlapping_bands_are_a_load_error_at_their_line() -> None:
    """Overlapping bands are refused with the file, line and key of the band."""
    summary = SHARE_BANDS.replace("at_least = 50, below = 90", "at_least = 50, below = 95")
    line = line_of(BASE + summary, "at_least = 50, below = 95")
    assert (
        f"criteria.toml:{line}:3: summary.s.bands[1]: band 1 [50, 95) overlaps band 0 "
        "[90, +∞) on [90, 95)"
    ) == refused(summary)


def test_a_gap_in_a_share_bands_is_a_load_error() -> None:
    """A share's bands must cover 0 to 100."""
    summary = SHARE_BANDS.replace('{ below = 50, class = "一般" },', "")
    assert "summary.s.bands: no band covers [0, 50)" in refused(summary)


def test_a_summary_band_gives_a_class_not_points() -> None:
    """Points have no meaning for a summary: its bands give classes."""
    summary = SHARE_BANDS.replace('{ below = 50, class = "一般" }', "{ below = 50, points = 1 }")
    assert "summary.s.bands[2]: a summary's band gives a class, not points" in refused(summary)


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        (
            'aggregate = "share"\nwhen = "xx >= 50"',
            "summary.s.when: unknown name 'xx' (at column 1 of the expression): 'xx >= 50' "
            "(did you mean 'x'?)",
        ),
        (
            'aggregate = "count"\ngroup_by = "rivers"',
            "summary.s.group_by: no attribute named 'rivers' (did you mean 'river'?)",
        ),
        ('aggregate = "total"', "summary.s.aggregate: 'total' is not allowed"),
        ('aggregate = "share"', "summary.s: missing required key 'when'"),
        ('aggregate = "sum"', "summary.s: missing required key 'value'"),
        ('aggregate = "count"\nvalue = "x"', "summary.s.value: a count summary takes no value"),
        (
            'aggregate = "mean"\nvalue = "x"\nwhen = "x > 1"',
            "summary.s.when: a mean summary takes no when",
        ),
        (
            'aggregate = "formula"\nformula = "1"\nwhere = "x > 1"',
            "summary.s.where: a formula summary takes no where",
        ),
        (
            'aggregate = "count"\nformula = "1"',
            "summary.s.formula: a count summary takes no formula",
        ),
        (
            'aggregate = "formula"\nformula = "x + 1"',
            "summary.s.formula: unknown name 'x' (at column 1 of the expression): 'x + 1'",
        ),
        ('aggregate = "formula"\nformula = "s + 1"', "summaries form a cycle: s → s"),
        (
            'aggregate = "formula"\nformula = "previous(s)"',
            "summary.s.formula: previous() reads a unit's figures, not a summary's",
        ),
        ('aggregate = "count"\nwhen = "class_of(x) == \'A\'"', "x gives no class"),
        ('aggregate = "count"\ncolour = "red"', "summary.s.colour: unknown key"),
    ],
)
def test_load_errors(summary: str, message: str) -> None:
    """Each mistake in a summary is a load error at its key, with a hint where one helps."""
    assert message in refused(f"[summary.s]\n{summary}\n")


def test_an_unknown_summary_in_a_formula_gets_a_hint() -> None:
    """A formula reads summaries; a misspelt one is refused with "did you mean"."""
    assert (
        "unknown name 'shares' (at column 1 of the expression): 'shares * 2' "
        "(did you mean 'share'?)"
        in refused(
            EVERY_AGGREGATE
            + ('[summary.f]\naggregate = "formula"\nformula = "shares * 2"\ngroup_by = "river"\n')
        )
    )


def test_a_formula_reads_summaries_of_the_same_groups() -> None:
    """A formula's group_by must be that of every summary it reads."""
    assert (
        "summary.f.formula: share is grouped by 'river', f by nothing (a formula combines "
        "figures of the same groups: give both the same group_by)"
    ) in refused(EVERY_AGGREGATE + '[summary.f]\naggregate = "formula"\nformula = "share"\n')


def test_formulas_never_form_a_cycle() -> None:
    """Two formulas reading each other are refused, naming the cycle."""
    assert "summaries form a cycle: f → g → f" in refused(
        '[summary.f]\naggregate = "formula"\nformula = "g"\n'
        '[summary.g]\naggregate = "formula"\nformula = "f + 1"\n'
    )


# -- in and class_of --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "when", ["kind in ('A',)", "kind not in ('A', 'B')", "x in (1, -2.5, 80)", "x not in (40,)"]
)
def test_in_with_a_tuple_of_literals_is_accepted(when: str) -> None:
    """in / not in with a parenthesised tuple of texts or of numbers loads."""
    ecoscore.loads(BASE + f'[summary.s]\naggregate = "count"\nwhen = "{when}"\n')


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("kind in kind", "the operator in needs a tuple of literals on its right"),
        ("kind in 'AB'", "the operator in needs a tuple of literals on its right"),
        ("kind not in ['A']", "the operator not in needs a tuple of literals on its right"),
        ("kind in ()", "the operator in needs at least one literal in its tuple"),
        ("kind in ('A', x)", "the tuple after in holds literals only (texts or numbers)"),
        ("kind in ('A', 'B' + 'C')", "the tuple after in holds literals only (texts or numbers)"),
        ("kind in ('A', 1)", "the tuple after in mixes texts and numbers"),
        ("(kind, x) == ('A', 1)", "tuples are not allowed"),
        ("kind in ('A',) == true", "a comparison ends after in (…): write (x in (…)) == y"),
    ],
)
def test_in_needs_a_tuple_of_literals(when: str, message: str) -> None:
    """Everything else about tuples and in stays refused, at the expression's key."""
    assert f"summary.s.when: {message}" in refused(
        f'[summary.s]\naggregate = "count"\nwhen = "{when}"\n'
    )


def test_in_counts_the_right_units() -> None:
    """in and not in test membership; a number is compared with numbers."""
    results = evaluate(
        '[summary.a]\naggregate = "count"\nwhen = "kind in (\'A\',)"\n'
        '[summary.b]\naggregate = "count"\nwhen = "x not in (80, 60.0)"\n'
    )
    assert [Decimal(3), Decimal(2)] == [results.summary(s).figure().value for s in ("a", "b")]


def test_in_with_the_wrong_kind_of_value_is_an_error() -> None:
    """A number is never quietly "not in" a tuple of texts: it is an evaluation error."""
    with pytest.raises(EvaluationError) as caught:
        evaluate("[summary.s]\naggregate = \"count\"\nwhen = \"x in ('A', 'B')\"\n")
    assert (
        "u1: summary s: x in ('A', 'B'): cannot look for the number 80 among the texts "
        "('A', 'B')" in str(caught.value)
    )


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ('aggregate = "count"\nwhen = "x"', "u1: summary s: x gives 80, not true or false"),
        ('aggregate = "sum"\nvalue = "kind"', "u1: summary s: kind gives 'A', not a number"),
        (
            'aggregate = "sum"\nvalue = "x / (x - 80)"',
            "u1: summary s: x / (x - 80): division by zero",
        ),
    ],
)
def test_a_wrong_value_is_an_evaluation_error(summary: str, message: str) -> None:
    """when must give true or false, value a number; failures name the unit and summary."""
    with pytest.raises(EvaluationError) as caught:
        evaluate(f"[summary.s]\n{summary}\n")
    assert message in str(caught.value)


WATER = """\
ecoscore = 1
id = "water"
title = "水质"

[inputs]
cod = { zh = "化学需氧量", min = 0 }

[indicator.water_class]
points = 5

[indicator.water_class.classify]
classes = ["Ⅰ", "Ⅱ", "Ⅲ"]
worse = "劣Ⅲ"
at_most = { cod = [15, 20, 30] }
points = { "Ⅰ" = 5, "Ⅱ" = 4, "Ⅲ" = 3, "劣Ⅲ" = 1 }
"""

#: The same class, given without points; another indicator makes the total.
CLASS_ONLY = """\
ecoscore = 1
id = "water"
title = "水质"

[inputs]
cod = { zh = "化学需氧量", min = 0 }
extra = { zh = "其他", min = 0 }

[indicator.water_class]
classify = { classes = ["Ⅰ", "Ⅱ", "Ⅲ"], worse = "劣Ⅲ", at_most = { cod = [15, 20, 30] } }

[indicator.extra]

[grades]
bands = [{ grade = "好", at_least = 0 }, { grade = "差" }]

[[veto]]
when = "water_class == '劣Ⅲ'"
grade = "差"

[summary.bad]
aggregate = "share"
when = "water_class == '劣Ⅲ'"
"""

SECTIONS = [
    {"unit": f"s{k}", "cod": cod, "extra": "1"} for k, cod in enumerate(["10", "18", "25", "40"])
]


def test_class_of_reads_the_class_of_an_indicator_with_points() -> None:
    """class_of(x) is the class x gave; x itself reads its points."""
    results = ecoscore.evaluate(
        ecoscore.loads(
            WATER
            + '[summary.good]\naggregate = "count"\n'
            + "when = \"class_of(water_class) in ('Ⅰ', 'Ⅱ')\"\n"
            + '[summary.points]\naggregate = "sum"\nvalue = "water_class"\n'
        ),
        [{"unit": r["unit"], "cod": r["cod"]} for r in SECTIONS],
    )
    assert [Decimal(2), Decimal(13)] == [
        results.summary(s).figure().value for s in ("good", "points")
    ]


def test_a_class_only_indicator_reads_as_its_class() -> None:
    """An indicator that gives a class and no points reads as its class, in summaries and
    in grade rules alike."""
    results = ecoscore.evaluate(ecoscore.loads(CLASS_ONLY), SECTIONS)
    assert Decimal(25) == results.summary("bad").figure().value
    assert ["好", "好", "好", "差"] == [card.grade for card in results]


def test_class_of_is_refused_outside_summaries() -> None:
    """class_of() is read after scoring, in summaries: a grade rule refuses it, with a hint."""
    with pytest.raises(CriteriaError) as caught:
        ecoscore.loads(
            WATER + '[grades]\nbands = [{ grade = "好", at_least = 4 }, { grade = "差" }]\n'
            '[[veto]]\nwhen = "class_of(water_class) == \'劣Ⅲ\'"\ngrade = "差"\n'
        )
    assert "unknown function 'class_of'" in str(caught.value)
    assert "class_of() is read after scoring, in a [summary]" in str(caught.value)


# -- results, JSON and reports --------------------------------------------------------------


def test_results_give_summaries_by_id() -> None:
    """results.summary(id) and Summary.figure(group) find figures; unknown ones KeyError."""
    results = evaluate(EVERY_AGGREGATE)
    assert SummaryFigure("a", Decimal("50.00"), Decimal(50), 1, 2, (), None) == (
        results.summary("share").figure("a")
    )
    with pytest.raises(KeyError):
        results.summary("nope")
    with pytest.raises(KeyError):
        results.summary("share").figure("nope")


def test_the_json_form_lists_summaries_as_exact_strings() -> None:
    """results_to_json has a summaries key: numbers as strings, counts as integers."""
    data = json.loads(ecoscore.results_to_json(evaluate(EVERY_AGGREGATE)))
    share = next(s for s in data["summaries"] if s["id"] == "share")
    assert {"zh": "大值占比", "en": "share of large values"} == share["label"]
    assert {
        "group": "b",
        "value": "100.00",
        "raw": "100",
        "count": 1,
        "considered": 1,
        "left_out": ["u4"],
        "class": None,
    } == share["groups"][1]


def test_the_terminal_table_lists_the_summaries() -> None:
    """render_table prints a summaries table under the ranking."""
    text = render_table(evaluate(EVERY_AGGREGATE), "en")
    assert "Summaries:" in text
    rows = [re.split(r"\s{2,}", line) for line in text.splitlines()]
    assert [
        ["share of large values", "all", "50.00", "2/4", "u4"],
        ["share of large values", "b", "100.00", "1/1", "u4"],
        ["share of large values", "a", "50.00", "1/2"],
    ] == [row for row in rows if row[0] == "share of large values"]


def test_the_html_report_lists_the_summaries() -> None:
    """render_html has a summaries table after the ranking."""
    page = render_html(evaluate(SHARE_BANDS), "zh")
    assert page.index("<h2>排名</h2>") < page.index("<h2>汇总统计</h2>")
    assert '<td class="num">100.00</td><td>优</td>' in page


def test_no_summaries_no_table() -> None:
    """Criteria without summaries print no summaries table."""
    assert "Summaries:" not in render_table(evaluate(""), "en")


# -- docs/criteria.md ------------------------------------------------------------------------


def _doc_tables() -> list[tuple[int, list[list[str]]]]:
    """The summary tables of docs/criteria.md: (line, rows without header)."""
    lines = CRITERIA_MD.read_text(encoding="utf-8").splitlines()
    out = []
    for n, line in enumerate(lines):
        if re.fullmatch(r"\| summary \| group \|.*", line.strip()):
            rows = []
            k = n + 2
            while k < len(lines) and lines[k].startswith("|"):
                rows.append([c.strip() for c in lines[k].strip().strip("|").split("|")])
                k += 1
            out.append((n + 1, rows))
    return out


DOC_TABLES = _doc_tables()


def test_the_docs_have_summary_tables() -> None:
    """The section on summaries shows its figures in tables (so the next test tests them)."""
    assert 2 <= len(DOC_TABLES)


@pytest.mark.parametrize(
    ("line", "rows"), DOC_TABLES, ids=[f"criteria.md:{t[0]}" for t in DOC_TABLES]
)
def test_the_docs_summary_figures_hold(line: int, rows: list[list[str]]) -> None:
    """Each summary table of docs/criteria.md holds for the example and units above it."""
    block = [b for b in BLOCKS if b.line < line and b.table is not None][-1]
    criteria = ecoscore.loads(TEXTS[block.line], source="criteria.toml")
    assert block.table is not None
    records, _ = _records(block.table)
    results = ecoscore.evaluate(criteria, records)
    actual = []
    for ident, group, *_ in rows:
        f = results.summary(ident).figure(None if group == "all" else group)
        actual.append(
            [
                ident,
                group,
                "" if f.value is None else str(f.value),
                f.label or "",
                f"{f.count}/{f.considered}",
                ", ".join(f.left_out),
            ]
        )
    assert rows == actual
