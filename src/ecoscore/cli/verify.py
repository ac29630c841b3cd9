"""``ecoscore verify``: recompute and compare with a published table; with
``--hypotheses``, find the convention the publisher used; with ``-o``, write a report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ecoscore.cli.options import (
    EXIT_DIFFERENCES,
    Inputs,
    done,
    evaluate_inputs,
    language,
    read_inputs,
    table_files,
)
from ecoscore.errors import DataError, Problem, UsageError
from ecoscore.io import atomic
from ecoscore.io.tables import Table, read_table
from ecoscore.language.loader import load
from ecoscore.model import Criteria
from ecoscore.results.assessment import Results

if TYPE_CHECKING:  # the audit is imported where it runs
    from ecoscore.audit.hypotheses import Hypotheses
    from ecoscore.audit.verify import Verification

__all__ = ["verify"]


def verify(args: argparse.Namespace) -> int:
    # Imported here: the audit (and its explanations) is needed by verify alone.
    from ecoscore.audit import document
    from ecoscore.audit.verify import verify

    out = None if args.output is None else Path(args.output)
    if out is not None:
        # Usage is checked before anything is read: no work is done for a refused output.
        if out.suffix.lower() not in document.KINDS:
            kind = out.suffix.lower() or "(none)"
            raise UsageError(
                f"{args.output}: unknown report kind {kind!r}; use " + ", ".join(document.KINDS)
            )
        atomic.refuse_inputs(
            out,
            [
                args.criteria,
                args.data,
                args.published,
                *args.previous,
                *table_files(args).values(),
                *([args.previous_criteria] if args.previous_criteria else []),
            ],
        )
    if args.previous_criteria and not args.hypotheses:
        raise UsageError("--previous-criteria is one of the hypotheses: give --hypotheses too")
    # The published table's problems are reported with the data's, in one go.
    late: list[Problem] = []
    table: Table | None = None
    try:
        table = read_table(args.published, sheet=args.published_sheet, encoding=args.encoding)
    except DataError as error:
        late.extend(error.problems)
    criteria = load(args.criteria)
    try:
        inputs = read_inputs(args, criteria)
        results = evaluate_inputs(args, criteria, inputs)
    except DataError as error:
        raise DataError([*error.problems, *late]) from None
    if late or table is None:
        raise DataError(late)
    lang = language(args, criteria)
    if args.hypotheses and results.left_out:
        raise UsageError(
            f"--hypotheses re-runs the assessment on every unit, and {len(results.left_out)}"
            " unit(s) were left out (--keep-going): correct their rows first"
        )
    outcome = _without_left_out(verify(results, table), results)
    hypotheses = _hypotheses(args, criteria, inputs, table) if args.hypotheses else None
    print(document.text(results, outcome, lang, hypotheses), end="")
    if out is not None:
        if out.suffix.lower() == ".json":
            atomic.write_text(out, document.json_text(results, outcome, hypotheses))
        else:
            report = document.markdown(
                results, outcome, lang, hypotheses, published=str(args.published)
            )
            atomic.write_text(out, report)
    return done(results) if outcome.ok else EXIT_DIFFERENCES


def _hypotheses(
    args: argparse.Namespace, criteria: Criteria, inputs: Inputs, table: Table
) -> Hypotheses:
    """The conventions tried on the published table, on the inputs every unit of which
    was scored."""
    from ecoscore.audit.hypotheses import find_conventions

    earlier = None if args.previous_criteria is None else load(args.previous_criteria)
    current, *before = inputs.periods
    return find_conventions(
        criteria,
        table,
        current.submissions,
        previous=before,
        period=current.name,
        tables=inputs.tables,
        source=args.data,
        previous_criteria=earlier,
    )


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
