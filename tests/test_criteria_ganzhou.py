"""The flagship criteria, criteria/ganzhou-county-2024.toml, on its example submissions.

The examples (examples/ganzhou-2024/) hold invented figures for Ganzhou's 18 county-level
units, except 章贡区's, which are the central-city figures of the bureau's 2024 work
report. With the rounding the criteria declare, those figures must give exactly the
numbers the report publishes (shared/reference/DOMAIN.md §1.3). The CSV files name their
columns by input id and the XLSX files by Chinese label; both must score the same.
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

import ecoscore
from ecoscore import Criteria, Results
from ecoscore.engine.submission import Submission
from ecoscore.io.submissions import read_submissions
from ecoscore.io.tables import read_table

ROOT = Path(__file__).resolve().parent.parent
CRITERIA = ROOT / "criteria" / "ganzhou-county-2024.toml"
EXAMPLES = ROOT / "examples" / "ganzhou-2024"
AREAS = ("air", "water", "soil", "supervision", "capacity")


@pytest.fixture(scope="module")
def criteria() -> Criteria:
    """The flagship criteria, loaded once."""
    return ecoscore.load(CRITERIA)


def _submissions(criteria: Criteria, year: int, kind: str) -> tuple[Submission, ...]:
    return read_submissions(read_table(EXAMPLES / f"submissions-{year}.{kind}"), criteria)


@pytest.fixture(scope="module", params=["csv", "xlsx"])
def kind(request: pytest.FixtureRequest) -> str:
    """Each file kind of the examples."""
    return str(request.param)


@pytest.fixture(scope="module")
def results(criteria: Criteria, kind: str) -> Results:
    """2024 scored with 2023 as the previous period."""
    return ecoscore.evaluate(
        criteria,
        _submissions(criteria, 2024, kind),
        previous=[_submissions(criteria, 2023, kind)],
        source=f"submissions-2024.{kind}",
    )


@pytest.fixture(scope="module")
def results_2023(criteria: Criteria, kind: str) -> Results:
    """2023 scored alone, with no previous period."""
    return ecoscore.evaluate(criteria, _submissions(criteria, 2023, kind))


def _value(results: Results, unit: str, indicator: str) -> str:
    return str(results[unit].indicators[indicator].value)


# -- the criteria ------------------------------------------------------------------


def test_areas_add_up_to_100(criteria: Criteria) -> None:
    """The five areas' points add up to the total's 100."""
    assert Decimal(100) == sum(criteria.nodes[a].points or 0 for a in AREAS)
    assert Decimal(100) == criteria.total.points


def test_units_and_peer_groups(criteria: Criteria) -> None:
    """All 18 county-level units are listed: 3 districts, 2 cities, 13 counties."""
    kinds = [unit.attributes["kind"] for unit in criteria.units.values()]
    assert (18, 3, 2, 13) == (len(kinds), kinds.count("区"), kinds.count("市"), kinds.count("县"))


def test_every_indicator_is_bilingual(criteria: Criteria) -> None:
    """Every indicator, area and input has a Chinese and an English label."""
    labels = {
        **{f"indicator.{k}": v.label for k, v in criteria.indicators.items()},
        **{f"node.{k}": v.label for k, v in criteria.nodes.items()},
        **{f"inputs.{k}": v.label for k, v in criteria.inputs.items()},
    }
    assert [] == [name for name, label in labels.items() if not (label.zh and label.en)]


# -- the report's own figures ------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "published"),
    [
        ("pm25_change", "8.3"),  # (24 − 22) / 24 = 8.33 % → 8.3
        ("good_rate", "99.5"),  # 364 / 366 = 99.45 % → 99.5
        ("good_rate_change", "0.3"),  # 99.5 − 99.2
        ("prov_rate", "90.41"),  # 66 / 73 = 90.4109 %
        ("prov_rate_change", "6.85"),  # 90.41 − 83.56
        ("rect_rate", "97.3"),  # 687 / 706 = 97.31 %
    ],
)
def test_report_figures_2024(results: Results, indicator: str, published: str) -> None:
    """章贡区's 2024 figures give exactly the numbers the work report publishes."""
    assert published == _value(results, "章贡区", indicator)


@pytest.mark.parametrize(
    ("indicator", "name", "published"),
    [
        ("good_rate_change", "previous(good_rate)", "99.2"),  # 362 / 365 = 99.18 %
        ("prov_rate_change", "previous(prov_rate)", "83.56"),  # 61 / 73 = 83.5616 %
    ],
)
def test_report_figures_2023(results: Results, indicator: str, name: str, published: str) -> None:
    """The previous year's rates, as read by the year-on-year indicators, are the report's."""
    assert published == str(dict(results["章贡区"].indicators[indicator].inputs)[name])


def test_report_figures_2023_scored_alone(results_2023: Results) -> None:
    """Scored as a period of its own, 2023 gives the same rates of 99.2 and 83.56."""
    card = results_2023["章贡区"]
    assert ("99.2", "83.56") == (
        str(card.indicators["good_rate"].value),
        str(card.indicators["prov_rate"].value),
    )


def test_key_projects_add_up_to_198(criteria: Criteria, kind: str) -> None:
    """The 2024 key projects of the 18 units are the report's 198."""
    submissions = _submissions(criteria, 2024, kind)
    assert Decimal(198) == sum(Decimal(s.values["projects_planned"]) for s in submissions)


# -- totals checked by hand --------------------------------------------------------


def test_zhanggong_by_hand(results: Results) -> None:
    """章贡区 totals 96.12, published 96.1, as computed by hand.

    air 22.20: PM2.5 8 × (22 − 35)/(15 − 35) = 5.20; improvement 8.3 ≥ 8 → 5; good-air
        rate 99.5 ≥ 98 → 7; change +0.3 ≥ 0 → 3; no heavy pollution day → 2.
    water 25: national 2/2 → 7; provincial 90.41 ≥ 90 → 6; +6.85 → 3; drinking water
        100 → 5; outfalls 0.4 × 100 − 36 = 4.
    soil 15: farmland 93.6 ≥ 93 → 5; double 100% → 5; zero-waste 96 → 5.
    supervision 19.04: rectified 97.3 ≥ 95 → 8; petitions 412/415 = 99.3 → 4 − 0.5 × 0.7
        = 3.65; permits 4 × 18.6/20 = 3.72; projects 4 × 22/24 = 3.67.
    capacity 14.38: posts 24/25 = 96.0 → 6; head in place → 4; monitoring
        5 × 35/40 = 4.375 → 4.38.
    bonus 1 national + 2 × 0.5 provincial = 2; deduction 3 overdue × 0.5 = 1.5.
    22.20 + 25 + 15 + 19.04 + 14.38 + 2 − 1.5 = 96.12.
    """
    card = results["章贡区"]
    assert ["22.20", "25.00", "15.00", "19.04", "14.38"] == [
        str(card.nodes[a].value) for a in AREAS
    ]
    assert (Decimal("2"), Decimal("-1.50")) == (
        card.indicators["honours"].contribution,
        card.indicators["overdue"].contribution,
    )
    assert (Decimal("96.12"), Decimal("96.1"), "优秀") == (card.total_exact, card.total, card.grade)


def test_nankang_by_hand(results: Results) -> None:
    """南康区 totals 62.76, published 62.8, 合格, as computed by hand.

    air 13.60: PM2.5 8 × (27 − 35)/(15 − 35) = 3.20; improvement (29 − 27)/29 = 6.9 in
        [5, 8) → 4; good-air rate 352/366 = 96.2 → 7 − 2 × 1.8 = 3.40; change
        96.2 − 95.9 = +0.3 → 3; one heavy pollution day → 0.
    water 18.33: national 2/2 → 7; provincial 4/6 = 66.67 → 6 × 6.67/30 = 1.33; change 0
        → 3; drinking water 100 → 5; outfalls 0.4 × 95 − 36 = 2.
    soil 10: farmland 92.0 → 5 − 1 = 4; double 100% → 5; zero-waste 82 in [70, 85) → 1.
    supervision 13.70: rectified 58/64 = 90.6 in [90, 95) → 6; petitions 372/388 = 95.9
        → 4 − 0.5 × 4.1 = 1.95; permits 4 × 15/20 = 3; projects 4 × 11/16 = 2.75.
    capacity 10.13: posts 20/22 = 90.9 in [90, 95) → 3; head in place → 4; monitoring
        5 × 25/40 = 3.125 → 3.13.
    deductions 4 overdue × 0.5 = 2 and one general incident 1.
    13.60 + 18.33 + 10 + 13.70 + 10.13 − 2 − 1 = 62.76.
    """
    card = results["南康区"]
    assert ["13.60", "18.33", "10.00", "13.70", "10.13"] == [
        str(card.nodes[a].value) for a in AREAS
    ]
    assert (Decimal("62.76"), Decimal("62.8"), "合格") == (card.total_exact, card.total, card.grade)


def test_steps_add_up_to_every_total(results: Results) -> None:
    """Every unit's trace adds up exactly to its published total."""
    assert {c.unit: c.total for c in results} == {
        c.unit: sum((s.amount for s in c.steps), Decimal(0)) for c in results
    }


def test_csv_and_xlsx_score_the_same(criteria: Criteria) -> None:
    """Columns named by input id (CSV) and by Chinese label (XLSX) give the same results."""

    def summary(kind: str) -> dict[str, tuple[object, ...]]:
        r = ecoscore.evaluate(
            criteria,
            _submissions(criteria, 2024, kind),
            previous=[_submissions(criteria, 2023, kind)],
        )
        return {
            c.unit: (
                c.total_exact,
                c.grade,
                r.ranking("overall").rank_of(c.unit),
                tuple(i.points for i in c.indicators.values()),
            )
            for c in r
        }

    assert summary("csv") == summary("xlsx")


# -- grades --------------------------------------------------------------------------


def test_grades_cover_every_band(results: Results) -> None:
    """The example has units in each of 优秀, 良好, 合格 and 不合格."""
    grades = [c.grade for c in results]
    assert (4, 11, 2, 1) == tuple(grades.count(g) for g in ("优秀", "良好", "合格", "不合格"))


def test_veto_for_a_major_incident(results: Results) -> None:
    """定南县 scores in the 优秀 band, but its major incident forces 不合格."""
    card = results["定南县"]
    assert Decimal("94.3") == card.total
    assert [("band", None, "优秀"), ("veto[0]", "优秀", "不合格")] == [
        (s.rule, s.before, s.after) for s in card.grade_steps
    ]


def test_precondition_on_rectification(results: Results) -> None:
    """龙南市 rectified 92.0% (< 95%) of its problems, so it cannot be 优秀."""
    card = results["龙南市"]
    assert ("92.0", Decimal("96.2")) == (_value(results, "龙南市", "rect_rate"), card.total)
    assert [("band", None, "优秀"), ("precondition[0]", "优秀", "良好")] == [
        (s.rule, s.before, s.after) for s in card.grade_steps
    ]


def test_cap_when_pm25_rose(results: Results) -> None:
    """大余县's PM2.5 rose from 16 to 17: its improvement scores 0 and it is at best 良好."""
    card = results["大余县"]
    assert ("-6.3", Decimal("0")) == (
        _value(results, "大余县", "pm25_change"),
        card.indicators["pm25_change"].points,
    )
    assert [("band", None, "优秀"), ("cap[0]", "优秀", "良好")] == [
        (s.rule, s.before, s.after) for s in card.grade_steps
    ]


def test_quota_drops_a_tie_across_the_limit(results: Results) -> None:
    """Six units hold 优秀 for a quota of 5 (30% of 18); the 5th and 6th tie, and drop."""
    assert ["上犹县", "寻乌县", "瑞金市", "章贡区"] == sorted(
        c.unit for c in results if c.grade == "优秀"
    )
    for unit in ("崇义县", "全南县"):
        last = results[unit].grade_steps[-1]
        assert ("quota", "优秀", "良好") == (last.rule, last.before, last.after)


# -- rankings --------------------------------------------------------------------------


def test_overall_ranking_ties_and_tie_breaks(results: Results) -> None:
    """Equal totals and areas share a rank (1, 1, 3); equal totals alone go by the air area."""
    overall = results.ranking("overall")
    ranks = {u: overall.rank_of(u) for u in ("崇义县", "全南县", "赣县区", "信丰县")}
    assert {"崇义县": 8, "全南县": 8, "赣县区": 10, "信丰县": 11} == ranks
    assert results["赣县区"].total == results["信丰县"].total == Decimal("89.9")
    assert ["1", "2", "3", "4", "5"] == [str(e.rank) for e in overall.entries[:5]]
    top = [e.unit for e in overall.entries[:5]]
    assert ["寻乌县", "瑞金市", "上犹县", "龙南市", "章贡区"] == top


def test_peer_group_ranking(results: Results) -> None:
    """Districts are ranked among themselves, counties and cities among themselves."""
    by_group = results.ranking("by_group")
    districts = [(e.unit, str(e.rank)) for e in by_group.entries if e.group == "市辖区"]
    assert [("章贡区", "1"), ("赣县区", "2"), ("南康区", "3")] == districts
    counties = [e.unit for e in by_group.entries if e.group == "县(市)"]
    assert (15, "寻乌县", "瑞金市", "宁都县") == (
        len(counties),
        counties[0],
        counties[1],
        counties[-1],
    )


def test_pm25_ranking_ascending(results: Results) -> None:
    """The PM2.5 ranking puts the cleanest air first, ties shared."""
    pm25 = results.ranking("pm25")
    assert [("全南县", "1"), ("崇义县", "1"), ("上犹县", "3")] == [
        (e.unit, str(e.rank)) for e in pm25.entries[:3]
    ]
    assert ("南康区", Decimal(18)) == (pm25.entries[-1].unit, pm25.entries[-1].rank)


# -- missing figures and the previous year -------------------------------------------------


def test_missing_figure_carried_forward(results: Results) -> None:
    """安远县 left its 2024 monitoring figure empty: 2023's 82 is used, and flagged."""
    res = results["安远县"].indicators["monitoring_rate"]
    assert ("carried-forward", Decimal("82"), Decimal("2.75")) == (
        res.status,
        res.value,
        res.points,
    )


def test_no_national_section_gets_full_points(results: Results) -> None:
    """石城县 has no national section: the division by zero gives full points, as declared."""
    res = results["石城县"].indicators["national_rate"]
    assert ("zero-division", Decimal(7)) == (res.status, res.points)


def test_2023_alone_rescales_year_on_year_items(results_2023: Results) -> None:
    """Without a previous year, year-on-year items are left out and their areas rescaled.

    章贡区 2023 air: PM2.5 8 × (24 − 35)/(15 − 35) = 4.40, good-air rate 99.2 → 7, no heavy
    pollution day → 2: 13.40 of the 17 points left, × 25/17 = 19.71.
    """
    card = results_2023["章贡区"]
    excluded = [i for i, r in card.indicators.items() if r.status == "excluded"]
    assert ["pm25_change", "good_rate_change", "prov_rate_change"] == excluded
    assert Decimal("19.71") == card.nodes["air"].value


# -- the generator -------------------------------------------------------------------------


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_files_are_what_the_generator_writes(tmp_path: Path) -> None:
    """make_examples.py writes exactly the example files in the repository."""
    generator = _generator()
    data = generator.figures()
    for year in (2024, 2023):
        generator.write_csv(tmp_path / "a.csv", data[year])
        generator.write_xlsx(tmp_path / "a.xlsx", year, data[year])
        assert (EXAMPLES / f"submissions-{year}.csv").read_bytes() == (
            tmp_path / "a.csv"
        ).read_bytes()
        assert (EXAMPLES / f"submissions-{year}.xlsx").read_bytes() == (
            tmp_path / "a.xlsx"
        ).read_bytes()
