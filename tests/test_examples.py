"""Every criteria file that ships loads and checks clean; the README's commands work."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import ecoscore
from ecoscore.cli import main
from ecoscore.io.submissions import read_periods
from ecoscore.io.subunit_tables import read_subunit_table
from ecoscore.io.tables import read_table
from ecoscore.results.export import results_schema

ROOT = Path(__file__).resolve().parent.parent
CRITERIA = sorted((ROOT / "criteria").glob("*.toml"))
GANZHOU = ROOT / "examples" / "ganzhou-2024"


@pytest.mark.parametrize("path", CRITERIA, ids=[p.stem for p in CRITERIA])
def test_every_shipped_criteria_file_checks_clean(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ecoscore check` passes on every file in criteria/, with no warning."""
    assert 0 == main(["check", str(path), "--lang", "en"])
    assert "(0 warning(s))" in capsys.readouterr().out


def _readme_session(command: str) -> tuple[list[str], list[str]]:
    """The README's console session that starts with ``$ <command> …``: its argv and the
    lines it shows (``…`` marks a cut)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"$ {command}")
    block = text[start : text.index("```", start)].splitlines()
    argv = shlex.split(block[0][2:])[1:]
    return argv, [line for line in block[1:] if line.strip() != "…"]


def test_the_readme_main_command_scores_2024_with_its_history(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's main command scores the 18 units of 2024 with 2023 and 2022 assessed
    beside them, and prints every line the README shows."""
    argv, shown = _readme_session("ecoscore score criteria/ganzhou-county-2024.toml")
    assert "examples/ganzhou-2024/submissions-2021.csv" in argv
    monkeypatch.chdir(ROOT)
    assert 0 == main(argv)
    out = [line.rstrip() for line in capsys.readouterr().out.splitlines()]
    assert [] == [line for line in shown if line.rstrip() not in out]
    assert 18 == sum(
        1
        for line in out
        if ("县" in line or "区" in line or "市" in line) and line.strip()[:1].isdigit()
    )
    assert any("连续三年优秀" in line and "瑞金市" in line for line in out)


def test_verify_names_the_one_published_total_that_differs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The README's verify example finds 章贡区's total, rounded up when published."""
    argv = [
        "verify",
        str(ROOT / "criteria" / "ganzhou-county-2024.toml"),
        str(GANZHOU / "submissions-2024.csv"),
        str(GANZHOU / "published-2024.csv"),
        "--previous",
        str(GANZHOU / "submissions-2023.csv"),
    ]
    assert 3 == main(argv)
    out = capsys.readouterr().out
    assert "published-2024.csv:6:3: 章贡区: 总分: 公布 96.2，计算 96.1" in out
    assert "1 / 18 个单位与公布结果不一致" in out


def test_verify_compares_the_published_primary_pollutant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """verify reads a primary-pollutant column as the AQI's arg-max and names a wrong one."""
    station = ROOT / "examples" / "cn-aqi-hourly" / "station-hours.csv"
    criteria = str(ROOT / "criteria" / "cn-aqi-hourly-hj633-2012.toml")
    assert 0 == main(["verify", criteria, str(station), str(station)])
    assert "比对项：总分、首要污染物" in capsys.readouterr().out
    lines = station.read_text(encoding="utf-8").splitlines()
    head, first = lines[0], lines[1].rsplit(",", 1)[0]
    published = tmp_path / "published.csv"
    published.write_text("\n".join([head, f"{first},臭氧1小时", *lines[2:]]) + "\n", "utf-8")
    assert 3 == main(["verify", criteria, str(station), str(published)])
    out = capsys.readouterr().out
    assert "首要污染物: 公布 臭氧1小时，计算 颗粒物(PM10)" in out
    assert "1 / 283 个单位与公布结果不一致" in out


SUBUNITS = GANZHOU / "subunits"
SECTIONS_CRITERIA = str(ROOT / "criteria" / "ganzhou-county-2024-sections.toml")


def _rollup_argv(data: str, *tables: str) -> list[str]:
    return [
        "score",
        SECTIONS_CRITERIA,
        str(SUBUNITS / data),
        "--previous",
        *(str(SUBUNITS / f"submissions-{year}.csv") for year in (2023, 2022, 2021)),
        *(f"--table={name}={SUBUNITS / name}.csv" for name in tables),
    ]


def test_the_readme_rollup_command_scores_the_example_from_files_or_sheets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The README's roll-up command scores the 18 units from the section and station
    files, and the workbook whose sheets hold the same tables gives the same table."""
    assert 0 == main(_rollup_argv("submissions-2024.csv", "sections", "stations"))
    from_files = capsys.readouterr().out
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "ecoscore score criteria/ganzhou-county-2024-sections.toml"
    line = next(x for x in readme.splitlines() if x.startswith(command))
    assert "subunits/submissions-2021.csv --table sections=" in line
    assert 18 == sum(1 for line in from_files.splitlines() if line.strip()[:1].isdigit())
    assert "上犹县  等级上限 [cap[1]]  良好 → 合格：国考断面出现劣Ⅴ类水质" in from_files
    assert 0 == main(_rollup_argv("submissions-2024.xlsx"))
    assert from_files == capsys.readouterr().out


def test_the_rollup_example_keeps_the_published_figures_and_excludes_a_county_without_sections(
    tmp_path: Path,
) -> None:
    """章贡区's stations still make the published 8.3% improvement; 石城县, with no national
    section, has that indicator excluded and its water area scaled by 25 / 18."""
    out = tmp_path / "r.json"
    assert 0 == main([*_rollup_argv("submissions-2024.xlsx"), "-o", str(out)])
    units = {u["unit"]: u for u in json.loads(out.read_text("utf-8"))["units"]}
    assert "8.3" == units["章贡区"]["indicators"]["pm25_change"]["value"]
    shicheng = units["石城县"]
    national = shicheng["indicators"]["national_rate"]
    assert ("excluded", None) == (national["status"], national["points"])
    assert "缺项按比例折算：× 25/18（national_rate）" == shicheng["nodes"]["water"]["note"]["zh"]
    rolled = next(r for r in shicheng["rollups"] if r["id"] == "national_rate")
    assert ([], None) == (rolled["subunits"], rolled["value"])
    yudu = next(r for r in units["于都县"]["rollups"] if r["id"] == "national_rate")
    assert [{"subunit": "于都国控2", "missing": ["water_class"]}] == yudu["left_out"]


def test_the_rollup_example_files_are_up_to_date() -> None:
    """sections.csv and stations.csv are what make_subunits.py makes of the submissions."""
    sys.path.insert(0, str(GANZHOU))
    try:
        import make_subunits
    finally:
        sys.path.remove(str(GANZHOU))
    years = {year: make_subunits.read(year) for year in make_subunits.YEARS}
    for name, rows in (
        ("sections", make_subunits.sections(years)),
        ("stations", make_subunits.stations(years)),
    ):
        lines = (SUBUNITS / f"{name}.csv").read_text("utf-8").splitlines()[1:]
        assert [",".join(row) for row in rows] == lines


# Every shipped criteria file with the example data it scores, earlier periods after.
SHIPPED = {
    "cn-aqi-hourly-hj633-2012": ["cn-aqi-hourly/station-hours.csv"],
    "cn-aqi-hourly-hj633-2012-pollutants-present": ["cn-aqi-hourly/station-hours-with-gaps.csv"],
    "cn-city-air-composite-index": ["cn-city-air-composite-index/jiangxi-cities.csv"],
    "cn-city-air-composite-index-rounded-terms": ["cn-city-air-composite-index/jiangxi-cities.csv"],
    "epi-style-composite": ["epi-style-composite/regions.csv"],
    "ganzhou-county-2024": [
        "ganzhou-2024/submissions-2024.csv",
        "ganzhou-2024/submissions-2023.csv",
        "ganzhou-2024/submissions-2022.csv",
        "ganzhou-2024/submissions-2021.csv",
    ],
    # The sub-unit tables are sheets of the 2024 workbook (sections, stations).
    "ganzhou-county-2024-sections": [
        "ganzhou-2024/subunits/submissions-2024.xlsx",
        "ganzhou-2024/subunits/submissions-2023.csv",
    ],
    "gb3838-water-class": ["gb3838-water-class/sections.csv"],
    "us-epa-aqi-2024": ["us-epa-aqi-2024/sites.csv"],
}


def test_every_shipped_criteria_file_has_its_example() -> None:
    """The schema test below covers every file in criteria/."""
    assert sorted(p.stem for p in CRITERIA) == sorted(SHIPPED)


@pytest.mark.parametrize(
    ("stem", "trace"),
    [(stem, "full") for stem in sorted(SHIPPED)]
    + [("ganzhou-county-2024", "summary"), ("ganzhou-county-2024", "none")],
)
def test_the_json_of_every_example_fits_the_shipped_schema(
    stem: str, trace: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ecoscore score -o results.json` of every shipped example (and of the flagship at
    each trace level) validates against the JSON Schema shipped in the package."""
    data, *previous = (str(ROOT / "examples" / p) for p in SHIPPED[stem])
    out = tmp_path / "results.json"
    argv = ["score", str(ROOT / "criteria" / f"{stem}.toml"), data, "-o", str(out)]
    argv += ["--trace", trace, *(["--previous", *previous] if previous else [])]
    assert 0 == main(argv), capsys.readouterr().err
    document = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(document, results_schema(), cls=jsonschema.Draft202012Validator)
    assert trace == document["trace"]


def _results(stem: str) -> ecoscore.Results:
    criteria = ecoscore.load(ROOT / "criteria" / f"{stem}.toml")
    periods = [
        p
        for path in SHIPPED[stem]
        for p in read_periods(read_table(ROOT / "examples" / path), criteria)
    ]
    current, *earlier = periods
    data = ROOT / "examples" / SHIPPED[stem][0]
    tables = {
        name: read_subunit_table(data, criteria, name, sheet=name) for name in criteria.subunits
    }
    return ecoscore.evaluate(
        criteria,
        current.submissions,
        previous=[p.submissions for p in earlier],
        tables=tables or None,
    )


@pytest.mark.parametrize("stem", sorted(SHIPPED))
def test_every_clause_of_every_example_reads_as_its_outcome(stem: str) -> None:
    """Put together from its template and args, each clause of each example is exactly the
    text the library gives, in Chinese and in English; every number stays exact."""
    results = _results(stem)
    document: dict[str, Any] = ecoscore.results_to_dict(results)
    templates = {i["id"]: i["clauses"] for i in document["indicators"]}
    for unit in document["units"]:
        card = results[unit["unit"]]
        assert (str(card.total) if card.total is not None else None) == unit["total"]
        for ident, res in card.indicators.items():
            cell = unit["indicators"][ident]
            assert (None if res.points is None else format(res.points, "f")) == cell["points"]
            if res.outcome is None:
                assert "clause" not in cell
                continue
            k, *args = cell["clause"]
            for lang in ("zh", "en"):
                template = templates[ident][k][lang]
                assert res.outcome.text(lang) == (template.format(*args) if args else template)
