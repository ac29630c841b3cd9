"""The ``ecoscore`` command: check, score, explain, template and verify.

This is the only module that prints or decides an exit code. Every input problem is
reported with its location, all at once where the files allow, and never as a traceback.

Exit codes:

=====  =====================================================================
0      success (``check`` with warnings only is a success)
1      bad input: criteria that do not load, data that cannot be read or scored
2      bad usage: unknown options, an output over an input, an unknown unit
3      ``verify`` found published figures that the recomputation differs from
4      ``--keep-going``: the results were written, but some units were left out
       (each listed, with its located reasons, on the terminal and in the output)
=====  =====================================================================

``score`` and ``verify`` are strict by default: one row that cannot be read or scored
stops the run (exit 1) and nothing is written. With ``--keep-going`` such rows are left
out and listed, the other units are scored and ranked among themselves, and the exit code
is 4 (3 when ``verify`` also finds differences). A problem that is no row's (a missing
column, criteria that do not load) still stops the run.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gc
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

import ecoscore
from ecoscore.engine.evaluation import evaluate
from ecoscore.engine.partial import evaluate_keeping_going
from ecoscore.errors import DataError, EcoscoreError, Location, Problem, UsageError
from ecoscore.io import atomic
from ecoscore.io.columns import UnitIndex, unit_hint
from ecoscore.io.manifest import build_manifest, file_entry
from ecoscore.io.partial import read_periods_keeping_going
from ecoscore.io.submissions import Period, read_periods
from ecoscore.io.subunit_tables import read_subunit_table, sheet_for, workbook_sheets
from ecoscore.io.tables import Cell, read_table
from ecoscore.language.lint import lint
from ecoscore.language.loader import load
from ecoscore.model import Criteria
from ecoscore.report.outline import outline
from ecoscore.report.text import explain, render_table
from ecoscore.results.assessment import Results
from ecoscore.results.export import TRACES, iter_results_json
from ecoscore.results.left_out import LeftOut

if TYPE_CHECKING:  # verify is imported where it runs
    from ecoscore.audit.verify import Verification

__all__ = ["EXIT_DIFFERENCES", "EXIT_INPUT", "EXIT_LEFT_OUT", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_DIFFERENCES = 3
EXIT_LEFT_OUT = 4

#: The output kinds of ``ecoscore score -o``, by file extension.
OUTPUT_KINDS = (".xlsx", ".csv", ".json", ".md", ".html")
# The kinds that hold each unit's trace, and so take --trace.
_TRACED_KINDS = (".xlsx", ".json")

_MESSAGES: dict[str, tuple[str, str]] = {
    "problems": ("共 {n} 个问题，未能完成", "{n} problem(s); nothing was done"),
    "warnings": ("警告", "Warnings"),
    "check_ok": ("细则检查通过（{n} 个警告）", "the criteria are valid ({n} warning(s))"),
    "wrote": ("已写入 {path}", "wrote {path}"),
    "verify_ok": (
        "全部 {n} 个单位的公布结果均可复现",
        "all {n} units reproduce the published figures",
    ),
    "verify_bad": (
        "{k} / {n} 个单位与公布结果不一致",
        "{k} of {n} units differ from the published figures",
    ),
    "compared": ("比对项：{items}", "compared: {items}"),
    "unpublished": ("未公布的单位：{units}", "units not in the published table: {units}"),
    "published": ("公布", "published"),
    "left_out": (
        "{n} 个单位未评分（--keep-going），原因如下：",
        "{n} unit(s) left out (--keep-going), for these reasons:",
    ),
    "computed": ("计算", "computed"),
}


def _say(key: str, lang: str, **values: Any) -> str:
    zh, en = _MESSAGES[key]
    return (zh if lang == "zh" else en).format(**values)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang",
        choices=("zh", "en"),
        help="language of labels and messages (default: zh when the criteria have Chinese labels)",
    )
    common.add_argument("--sheet", help="the worksheet of an .xlsx data file (default: the first)")
    common.add_argument("--encoding", help="the text encoding of CSV/JSON data (default: detected)")
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument("criteria", help="the criteria file (.toml)")
    data.add_argument("data", help="the submissions (.csv, .xlsx or .json)")
    data.add_argument(
        "--previous",
        action="extend",
        nargs="+",
        default=[],
        metavar="DATA",
        help="earlier periods' submissions, the most recent first",
    )
    data.add_argument(
        "--table",
        action="append",
        default=[],
        metavar="NAME=FILE",
        help="the rows of a sub-unit table the criteria declare (sections=sections.csv);"
        " a data workbook may hold them in a sheet named after the table",
    )

    keep_going = argparse.ArgumentParser(add_help=False)
    keep_going.add_argument(
        "--keep-going",
        action="store_true",
        help="leave out (and list) the units whose rows cannot be read or scored, score the "
        "rest, exit 4",
    )

    parser = argparse.ArgumentParser(
        prog="ecoscore",
        description="Score and rank performance assessments from TOML criteria, exactly.",
        epilog="exit codes: 0 success, 1 bad input, 2 bad usage, 3 verify found differences, "
        "4 --keep-going left units out",
    )
    parser.add_argument("--version", action="version", version=f"ecoscore {ecoscore.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", parents=[common], help="validate and lint criteria")
    check.add_argument("criteria", help="the criteria file (.toml)")
    check.set_defaults(run=_check)

    score = commands.add_parser("score", parents=[common, data, keep_going], help="score and rank")
    score.add_argument(
        "-o", "--output", help="write " + ", ".join(OUTPUT_KINDS) + " instead of printing a table"
    )
    score.add_argument(
        "--trace",
        choices=TRACES,
        help="how much of each unit's trace a .json or .xlsx output holds: full (the default:"
        " every clause, figure and step), summary (points and values), none (totals, grades,"
        " ranks)",
    )
    score.add_argument(
        "--pretty", action="store_true", help="indent a .json output (default: compact)"
    )
    score.add_argument(
        "--stamp",
        action="store_true",
        help="put the time of the run into the manifest (no longer byte-identical)",
    )
    score.set_defaults(run=_score)

    explain = commands.add_parser(
        "explain", parents=[common, data], help="one unit's score card in words"
    )
    explain.add_argument("unit", help="the unit (its name or label)")
    explain.set_defaults(run=_explain)

    template = commands.add_parser(
        "template", parents=[common], help="a blank submission form (.xlsx)"
    )
    template.add_argument("criteria", help="the criteria file (.toml)")
    template.add_argument("-o", "--output", required=True, help="the form to write (.xlsx)")
    template.set_defaults(run=_template)

    verify = commands.add_parser(
        "verify",
        parents=[common, data, keep_going],
        help="recompute and compare with a published table",
    )
    verify.add_argument("published", help="the published totals, grades or ranks")
    verify.add_argument("--published-sheet", help="the worksheet of an .xlsx published table")
    verify.set_defaults(run=_verify)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (see the module docstring)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a usage error already printed
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    try:
        code: int = args.run(args)
    except EcoscoreError as error:
        _report(error.problems, args.lang or "zh")
        return error.exit_code
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"ecoscore: {where}{error.strerror or error}", file=sys.stderr)
        return EXIT_INPUT
    return code


def _report(problems: Sequence[Problem], lang: str) -> None:
    for problem in problems:
        print(str(problem), file=sys.stderr)
    print("ecoscore: " + _say("problems", lang, n=len(problems)), file=sys.stderr)


def _language(args: argparse.Namespace, criteria: Criteria) -> str:
    if args.lang:
        return str(args.lang)
    return "zh" if criteria.title.zh else "en"


# -- reading ---------------------------------------------------------------------------


def _read(args: argparse.Namespace) -> tuple[Criteria, Results]:
    """Load the criteria, read the data and earlier periods, evaluate."""
    criteria = load(args.criteria)
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
    tables = _tables(args, criteria, problems)
    if problems:
        raise DataError(problems)
    current, *earlier = periods
    if keep_going:
        results = evaluate_keeping_going(
            criteria,
            current.submissions,
            previous=earlier,
            source=args.data,
            left_out=unread,
            period=current.name,
            tables=tables,
        )
        _report_left_out(results, _language(args, criteria))
        return criteria, results
    results = evaluate(
        criteria,
        current.submissions,
        previous=earlier,
        source=args.data,
        period=current.name,
        tables=tables,
    )
    return criteria, results


def _table_files(args: argparse.Namespace, criteria: Criteria | None = None) -> dict[str, str]:
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


def _tables(
    args: argparse.Namespace, criteria: Criteria, problems: list[Problem]
) -> dict[str, Any] | None:
    """Each sub-unit table's rows: from ``--table``, else from the data workbook's sheet
    named after the table. ``None`` when the criteria declare none and none is given."""
    files = _table_files(args, criteria)
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


def _report_left_out(results: Results, lang: str) -> None:
    """List the units a run that kept going left out, with their reasons, on stderr."""
    if not results.left_out:
        return
    print("ecoscore: " + _say("left_out", lang, n=len(results.left_out)), file=sys.stderr)
    for entry in results.left_out:
        for reason in entry.reasons():
            print(f"  {reason}", file=sys.stderr)


def _without_left_out(outcome: Verification, results: Results) -> Verification:
    """The verification less the units left out: listed as such, they are not compared."""
    left = {entry.unit for entry in results.left_out}
    if not left:
        return outcome
    return attrs.evolve(
        outcome,
        units=tuple(u for u in outcome.units if u not in left),
        differences=tuple(d for d in outcome.differences if d.unit not in left),
    )


def _done(results: Results) -> int:
    """The exit code of a run that wrote its results: 4 when units were left out."""
    return EXIT_LEFT_OUT if results.left_out else EXIT_OK


def _settings(args: argparse.Namespace, lang: str) -> dict[str, Any]:
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


# -- commands --------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    criteria = load(args.criteria)
    lang = _language(args, criteria)
    warnings = lint(criteria, criteria.positions)
    for line in outline(criteria, lang):
        print(line)
    if warnings:
        print()
        print(_say("warnings", lang) + ":")
        for warning in warnings:
            print(f"  {warning}")
    print()
    print(_say("check_ok", lang, n=len(warnings)))
    return EXIT_OK


def _score(args: argparse.Namespace) -> int:
    out = None if args.output is None else Path(args.output)
    if out is not None:
        # Usage is checked before anything is read: no work is done for a refused output.
        if out.suffix.lower() not in OUTPUT_KINDS:
            kind = out.suffix.lower() or "(none)"
            raise UsageError(
                f"{args.output}: unknown output kind {kind!r}; use " + ", ".join(OUTPUT_KINDS)
            )
        if args.trace is not None and out.suffix.lower() not in _TRACED_KINDS:
            raise UsageError(f"{args.output}: --trace applies to .json and .xlsx outputs")
        atomic.refuse_inputs(
            out, [args.criteria, args.data, *args.previous, *_table_files(args).values()]
        )
    elif args.trace is not None or args.pretty:
        raise UsageError("--trace and --pretty apply to a file output (-o)")
    criteria, results = _read(args)
    lang = _language(args, criteria)
    if out is None:
        print(render_table(results, lang), end="")
        return _done(results)
    kind = out.suffix.lower()
    stamp = datetime.datetime.now(datetime.timezone.utc) if args.stamp else None
    manifest = build_manifest(
        command="score",
        criteria=args.criteria,
        data=args.data,
        previous=args.previous,
        settings=_settings(args, lang),
        stamp=stamp,
    )
    tables = _table_files(args, criteria)
    if tables:
        manifest["tables"] = {name: file_entry(path) for name, path in tables.items()}
    with _collector_paused():
        _write(out, kind, results, lang, manifest, trace=args.trace or "full", pretty=args.pretty)
    print(_say("wrote", lang, path=args.output))
    return _done(results)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while an output is written, as while scoring.

    Writing allocates a few short-lived dicts and texts per cell, freed as they go; each
    full collection they trigger would walk every object of the results, so on a large
    run the collector alone took a third of the writing time.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _write(
    out: Path,
    kind: str,
    results: Results,
    lang: str,
    manifest: dict[str, Any],
    *,
    trace: str = "full",
    pretty: bool = False,
) -> None:
    """Write one output file; its writer is imported here, so a start-up needs none."""
    if kind == ".xlsx":
        from ecoscore.report.xlsx import write_xlsx

        with atomic.atomic_path(out) as temporary:
            write_xlsx(results, temporary, lang, trace=trace)
    elif kind == ".json":
        # Written a unit at a time: a large evaluation's document is never held whole.
        pieces = iter_results_json(
            results, indent=2 if pretty else None, trace=trace, more={"manifest": manifest}
        )
        with atomic.open_text(out) as f:
            f.writelines(pieces)
    elif kind == ".csv":
        from ecoscore.report.csv import render_csv

        text = render_csv(results, lang)
        # A BOM, so that Excel opens the Chinese text as UTF-8.
        atomic.write_text(out, text if text.startswith("\ufeff") else "\ufeff" + text)
    elif kind == ".md":
        from ecoscore.report.markdown import render_markdown

        atomic.write_text(out, render_markdown(results, lang))
    else:
        from ecoscore.report.html import render_html

        atomic.write_text(out, render_html(results, lang, manifest))


def _explain(args: argparse.Namespace) -> int:
    criteria, results = _read(args)
    lang = _language(args, criteria)
    unit = _find_unit(criteria, results, args.unit)
    print(explain(results, unit, lang), end="")
    return EXIT_OK


def _find_unit(criteria: Criteria, results: Results, name: str) -> str:
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


def _template(args: argparse.Namespace) -> int:
    criteria = load(args.criteria)
    lang = _language(args, criteria)
    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"{args.output}: a template is an .xlsx workbook")
    atomic.refuse_inputs(out, [args.criteria])
    from ecoscore.report.template import write_template

    with atomic.atomic_path(out) as temporary:
        write_template(criteria, temporary, lang)
    print(_say("wrote", lang, path=args.output))
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    # The published table's problems are reported with the data's, in one go.
    late: list[Problem] = []
    try:
        table = read_table(args.published, sheet=args.published_sheet, encoding=args.encoding)
    except DataError as error:
        late.extend(error.problems)
    try:
        criteria, results = _read(args)
    except DataError as error:
        raise DataError([*error.problems, *late]) from None
    if late:
        raise DataError(late)
    lang = _language(args, criteria)
    # Imported here: the audit (and its explanations) is needed by verify alone.
    from ecoscore.audit.verify import verify

    outcome = _without_left_out(verify(results, table), results)
    print(_say("compared", lang, items=", ".join(outcome.compared)))
    for difference in outcome.differences:
        print(
            f"{difference.location}: {difference.unit}: {difference.item}: "
            f"{_say('published', lang)} {difference.published or '—'}, "
            f"{_say('computed', lang)} {difference.computed or '—'}"
        )
        for note in difference.notes:
            print(f"    {note.text(lang)}")
    if outcome.unpublished:
        print(_say("unpublished", lang, units=", ".join(outcome.unpublished)))
    n = len(outcome.units)
    if outcome.ok:
        print(_say("verify_ok", lang, n=n))
        return _done(results)
    print(_say("verify_bad", lang, k=len(outcome.differing_units()), n=n))
    return EXIT_DIFFERENCES
