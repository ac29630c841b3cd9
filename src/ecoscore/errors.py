"""Problems, their locations, and the exceptions that carry them.

This module is a leaf: it imports nothing from the rest of the package.

Every exception subclasses a builtin as well, so callers can catch either::

    EcoscoreError (Exception)            exit_code 1
    ├── CriteriaError (ValueError)       a criteria file that does not load
    ├── DataError (ValueError)           submissions that cannot be read or scored
    │   └── EvaluationError              figures that load but cannot be scored
    └── UsageError (ValueError)          a command line that makes no sense (exit 2)

A ``Problem`` is one thing wrong, with a ``Location``: a file, and a line and column
(criteria, CSV) or a sheet and cell (XLSX), and the key path within the criteria. An
exception carries every problem found, not only the first.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "CriteriaError",
    "DataError",
    "EcoscoreError",
    "EvaluationError",
    "Location",
    "Problem",
    "UsageError",
]


@attrs.frozen
class Location:
    """Where a problem is: a file, a line and column or a sheet cell, and a key path.

    Every part is optional; a location prints only what it knows, and never invents a
    line it does not have.
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            if self.sheet is not None and self.cell is not None:
                parts.append(f"{self.file}:{self.sheet}!{self.cell}")
            elif self.line is not None:
                where = f"{self.file}:{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
                parts.append(where)
            elif self.sheet is not None:
                parts.append(f"{self.file}:{self.sheet}")
            else:
                parts.append(self.file)
        elif self.line is not None:
            parts.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        if self.key:
            parts.append(self.key)
        return ": ".join(parts)


@attrs.frozen
class Problem:
    """One thing wrong with an input, where it is, and (when known) what was meant."""

    message: str
    location: Location = attrs.field(factory=Location)
    hint: str | None = None

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        # One problem, one line: a unit name or a cell's text may hold a line break, which
        # would otherwise start a line that names no file.
        return text.replace("\r", "\\r").replace("\n", "\\n")


class EcoscoreError(Exception):
    """Base of every error ecoscore raises on purpose; carries the problems found."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = (Problem(problems),)
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class CriteriaError(EcoscoreError, ValueError):
    """A criteria file or string that does not load; lists every problem in it."""


class DataError(EcoscoreError, ValueError):
    """Submitted figures that cannot be read: a bad cell, a unit twice, a missing column."""


class EvaluationError(DataError):
    """Figures that were read but cannot be scored: a division by zero, a missing value
    with no declared policy, a year-on-year rule with no previous period."""


class UsageError(EcoscoreError, ValueError):
    """A command line that asks for something impossible."""

    exit_code = 2
