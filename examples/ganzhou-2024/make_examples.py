"""Write the Ganzhou example submissions for 2024 and 2023, as CSV and as XLSX, and
for 2022 and 2021 (made from 2023's, see ``earlier``) as CSV.

The figures are invented for illustration (see README.md), except 章贡区's, which are the
central-city figures of the Ganzhou Ecology and Environment Bureau's 2024 work report
(shared/seed/ganzhou-2024-work-report.txt): PM2.5 22 against 24 µg/m³, good-air days
364 of 366 against 362 of 365, provincial sections in class Ⅰ–Ⅱ 66 of 73 against 61 of 73,
and 687 of 706 problems rectified. The 2024 key projects add up to the report's 198.

The CSV files name their columns by input id; the XLSX files by the Chinese label and the
unit of measure, as ``ecoscore template`` writes them, so that both ways of naming a
column are exercised. The labels are read from the criteria file. Every run writes the
same bytes::

    python examples/ganzhou-2024/make_examples.py
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import tomli

HERE = Path(__file__).resolve().parent
CRITERIA = HERE.parent.parent / "criteria" / "ganzhou-county-2024.toml"
YEARS = (2024, 2023)

#: Each area's columns (input ids), in the order of its figures below.
COLUMNS = {
    "air": ("pm25", "good_days", "valid_days", "heavy_days"),
    "water": (
        "national_sections",
        "national_good",
        "prov_sections",
        "prov_good",
        "drinking_rate",
        "outfall_rate",
    ),
    "soil": ("farmland_rate", "land_safe_rate", "land_survey_rate", "waste_rate"),
    "supervision": (
        "problems_found",
        "problems_rectified",
        "problems_overdue",
        "petitions",
        "petitions_closed",
        "permit_rate",
        "projects_planned",
        "projects_on_schedule",
    ),
    "capacity": ("posts_total", "posts_filled", "head_in_place", "monitoring_rate"),
    "adjust": (
        "national_honours",
        "provincial_honours",
        "general_incidents",
        "larger_incidents",
        "major_incidents",
        "notices",
    ),
}

# Each area's figures: a line per unit, its 2024 figures, then "|" and its 2023 figures,
# in the order of COLUMNS. "." is an empty cell (a figure not reported).
FIGURES = {
    # pm25 (µg/m³), good_days, valid_days, heavy_days
    "air": """
章贡区  22 364 366 0  |  24 362 365 0
南康区  27 352 366 1  |  29 350 365 2
赣县区  20 362 366 0  |  22 358 365 0
瑞金市  17 365 366 0  |  19 362 365 0
龙南市  18 364 366 0  |  20 361 365 0
信丰县  19 361 366 0  |  20 359 365 0
大余县  17 364 366 0  |  16 363 365 0
上犹县  16 365 366 0  |  18 362 365 0
崇义县  15 366 366 0  |  17 364 365 0
安远县  18 363 366 0  |  20 360 365 0
定南县  18 363 366 0  |  19 361 365 0
全南县  15 366 366 0  |  17 364 365 0
宁都县  21 357 366 0  |  22 355 365 0
于都县  20 360 366 0  |  21 357 365 0
兴国县  19 361 366 0  |  21 358 365 0
会昌县  17 363 366 0  |  19 360 365 0
寻乌县  16 365 366 0  |  18 362 365 0
石城县  16 364 366 0  |  17 362 365 0
""",
    # national_sections, national_good, prov_sections, prov_good, drinking_rate, outfall_rate
    "water": """
章贡区  2 2 73 66 100 100  |  2 2 73 61 100 96
南康区  2 2  6  4 100  95  |  2 2  6  4 100 92
赣县区  3 3  7  6 100  96  |  3 3  7  5 100 90
瑞金市  3 3  8  8 100 100  |  3 3  8  7 100 98
龙南市  2 2  6  6 100 100  |  2 2  6  5 100 96
信丰县  3 3  7  6 100  98  |  3 3  7  6 100 95
大余县  2 2  5  5 100 100  |  2 2  5  4 100 98
上犹县  2 2  6  6 100  98  |  2 2  6  5 100 97
崇义县  2 2  6  6 100 100  |  2 2  6  6 100 98
安远县  2 2  5  4 100  95  |  2 2  5  4 100 90
定南县  2 2  5  5 100 100  |  2 2  5  4 100 96
全南县  2 2  5  5 100 100  |  2 2  5  5 100 97
宁都县  3 3  8  6 100  94  |  3 3  8  5 100 85
于都县  3 3  8  7 100  97  |  3 3  8  6 100 92
兴国县  3 3  7  6 100  96  |  3 3  7  6 100 92
会昌县  2 2  6  5 100  95  |  2 2  6  5 100 94
寻乌县  2 2  6  6 100 100  |  2 2  6  5 100 98
石城县  0 0  4  4 100  97  |  0 0  4  4 100 94
""",
    # farmland_rate, land_safe_rate, land_survey_rate, waste_rate (all %)
    "soil": """
章贡区  93.6 100  100 96  |  92.8 100 100 90
南康区  92.0 100  100 82  |  90.2 100 100 75
赣县区  93.2 100  100 92  |  92.5 100 100 88
瑞金市  94.1 100  100 93  |  93.5 100 100 93
龙南市  93.8 100  100 95  |  93.0 100 100 90
信丰县  93.0 100  100 90  |  92.6 100 100 86
大余县  94.0 100  100 96  |  93.6 100 100 94
上犹县  94.5 100  100 98  |  93.8 100 100 94
崇义县  94.2 100  100 88  |  93.7 100 100 92
安远县  92.5 100  100 88  |  92.0 100 100 84
定南县  93.1 100  100 94  |  92.7 100 100 90
全南县  93.5 100  100 88  |  93.2 100 100 93
宁都县  92.0 100  100 78  |  90.0 100  96 70
于都县  92.8 100  100 91  |  92.0 100 100 86
兴国县  93.0 100  100 84  |  92.5 100 100 85
会昌县  93.4 100  100 88  |  93.0 100 100 90
寻乌县  93.9 100  100 92  |  93.4 100 100 94
石城县  93.3 100  100 92  |  92.9 100 100 90
""",
    # problems found, rectified, overdue; petitions, closed on time; permit_rate;
    # projects planned, on schedule
    "supervision": """
章贡区  706 687 3 415 412 98.6 24 22  |  648 612 5 398 390 97.0 22 19
南康区   64  58 4 388 372 95.0 16 11  |   58  50 3 402 370 90.0 15 10
赣县区   48  46 1 164 160 97.0 14 12  |   45  42 1 170 165 95.0 13 11
瑞金市   52  51 0 143 143 97.0 13 13  |   47  46 0 150 149 99.0 12 12
龙南市   50  46 1  98  98 99.0 12 12  |   44  41 1 105 104 98.0 11 10
信丰县   41  40 1 120 118 96.0 11 10  |   39  37 1 126 122 95.0 10  9
大余县   30  30 0  62  62  100  9  9  |   29  28 0  66  66 99.0  8  8
上犹县   28  28 0  55  53  100  8  7  |   26  26 0  58  57 99.0  8  7
崇义县   27  26 0  51  49 99.0  8  8  |   25  24 0  49  49 98.0  7  7
安远县   35  33 1  70  69 95.0  9  8  |   33  31 1  74  72 93.0  8  7
定南县   38  37 0  81  80 98.0  9  9  |   36  34 1  85  83 96.0  8  8
全南县   24  23 0  44  43 98.0  7  7  |   22  21 0  47  47 97.0  7  6
宁都县   57  50 3 210 198   95 12  9  |   55  47 2 220 205 88.0 11  8
于都县   60  57 2 230 226 96.5 14 12  |   58  54 2 240 233 95.0 13 11
兴国县   49  47 1 176 173 97.5 11 10  |   47  44 1 180 176 96.0 10  9
会昌县   36  35 0  77  76 98.5  8  8  |   34  33 0  80  79 97.0  8  7
寻乌县   33  33 0  60  60  100  7  7  |   31  30 0  63  62 99.0  7  7
石城县   25  24 0  48  47 98.0  6  5  |   24  23 0  50  49 97.0  6  5
""",
    # posts_total, posts_filled, head_in_place (是/否), monitoring_rate (%)
    "capacity": """
章贡区  25 24 是  95  |  25 22 是 85
南康区  22 20 是  85  |  22 20 是 70
赣县区  20 19 是  90  |  20 18 是 85
瑞金市  21 21 是  92  |  21 20 是 95
龙南市  20 20 是  97  |  20 19 是 90
信丰县  20 19 是  85  |  20 18 是 80
大余县  18 18 是 100  |  18 17 是 95
上犹县  18 18 是  98  |  18 17 是 92
崇义县  17 16 是 95.5  |  17 16 是 90
安远县  17 16 是   .  |  17 15 是 82
定南县  17 17 是  92  |  17 16 是 88
全南县  16 15 是  91  |  16 15 是 90
宁都县  22 20 否  85  |  22 19 否 75
于都县  24 23 是  88  |  24 21 是 84
兴国县  21 20 是  80  |  21 19 是 85
会昌县  18 17 是  93  |  18 16 是 88
寻乌县  17 17 是  90  |  17 16 是 94
石城县  16 15 是  90  |  16 14 是 86
""",
    # honours national, provincial; incidents general, larger, major; notices
    "adjust": """
章贡区  1 2 0 0 0 0  |  1 1 0 0 0 0
南康区  0 0 1 0 0 0  |  0 0 1 0 0 0
赣县区  0 1 0 0 0 0  |  0 0 0 0 0 0
瑞金市  1 1 0 0 0 0  |  1 0 0 0 0 0
龙南市  0 1 0 0 0 0  |  0 1 0 0 0 0
信丰县  0 1 0 0 0 0  |  0 0 0 0 0 0
大余县  0 2 0 0 0 0  |  0 1 0 0 0 0
上犹县  0 1 0 0 0 0  |  0 1 0 0 0 0
崇义县  0 1 0 0 0 0  |  0 0 0 0 0 0
安远县  0 0 0 0 0 0  |  0 0 0 0 0 0
定南县  0 1 0 0 1 0  |  0 0 0 0 0 0
全南县  0 1 0 0 0 0  |  0 0 0 0 0 0
宁都县  0 0 1 0 0 0  |  0 0 0 0 0 0
于都县  0 1 0 0 0 1  |  0 0 0 0 0 0
兴国县  0 0 0 0 0 0  |  0 0 0 0 0 0
会昌县  0 1 0 0 0 0  |  0 0 0 0 0 0
寻乌县  1 1 0 0 0 0  |  0 1 0 0 0 0
石城县  0 0 0 0 0 0  |  0 0 0 0 0 0
""",
}

#: The fixed timestamp written into the XLSX files, so that every run gives the same bytes.
STAMP = "2025-01-15T00:00:00Z"


def figures() -> dict[int, dict[str, dict[str, str]]]:
    """Every year's figures: year → unit → input id → cell text ("" when not reported)."""
    out: dict[int, dict[str, dict[str, str]]] = {year: {} for year in YEARS}
    for area, block in FIGURES.items():
        for line in block.strip().splitlines():
            unit, rest = line.split(maxsplit=1)
            for year, part in zip(YEARS, rest.split("|"), strict=True):
                cells = part.split()
                if len(cells) != len(COLUMNS[area]):
                    raise ValueError(f"{area}: {unit} {year}: {len(cells)} figures")
                row = out[year].setdefault(unit, {})
                row.update(
                    {c: "" if v == "." else v for c, v in zip(COLUMNS[area], cells, strict=True)}
                )
    return out


#: The earlier years of the example: 2023's figures, a little worse the further back
#: (PM2.5 up by 1 µg/m³ a year, 2 fewer good-air days, one fewer provincial section in
#: class Ⅰ–Ⅱ, outfalls 2 points less rectified). Invented too, so that the criteria's
#: [periods] have a history to assess: 2022 is assessed, 2021 is the baseline. 瑞金市
#: kept its figures in 2022, so that one unit is 优秀 three years running.
EARLIER = (2022, 2021)
STEADY = {2022: ("瑞金市",)}


def earlier(rows: dict[str, dict[str, str]], back: int) -> dict[str, dict[str, str]]:
    """The figures ``back`` years before 2023, made from 2023's."""
    out: dict[str, dict[str, str]] = {}
    for unit, row in rows.items():
        new = dict(row)
        if unit in STEADY.get(2023 - back, ()):
            out[unit] = new
            continue
        new["pm25"] = str(int(row["pm25"]) + back)
        new["good_days"] = str(int(row["good_days"]) - 2 * back)
        new["prov_good"] = str(max(0, int(row["prov_good"]) - back))
        new["outfall_rate"] = str(max(0, int(row["outfall_rate"]) - 2 * back))
        out[unit] = new
    return out


def headers() -> dict[str, str]:
    """Each input's XLSX header: its Chinese label and unit of measure, from the criteria."""
    with CRITERIA.open("rb") as f:
        inputs = tomli.load(f)["inputs"]
    out = {}
    for area in COLUMNS.values():
        for name in area:
            spec = inputs[name]
            out[name] = f"{spec['zh']} ({spec['unit']})" if "unit" in spec else spec["zh"]
    return out


def write_csv(path: Path, rows: dict[str, dict[str, str]]) -> None:
    """A UTF-8 CSV with input ids as headers; booleans as true/false."""
    names = [c for area in COLUMNS.values() for c in area]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["unit", *names])
    for unit, row in rows.items():
        values = [{"是": "true", "否": "false"}.get(row[n], row[n]) for n in names]
        writer.writerow([unit, *values])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _cell(text: str) -> object:
    """A figure as Excel holds it: numbers as numbers, 是/否 as text, empty as empty."""
    if text == "":
        return None
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)  # a typed figure: Excel keeps it as a double, read back as typed
    return text


def write_xlsx(path: Path, year: int, rows: dict[str, dict[str, str]]) -> None:
    """An XLSX workbook with Chinese headers; the bytes depend on nothing but the figures."""
    names = [c for area in COLUMNS.values() for c in area]
    labels = headers()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"{year}年"
    sheet.append(["单位", *(labels[n] for n in names)])
    for unit, row in rows.items():
        sheet.append([unit, *(_cell(row[n]) for n in names)])
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    _normalise_zip(buffer.getvalue(), path)


def _normalise_zip(data: bytes, path: Path) -> None:
    """Rewrite the workbook's zip with fixed timestamps, in and around its parts."""
    stamp = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = stamp.sub(rb"\g<1>" + STAMP.encode() + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 15, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    path.write_bytes(out.getvalue())


def main() -> None:
    """Write submissions-<year>.csv (and .xlsx for 2024, 2023) next to this script."""
    data = figures()
    for year in YEARS:
        write_csv(HERE / f"submissions-{year}.csv", data[year])
        write_xlsx(HERE / f"submissions-{year}.xlsx", year, data[year])
    for back, year in enumerate(EARLIER, start=1):
        write_csv(HERE / f"submissions-{year}.csv", earlier(data[2023], back))


if __name__ == "__main__":
    main()
