"""The commands that read criteria and write what they give: check, score, explain,
template."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ecoscore.cli.options import (
    EXIT_OK,
    OUTPUT_KINDS,
    TRACED_KINDS,
    done,
    find_unit,
    language,
    read,
    say,
    settings,
    table_files,
)
from ecoscore.errors import UsageError
from ecoscore.io import atomic
from ecoscore.io.manifest import build_manifest, file_entry
from ecoscore.language.lint import lint
from ecoscore.language.loader import load
from ecoscore.report.outline import outline
from ecoscore.report.text import explain, render_table
from ecoscore.results.assessment import Results
from ecoscore.results.export import iter_results_json

__all__ = ["check", "explain_unit", "score", "template"]


def check(args: argparse.Namespace) -> int:
    criteria = load(args.criteria)
    lang = language(args, criteria)
    warnings = lint(criteria, criteria.positions)
    for line in outline(criteria, lang):
        print(line)
    if warnings:
        print()
        print(say("warnings", lang) + ":")
        for warning in warnings:
            print(f"  {warning}")
    print()
    print(say("check_ok", lang, n=len(warnings)))
    return EXIT_OK


def score(args: argparse.Namespace) -> int:
    out = None if args.output is None else Path(args.output)
    if out is not None:
        # Usage is checked before anything is read: no work is done for a refused output.
        if out.suffix.lower() not in OUTPUT_KINDS:
            kind = out.suffix.lower() or "(none)"
            raise UsageError(
                f"{args.output}: unknown output kind {kind!r}; use " + ", ".join(OUTPUT_KINDS)
            )
        if args.trace is not None and out.suffix.lower() not in TRACED_KINDS:
            raise UsageError(f"{args.output}: --trace applies to .json and .xlsx outputs")
        atomic.refuse_inputs(
            out, [args.criteria, args.data, *args.previous, *table_files(args).values()]
        )
    elif args.trace is not None or args.pretty:
        raise UsageError("--trace and --pretty apply to a file output (-o)")
    criteria, results = read(args)
    lang = language(args, criteria)
    if out is None:
        print(render_table(results, lang), end="")
        return done(results)
    kind = out.suffix.lower()
    stamp = datetime.datetime.now(datetime.timezone.utc) if args.stamp else None
    manifest = build_manifest(
        command="score",
        criteria=args.criteria,
        data=args.data,
        previous=args.previous,
        settings=settings(args, lang),
        stamp=stamp,
    )
    tables = table_files(args, criteria)
    if tables:
        manifest["tables"] = {name: file_entry(path) for name, path in tables.items()}
    with _collector_paused():
        _write(out, kind, results, lang, manifest, trace=args.trace or "full", pretty=args.pretty)
    print(say("wrote", lang, path=args.output))
    return done(results)


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


def explain_unit(args: argparse.Namespace) -> int:
    criteria, results = read(args)
    lang = language(args, criteria)
    unit = find_unit(criteria, results, args.unit)
    print(explain(results, unit, lang), end="")
    return EXIT_OK


def template(args: argparse.Namespace) -> int:
    criteria = load(args.criteria)
    lang = language(args, criteria)
    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"{args.output}: a template is an .xlsx workbook")
    atomic.refuse_inputs(out, [args.criteria])
    from ecoscore.report.template import write_template

    with atomic.atomic_path(out) as temporary:
        write_template(criteria, temporary, lang)
    print(say("wrote", lang, path=args.output))
    return EXIT_OK
