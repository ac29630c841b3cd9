"""Tests for ecoscore.audit.hypotheses: a published table tried against the conventions
publishers use, and the ones that reproduce it named."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

import ecoscore
from ecoscore.audit.hypotheses import Hypotheses, conventions, find_conventions
from ecoscore.io.submissions import read_submissions
from ecoscore.io.tables import read_table
from ecoscore.model import Criteria
from ecoscore.numbers import Rounding

FIXTURES = Path(__file__).parents[1] / "fixtures" / "hypotheses"
FLAGSHIP = Path(__file__).parents[2] / "criteria" / "ganzhou-county-2024.toml"

#: Each unit's indicator points (the inputs are the points), in the order of the tree.
POINTS = {
    "瑞金市": ("26.65", "26.65", "26.65"),
    "兴国县": ("30", "30", "19.95"),
    "会昌县": ("20", "20", "40"),
}


@pytest.fixture(scope="module")
def criteria() -> Criteria:
    return ecoscore.load(FIXTURES / "criteria.toml")


def publish(tmp_path: Path, total: Callable[[tuple[str, ...]], tuple[Decimal, Decimal]]) -> Path:
    """A published table whose totals ``total`` computes from a unit's points (it gives
    the published total and the air area, the tie-break), graded and ranked on them the
    way the criteria say, with a group rank column ecoscore does not compare."""
    figures = {unit: total(points) for unit, points in POINTS.items()}
    order = sorted(figures, key=lambda u: (-figures[u][0], -figures[u][1]))
    lines = ["单位,总分,等级,排名,group_rank"]
    for unit, (value, _) in figures.items():
        grade = "优秀" if value >= 80 else "良好" if value >= 60 else "不合格"
        lines.append(f"{unit},{value},{grade},{order.index(unit) + 1},1")
    path = tmp_path / "published.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def in_floats(points: tuple[str, ...]) -> tuple[Decimal, Decimal]:
    """What a spreadsheet publishes: the points added up as binary doubles, the double
    rounded half-up to one place."""
    a, b, c = (float(p) for p in points)
    air = a + b
    total = air + c
    return Decimal(total).quantize(Decimal("0.1"), ROUND_HALF_UP), Decimal(air)


def truncated(points: tuple[str, ...]) -> tuple[Decimal, Decimal]:
    """The exact total, truncated to one place."""
    exact = sum((Decimal(p) for p in points), Decimal(0))
    return exact.quantize(Decimal("0.1"), ROUND_DOWN), Decimal(points[0]) + Decimal(points[1])


def exactly(points: tuple[str, ...]) -> tuple[Decimal, Decimal]:
    """The exact total, rounded half-up as the criteria declare."""
    exact = sum((Decimal(p) for p in points), Decimal(0))
    return exact.quantize(Decimal("0.1"), ROUND_HALF_UP), Decimal(points[0]) + Decimal(points[1])


def tried(criteria: Criteria, path: Path, previous: Criteria | None = None) -> Hypotheses:
    data = read_submissions(read_table(FIXTURES / "data.csv"), criteria)
    return find_conventions(criteria, read_table(path), data, previous_criteria=previous)


def test_a_table_computed_in_floats_is_found_to_be(criteria: Criteria, tmp_path: Path) -> None:
    """Totals added up in binary doubles and rounded half-up: the float convention alone
    reproduces every published figure, and 瑞金市's 79.9 is explained by its double."""
    outcome = tried(criteria, publish(tmp_path, in_floats))
    assert outcome.needed
    assert {("瑞金市", "total"), ("瑞金市", "grade"), ("瑞金市", "rank:overall")} <= {
        (d.unit, d.item) for d in outcome.declared.differences
    }
    assert [("float",)] == [h.ids for h in outcome.reproducing()]
    (best,) = outcome.reproducing()
    assert 9 == best.figures == best.reproduced
    total = next(e for e in best.explanations if (e.unit, e.item) == ("瑞金市", "total"))
    assert ("79.9", "80.0", "79.9") == (total.published, total.declared, total.convention)
    assert (
        "the total summed in binary floats is 79.949999999999989… (exactly 79.95),"
        " which rounds to 79.9"
    ) == total.note.en
    assert "79.949999999999989…" in total.note.zh
    assert outcome.closest() is None


def test_a_truncated_table_is_found_to_be(criteria: Criteria, tmp_path: Path) -> None:
    """Totals truncated rather than rounded half-up: truncation reproduces them."""
    outcome = tried(criteria, publish(tmp_path, truncated))
    assert ("down",) in [h.ids for h in outcome.reproducing()]
    assert ("float",) not in [h.ids for h in outcome.reproducing()]


def test_an_exact_table_needs_no_hypothesis(criteria: Criteria, tmp_path: Path) -> None:
    """A table the declared criteria reproduce: nothing is tried."""
    outcome = tried(criteria, publish(tmp_path, exactly))
    assert not outcome.needed
    assert () == outcome.tried
    assert ("group_rank",) == outcome.declared.not_compared


def test_the_closest_says_what_still_differs(criteria: Criteria, tmp_path: Path) -> None:
    """A total no convention explains (published 85.0): the closest hypothesis keeps
    that difference, and does better than the declared criteria."""
    path = publish(tmp_path, in_floats)
    text = path.read_text(encoding="utf-8").replace("会昌县,80.0,", "会昌县,85.0,")
    path.write_text(text, encoding="utf-8")
    outcome = tried(criteria, path)
    assert () == outcome.reproducing()
    closest = outcome.closest()
    assert closest is not None
    assert ("float",) == closest.ids
    assert [("会昌县", "total")] == [(d.unit, d.item) for d in closest.differences]
    assert closest.reproduced > outcome.declared.figures - len(outcome.declared.differences)


def test_the_previous_criteria_are_tried(criteria: Criteria, tmp_path: Path) -> None:
    """A table computed with last period's criteria (totals truncated) is found to be;
    criteria the data cannot be scored with are kept as a failed hypothesis."""
    previous = ecoscore.loads(
        (FIXTURES / "criteria.toml").read_text(encoding="utf-8").replace("1 half-up", "1 down")
    )
    # The previous criteria truncate where these round half-up: truncation explains the
    # table as well, and both are named.
    outcome = tried(criteria, publish(tmp_path, truncated), previous)
    assert {("down",), ("previous-criteria",)} <= {h.ids for h in outcome.reproducing()}
    needy = ecoscore.loads(
        (FIXTURES / "criteria.toml")
        .read_text(encoding="utf-8")
        .replace('formula = "c"', 'formula = "d"')
        .replace("[inputs]", '[inputs]\nd = { zh = "丁项", min = 0 }')
    )
    outcome = tried(criteria, publish(tmp_path, truncated), needy)
    failed = next(h for h in outcome.tried if h.ids == ("previous-criteria",))
    assert failed.failure
    assert 0 == failed.reproduced
    assert not failed.ok


def test_conventions_are_those_that_change_something(criteria: Criteria) -> None:
    """Half-up is declared everywhere: it is not tried; the terms are rounded, so rounding
    once is; the ranking and the grades are on published totals, so exact ones are."""
    ids = [c.id for c in conventions(criteria)]
    assert [
        "float",
        "half-even",
        "down",
        "ceiling",
        "python-round",
        "round-once",
        "exact-ranking",
        "exact-grades",
    ] == ids
    swapped = next(c for c in conventions(criteria) if c.id == "down").apply(criteria)
    assert Rounding(1, "down") == swapped.total_rounding
    assert Rounding(2, "down") == swapped.points_rounding


def test_the_flagship_computed_in_floats(tmp_path: Path) -> None:
    """On the flagship, a table of 2024 computed with float sums is found to be: 会昌县's
    89.55 and 寻乌县's 97.85 are doubles just below, published 89.5 and 97.8."""
    criteria = ecoscore.load(FLAGSHIP)
    examples = FLAGSHIP.parents[1] / "examples" / "ganzhou-2024"
    periods = []
    for k, year in enumerate(("2024", "2023", "2022", "2021")):
        path = examples / f"submissions-{year}.csv"
        periods.extend(ecoscore.read_periods(read_table(path), criteria, strict=k == 0))
    current, *earlier = periods
    floats = ecoscore.evaluate(
        criteria, current.submissions, previous=earlier, period=current.name, arithmetic="float"
    )
    rows = [f"{c.unit},{c.total},{floats.ranking().rank_of(c.unit)}" for c in floats]
    path = tmp_path / "published.csv"
    path.write_text("单位,总分,排名\n" + "\n".join(rows) + "\n", encoding="utf-8")
    outcome = find_conventions(
        criteria, read_table(path), current.submissions, previous=earlier, period=current.name
    )
    assert ("float",) in [h.ids for h in outcome.reproducing()]
    best = next(h for h in outcome.reproducing() if h.ids == ("float",))
    notes = {e.unit: e.note.en for e in best.explanations if e.item == "total"}
    assert "89.549999999999997…" in notes["会昌县"]
    assert "97.849999999999994…" in notes["寻乌县"]


def test_float_arithmetic_is_only_asked_for() -> None:
    """evaluate refuses an arithmetic it does not know."""
    criteria = ecoscore.load(FIXTURES / "criteria.toml")
    data = read_submissions(read_table(FIXTURES / "data.csv"), criteria)
    with pytest.raises(ValueError, match="arithmetic"):
        ecoscore.evaluate(criteria, data, arithmetic="decimal64")


def test_a_ranking_on_the_unrounded_totals_is_found_to_be(
    criteria: Criteria, tmp_path: Path
) -> None:
    """All three publish 80.0, but 会昌县's 80.00 beats the others' 79.95 unrounded: a
    table ranked so is explained by ranking on the unrounded total."""
    text = "单位,总分,排名\n会昌县,80.0,1\n兴国县,80.0,2\n瑞金市,80.0,3\n"
    path = tmp_path / "published.csv"
    path.write_text(text, encoding="utf-8")
    outcome = tried(criteria, path)
    assert ("exact-ranking",) == outcome.reproducing()[0].ids
    notes = [e.note.en for e in outcome.reproducing()[0].explanations]
    assert "under ranking on the unrounded total, the Overall ranking is 1" in notes
