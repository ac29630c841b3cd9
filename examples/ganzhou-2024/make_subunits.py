"""Write the Ganzhou example's sub-unit tables (sections, stations) and the submissions
that go with them, for ``criteria/ganzhou-county-2024-sections.toml``.

Everything here is invented and illustrative (see subunits/README.md). The submissions
are the ones of ``submissions-<year>.csv`` without the three figures that the sibling
criteria roll up instead: ``pm25`` (now the mean of each county's air stations) and
``national_sections``/``national_good`` (now its national water sections, one row each).
The stations of each county average to its submitted PM2.5, to the 1 place the criteria
round to; 章贡区's four stations average exactly 22.0 and 24.0, so its improvement is
still the published 8.3%. A few sections differ from the submitted counts, so that the
example shows what roll-ups do: 宁都县 has a section in class Ⅳ in 2024, 上犹县 one in
劣Ⅴ (a cap), 于都县 one not monitored in 2024 (no class: left out, and listed), 石城县 none
at all (its indicator is excluded and the water area rescaled).

Every run writes the same bytes::

    python examples/ganzhou-2024/make_subunits.py
"""

from __future__ import annotations

import csv
import io
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
OUT = HERE / "subunits"
YEARS = ("2024", "2023", "2022", "2021")
ROLLED_UP = ("pm25", "national_sections", "national_good")

sys.path.insert(0, str(HERE))
from make_examples import _normalise_zip  # noqa: E402  (the same fixed zip timestamps)

#: Station offsets from the county figure, by number of stations: their mean is within
#: 0.05 of it, so that 1 place rounds to the figure or 0.1 above it.
OFFSETS = {
    2: ("-0.4", "0.5"),
    3: ("-0.8", "0.3", "0.6"),
    4: ("-1.1", "-0.2", "0.5", "0.8"),
}
#: Sections that differ from "every national section in class Ⅱ or Ⅲ", by (year, county).
SPECIAL = {
    ("2024", "宁都县"): ("Ⅱ", "Ⅳ", "Ⅲ"),
    ("2024", "上犹县"): ("Ⅱ", "劣Ⅴ"),
    ("2024", "于都县"): ("Ⅱ", "", "Ⅲ"),
    ("2023", "会昌县"): ("Ⅲ", "Ⅳ"),
}


def read(year: str) -> dict[str, dict[str, str]]:
    """The submissions of ``year``, by unit."""
    with (HERE / f"submissions-{year}.csv").open(encoding="utf-8", newline="") as f:
        return {row["unit"]: row for row in csv.DictReader(f)}


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """A UTF-8 CSV file, LF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def stations(years: dict[str, dict[str, dict[str, str]]]) -> list[list[str]]:
    """Each county's stations in each year: 2 to 4, averaging to its PM2.5."""
    rows = []
    for year in YEARS:
        for k, (unit, row) in enumerate(years[year].items()):
            count = 4 if unit == "章贡区" else 2 + k % 2
            base = Decimal(row["pm25"])
            offsets = OFFSETS[count]
            if unit == "章贡区":
                offsets = ("-1.0", "-0.5", "0.5", "1.0")  # exactly the published figure
            for n, offset in enumerate(offsets, start=1):
                rows.append([year, unit, f"{unit[:2]}{n}号站", str(base + Decimal(offset))])
    return rows


def sections(years: dict[str, dict[str, dict[str, str]]]) -> list[list[str]]:
    """Each county's national sections in each year, with their class."""
    rows = []
    for year in YEARS:
        for unit, row in years[year].items():
            count = int(row["national_sections"])
            classes = SPECIAL.get((year, unit), tuple("ⅡⅢ"[i % 2] for i in range(count)))
            for n, water_class in enumerate(classes, start=1):
                rows.append([year, unit, f"{unit[:2]}国控{n}", water_class])
    return rows


def write_workbook(path: Path, form: list[list[str]], tables: dict[str, list[list[str]]]) -> None:
    """The 2024 submissions with the sub-unit tables in sheets named after them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "2024年"
    for row in form:
        sheet.append([_cell(v) for v in row])
    for title, rows in tables.items():
        extra = workbook.create_sheet(title)
        for row in rows:
            extra.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _normalise_zip(buffer.getvalue(), path)


def _cell(text: str) -> object:
    if text == "":
        return None
    try:
        number = Decimal(text)
    except ArithmeticError:
        return text
    return int(number) if number == number.to_integral_value() and "." not in text else text


def main() -> None:
    """Write subunits/: the submissions without the rolled-up figures, and the tables."""
    OUT.mkdir(exist_ok=True)
    years = {year: read(year) for year in YEARS}
    forms: dict[str, list[list[str]]] = {}
    for year in YEARS:
        columns = [c for c in next(iter(years[year].values())) if c not in ROLLED_UP]
        forms[year] = [columns, *([row[c] for c in columns] for row in years[year].values())]
        write_csv(OUT / f"submissions-{year}.csv", forms[year][0], forms[year][1:])
    section_rows = sections(years)
    station_rows = stations(years)
    write_csv(OUT / "sections.csv", ["year", "county", "section", "water_class"], section_rows)
    write_csv(OUT / "stations.csv", ["year", "county", "station", "pm25"], station_rows)
    write_workbook(
        OUT / "submissions-2024.xlsx",
        forms["2024"],
        {
            "sections": [["年度", "县(市、区)", "断面名称", "水质类别"], *section_rows],
            "stations": [["年度", "县(市、区)", "站点名称", "PM2.5年均浓度 (µg/m³)"], *station_rows],
        },
    )


if __name__ == "__main__":
    main()
