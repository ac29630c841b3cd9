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
