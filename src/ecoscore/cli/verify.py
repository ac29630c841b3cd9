"""``ecoscore verify``: recompute and compare with a published table."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

import attrs

from ecoscore.cli.options import EXIT_DIFFERENCES, done, language, read, say
from ecoscore.errors import DataError, Problem
from ecoscore.io.tables import read_table
from ecoscore.results.assessment import Results

if TYPE_CHECKING:  # verify is imported where it runs
    from ecoscore.audit.verify import Verification

__all__ = ["verify"]


def verify(args: argparse.Namespace) -> int:
    # The published table's problems are reported with the data's, in one go.
    late: list[Problem] = []
    try:
        table = read_table(args.published, sheet=args.published_sheet, encoding=args.encoding)
    except DataError as error:
        late.extend(error.problems)
    try:
        criteria, results = read(args)
    except DataError as error:
        raise DataError([*error.problems, *late]) from None
    if late:
        raise DataError(late)
    lang = language(args, criteria)
    # Imported here: the audit (and its explanations) is needed by verify alone.
    from ecoscore.audit.verify import verify

    outcome = _without_left_out(verify(results, table), results)
    print(say("compared", lang, items=", ".join(outcome.compared)))
    for difference in outcome.differences:
        print(
            f"{difference.location}: {difference.unit}: {difference.item}: "
            f"{say('published', lang)} {difference.published or '—'}, "
            f"{say('computed', lang)} {difference.computed or '—'}"
        )
        for note in difference.notes:
            print(f"    {note.text(lang)}")
    if outcome.unpublished:
        print(say("unpublished", lang, units=", ".join(outcome.unpublished)))
    n = len(outcome.units)
    if outcome.ok:
        print(say("verify_ok", lang, n=n))
        return done(results)
    print(say("verify_bad", lang, k=len(outcome.differing_units()), n=n))
    return EXIT_DIFFERENCES


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
