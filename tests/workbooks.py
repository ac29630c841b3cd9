"""Helpers for tests that need a workbook as another program would have written it."""

import zipfile
from pathlib import Path


def patch_sheet_xml(path: Path, old: str, new: str) -> None:
    """Replace text in the first worksheet's XML, as if another program had written it."""
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts[member].decode()
    assert old in xml
    parts[member] = xml.replace(old, new).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def write_bomb(path: Path, rows: int, *, dimension: bool = True) -> Path:
    """A small workbook whose sheet XML expands to ``rows`` rows of two cells (a zip bomb:
    a few hundred kilobytes on disk for two million rows), its <dimension> declared or not."""
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["unit", "x"])
    sheet.append(["A", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out,
    ):
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item, source.read(item.filename))
                continue
            with out.open(item.filename, "w", force_zip64=True) as xml:
                declared = f'<dimension ref="A1:B{rows}"/>' if dimension else ""
                xml.write(
                    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas'
                    b'.openxmlformats.org/spreadsheetml/2006/main">'
                    + declared.encode()
                    + b"<sheetData>"
                )
                row = b'<row><c t="inlineStr"><is><t>A</t></is></c><c><v>1</v></c></row>'
                for _ in range(rows // 10_000):
                    xml.write(row * 10_000)
                xml.write(row * (rows % 10_000) + b"</sheetData></worksheet>")
    return path
