"""What the commands share: exit codes, messages in both languages, the options every
command takes, and reading the criteria, data and earlier periods into results."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from ecoscore.engine.evaluation import evaluate
from ecoscore.engine.partial import evaluate_keeping_going
from ecoscore.errors import DataError, Location, Problem, UsageError
from ecoscore.io.columns import UnitIndex, unit_hint
from ecoscore.io.partial import read_periods_keeping_going
from ecoscore.io.submissions import Period, read_periods
from ecoscore.io.subunit_tables import read_subunit_table, sheet_for, workbook_sheets
from ecoscore.io.tables import Cell, read_table
from ecoscore.language.loader import load
from ecoscore.model import Criteria
from ecoscore.results.assessment import Results
from ecoscore.results.left_out import LeftOut

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_DIFFERENCES = 3
EXIT_LEFT_OUT = 4

#: The output kinds of ``ecoscore score -o``, by file extension.
OUTPUT_KINDS = (".xlsx", ".csv", ".json", ".md", ".html")
# The kinds that hold each unit's trace, and so take --trace.
TRACED_KINDS = (".xlsx", ".json")

_MESSAGES: dict[str, tuple[str, str]] = {
    "problems": ("共 {n} 个问题，未能完成", "{n} problem(s); nothing was done"),
    "warnings": ("警告", "Warnings"),
    "check_ok": ("细则检查通过（{n} 个警告）", "the criteria are valid ({n} warning(s))"),
    "wrote": ("已写入 {path}", "wrote {path}"),
    "left_out": (
        "{n} 个单位未评分（--keep-going），原因如下：",
        "{n} unit(s) left out (--keep-going), for these reasons:",
    ),
}


def say(key: str, lang: str, **values: Any) -> str:
    zh, en = _MESSAGES[key]
    return (zh if lang == "zh" else en).format(**values)


def report_problems(problems: Sequence[Problem], lang: str) -> None:
    for problem in problems:
        print(str(problem), file=sys.stderr)
    print("ecoscore: " + say("problems", lang, n=len(problems)), file=sys.stderr)


def language(args: argparse.Namespace, criteria: Criteria) -> str:
    if args.lang:
        return str(args.lang)
    return "zh" if criteria.title.zh else "en"


def read(args: argparse.Namespace) -> tuple[Criteria, Results]:
    """Load the criteria, read the data and earlier periods, evaluate."""
    criteria = load(args.criteria)
    return criteria, evaluate_inputs(args, criteria, read_inputs(args, criteria))


def evaluate_inputs(args: argparse.Namespace, criteria: Criteria, inputs: Inputs) -> Results:
    """Evaluate what ``read_inputs`` read (past the units it could not, with
    ``--keep-going``, listing them on stderr)."""
    current, *earlier = inputs.periods
    tables = inputs.tables
    if getattr(args, "keep_going", False):
        results = evaluate_keeping_going(
            criteria,
            current.submissions,
            previous=earlier,
            source=args.data,
            left_out=inputs.unread,
            period=current.name,
            tables=tables,
        )
        report_left_out(results, language(args, criteria))
        return results
    return evaluate(
        criteria,
        current.submissions,
        previous=earlier,
        source=args.data,
        period=current.name,
        tables=tables,
    )


@attrs.frozen
class Inputs:
    """What the command evaluates: every period read, the current first; the rows of the
    current period that a run that keeps going could not read; the sub-unit tables."""

    periods: tuple[Period, ...]
    unread: tuple[LeftOut, ...]
    tables: dict[str, Any] | None


def read_inputs(args: argparse.Namespace, criteria: Criteria) -> Inputs:
    """Read the data, the earlier periods and the sub-unit tables for ``criteria``; raise
    ``DataError`` with every problem of every file."""
    keep_going = bool(getattr(args, "keep_going", False))
    problems: list[Problem] = []
    periods: list[Period] = []
    unread: tuple[LeftOut, ...] = ()
    for k, path in enumerate([args.data, *args.previous]):
        try:
            table = read_table(
                path, sheet=args.sheet, encoding=args.encoding, keep_going=keep_going and k == 0
            )
            if keep_going and k == 0:
                found, unread = read_periods_keeping_going(table, criteria)
                periods.extend(found)
            else:
                periods.extend(read_periods(table, criteria, strict=k == 0))
        except DataError as error:
            problems.extend(error.problems)
    tables = sub_unit_tables(args, criteria, problems)
    if problems:
        raise DataError(problems)
    return Inputs(tuple(periods), unread, tables)


def table_files(args: argparse.Namespace, criteria: Criteria | None = None) -> dict[str, str]:
    """``--table NAME=FILE`` options as a mapping; a malformed or repeated one is refused.
    With ``criteria``, also each table's declared ``file`` that no option replaces, and
    that the data workbook has no sheet for (relative to the criteria file)."""
    out: dict[str, str] = {}
    for option in args.table:
        name, sep, path = str(option).partition("=")
        if not sep or not name.strip() or not path.strip():
            raise UsageError(f"--table {option}: write --table NAME=FILE, like sections=s.csv")
        if name.strip() in out:
            raise UsageError(f"--table {name.strip()} is given twice")
        out[name.strip()] = path.strip()
    if criteria is not None:
        sheets = workbook_sheets(args.data)
        for name, spec in criteria.subunits.items():
            if name not in out and spec.file is not None and sheet_for(spec, sheets) is None:
                out[name] = str(Path(args.criteria).parent / spec.file)
    return out


def sub_unit_tables(
    args: argparse.Namespace, criteria: Criteria, problems: list[Problem]
) -> dict[str, Any] | None:
    """Each sub-unit table's rows: from ``--table``, else from the data workbook's sheet
    named after the table. ``None`` when the criteria declare none and none is given."""
    files = table_files(args, criteria)
    if not criteria.subunits and not files:
        return None
    for name in files:
        if name not in criteria.subunits:
            known = ", ".join(criteria.subunits) or "none"
            raise UsageError(f"--table {name}: the criteria declare no such table ({known})")
    sheets = workbook_sheets(args.data)
    tables: dict[str, Any] = {}
    for name, spec in criteria.subunits.items():
        try:
            if name in files:
                path = files[name]
                sheet = sheet_for(spec, workbook_sheets(path))
                tables[name] = read_subunit_table(
                    path, criteria, name, sheet=sheet, encoding=args.encoding
                )
            elif sheet_for(spec, sheets) is not None:
                tables[name] = read_subunit_table(
                    args.data, criteria, name, sheet=sheet_for(spec, sheets)
                )
            else:
                problems.append(
                    Problem(
                        f"no rows for the sub-unit table {name!r} (缺少下级单元数据表)",
                        Location(args.data),
                        f"give --table {name}=FILE, a sheet named {name!r} in the workbook,"
                        f' or file = "…" in [subunits.{name}]',
                    )
                )
        except DataError as error:
            problems.extend(error.problems)
    return tables


def report_left_out(results: Results, lang: str) -> None:
    """List the units a run that kept going left out, with their reasons, on stderr."""
    if not results.left_out:
        return
    print("ecoscore: " + say("left_out", lang, n=len(results.left_out)), file=sys.stderr)
    for entry in results.left_out:
        for reason in entry.reasons():
            print(f"  {reason}", file=sys.stderr)


def done(results: Results) -> int:
    """The exit code of a run that wrote its results: 4 when units were left out."""
    return EXIT_LEFT_OUT if results.left_out else EXIT_OK


def settings(args: argparse.Namespace, lang: str) -> dict[str, Any]:
    settings = {
        "lang": lang,
        "sheet": args.sheet,
        "encoding": args.encoding,
        "stamp": bool(getattr(args, "stamp", False)),
        # How much of the trace the output holds, and its layout: a repeat needs them.
        "trace": getattr(args, "trace", None) or "full",
        "pretty": bool(getattr(args, "pretty", False)),
    }
    if getattr(args, "keep_going", False):
        settings["keep_going"] = True  # recorded only when set: it changes who is ranked
    return settings


def find_unit(criteria: Criteria, results: Results, name: str) -> str:
    if name in results.cards:
        return name
    found = UnitIndex(criteria).resolve(Cell(name, Location()), [])
    if found is not None and found in results.cards:
        return found
    options = [n for card in results for n in (card.unit, card.label.zh, card.label.en) if n]
    raise UsageError(
        (
            Problem(
                f"no unit named {name!r} in the data (没有该单位)", hint=unit_hint(name, options)
            ),
        )
    )
