"""Every criteria file that ships loads and checks clean; the README's commands work."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecoscore.cli import main

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


def test_the_readme_main_command_scores_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's main command scores the 18 units of the bundled example."""
    argv = [
        "score",
        str(ROOT / "criteria" / "ganzhou-county-2024.toml"),
        str(GANZHOU / "submissions-2024.csv"),
        "--previous",
        str(GANZHOU / "submissions-2023.csv"),
    ]
    assert 0 == main(argv)
    out = capsys.readouterr().out
    assert 18 == sum(
        1
        for line in out.splitlines()
        if "县" in line or "区" in line or "市" in line
        if line.strip()[:1].isdigit()
    )


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
    assert "published-2024.csv:6:3: 章贡区: total: 公布 96.2, 计算 96.1" in out
    assert "1 / 18 个单位与公布结果不一致" in out


def test_verify_compares_the_published_primary_pollutant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """verify reads a primary-pollutant column as the AQI's arg-max and names a wrong one."""
    station = ROOT / "examples" / "cn-aqi-hourly" / "station-hours.csv"
    criteria = str(ROOT / "criteria" / "cn-aqi-hourly-hj633-2012.toml")
    assert 0 == main(["verify", criteria, str(station), str(station)])
    assert "比对项：total, argmax:total" in capsys.readouterr().out
    lines = station.read_text(encoding="utf-8").splitlines()
    head, first = lines[0], lines[1].rsplit(",", 1)[0]
    published = tmp_path / "published.csv"
    published.write_text("\n".join([head, f"{first},臭氧1小时", *lines[2:]]) + "\n", "utf-8")
    assert 3 == main(["verify", criteria, str(station), str(published)])
    out = capsys.readouterr().out
    assert "argmax:total: 公布 臭氧1小时, 计算 颗粒物(PM10)" in out
    assert "1 / 283 个单位与公布结果不一致" in out
