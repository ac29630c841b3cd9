"""The real indices in criteria/: China's hourly AQI, the city air composite index, the
US EPA AQI, the GB 3838 water class with the rivers' good-section shares and status, and an
EPI-style index.

The AQI is checked against every published station-hour of tests/fixtures/cnemc/ that has
all its inputs (283 rows, real CNEMC data); the others against their published worked
examples, figures worked out by hand, and their examples/ folders through the CLI.
"""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal, localcontext
from pathlib import Path

import pytest

import ecoscore
from ecoscore import Criteria, EvaluationError, Results
from ecoscore.cli import main
from ecoscore.io.submissions import read_submissions
from ecoscore.io.tables import read_table
from ecoscore.numbers import CONTEXT

ROOT = Path(__file__).resolve().parent.parent
CRITERIA = ROOT / "criteria"
EXAMPLES = ROOT / "examples"
CNEMC = Path(__file__).resolve().parent / "fixtures" / "cnemc"

#: Each criteria file of this module and the example it scores.
EXAMPLE_OF = {
    "cn-aqi-hourly-hj633-2012": "cn-aqi-hourly/station-hours.csv",
    "cn-city-air-composite-index": "cn-city-air-composite-index/jiangxi-cities.csv",
    "cn-city-air-composite-index-rounded-terms": "cn-city-air-composite-index/jiangxi-cities.csv",
    "us-epa-aqi-2024": "us-epa-aqi-2024/sites.csv",
    "gb3838-water-class": "gb3838-water-class/sections.csv",
    "epi-style-composite": "epi-style-composite/regions.csv",
}

#: The CNEMC columns of the hourly AQI's inputs. The current-hour ozone is the column
#: labelled o3_24h: upstream swapped the labels of its two ozone columns.
CNEMC_COLUMNS = {
    "pm2_5_1h": "pm2_5",
    "pm10_1h": "pm10",
    "o3_1h": "o3_24h",
    "no2_1h": "no2",
    "so2_1h": "so2",
    "co_1h": "co",
    "so2_24h": "so2_24h",
}


def load(name: str) -> Criteria:
    """A criteria file of criteria/ by its id."""
    return ecoscore.load(CRITERIA / f"{name}.toml")


def score_example(name: str) -> Results:
    """A criteria file scored on its example, read as the CLI reads it."""
    criteria = load(name)
    path = EXAMPLES / EXAMPLE_OF[name]
    return ecoscore.evaluate(
        criteria, read_submissions(read_table(path), criteria), source=str(path)
    )


def cnemc_rows() -> list[dict[str, str]]:
    """Every fixture row with all the AQI's inputs and a published AQI, unit = code@hour."""
    rows = []
    for path in sorted(CNEMC.glob("station-hourly-*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if all(row[c] for c in (*CNEMC_COLUMNS.values(), "aqi")):
                    rows.append({"unit": f"{row['stationcode']}@{row['timepoint'][:13]}", **row})
    return rows


def published_names(text: str) -> set[str]:
    """The published primary pollutants: names joined by commas (either width)."""
    return {name.strip() for name in text.replace("，", ",").split(",") if name.strip()}


def primary_names(criteria: Criteria, results: Results, unit: str) -> set[str]:
    """The computed primary pollutants by their Chinese labels, the names CNEMC publishes."""
    return {criteria.label_of(kid, "zh") for kid in results[unit].nodes["total"].argmax}


# -- China hourly AQI (HJ 633-2012) --------------------------------------------------------


@pytest.fixture(scope="module")
def aqi() -> Criteria:
    """China's hourly AQI criteria."""
    return load("cn-aqi-hourly-hj633-2012")


@pytest.fixture(scope="module")
def cnemc(aqi: Criteria) -> tuple[list[dict[str, str]], Results]:
    """The fixture rows with all inputs, and their scores."""
    rows = cnemc_rows()
    records = [{"unit": r["unit"], **{i: r[c] for i, c in CNEMC_COLUMNS.items()}} for r in rows]
    return rows, ecoscore.evaluate(aqi, records, source="cnemc")


def test_cnemc_rows_with_every_input(cnemc: tuple[list[dict[str, str]], Results]) -> None:
    """The two fixture hours hold 283 station-hours with every input and a published AQI."""
    rows, _ = cnemc
    assert 283 == len(rows)


def test_cnemc_aqi_reproduces(cnemc: tuple[list[dict[str, str]], Results]) -> None:
    """Every published hourly AQI is the computed one."""
    rows, results = cnemc
    differ = [
        (r["unit"], r["aqi"], results[r["unit"]].total)
        for r in rows
        if Decimal(r["aqi"]) != results[r["unit"]].total
    ]
    assert [] == differ


def test_cnemc_primary_pollutant_reproduces(
    aqi: Criteria, cnemc: tuple[list[dict[str, str]], Results]
) -> None:
    """Every published primary pollutant (ties listed, none at AQI ≤ 50) is the arg-max."""
    rows, results = cnemc
    differ = [
        (r["unit"], r["primarypollutant"])
        for r in rows
        if published_names(r["primarypollutant"]) != primary_names(aqi, results, r["unit"])
    ]
    assert [] == differ
    assert 5 < sum(1 for r in rows if "," in r["primarypollutant"])  # ties are covered


def test_cnemc_ozone_labels_are_swapped(aqi: Criteria) -> None:
    """Scoring the column labelled o3 as the hourly ozone does not reproduce the data."""
    rows = cnemc_rows()
    columns = {**CNEMC_COLUMNS, "o3_1h": "o3"}
    records = [{"unit": r["unit"], **{i: r[c] for i, c in columns.items()}} for r in rows]
    results = ecoscore.evaluate(aqi, records)
    assert any(Decimal(r["aqi"]) != results[r["unit"]].total for r in rows)


def test_aqi_example_is_the_fixture(cnemc: tuple[list[dict[str, str]], Results]) -> None:
    """The example station file holds the fixture's complete rows, ozone relabelled."""
    rows, _ = cnemc
    with (EXAMPLES / EXAMPLE_OF["cn-aqi-hourly-hj633-2012"]).open(encoding="utf-8") as f:
        example = list(csv.DictReader(f))
    expected = [
        (r["unit"], *(r[c] for c in CNEMC_COLUMNS.values()), r["aqi"], r["primarypollutant"])
        for r in rows
    ]
    actual = [
        (e["unit"], *(e[i] for i in CNEMC_COLUMNS), e["aqi"], e["primary_pollutant"])
        for e in example
    ]
    assert expected == actual


def test_aqi_ceiling_and_no_primary_at_50(aqi: Criteria) -> None:
    """IAQIs are rounded up (PM2.5 64 → 86.25 → 87); at AQI ≤ 50 no primary pollutant."""
    clean = {
        "pm10_1h": "20",
        "o3_1h": "30",
        "no2_1h": "20",
        "so2_1h": "5",
        "co_1h": "0.4",
        "so2_24h": "5",
    }
    results = ecoscore.evaluate(
        aqi,
        [
            {"unit": "A", "pm2_5_1h": "64", **clean},
            {"unit": "B", "pm2_5_1h": "35", **clean},
        ],
    )
    assert (Decimal(87), ("pm2_5",)) == (results["A"].total, results["A"].nodes["total"].argmax)
    assert (Decimal(50), ()) == (results["B"].total, results["B"].nodes["total"].argmax)


def test_aqi_so2_above_800_uses_the_24h_table(aqi: Criteria) -> None:
    """SO2 1-hour above 800 µg/m³: SO2's IAQI is the 24-hour one (700 → 184.6 → 185)."""
    clean = {"pm2_5_1h": "10", "pm10_1h": "20", "o3_1h": "30", "no2_1h": "20", "co_1h": "0.4"}
    results = ecoscore.evaluate(
        aqi,
        [
            {"unit": "above", "so2_1h": "900", "so2_24h": "700", **clean},
            {"unit": "at", "so2_1h": "800", "so2_24h": "700", **clean},
            {"unit": "no-24h", "so2_1h": "650", "so2_24h": "", **clean},
        ],
    )
    assert Decimal(185) == results["above"].nodes["so2"].value
    assert Decimal(200) == results["at"].nodes["so2"].value
    assert Decimal(150) == results["no-24h"].nodes["so2"].value
    assert ("so2",) == results["above"].nodes["total"].argmax


def test_aqi_refuses_a_missing_pollutant(aqi: Criteria) -> None:
    """A station-hour without one of the six pollutants has no AQI: a located error."""
    with pytest.raises(EvaluationError) as error:
        ecoscore.evaluate(
            aqi,
            [
                {
                    "unit": "A",
                    "pm2_5_1h": "10",
                    "o3_1h": "30",
                    "no2_1h": "20",
                    "so2_1h": "5",
                    "co_1h": "0.4",
                    "so2_24h": "5",
                }
            ],
        )
    assert any("pm10_1h" in str(p) for p in error.value.problems)


def test_verify_reproduces_the_station_file(capsys: pytest.CaptureFixture[str]) -> None:
    """`ecoscore verify` on the station file and its published AQI column: all reproduce."""
    data = str(EXAMPLES / EXAMPLE_OF["cn-aqi-hourly-hj633-2012"])
    criteria = str(CRITERIA / "cn-aqi-hourly-hj633-2012.toml")
    assert 0 == main(["verify", criteria, data, data, "--lang", "en"])
    out = capsys.readouterr().out
    assert "compared: total" in out
    assert "all 283 units reproduce the published figures" in out


def test_verify_names_a_wrong_published_aqi(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A published AQI changed by one is reported, with exit code 3."""
    source = EXAMPLES / EXAMPLE_OF["cn-aqi-hourly-hj633-2012"]
    published = tmp_path / "published.csv"
    shutil.copy(source, published)
    text = published.read_text(encoding="utf-8")
    published.write_text(
        text.replace(
            "1001A@2022-01-01T00,北京市,万寿西宫,36,68,0,82,7,1.2,6,59,",
            "1001A@2022-01-01T00,北京市,万寿西宫,36,68,0,82,7,1.2,6,60,",
        ),
        encoding="utf-8",
    )
    code = main(
        [
            "verify",
            str(CRITERIA / "cn-aqi-hourly-hj633-2012.toml"),
            str(source),
            str(published),
            "--lang",
            "en",
        ]
    )
    out = capsys.readouterr().out
    assert 3 == code
    assert "1001A@2022-01-01T00: total: published 60, computed 59" in out


# -- City air composite index ----------------------------------------------------------------

WORKED = {
    "unit": "worked",
    "pm2_5": "21",
    "pm10": "39",
    "so2": "9",
    "no2": "15",
    "o3_8h_p90": "192",
    "co_p95": "0.7",
}


def test_composite_worked_example_rounds_once() -> None:
    """21/35 + 39/70 + 9/60 + 15/40 + 192/160 + 0.7/4 = 3.0571… is published as 3.06."""
    results = ecoscore.evaluate(load("cn-city-air-composite-index"), [WORKED])
    with localcontext(CONTEXT):
        exact = (
            Decimal(21) / 35
            + Decimal(39) / 70
            + Decimal(9) / 60
            + Decimal(15) / 40
            + Decimal(192) / 160
            + Decimal("0.7") / 4
        )
    actual = results["worked"].total_exact
    assert actual is not None
    assert abs(exact - actual) < Decimal("1e-30")
    assert Decimal("3.06") == results["worked"].total


def test_composite_variant_rounds_each_term() -> None:
    """The declared variant rounds each single index first: 3.07 on the worked example."""
    results = ecoscore.evaluate(load("cn-city-air-composite-index-rounded-terms"), [WORKED])
    card = results["worked"]
    terms = {k: str(v.points) for k, v in card.indicators.items()}
    assert {
        "i_pm2_5": "0.60",
        "i_pm10": "0.56",
        "i_so2": "0.15",
        "i_no2": "0.38",
        "i_o3": "1.20",
        "i_co": "0.18",
    } == terms
    assert Decimal("3.07") == card.total


def test_composite_ties_share_a_rank() -> None:
    """Equal published indices share a rank and the next city skips one (1, 1, 3)."""
    results = score_example("cn-city-air-composite-index")
    ranking = results.ranking("composite")
    assert [Decimal(1), Decimal(1), Decimal(3)] == [
        ranking.rank_of(c) for c in ("景德镇市", "赣州市", "吉安市")
    ]
    # Equal as published, not as computed: the tie is on the rounded index.
    assert results["景德镇市"].total == results["赣州市"].total
    assert results["景德镇市"].total_exact != results["赣州市"].total_exact


def test_composite_tie_case() -> None:
    """Two cities at 3.06 and one at 3.24 rank 1, 1, 3, ascending."""
    criteria = load("cn-city-air-composite-index")
    other = {
        "pm2_5": "26",
        "pm10": "45",
        "so2": "10",
        "no2": "20",
        "o3_8h_p90": "150",
        "co_p95": "1.0",
    }  # 0.742857 + 0.642857 + 0.166667 + 0.5 + 0.9375 + 0.25 = 3.24
    results = ecoscore.evaluate(
        criteria,
        [{**WORKED, "unit": "景德镇"}, {**WORKED, "unit": "赣州"}, {**other, "unit": "抚州"}],
    )
    ranking = results.ranking()
    assert [("景德镇", 1), ("赣州", 1), ("抚州", 3)] == [
        (e.unit, int(e.rank or 0)) for e in ranking.entries
    ]
    assert Decimal("3.24") == results["抚州"].total


# -- US EPA AQI ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def epa() -> Results:
    """The EPA AQI on its example sites."""
    return score_example("us-epa-aqi-2024")


def test_epa_worked_example(epa: Results) -> None:
    """Ozone 0.078 ppm → 126, PM2.5 35.9 → 102, CO 8.4 ppm → 90: AQI 126, ozone."""
    card = epa["worked-example"]
    points = {k: v.points for k, v in card.indicators.items() if v.points is not None}
    assert {"o3_by_8h": Decimal(126), "pm2_5": Decimal(102), "co": Decimal(90)} == points
    assert Decimal(126) == card.total
    assert ("o3",) == card.nodes["total"].argmax
    assert "ozone" == epa.criteria.label_of("o3", "en")


def test_epa_truncates_inputs(epa: Results) -> None:
    """Inputs are truncated first: 0.0789 ppm is 0.078, and PM2.5 9.05 is 9.0 (AQI 50)."""
    card = epa["truncation"]
    assert Decimal("0.078") == card.indicators["o3_by_8h"].value
    assert Decimal(126) == card.indicators["o3_by_8h"].points
    assert Decimal(50) == card.indicators["pm2_5"].points
    assert all(Decimal(50) == card.indicators[i].points for i in ("pm10", "co", "so2_by_1h", "no2"))


@pytest.mark.parametrize(
    ("site", "aqi", "responsible"),
    [
        # 1-hour O3 0.170: (200−151)/(0.204−0.165)×(0.170−0.165)+151 = 157.28; 8-hour 132.5.
        ("ozone-1h", 157, "o3"),
        # 24-hour SO2 400: (300−201)/(604−305)×(400−305)+201 = 232.45.
        ("so2-24h", 232, "so2"),
        # PM10 424 is the top of 201–300; PM2.5 125.5 the bottom of 201–300.
        ("pm-only", 300, "pm10"),
        ("beyond-the-aqi", 500, "pm2_5"),
    ],
)
def test_epa_sites(epa: Results, site: str, aqi: int, responsible: str) -> None:
    """Each example site's AQI and responsible pollutant, worked out by hand."""
    card = epa[site]
    assert (Decimal(aqi), (responsible,)) == (card.total, card.nodes["total"].argmax)


def test_epa_ozone_takes_the_larger_index(epa: Results) -> None:
    """Where the 1-hour ozone index is larger, it is the ozone index (133 vs 157)."""
    card = epa["ozone-1h"]
    assert (Decimal(133), Decimal(157), Decimal(157)) == (
        card.indicators["o3_by_8h"].points,
        card.indicators["o3_by_1h"].points,
        card.nodes["o3"].value,
    )


# -- GB 3838 water class and the good-section share -----------------------------------------

CLEAN_WATER = {
    "ph": "7.4",
    "do": "8.1",
    "codmn": "1.8",
    "cod": "9",
    "bod5": "1.2",
    "nh3n": "0.12",
    "tp": "0.018",
    "copper": "0.004",
    "zinc": "0.02",
    "fluoride": "0.21",
    "selenium": "0.0004",
    "arsenic": "0.0012",
    "mercury": "0.00002",
    "cadmium": "0.0003",
    "chromium_vi": "0.004",
    "lead": "0.003",
    "cyanide": "0.002",
    "volatile_phenol": "0.0008",
    "petroleum": "0.01",
    "las": "0.03",
    "sulfide": "0.005",
}


@pytest.mark.parametrize(
    ("figures", "water_class", "status"),
    [
        ({"cod": "18", "nh3n": "0.4", "tp": "0.25"}, "Ⅳ", "轻度污染"),
        ({"cod": "12", "nh3n": "0.1", "tp": "0.02"}, "Ⅰ", "优"),
        ({"cod": "15", "nh3n": "0.5", "tp": "0.1"}, "Ⅱ", "优"),  # shared limit: the better
        ({"cod": "45", "nh3n": "0.4", "tp": "0.1"}, "劣Ⅴ", "重度污染"),
        ({"do": "4.9"}, "Ⅳ", "轻度污染"),  # dissolved oxygen: at least 5 for Ⅲ
        ({"ph": "5.9"}, "劣Ⅴ", "重度污染"),  # pH outside 6–9
        ({"mercury": "0.00006"}, "Ⅲ", "良好"),
        ({"nh3n": "2.0"}, "Ⅴ", "中度污染"),
    ],
)
def test_water_class_worst_item_wins(
    figures: dict[str, str], water_class: str, status: str
) -> None:
    """A section's class is its worst item's class; its status follows the class."""
    results = ecoscore.evaluate(
        load("gb3838-water-class"), [{"unit": "s", **CLEAN_WATER, **figures}]
    )
    card = results["s"]
    assert (water_class, status) == (card.indicators["water_class"].label, card.grade)


def test_river_counts_come_from_the_sections() -> None:
    """The sections summary counts each river's sections, and the shares count their classes."""
    sections = score_example("gb3838-water-class")
    with (EXAMPLES / "gb3838-water-class" / "sections.csv").open(encoding="utf-8") as f:
        river_of = {row["unit"]: row["river"] for row in csv.DictReader(f)}
    counted: dict[str | None, list[int]] = {}
    for card in sections:
        label = card.indicators["water_class"].label
        for group in (None, river_of[card.unit]):
            count = counted.setdefault(group, [0, 0, 0])
            count[0] += 1
            count[1] += label in ("Ⅰ", "Ⅱ", "Ⅲ")
            count[2] += label == "劣Ⅴ"
    summarised = {
        f.group: [
            f.considered,
            sections.summary("good_share").figure(f.group).count,
            sections.summary("worse_v_share").figure(f.group).count,
        ]
        for f in sections.summary("sections").groups
    }
    assert counted == summarised


def test_river_good_share_and_grade() -> None:
    """Each river's share of Ⅰ–Ⅲ and of 劣Ⅴ sections (2 places) and its class-proportion
    status, and the same over all sixteen sections."""
    results = score_example("gb3838-water-class")
    actual = {
        f.group: (
            str(f.value),
            str(results.summary("worse_v_share").figure(f.group).value),
            results.summary("status").figure(f.group).label,
        )
        for f in results.summary("good_share").groups
    }
    assert {
        None: ("81.25", "6.25", "良好"),
        "桃江": ("100.00", "0.00", "优"),
        "章江": ("83.33", "0.00", "良好"),
        "贡江": ("60.00", "20.00", "中度污染"),
    } == actual


def river(sections: int, good: int, worse: int) -> list[dict[str, str]]:
    """A river of ``sections`` sections: ``good`` in class Ⅰ, ``worse`` in 劣Ⅴ (COD 45),
    the others in class Ⅳ (COD 25)."""
    cods = ["9"] * good + ["45"] * worse + ["25"] * (sections - good - worse)
    return [
        {"unit": f"s{k}", "river": "r", **CLEAN_WATER, "cod": cod} for k, cod in enumerate(cods)
    ]


@pytest.mark.parametrize(
    ("sections", "good", "worse", "grade"),
    [
        (10, 9, 0, "优"),  # 90 % exactly
        (20, 15, 0, "良好"),  # 75 % exactly
        (10, 7, 1, "轻度污染"),
        (5, 3, 1, "中度污染"),  # 劣Ⅴ 20 % exactly
        (10, 5, 4, "重度污染"),  # 劣Ⅴ 40 % exactly
        (10, 5, 3, "中度污染"),
        (4, 4, 0, "断面少于5个"),  # the class-proportion method needs 5 sections
    ],
)
def test_good_share_grade_bounds(sections: int, good: int, worse: int, grade: str) -> None:
    """The status bounds of 环办〔2011〕22号: 90 and 75 % of Ⅰ–Ⅲ, 20 and 40 % of 劣Ⅴ, inclusive."""
    results = ecoscore.evaluate(load("gb3838-water-class"), river(sections, good, worse))
    assert grade == results.summary("status").figure("r").label


# -- EPI-style composite ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def epi() -> Results:
    """The EPI-style index on its twelve invented regions."""
    return score_example("epi-style-composite")


def test_epi_proximity_with_ln(epi: Results) -> None:
    """PM2.5 6.4 between goalposts 5 and 60 on a log scale: 100·ln(6.4/60)/ln(5/60)."""
    with localcontext() as ctx:
        ctx.prec = 40
        expected = (
            100 * (Decimal("6.4").ln() - Decimal(60).ln()) / (Decimal(5).ln() - Decimal(60).ln())
        )
    actual = epi["Isenmark"].indicators["pm25_exposure"].points
    assert actual is not None
    assert abs(expected - actual) < Decimal("1e-25")


def test_epi_weighted_tree(epi: Results) -> None:
    """The index is 40 % environmental health and 60 % ecosystem vitality."""
    nodes = epi["Arvenna"].nodes
    health, vitality = nodes["health"].value, nodes["vitality"].value
    assert health is not None
    assert vitality is not None
    with localcontext(CONTEXT):
        expected = (health * 40 + vitality * 60) / 100
    actual = epi["Arvenna"].total_exact
    assert actual is not None
    assert abs(expected - actual) < Decimal("1e-30")


def test_epi_missing_indicator_drops_out(epi: Results) -> None:
    """Dunmere's missing solid-fuel share leaves PM2.5 carrying the air category alone."""
    card = epi["Dunmere"]
    assert ("solid_fuel_share",) == card.nodes["air"].excluded
    assert card.indicators["pm25_exposure"].points == card.nodes["air"].value


def test_epi_one_decimal_as_published(epi: Results) -> None:
    """Scores are published with one decimal, rounded as Python rounds a double."""
    for card in epi:
        assert card.total_exact is not None
        assert Decimal(repr(round(float(card.total_exact), 1))) == card.total


def test_epi_competition_ranks_on_the_rounded_score(epi: Results) -> None:
    """Galdor and Lunmoor both publish 66.1 and share 5th; the next region is 7th."""
    ranking = epi.ranking("epi")
    assert [5, 5, 7] == [int(ranking.rank_of(u) or 0) for u in ("Galdor", "Lunmoor", "Calder Vale")]
    assert epi["Galdor"].total_exact != epi["Lunmoor"].total_exact
    assert [1, 2, 3, 4, 5, 5, 7, 8, 9, 10, 11, 12] == [int(e.rank or 0) for e in ranking.entries]


# -- every file through the CLI --------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXAMPLE_OF))
def test_check_passes(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`ecoscore check` accepts the criteria file without a warning."""
    assert 0 == main(["check", str(CRITERIA / f"{name}.toml"), "--lang", "en"])
    assert "the criteria are valid (0 warning(s))" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(EXAMPLE_OF))
def test_score_runs_on_the_example(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`ecoscore score` scores the example and prints every unit."""
    example = EXAMPLES / EXAMPLE_OF[name]
    assert 0 == main(["score", str(CRITERIA / f"{name}.toml"), str(example), "--lang", "en"])
    out = capsys.readouterr().out
    with example.open(encoding="utf-8") as f:
        units = [row["unit"] for row in csv.DictReader(f)]
    assert [] == [u for u in units if u not in out]
