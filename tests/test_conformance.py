"""Conformance: every case of the shared acceptance suite, as criteria files and assertions.

``tests/conformance/cases.toml`` (a copy of the project's shared suite) states each rule
in words with rows of inputs and the exact results. For each case, the rule is written in
the criteria language as an assessment office would write it, in
``tests/conformance/<case id>.toml`` (and ``<case id>.<variant>.toml`` for a declared
variant). ``SPECS`` below says, for each expected column of a case, what it is read from
in the ``Results``; every other column is an input (of the current period, or of a
previous one). Each row is scored through ``ecoscore.evaluate`` and each row is a test.
"""

# The house style writes asserts as `expected == actual`, which SIM300 calls Yoda.

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli

import ecoscore
from ecoscore import CriteriaError, EvaluationError, Results

HERE = Path(__file__).parent / "conformance"
CASES: dict[str, dict[str, Any]] = {
    case["id"]: case for case in tomli.loads((HERE / "cases.toml").read_text("utf-8"))["case"]
}

Reader = Callable[[Results, str], Any]


@attrs.frozen
class Column:
    """What an expected column of a case is read from, and how it is compared.

    ``variant`` picks the criteria file (``""``: ``<case id>.toml``, else
    ``<case id>.<variant>.toml``). ``places``: the case declares a rounding, so the
    text of the value must match as well as the number. ``kind``: ``number`` (an empty
    text means no value), ``text``, ``bool`` or ``list``.
    """

    read: Reader
    variant: str = ""
    places: bool = False
    kind: str = "number"


@attrs.frozen
class Spec:
    """A case's expected columns, and where its input columns go.

    ``inputs`` maps a column to ``(input name, periods back)``; a column not listed is
    the input of the same name in the current period.
    """

    columns: Mapping[str, Column]
    inputs: Mapping[str, tuple[str, int]] = attrs.field(factory=dict)


# -- readers --------------------------------------------------------------------------


def points(ind: str) -> Reader:
    """An indicator's points (after the declared rounding)."""
    return lambda results, unit: results[unit].indicators[ind].points


def measured(ind: str) -> Reader:
    """An indicator's measured value (after its ``round_value``)."""
    return lambda results, unit: results[unit].indicators[ind].value


def read_by(ind: str, name: str) -> Reader:
    """A value an indicator read to compute its value (a derived rate, a previous one)."""
    return lambda results, unit: dict(results[unit].indicators[ind].inputs)[name]


def label(ind: str) -> Reader:
    """The class an indicator's rule gave."""
    return lambda results, unit: results[unit].indicators[ind].label


def node(name: str) -> Reader:
    """A node's value (after its declared rounding)."""
    return lambda results, unit: results[unit].nodes[name].value


def argmax_labels(name: str) -> Reader:
    """The English labels of the children at a max node's maximum."""
    return lambda results, unit: [
        results.criteria.label_of(kid, "en") for kid in results[unit].nodes[name].argmax
    ]


def total(results: Results, unit: str) -> Any:
    """The published total."""
    return results[unit].total


def grade(results: Results, unit: str) -> Any:
    """The final grade."""
    return results[unit].grade


def rank(ranking: str) -> Reader:
    """The unit's rank in a ranking (``None`` when left out)."""
    return lambda results, unit: results.ranking(ranking).rank_of(unit)


def number(read: Reader, *, places: bool = False, variant: str = "") -> Column:
    """A numeric column."""
    return Column(read, variant, places)


def text(read: Reader) -> Column:
    """A text column (a grade, a class)."""
    return Column(read, kind="text")


SCORE = {"total": ("score", 0)}  # the case's "total" column is the submitted score

SPECS: dict[str, Spec] = {
    "points.binding-target": Spec({"points": number(points("pm25"))}),
    "points.clamped-formula": Spec({"points": number(points("compliance"), places=True)}),
    "points.linear-lower-is-better": Spec({"points": number(points("pm25"), places=True)}),
    "points.proximity-ln": Spec({"points": number(points("x"), places=True)}),
    "points.deduct-per-shortfall": Spec({"points": number(points("good_days"), places=True)}),
    "points.deduct-per-whole-unit": Spec(
        {
            "points": number(points("pm10"), places=True),
            "points_pro_rata": number(points("pm10_pro_rata"), places=True),
        }
    ),
    "points.bands-inclusive": Spec({"points": number(points("staffing"))}),
    "points.ratio-of-inputs": Spec(
        {
            "rate": number(measured("rectification"), places=True),
            "points": number(points("rectification")),
        }
    ),
    "points.yoy-relative": Spec(
        {
            "improvement": number(measured("improvement"), places=True),
            "points": number(points("improvement")),
        },
        {"current": ("pm25", 0), "previous": ("pm25", 1)},
    ),
    "points.yoy-percentage-points": Spec(
        {
            "current_rate": number(read_by("change", "good_rate"), places=True),
            "previous_rate": number(read_by("change", "previous(good_rate)"), places=True),
            "change": number(measured("change"), places=True),
            "points": number(points("change")),
        },
        {
            "current_days": ("good_days", 0),
            "current_total": ("total_days", 0),
            "previous_days": ("good_days", 1),
            "previous_total": ("total_days", 1),
        },
    ),
    "points.double-100": Spec({"points": number(points("double_100"))}),
    "points.piecewise-ceiling": Spec({"iaqi": number(points("iaqi_pm25"), places=True)}),
    "points.categorical-worst-wins": Spec({"class": text(label("water_class"))}),
    "points.rank-based": Spec({"points": number(points("x"))}),
    "points.cohort-efficacy": Spec(
        {
            "higher_better": number(points("higher_better")),
            "lower_better": number(points("lower_better")),
        }
    ),
    "points.capped-bonus-and-deduction": Spec(
        {
            "bonus": number(points("bonus")),
            "deduction": number(points("deduction")),
        }
    ),
    "points.expression": Spec({"points": number(points("honours_points"))}),
    "tree.weighted-mean-renormalised": Spec({"node": number(node("composite"), places=True)}),
    "tree.geometric-mean": Spec({"node": number(node("composite"), places=True)}),
    "tree.min-for-some-units": Spec({"total": number(total)}),
    "tree.max-with-argmax": Spec(
        {
            "aqi": number(node("aqi")),
            "primary": Column(argmax_labels("aqi"), kind="list"),
        }
    ),
    "rounding.modes": Spec(
        {
            name: number(points(name), places=True)
            for name in ("half_up", "half_even", "ceiling_0", "floor_0")
        }
    ),
    "rounding.float-compatible": Spec(
        {
            name: number(points(name), places=True)
            for name in ("float_compatible", "half_up", "half_even")
        }
    ),
    "rounding.once-vs-each-term": Spec(
        {
            "once": number(total, places=True),
            "each_term": number(total, places=True, variant="each-term"),
        }
    ),
    "grades.bands": Spec({"grade": text(grade)}, SCORE),
    "grades.veto-cap-precondition": Spec(
        {"grade": text(grade)}, {**SCORE, "previous_pm25": ("pm25", 1)}
    ),
    "grades.quota": Spec({"grade": text(grade)}, SCORE),
    "ranking.styles": Spec(
        {style: number(rank(style)) for style in ("competition", "dense", "ordinal", "fractional")},
        SCORE,
    ),
    "ranking.rounded-basis": Spec(
        {
            "published": number(total, places=True),
            "rank_published": number(rank("published")),
            "rank_unrounded": number(rank("unrounded")),
        },
        SCORE,
    ),
    "ranking.ascending-index": Spec({"rank": number(rank("index"))}),
    "ranking.tie-break-chain": Spec({"rank": number(rank("overall"))}, SCORE),
    "ranking.peer-groups": Spec(
        {"overall": number(rank("overall")), "group": number(rank("group"))}, SCORE
    ),
    "ranking.exclusion": Spec({"rank": number(rank("worsening"))}),
    "periods.years-running": Spec(
        {
            "flag": Column(measured("three_years"), kind="bool"),
            "bonus": number(points("three_years")),
        },
        {"g2024": ("grade", 1), "g2023": ("grade", 2), "g2022": ("grade", 3)},
    ),
    "periods.trend-class": Spec({"class": text(label("ratio"))}),
}

#: Cases whose criteria must not load, with the text the error must contain.
LOAD_ERRORS: dict[str, tuple[str, ...]] = {
    "points.bands-overlap-is-an-error": ("overlaps", "[90, 96)", "[95, 100]", "on [95, 96)"),
    "points.bands-gap-is-an-error": ("no band covers [94, 95)",),
}

#: Cases whose evaluation must fail; tested one by one below.
EVALUATION_ERRORS = ("points.yoy-missing-previous",)


# -- the harness ----------------------------------------------------------------------


def criteria_path(case_id: str, variant: str = "") -> Path:
    """The criteria file of a case, or of one of its declared variants."""
    return HERE / (f"{case_id}.{variant}.toml" if variant else f"{case_id}.toml")


@functools.cache
def criteria(case_id: str, variant: str = "") -> ecoscore.Criteria:
    """The loaded criteria of a case (loaded once)."""
    return ecoscore.load(criteria_path(case_id, variant))


def unit_of(row: Mapping[str, Any], index: int) -> str:
    """The row's unit: its ``unit`` column, else ``r<index>``."""
    return str(row["unit"]) if "unit" in row else f"r{index}"


def periods(case_id: str) -> list[list[dict[str, Any]]]:
    """The case's rows as records, one list per period: current first, then previous ones."""
    spec = SPECS[case_id]
    rows = CASES[case_id]["rows"]
    back_most = max((back for _, back in spec.inputs.values()), default=0)
    out: list[list[dict[str, Any]]] = [[] for _ in range(back_most + 1)]
    for i, row in enumerate(rows):
        records: list[dict[str, Any]] = [{"unit": unit_of(row, i)} for _ in out]
        for column, raw in row.items():
            if column == "unit" or column in spec.columns:
                continue
            name, back = spec.inputs.get(column, (column, 0))
            records[back][name] = raw
        for period, record in zip(out, records, strict=True):
            period.append(record)
    return out


@functools.cache
def evaluated(case_id: str, variant: str = "") -> Results:
    """Every row of a case scored together (cohort rules and rankings see them all)."""
    current, *previous = periods(case_id)
    return ecoscore.evaluate(criteria(case_id, variant), current, previous=previous, source=case_id)


def expected_value(column: Column, raw: Any) -> Any:
    """The expected value of a cell, as the column's kind reads it."""
    if column.kind == "number":
        return None if raw == "" else Decimal(raw)
    if column.kind == "bool":
        return {"true": True, "false": False}[raw]
    return raw


ROW_PARAMS = [
    pytest.param(case_id, i, id=f"{case_id}#{i}")
    for case_id, case in CASES.items()
    if "rows" in case
    for i in range(len(case["rows"]))
]


@pytest.mark.parametrize(("case_id", "index"), ROW_PARAMS)
def test_case_row(case_id: str, index: int) -> None:
    """Each row of each case scores exactly the expected values (and places, if declared)."""
    spec = SPECS[case_id]
    row = CASES[case_id]["rows"][index]
    unit = unit_of(row, index)
    asserted = [c for c in row if c in spec.columns]
    assert asserted, f"row {index} of {case_id} has no expected value the spec reads"
    for name in asserted:
        column = spec.columns[name]
        actual = column.read(evaluated(case_id, column.variant), unit)
        expected = expected_value(column, row[name])
        if column.kind == "list":
            actual = list(actual)
        if isinstance(expected, Decimal):
            assert isinstance(actual, Decimal), f"{name}: {actual!r} is not a Decimal"
        assert expected == actual, f"{case_id} row {index}: {name}"
        if column.places and expected is not None:
            assert row[name] == str(actual), f"{case_id} row {index}: {name} places"


# -- coverage of the suite --------------------------------------------------------------


def test_every_case_has_criteria_and_a_mapping() -> None:
    """Each case in cases.toml has a criteria file and is mapped: rows, a load error or an
    evaluation error — and nothing is mapped that is not a case."""
    for case_id, case in CASES.items():
        assert criteria_path(case_id).is_file(), f"no criteria file for {case_id}"
        if case.get("expect_load_error"):
            assert case_id in LOAD_ERRORS, case_id
        elif case.get("expect_evaluation_error"):
            assert case_id in EVALUATION_ERRORS, case_id
        else:
            assert case_id in SPECS, f"no mapping for {case_id}"
            assert case["rows"], case_id
    assert set() == (set(SPECS) | set(LOAD_ERRORS) | set(EVALUATION_ERRORS)) - set(CASES)


def test_every_mapped_variant_file_exists() -> None:
    """Each criteria variant a mapping names has its file."""
    for case_id, spec in SPECS.items():
        for column in spec.columns.values():
            assert criteria_path(case_id, column.variant).is_file(), (case_id, column.variant)


@pytest.mark.parametrize("case_id", sorted(SPECS))
def test_every_column_is_an_input_or_asserted(case_id: str) -> None:
    """No column of a case is silently ignored: it is asserted, or it is a declared input or
    attribute of every criteria variant of the case."""
    spec = SPECS[case_id]
    variants = {column.variant for column in spec.columns.values()}
    for row in CASES[case_id]["rows"]:
        for column in row:
            if column == "unit" or column in spec.columns:
                continue
            name, _ = spec.inputs.get(column, (column, 0))
            for variant in variants:
                c = criteria(case_id, variant)
                assert name in c.inputs or name in c.attributes, (case_id, column, variant)


# -- cases that must fail -------------------------------------------------------------------


@pytest.mark.parametrize("case_id", sorted(LOAD_ERRORS))
def test_load_error_case(case_id: str) -> None:
    """Bands that overlap or leave a gap do not load, and the message names the bands or
    the gap."""
    with pytest.raises(CriteriaError) as caught:
        ecoscore.load(criteria_path(case_id))
    message = str(caught.value)
    for fragment in LOAD_ERRORS[case_id]:
        assert fragment in message, message
    assert str(criteria_path(case_id)) in message  # located in the file


def test_yoy_missing_previous_is_an_error_naming_the_unit() -> None:
    """A year-on-year rule with no previous value and no policy is an evaluation error
    that names the unit and the missing value."""
    c = criteria("points.yoy-missing-previous")
    other_unit_only = [{"unit": "南康区", "pm25": "30"}]
    for previous in ([], [other_unit_only]):
        with pytest.raises(EvaluationError) as caught:
            ecoscore.evaluate(c, [{"unit": "章贡区", "pm25": "22"}], previous=previous)
        message = str(caught.value)
        assert "章贡区" in message, message
        assert "previous(pm25)" in message, message


def test_yoy_missing_previous_scores_with_the_previous_period() -> None:
    """The same criteria score normally once the previous period is given."""
    results = ecoscore.evaluate(
        criteria("points.yoy-missing-previous"),
        [{"unit": "章贡区", "pm25": "22"}],
        previous=[[{"unit": "章贡区", "pm25": "24"}]],
    )
    assert Decimal(5) == results["章贡区"].indicators["improvement"].points


def test_yoy_missing_previous_with_a_declared_policy_scores_zero() -> None:
    """With missing = "zero" declared, no previous value scores 0 points, flagged."""
    c = criteria("points.yoy-missing-previous", "zero")
    results = ecoscore.evaluate(c, [{"unit": "章贡区", "pm25": "22"}])
    result = results["章贡区"].indicators["improvement"]
    assert Decimal(0) == result.points
    assert "missing-zero" == result.status
    assert "previous(pm25)" in (result.note_text("en") or "")


# -- declared choices the cases call for ------------------------------------------------------

QUOTA_ROWS = CASES["grades.quota"]["rows"]


def quota_records(ties: Mapping[str, str]) -> list[dict[str, Any]]:
    """The quota case's units with some totals changed."""
    return [{"unit": r["unit"], "score": ties.get(r["unit"], r["total"])} for r in QUOTA_ROWS]


@pytest.mark.parametrize("variant", ["keep", "drop"])
def test_quota_without_a_tie_ignores_the_tie_choice(variant: str) -> None:
    """Without a tie across the limit, keep and drop grade the case's units alike."""
    results = ecoscore.evaluate(criteria("grades.quota", variant), quota_records({}))
    assert [r["grade"] for r in QUOTA_ROWS] == [results[r["unit"]].grade for r in QUOTA_ROWS]


@pytest.mark.parametrize(
    ("variant", "excellent"), [("keep", ["A", "B", "C", "D"]), ("drop", ["A", "B"])]
)
def test_quota_tie_across_the_limit_follows_the_declared_choice(
    variant: str, excellent: list[str]
) -> None:
    """C and D tie for third with a quota of 3: keep gives both 优秀, drop gives neither."""
    results = ecoscore.evaluate(criteria("grades.quota", variant), quota_records({"D": "94"}))
    assert excellent == sorted(card.unit for card in results if card.grade == "优秀")
    dropped = {"A", "B", "C", "D", "E"} - set(excellent)
    assert {"良好"} == {results[u].grade for u in dropped}
    if variant == "drop":
        assert "quota" == results["C"].grade_steps[-1].rule


def test_quota_tie_across_the_limit_without_a_choice_is_an_error() -> None:
    """Without quota_ties, a tie across the limit is an evaluation error naming the tied
    units and the missing declaration: the engine does not guess."""
    with pytest.raises(EvaluationError) as caught:
        ecoscore.evaluate(criteria("grades.quota"), quota_records({"D": "94"}))
    message = str(caught.value)
    for fragment in ("C, D", "quota_ties", "优秀"):
        assert fragment in message, message


def test_efficacy_with_every_value_equal_uses_the_declared_policy() -> None:
    """When max = min the efficacy coefficient gives the declared when_all_equal points."""
    rows = [{"unit": u, "x": "20"} for u in "ABC"]
    results = ecoscore.evaluate(criteria("points.cohort-efficacy"), rows)
    for card in results:
        assert Decimal(100) == card.indicators["higher_better"].points
        assert Decimal(100) == card.indicators["lower_better"].points


def test_efficacy_with_every_value_equal_and_no_policy_is_an_error() -> None:
    """When max = min and no policy is declared, the evaluation error says so; no crash."""
    rows = [{"unit": u, "x": "20"} for u in "ABC"]
    with pytest.raises(EvaluationError) as caught:
        ecoscore.evaluate(criteria("points.cohort-efficacy", "no-policy"), rows)
    assert "when_all_equal" in str(caught.value)
