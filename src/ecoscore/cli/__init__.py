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
import sys
from collections.abc import Sequence

import ecoscore
from ecoscore.cli import score as _score_commands
from ecoscore.cli import verify as _verify_command
from ecoscore.cli.options import (
    EXIT_DIFFERENCES,
    EXIT_INPUT,
    EXIT_LEFT_OUT,
    EXIT_OK,
    EXIT_USAGE,
    OUTPUT_KINDS,
    report_problems,
)
from ecoscore.errors import EcoscoreError
from ecoscore.results.export import TRACES

__all__ = ["EXIT_DIFFERENCES", "EXIT_INPUT", "EXIT_LEFT_OUT", "EXIT_OK", "EXIT_USAGE", "main"]


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
    check.set_defaults(run=_score_commands.check)

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
    score.set_defaults(run=_score_commands.score)

    explain = commands.add_parser(
        "explain", parents=[common, data], help="one unit's score card in words"
    )
    explain.add_argument("unit", help="the unit (its name or label)")
    explain.set_defaults(run=_score_commands.explain_unit)

    template = commands.add_parser(
        "template", parents=[common], help="a blank submission form (.xlsx)"
    )
    template.add_argument("criteria", help="the criteria file (.toml)")
    template.add_argument("-o", "--output", required=True, help="the form to write (.xlsx)")
    template.set_defaults(run=_score_commands.template)

    verify = commands.add_parser(
        "verify",
        parents=[common, data, keep_going],
        help="recompute and compare with a published table",
    )
    verify.add_argument("published", help="the published totals, grades or ranks")
    verify.add_argument("--published-sheet", help="the worksheet of an .xlsx published table")
    verify.add_argument(
        "-o", "--output", help="also write the report to a file: .md (Markdown) or .json"
    )
    verify.add_argument(
        "--hypotheses",
        action="store_true",
        help="when the table does not reproduce, try the conventions publishers use (binary"
        " floats, other rounding modes, rounding once, ranking or grading unrounded totals),"
        " alone and in pairs, and say which reproduce it",
    )
    verify.add_argument(
        "--previous-criteria",
        metavar="FILE",
        help="with --hypotheses, also try the previous period's criteria (.toml)",
    )
    verify.set_defaults(run=_verify_command.verify)
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
        report_problems(error.problems, args.lang or "zh")
        return error.exit_code
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"ecoscore: {where}{error.strerror or error}", file=sys.stderr)
        return EXIT_INPUT
    return code
