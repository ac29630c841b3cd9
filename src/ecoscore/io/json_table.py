"""Reading a JSON submission file into a table of located text cells.

A list of objects, one a row, or ``{"units": [...]}``; the header is every key in the
order first seen. Numbers keep the text they were written with (``0.1`` is ``"0.1"``), a
key written twice in one object is a problem, and so are ``NaN``/``Infinity`` and nested
values. Locations are key paths: ``[3].pm25``, or ``units[3].pm25``.
"""

from __future__ import annotations

import json

import attrs

from ecoscore.errors import DataError, Location, Problem
from ecoscore.io.cells import clean_text
from ecoscore.io.grid import Cell, Table, data_cell, file_error, text_cell

__all__ = ["read_json"]


@attrs.frozen
class _Object:
    """A JSON object as its key-value pairs, so that a key written twice is seen."""

    pairs: tuple[tuple[str, object], ...]


@attrs.frozen
class _Constant:
    """``NaN``, ``Infinity`` or ``-Infinity``, which Python's json accepts and JSON does not."""

    name: str


def read_json(source: str, text: str) -> Table:
    try:
        document = json.loads(
            text,
            # Numbers stay the text they were written as: 0.1 must not become a double.
            parse_float=str,
            parse_int=str,
            parse_constant=_Constant,
            object_pairs_hook=lambda pairs: _Object(tuple(pairs)),
        )
    except json.JSONDecodeError as error:
        location = Location(file=source, line=error.lineno, column=error.colno)
        raise file_error(f"not valid JSON: {error.msg}", location) from None
    except RecursionError:
        # Python's json recurses on nesting; a table of rows nests two levels.
        raise file_error(
            "arrays or objects nested too deeply: a table is a list of rows, each an object",
            Location(file=source),
        ) from None
    problems: list[Problem] = []
    prefix = ""
    items = document
    if isinstance(document, _Object):
        prefix = "units"
        items = None
        for key, value in document.pairs:
            if key == "units":
                items = value
            else:
                problems.append(
                    Problem(f"unknown key {key!r}", Location(file=source, key=key), '"units" only')
                )
    if not isinstance(items, list):
        what = '"units"' if prefix else "the file"
        problems.append(
            Problem(
                f"{what} must be a list of rows, one object each",
                Location(file=source),
                hint='like [{"unit": "章贡区", "pm25": 31}]',
            )
        )
        raise DataError(problems)
    if not items:
        problems.append(Problem("there are no rows", Location(file=source, key=prefix or None)))
    header: dict[str, Cell] = {}
    records: list[tuple[int, dict[str, Cell]]] = []
    for index, item in enumerate(items):
        here = f"{prefix}[{index}]"
        if not isinstance(item, _Object):
            problems.append(
                Problem("a row must be an object of column: value", Location(file=source, key=here))
            )
            continue
        record: dict[str, Cell] = {}
        for key, value in item.pairs:
            name = clean_text(key)
            location = Location(file=source, key=_json_path(here, name))
            if not name:
                problems.append(Problem("a column with no name", location))
            elif name in record:
                problems.append(Problem(f"column {name!r} is in this row twice", location))
            else:
                header.setdefault(name, Cell(name, location))
                record[name] = _json_cell(value, location, problems)
        records.append((index, record))
    return Table(
        source=source,
        header=tuple(header.values()),
        rows=tuple(
            tuple(
                record[name]
                if name in record
                else Cell(None, Location(file=source, key=_json_path(f"{prefix}[{index}]", name)))
                for name in header
            )
            for index, record in records
        ),
        problems=tuple(problems),
    )


def _json_path(row: str, name: str) -> str:
    if name.isidentifier():
        return f"{row}.{name}"
    return f"{row}[{json.dumps(name, ensure_ascii=False)}]"


def _json_cell(value: object, location: Location, problems: list[Problem]) -> Cell:
    if value is None:
        return Cell(None, location)
    if isinstance(value, bool):
        return Cell("true" if value else "false", location)
    if isinstance(value, str):
        return data_cell(text_cell(value, location, problems))
    if isinstance(value, _Constant):
        problems.append(
            Problem(f"{value.name} is not a number JSON allows", location, "write null if missing")
        )
    else:
        kind = "a list" if isinstance(value, list) else "an object"
        problems.append(Problem(f"a cell must be text, a number or null, not {kind}", location))
    return Cell(None, location)
