"""Properties of scoring over generated criteria and rows that fit them.

Each criteria document is a random tree of indicators whose rules are monotone in their
inputs (``strategies.criteria_documents``), with grades and one ranking per tie style.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ecoscore
from ecoscore.language.sourcemap import path_text
from strategies import (
    RANK_STYLES,
    WATER_CLASSES,
    corrupted_rows,
    criteria_documents,
    damaged_texts,
    improvements,
    scored_cases,
    section_rows,
    toml_text,
    without_key,
)


def _problems_of(call: Callable[[], object]) -> tuple[ecoscore.Problem, ...]:
    """The problems ``call`` raises (none when it succeeds); any other exception escapes."""
    try:
        call()
    except ecoscore.EcoscoreError as exc:
        return exc.problems or (ecoscore.Problem("an error with no problem in it"),)
    return ()


#: Adds long decimals without rounding: the trace must add up exactly, not nearly.
_EXACT = decimal.Context(prec=1000, traps=[decimal.Inexact])

# Generation is heavy (a document, its rows, a load and an evaluation per example).
_HEAVY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_HEAVY
@given(st.data())
def test_points_stay_within_their_bounds(data: st.DataObject) -> None:
    """Every indicator scores between 0 and its declared points."""
    case = data.draw(scored_cases())
    criteria = ecoscore.loads(case.criteria.text)
    results = ecoscore.evaluate(criteria, case.rows)
    for card in results:
        for ident, result in card.indicators.items():
            maximum = criteria.indicators[ident].points
            assert result.points is not None
            assert maximum is not None
            assert Decimal(0) <= result.points <= maximum, (card.unit, ident, result)


@_HEAVY
@given(st.data())
def test_a_better_input_never_scores_fewer_points(data: st.DataObject) -> None:
    """Improving one input of one unit never lowers that unit's contributions or total."""
    case = data.draw(scored_cases())
    unit, name, better_rows = data.draw(improvements(case))
    criteria = ecoscore.loads(case.criteria.text)
    before = ecoscore.evaluate(criteria, case.rows)[unit]
    after = ecoscore.evaluate(criteria, better_rows)[unit]
    for ident, result in before.indicators.items():
        if name in dict(result.inputs):
            was, now = result.contribution, after.indicators[ident].contribution
            assert was is not None
            assert now is not None
            assert was <= now, (ident, name, result, after.indicators[ident])
    assert before.total is not None
    assert after.total is not None
    assert before.total <= after.total


@_HEAVY
@given(st.data())
def test_the_trace_adds_up_to_the_total(data: st.DataObject) -> None:
    """A score card's steps add up exactly to its published total."""
    case = data.draw(scored_cases())
    results = ecoscore.evaluate(ecoscore.loads(case.criteria.text), case.rows)
    for card in results:
        with decimal.localcontext(_EXACT):
            assert card.total == sum((step.amount for step in card.steps), Decimal(0)), card.steps


@_HEAVY
@given(st.data())
def test_results_do_not_depend_on_the_order_of_the_rows(data: st.DataObject) -> None:
    """Evaluating the rows in any order gives byte-identical JSON results."""
    case = data.draw(scored_cases(min_units=2))
    shuffled = data.draw(st.permutations(case.rows))
    criteria = ecoscore.loads(case.criteria.text)
    expected = ecoscore.results_to_json(ecoscore.evaluate(criteria, case.rows))
    assert expected == ecoscore.results_to_json(ecoscore.evaluate(criteria, shuffled))


@_HEAVY
@given(st.data())
def test_equal_totals_get_equal_ranks_under_every_style(data: st.DataObject) -> None:
    """Units with equal totals share a rank in every tie style except ordinal, which
    numbers the units 1 to n; a higher total never ranks below a lower one."""
    case = data.draw(scored_cases(min_units=2))
    results = ecoscore.evaluate(ecoscore.loads(case.criteria.text), case.rows)
    totals = {card.unit: card.total for card in results}
    for style in RANK_STYLES:
        ranks = {e.unit: e.rank for e in results.ranking(style).entries}
        for a, total_a in totals.items():
            for b, total_b in totals.items():
                if style != "ordinal" and total_a == total_b:
                    assert ranks[a] == ranks[b], (style, a, b)
                if total_a > total_b:  # type: ignore[operator]
                    assert ranks[a] < ranks[b], (style, a, b)  # type: ignore[operator]
        if style == "ordinal":
            places = sorted(Decimal(n) for n in range(1, len(totals) + 1))
            assert places == sorted(ranks.values())  # type: ignore[type-var]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_removing_a_required_key_is_an_error_that_names_it(data: st.DataObject) -> None:
    """A valid document without any one of its required keys fails to load, with a
    problem at (or inside) the key's table that names the key."""
    generated = data.draw(criteria_documents())
    ecoscore.loads(generated.text)  # valid as generated
    path = data.draw(st.sampled_from(generated.required))
    key = str(path[-1])
    with pytest.raises(ecoscore.CriteriaError) as caught:
        ecoscore.loads(toml_text(without_key(generated.document, path)), source="gen.toml")
    parent = path_text(path[:-1])
    named = [
        p
        for p in caught.value.problems
        if key in p.message and (p.location.key or "").startswith(parent)
    ]
    assert named, (path, str(caught.value))


@_HEAVY
@given(st.data())
def test_bad_figures_give_located_errors_never_a_traceback(data: st.DataObject) -> None:
    """Junk in the rows (text, blanks, NaN, infinity, repeated units) is either scored
    (when a policy allows) or refused with an EcoscoreError whose every problem says
    where; nothing else is ever raised."""
    case = data.draw(scored_cases())
    rows = data.draw(corrupted_rows(case))
    criteria = ecoscore.loads(case.criteria.text)
    for problem in _problems_of(lambda: ecoscore.evaluate(criteria, rows, source="s.csv")):
        assert str(problem.location), problem


@_HEAVY
@given(st.data())
def test_damaged_criteria_load_or_fail_cleanly(data: st.DataObject) -> None:
    """A criteria text with a line deleted, repeated or cut either loads or fails with a
    CriteriaError whose problems are located in the file; nothing else is ever raised."""
    generated = data.draw(criteria_documents())
    text = data.draw(damaged_texts(generated.text))
    for problem in _problems_of(lambda: ecoscore.loads(text, source="gen.toml")):
        assert "gen.toml" == problem.location.file, problem


# -- roll-ups (ecoscore.engine.rollup) ------------------------------------------------------

_ROLLUP_CRITERIA = ecoscore.loads(
    """
ecoscore = 1
id = "rollup-properties"
title = "汇总"

[subunits.sections]
key = "section"

[subunits.sections.inputs]
water_class = { type = "class", values = ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"] }

[rollup.good]
from = "sections"
aggregate = "share"
when = "water_class in ('Ⅰ', 'Ⅱ', 'Ⅲ')"

[rollup.kept]
from = "sections"
aggregate = "share"
when = "water_class in ('Ⅰ', 'Ⅱ', 'Ⅲ')"
if_missing = "not-met"

[rollup.worst]
from = "sections"
aggregate = "worst"
value = "water_class"

[indicator.good]
missing = "exclude"
"""
)


def _rolled(rows: list[dict[str, object]]) -> dict[str, object]:
    """Each unit's roll-ups over ``rows`` (units u0, u1, u2 all submitted)."""
    units = [{"unit": f"u{u}"} for u in range(3)]
    results = ecoscore.evaluate(_ROLLUP_CRITERIA, units, tables={"sections": rows})
    return {card.unit: dict(card.rollups) for card in results}


@given(section_rows())
def test_a_share_is_within_0_and_100(rows: list[dict[str, object]]) -> None:
    """Every share a roll-up gives lies in [0, 100], or is missing (nothing to count)."""
    for figures in _rolled(rows).values():
        for ident in ("good", "kept"):
            value = figures[ident].value  # type: ignore[attr-defined]
            assert value is None or Decimal(0) <= value <= Decimal(100)


@given(section_rows(), st.sampled_from(WATER_CLASSES[:3]), st.sampled_from(["u0", "u1", "u2"]))
def test_adding_a_subunit_in_a_better_class_never_lowers_the_share(
    rows: list[dict[str, object]], cls: str, unit: str
) -> None:
    """A section in a class the share counts (Ⅰ–Ⅲ) never lowers its unit's share."""
    before = _rolled(rows)[unit]["good"].value  # type: ignore[attr-defined]
    added = [*rows, {"section": "new", "unit": unit, "water_class": cls}]
    after = _rolled(added)[unit]["good"].value  # type: ignore[attr-defined]
    assert after is not None
    assert before is None or after >= before


@given(section_rows(), st.data())
def test_improving_a_subunits_class_never_lowers_the_share_nor_worsens_the_worst(
    rows: list[dict[str, object]], data: st.DataObject
) -> None:
    """Moving one section to a better class never lowers the share or worsens the worst."""
    graded = [i for i, row in enumerate(rows) if row["water_class"] is not None]
    if not graded:
        return
    i = data.draw(st.sampled_from(graded))
    k = WATER_CLASSES.index(str(rows[i]["water_class"]))
    better = [*rows]
    better[i] = {**rows[i], "water_class": WATER_CLASSES[data.draw(st.integers(0, k))]}
    unit = str(rows[i]["unit"])
    old, new = _rolled(rows)[unit], _rolled(better)[unit]
    for ident in ("good", "kept"):
        assert new[ident].value >= old[ident].value  # type: ignore[attr-defined]
    rank = WATER_CLASSES.index
    assert rank(new["worst"].value) <= rank(old["worst"].value)  # type: ignore[attr-defined]


@given(section_rows(), st.randoms(use_true_random=False))
def test_shuffling_the_subunit_rows_changes_nothing(
    rows: list[dict[str, object]], random: object
) -> None:
    """The rows' order never changes a figure, nor the sub-units listed behind it."""
    shuffled = [*rows]
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert _rolled(rows) == _rolled(shuffled)
