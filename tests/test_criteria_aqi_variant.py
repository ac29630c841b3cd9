"""The declared "pollutants present" variant of China's hourly AQI, against real CNEMC
station-hours: the same AQI where every pollutant is present, the largest IAQI over the
pollutants present where one is missing, and no AQI where none is."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

import ecoscore
from ecoscore import Criteria, EvaluationError, Results
from ecoscore.cli import EXIT_LEFT_OUT, main
from ecoscore.engine.partial import evaluate_keeping_going
from ecoscore.io.submissions import read_submissions

ROOT = Path(__file__).resolve().parent.parent
STRICT = ROOT / "criteria" / "cn-aqi-hourly-hj633-2012.toml"
VARIANT = ROOT / "criteria" / "cn-aqi-hourly-hj633-2012-pollutants-present.toml"
COMPLETE = ROOT / "examples" / "cn-aqi-hourly" / "station-hours.csv"
GAPS = ROOT / "examples" / "cn-aqi-hourly" / "station-hours-with-gaps.csv"
POLLUTANTS = ("pm2_5_1h", "pm10_1h", "o3_1h", "no2_1h", "so2_1h", "co_1h")


@pytest.fixture(scope="module")
def variant() -> Criteria:
    """The variant criteria."""
    return ecoscore.load(VARIANT)


def rows(path: Path) -> list[dict[str, str]]:
    """An example file's rows."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def score(criteria: Criteria, path: Path) -> Results:
    """Score an example file as the CLI reads it."""
    return ecoscore.evaluate(criteria, read_submissions(path, criteria), source=str(path))


def test_the_variant_is_the_strict_file_but_for_missing(variant: Criteria) -> None:
    """Only the id, the title and each IAQI's missing policy differ from the strict file."""
    strict = ecoscore.load(STRICT)
    assert set(strict.indicators) == set(variant.indicators)
    assert {"error"} == {i.missing for i in strict.indicators.values()}
    assert {"exclude"} == {i.missing for i in variant.indicators.values()}
    assert [i.rule for i in strict.indicators.values()] == [
        i.rule for i in variant.indicators.values()
    ]


def test_complete_station_hours_score_as_published(variant: Criteria) -> None:
    """All 283 station-hours with every pollutant reproduce the published AQI and primary
    pollutant under the variant, as under the strict file."""
    results = score(variant, COMPLETE)
    published = rows(COMPLETE)
    assert 283 == len(published)
    assert [] == [r["unit"] for r in published if Decimal(r["aqi"]) != results[r["unit"]].total]
    labels = {variant.label_of(k, "zh"): k for k in variant.nodes["total"].children}
    for r in published:
        names = {n.strip() for n in r["primary_pollutant"].replace("，", ",").split(",") if n}
        assert {labels[n] for n in names} == set(results[r["unit"]].nodes["total"].argmax)


def test_gaps_score_over_the_pollutants_present(variant: Criteria) -> None:
    """Each of the 17 station-hours with some pollutant present gets the largest IAQI over
    those present; the 8 with none get no AQI."""
    results = score(variant, GAPS)
    strict = ecoscore.load(STRICT)
    gaps = rows(GAPS)
    assert 25 == len(gaps)
    assert all(not r["aqi"] for r in gaps)  # CNEMC published none of them
    scored = [r for r in gaps if any(r[p] for p in POLLUTANTS)]
    assert 17 == len(scored)
    for r in scored:
        # The IAQIs of the pollutants present, each scored alone by the strict file.
        present = {k: v for k, v in r.items() if k in (*POLLUTANTS, "so2_24h") and v}
        iaqis = []
        for pollutant in POLLUTANTS:
            if pollutant in present:
                alone = dict.fromkeys(POLLUTANTS, "0") | {pollutant: present[pollutant]}
                alone["so2_24h"] = present.get("so2_24h", "0")
                card = ecoscore.evaluate(strict, [{"unit": "x", **alone}])["x"]
                iaqis.append(card.total)
        assert max(iaqis) == results[r["unit"]].total, r["unit"]
    for r in gaps:
        if r not in scored:
            assert results[r["unit"]].total is None


def test_the_strict_file_keeps_going_past_the_gaps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both hours whole (308 station-hours): strict, the file fails; with --keep-going the
    283 complete ones are scored and the 25 others left out, each with its reason."""
    whole = tmp_path / "hours.csv"
    text = COMPLETE.read_text(encoding="utf-8")
    whole.write_text(text + GAPS.read_text(encoding="utf-8").split("\n", 1)[1], "utf-8")
    assert 1 == main(["score", str(STRICT), str(whole), "--lang", "en"])
    capsys.readouterr()
    out = tmp_path / "results.json"
    code = main(["score", str(STRICT), str(whole), "--keep-going", "-o", str(out)])
    assert EXIT_LEFT_OUT == code
    err = capsys.readouterr().err
    assert "25 个单位未评分" in err
    assert "1112A@2022-01-01T00: indicator pm10: no value for pm10_1h" in err
    strict = ecoscore.load(STRICT)
    with pytest.raises(EvaluationError):
        score(strict, GAPS)
    results = evaluate_keeping_going(strict, read_submissions(whole, strict))
    assert (283, 25) == (len(results), len(results.left_out))


def test_the_variant_example_through_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    """`ecoscore score` on the variant and its example succeeds."""
    assert 0 == main(["score", str(VARIANT), str(GAPS), "--lang", "en"])
    assert "1130A@2022-01-01T00" in capsys.readouterr().out
