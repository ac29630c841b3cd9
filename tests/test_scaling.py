"""Work outside the engine grows linearly with the number of units, never as units².

Not a timed test: the work is counted. Every unit id of the results is a ``CountedUnit``,
a ``str`` that counts each time it is compared for equality. Looking a unit up in a dict
or an index compares it at most once; scanning every unit (``next(e for e in entries if
e.unit == unit)``, ``unit in a_list``) compares it once per unit scanned. So per unit, a
linear path makes the same number of comparisons at 250 and at 2,000 units, and a path
that scans all units per unit makes eight times as many.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import ecoscore
from ecoscore.audit.verify import verify
from ecoscore.io.tables import read_table
from ecoscore.report.csv import render_csv
from ecoscore.report.html import render_html
from ecoscore.report.markdown import render_markdown
from ecoscore.report.text import explain, render_table
from ecoscore.report.xlsx import write_xlsx
from ecoscore.results.export import results_to_json

SMALL, LARGE = 250, 2000

_CRITERIA = """\
ecoscore = 1
id = "scaling"
title = { zh = "规模", en = "Scaling" }
rounding = { points = "2 half-up", total = "1 half-up" }
[attributes]
kind = { type = "text", values = ["区", "县"] }
[inputs]
a = { min = 0, max = 100 }
b = { min = 0, max = 100 }
c = { min = 0, integer = true }
[indicator.a]
points = 10
linear = { zero_at = 35, full_at = 85 }
[indicator.b]
points = 10
bands = [{ at_least = 90, points = 10 }, { at_least = 60, below = 90, points = 6 },
         { below = 60, points = 0 }]
[indicator.c]
effect = "deduction"
points = 3
count = [{ of = "c", each = 1 }]
[grades]
bands = [{ grade = "优秀", at_least = 15 }, { grade = "合格" }]
quota = { "优秀" = "30%" }
[ranking.overall]
zh = "总排名"
[ranking.peers]
zh = "分组排名"
group_by = "kind"
[summary.good]
aggregate = "share"
when = "total >= 15"
group_by = "kind"
"""


class CountedUnit(str):
    """A unit id that counts its equality comparisons."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        CountedUnit.comparisons += 1
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        CountedUnit.comparisons += 1
        return str.__ne__(self, other)

    __hash__ = str.__hash__


def _counted(results: ecoscore.Results) -> ecoscore.Results:
    """The same results, every unit id of the cards and rankings a ``CountedUnit``."""
    rankings = tuple(
        attrs.evolve(r, entries=tuple(attrs.evolve(e, unit=CountedUnit(e.unit)) for e in r.entries))
        for r in results.rankings
    )
    cards = {CountedUnit(unit): card for unit, card in results.cards.items()}
    return attrs.evolve(results, cards=cards, rankings=rankings)


def _results(units: int) -> ecoscore.Results:
    rows = [
        {
            "unit": f"U{u:05d}",
            "kind": "区" if u % 3 else "县",
            "a": str(30 + u * 7 % 60),
            "b": str(50 + u * 11 % 50),
            "c": str(u % 4),
        }
        for u in range(units)
    ]
    return _counted(ecoscore.evaluate(ecoscore.loads(_CRITERIA, source="scaling.toml"), rows))


@pytest.fixture(scope="module")
def sizes(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[ecoscore.Results, Path]]:
    """Results of 250 and of 2,000 units, each with a folder for its files."""
    return {n: (_results(n), tmp_path_factory.mktemp(f"units{n}")) for n in (SMALL, LARGE)}


def _verify(results: ecoscore.Results, folder: Path) -> None:
    published = folder / "published.csv"
    published.write_text(render_csv(results), encoding="utf-8")
    table = read_table(published)
    CountedUnit.comparisons = 0  # reading the table is not what is measured
    assert verify(results, table).ok


def _explain_all(results: ecoscore.Results, _: Path) -> None:
    for card in results:
        explain(results, card.unit)


WORK: dict[str, Callable[[ecoscore.Results, Path], Any]] = {
    "json": lambda r, _: results_to_json(r),
    "json summary": lambda r, _: results_to_json(r, trace="summary"),
    "ranks": lambda r, _: [r.ranking(k.id).rank_of(c.unit) for c in r for k in r.rankings],
    "summary figures": lambda r, _: [s.figure(f.group) for s in r.summaries for f in s.groups],
    "terminal table": lambda r, _: render_table(r),
    "explain every unit": _explain_all,
    "csv": lambda r, _: render_csv(r),
    "markdown": lambda r, _: render_markdown(r),
    "html": lambda r, _: render_html(r),
    "xlsx": lambda r, folder: write_xlsx(r, folder / "results.xlsx"),
    "verify": _verify,
}


def _comparisons_per_unit(
    work: Callable[[ecoscore.Results, Path], Any], size: tuple[Any, Path]
) -> float:
    results, folder = size
    CountedUnit.comparisons = 0
    with contextlib.redirect_stdout(io.StringIO()):
        work(results, folder)
    return CountedUnit.comparisons / len(results)


@pytest.mark.parametrize("name", list(WORK))
def test_work_per_unit_does_not_grow_with_the_units(
    name: str, sizes: dict[int, tuple[ecoscore.Results, Path]]
) -> None:
    """Per unit, 2,000 units take no more unit comparisons than 250 units (a scan of all
    units per unit would take eight times as many)."""
    small = _comparisons_per_unit(WORK[name], sizes[SMALL])
    large = _comparisons_per_unit(WORK[name], sizes[LARGE])
    assert large <= small * 1.1 + 1, (name, small, large)


def test_a_scan_of_every_unit_would_be_caught(tmp_path: Path) -> None:
    """The counter sees a quadratic path: finding each unit's rank by scanning the
    ranking's entries makes eight times the comparisons per unit at eight times the units."""

    def scan(results: ecoscore.Results, _: Path) -> None:
        entries = results.rankings[0].entries
        for card in results:
            next(e for e in entries if e.unit == card.unit)

    small = _comparisons_per_unit(scan, (_results(100), tmp_path))
    large = _comparisons_per_unit(scan, (_results(800), tmp_path))
    assert large > small * 4
