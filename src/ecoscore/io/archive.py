"""A workbook's zip directory and sheets, judged before openpyxl opens them.

An ``.xlsx`` workbook is a zip of XML parts, and a workbook of a few hundred kilobytes can
hold gigabytes of XML (a zip bomb). The zip directory declares each part's uncompressed
size, and Python's ``zipfile`` reads no more of a part than it declares, so the sizes are
a true bound: ``check_archive`` refuses a workbook whose parts add up to more than
``Limits.workbook_bytes`` before a byte of XML is parsed.

openpyxl then parses in full, when it opens a workbook, every sheet that declares no
``<dimension>``, at some ten thousand cells a second. So each sheet's declared dimension
is read, and its row and cell elements counted by a byte scan (far faster), and a sheet
past ``Limits.rows`` or ``Limits.cells`` is refused first. The scan also notes whether a
sheet holds formulas, whose saved values are then checked (``ecoscore.io.xlsx_table``).
"""

from __future__ import annotations

import html
import io
import re
import zipfile

import attrs

from ecoscore.errors import DataError, Location
from ecoscore.io.grid import check_size, file_error
from ecoscore.limits import Limits, size_text

__all__ = ["SheetScan", "check_archive", "unreadable_workbook"]


def unreadable_workbook(source: str, error: Exception) -> DataError:
    """The error of a workbook that its zip or its XML makes unreadable."""
    return file_error("not a readable .xlsx workbook", Location(file=source), hint=str(error))


@attrs.frozen
class SheetScan:
    """What a byte scan of a sheet's XML found: its rows and cells, and any formula."""

    rows: int = 0
    cells: int = 0
    formulas: bool = False


def check_archive(source: str, data: bytes, limits: Limits) -> dict[str, SheetScan]:
    """Refuse a workbook whose parts, uncompressed, would exceed ``limits.workbook_bytes``,
    or with a sheet past the row or cell limits; the scan of each sheet, by part name."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            total = sum(part.file_size for part in parts)
            if total > limits.workbook_bytes:
                largest = max(parts, key=lambda part: part.file_size)
                raise file_error(
                    f"the workbook holds {size_text(total)} once uncompressed "
                    f"({largest.filename}: {size_text(largest.file_size)}), more than the "
                    f"limit of {size_text(limits.workbook_bytes)}",
                    Location(file=source),
                    hint="see docs/limits.md: Limits(workbook_bytes=…) raises it",
                )
            titles = _sheet_titles(archive)
            return {
                part.filename: _scan_sheet(
                    source, archive, part.filename, titles.get(part.filename), limits
                )
                for part in parts
                if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")
            }
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as error:
        if isinstance(error, DataError):
            raise
        raise unreadable_workbook(source, error) from None


_SHEET = re.compile(rb"<(?:\w+:)?sheet\s([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\s([^>]*)>")


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's title, from the workbook's own list of its sheets (read with
    patterns, not an XML parser: these two small parts are all that is needed of them)."""
    try:
        book = archive.read("xl/workbook.xml")
        links = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets: dict[bytes, str] = {}
    for link in _RELATIONSHIP.finditer(links):
        ident, target = _attribute(link.group(1), b"Id"), _attribute(link.group(1), b"Target")
        if ident is not None and target is not None:
            targets[ident.encode()] = (
                target.lstrip("/") if target.startswith("/") else "xl/" + target
            )
    titles: dict[str, str] = {}
    for sheet in _SHEET.finditer(book):
        name, ident = _attribute(sheet.group(1), b"name"), _attribute(sheet.group(1), b"r:id")
        if name is not None and ident is not None and ident.encode() in targets:
            titles[targets[ident.encode()]] = name
    return titles


def _attribute(attributes: bytes, name: bytes) -> str | None:
    found = re.search(rb"(?:^|\s)" + re.escape(name) + rb'\s*=\s*"([^"]*)"', attributes)
    return None if found is None else html.unescape(found.group(1).decode("utf-8", "replace"))


_ROW_TAGS = (b"<row", b":row ", b":row>")
_CELL_TAGS = (b"<c ", b"<c>", b":c ", b":c>")
_FORMULA_TAGS = (b"<f>", b"<f ", b":f>", b":f ")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?([A-Z]+)(\d+)"')


def _scan_sheet(
    source: str, archive: zipfile.ZipFile, member: str, title: str | None, limits: Limits
) -> SheetScan:
    """Count the row and cell elements of a sheet's XML, in chunks, and refuse a sheet
    that declares (in its <dimension>) or holds more than the limits; the count stops as
    soon as one is passed."""
    rows = cells = 0
    formulas = False
    where = Location(file=source, sheet=title or member)
    with archive.open(member) as xml:
        tail = b""
        first = True
        while chunk := xml.read(1 << 20):
            if first:
                _check_declared(chunk, where, limits)
                first = False
            text = tail + chunk
            rows += sum(text.count(tag) for tag in _ROW_TAGS)
            cells += sum(text.count(tag) for tag in _CELL_TAGS)
            formulas = formulas or any(tag in text for tag in _FORMULA_TAGS)
            # No tag fits in the 4 bytes kept, so none is counted twice.
            tail = text[-4:]
            if rows > limits.rows or cells > limits.cells:
                check_size(rows, cells, where, limits)
    return SheetScan(rows, cells, formulas)


def _check_declared(head: bytes, where: Location, limits: Limits) -> None:
    """Refuse a sheet whose <dimension> declares more rows or cells than the limits."""
    found = _DIMENSION.search(head)
    if found is None:
        return
    columns = _column_number(found.group(1).decode("ascii"))
    rows = int(found.group(2))
    if rows > limits.rows or rows * columns > limits.cells:
        corner = found.group(1).decode("ascii") + found.group(2).decode("ascii")
        raise file_error(
            f"the sheet declares {rows:,} rows × {columns:,} columns (to {corner}), more than "
            f"the limit of {limits.rows:,} rows or {limits.cells:,} cells",
            where,
            hint="see docs/limits.md: Limits(rows=…, cells=…) raises them",
        )


def _column_number(letters: str) -> int:
    """A column's number from its letters: A is 1, Z 26, AA 27, XFD 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
