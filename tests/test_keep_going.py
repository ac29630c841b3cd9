"""`ecoscore score --keep-going` and `verify --keep-going`: rows that cannot be scored are
left out and listed, in the terminal and in every output; the exit code says so."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ecoscore.cli import EXIT_INPUT, EXIT_LEFT_OUT, EXIT_OK, main

ROOT = Path(__file__).resolve().parent.parent
AQI = str(ROOT / "criteria" / "cn-aqi-hourly-hj633-2012.toml")
STATIONS = ROOT / "examples" / "cn-aqi-hourly" / "station-hours.csv"


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """The station file with one pollutant missing (row 3) and one figure mistyped (row 4)."""
    with STATIONS.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    rows[2][head.index("pm10_1h")] = ""
    rows[3][head.index("o3_1h")] = "abc"
    path = tmp_path / "stations.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_the_default_stays_strict(damaged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --keep-going one bad station-hour stops the whole file, nothing written."""
    assert EXIT_INPUT == main(["score", AQI, str(damaged), "--lang", "en"])
    assert "nothing was done" in capsys.readouterr().err


def test_keep_going_scores_the_rest_and_lists_the_others(
    damaged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The 281 scorable station-hours are scored; the 2 others are listed with their cells."""
    assert EXIT_LEFT_OUT == main(["score", AQI, str(damaged), "--lang", "en", "--keep-going"])
    out, err = capsys.readouterr()
    assert "2 unit(s) left out (--keep-going), for these reasons:" in err
    assert f"{damaged}:3:5: 1003A@2022-01-01T00: indicator pm10: no value for pm10_1h" in err
    assert f"{damaged}:4:6: 1004A@2022-01-01T00: o3_1h (O3 1小时平均浓度): not a number" in err
    assert "Units left out:" in out
    assert "2 units were left out: their rows could not be scored. The rankings rank the 281" in (
        out
    )


def test_nothing_left_out_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """--keep-going on a file with no bad row is an ordinary run, exit 0."""
    assert EXIT_OK == main(["score", AQI, str(STATIONS), "--lang", "en", "--keep-going"])
    assert "left out" not in capsys.readouterr().out


@pytest.mark.parametrize("kind", [".json", ".md", ".html", ".xlsx"])
def test_every_output_lists_the_units_left_out(damaged: Path, tmp_path: Path, kind: str) -> None:
    """JSON has a left_out field, Markdown and HTML a section, XLSX a sheet."""
    out = tmp_path / f"results{kind}"
    assert EXIT_LEFT_OUT == main(
        ["score", AQI, str(damaged), "--lang", "en", "--keep-going", "-o", str(out)]
    )
    if kind == ".json":
        document = json.loads(out.read_text(encoding="utf-8"))
        assert ["1003A@2022-01-01T00", "1004A@2022-01-01T00"] == [
            entry["unit"] for entry in document["left_out"]
        ]
        assert 281 == len(document["units"])
        assert True is document["manifest"]["settings"]["keep_going"]
    elif kind == ".xlsx":
        workbook = openpyxl.load_workbook(out)
        sheet = workbook["Left out"]
        assert "2 units were left out" in str(sheet["A1"].value)
        assert "1003A@2022-01-01T00" == sheet["A3"].value
        assert "no value for pm10_1h" in str(sheet["B3"].value)
    else:
        text = out.read_text(encoding="utf-8")
        assert "Units left out" in text
        assert "The rankings rank the 281 units scored" in text
        assert "1004A@2022" in text


def test_verify_keeps_going_and_compares_the_rest(
    damaged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """verify --keep-going compares the units scored, and exits 4 for those left out."""
    code = main(["verify", AQI, str(damaged), str(STATIONS), "--lang", "en", "--keep-going"])
    out = capsys.readouterr().out
    assert EXIT_LEFT_OUT == code
    assert "all 281 units reproduce the published figures" in out


def test_a_problem_of_no_row_still_stops(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing column is no row's problem: --keep-going fails as a strict run."""
    data = tmp_path / "data.csv"
    data.write_text("unit,pm2_5_1h\nA,10\n", encoding="utf-8")
    assert EXIT_INPUT == main(["score", AQI, str(data), "--lang", "en", "--keep-going"])
    assert "no column for 'pm10_1h'" in capsys.readouterr().err


def test_a_ragged_row_is_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A short CSV row is left out at its line, not the whole file."""
    lines = STATIONS.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].split(",", 1)[0]
    data = tmp_path / "data.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert EXIT_LEFT_OUT == main(["score", AQI, str(data), "--lang", "en", "--keep-going"])
    assert f"{data}:6: line 6 has 1 cell, the header has 12" in capsys.readouterr().err


def test_xlsx_output_has_no_left_out_sheet_when_none(tmp_path: Path) -> None:
    """A run with nothing left out writes the usual three sheets."""
    out = tmp_path / "results.xlsx"
    assert EXIT_OK == main(["score", AQI, str(STATIONS), "--keep-going", "-o", str(out)])
    with zipfile.ZipFile(out) as archive:
        assert 3 == sum(1 for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))


def test_a_listed_unit_left_out_is_not_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Ganzhou criteria list their 18 units: two bad rows leave two of them out and the
    other 16 are scored, graded and ranked (a listed unit with no row was an error)."""
    ganzhou = ROOT / "examples" / "ganzhou-2024"
    with (ganzhou / "submissions-2024.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[3][2] = "abc"
    rows[5][3] = ""
    data = tmp_path / "data.csv"
    with data.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    out = tmp_path / "results.json"
    argv = [
        "score",
        str(ROOT / "criteria" / "ganzhou-county-2024.toml"),
        str(data),
        "--previous",
        str(ganzhou / "submissions-2023.csv"),
        "--keep-going",
        "-o",
        str(out),
    ]
    assert EXIT_LEFT_OUT == main(argv)
    capsys.readouterr()
    document = json.loads(out.read_text(encoding="utf-8"))
    assert ["赣县区", "龙南市"] == [entry["unit"] for entry in document["left_out"]]
    assert 16 == len(document["units"])
    assert 16 == len(document["rankings"][0]["entries"])
