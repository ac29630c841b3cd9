"""Tests for ecoscore.engine.ranking: tie styles, tie-breaks, peer groups and exclusions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ecoscore
from ecoscore.engine.ranking import assign_ranks
from strategies import RANK_STYLES, rank_keys

D = Decimal
_KEYS = [("A", D(95), ()), ("B", D(90), ()), ("C", D(90), ()), ("D", D(85), ()), ("E", None, ())]


@pytest.mark.parametrize(
    ("style", "ranks"),
    [
        ("competition", ["1", "2", "2", "4"]),
        ("dense", ["1", "2", "2", "3"]),
        ("ordinal", ["1", "2", "3", "4"]),
        ("fractional", ["1", "2.5", "2.5", "4"]),
    ],
)
def test_tie_styles(style: str, ranks: list[str]) -> None:
    """95, 90, 90, 85 rank as 并列 (competition), dense, ordinal (by unit id) or fractional;
    a unit without a value is not ranked."""
    expected = {**{u: D(r) for u, r in zip("ABCD", ranks, strict=True)}, "E": None}
    assert expected == assign_ranks(_KEYS, descending=True, style=style)


def test_ascending_ranks_the_smallest_first() -> None:
    """In ascending order the smallest value is first."""
    assert {"A": D(4), "B": D(2), "C": D(2), "D": D(1), "E": None} == assign_ranks(
        _KEYS, descending=False, style="competition"
    )


def test_tie_breaks_order_equal_values() -> None:
    """Tie-breaks in turn, each in its own order; a missing tie-break value comes last;
    units equal in every tie-break stay tied."""
    keys = [
        ("A", D(90), (D(3), None)),
        ("B", D(90), (D(3), D(1))),
        ("C", D(90), (D(5), D(0))),
        ("D", D(90), (D(3), D(1))),
    ]
    assert {"A": D(4), "B": D(2), "C": D(1), "D": D(2)} == assign_ranks(
        keys, descending=True, style="competition", tie_descending=[True, False]
    )


@given(
    keys=rank_keys(), style=st.sampled_from(RANK_STYLES), descending=st.booleans(), data=st.data()
)
def test_ranks_do_not_depend_on_the_order_of_the_units(
    keys: list[tuple[str, Any, tuple[Any, ...]]],
    style: str,
    descending: bool,
    data: st.DataObject,
) -> None:
    """Shuffling the units never changes anyone's rank."""
    shuffled = data.draw(st.permutations(keys))
    assert assign_ranks(
        keys, descending=descending, style=style, tie_descending=[True]
    ) == assign_ranks(shuffled, descending=descending, style=style, tie_descending=[True])


@given(keys=rank_keys())
def test_a_competition_rank_is_one_more_than_the_units_strictly_ahead(
    keys: list[tuple[str, Any, tuple[Any, ...]]],
) -> None:
    """并列: each rank is 1 + the number of units with a strictly better value."""
    plain = [(u, v, ()) for u, v, _ in keys]
    ranks = assign_ranks(plain, descending=True, style="competition")
    for unit, value, _ in plain:
        ahead = sum(1 for _, v, _ in plain if v is not None and value is not None and v > value)
        assert (None if value is None else D(ahead + 1)) == ranks[unit]


_HEAD = """\
ecoscore = 1
id = "t"
title = "T"
[attributes]
kind = { values = ["区", "县", "市"] }
[inputs]
score = { min = 0, max = 100 }
pm25 = { min = 0 }
[indicator.score]
points = 100
formula = "score"
[rounding]
total = "0 half-up"
"""

_ROWS = [
    {"unit": "章贡区", "kind": "区", "score": "95.4", "pm25": "30"},
    {"unit": "南康区", "kind": "区", "score": "94.6", "pm25": "28"},
    {"unit": "瑞金市", "kind": "市", "score": "90", "pm25": "31"},
    {"unit": "信丰县", "kind": "县", "score": "88", "pm25": "30"},
]


def _ranks(body: str) -> dict[str, tuple[Any, ...]]:
    results = ecoscore.evaluate(ecoscore.loads(_HEAD + body), _ROWS)
    ranking = results.ranking()
    return {e.unit: (e.rank, e.value, e.group, e.note_text("en")) for e in ranking.entries}


def test_rankings_use_the_published_total_by_default() -> None:
    """Totals that round to the same published figure tie (95.4 and 94.6 both publish 95)."""
    ranks = _ranks("[ranking.r]\n")
    assert (D(1), D(1), D(3)) == (ranks["章贡区"][0], ranks["南康区"][0], ranks["瑞金市"][0])


def test_an_exact_ranking_uses_the_unrounded_total() -> None:
    """basis = "exact" ranks on the total before rounding."""
    ranks = _ranks('[ranking.r]\nbasis = "exact"\n')
    assert (D(1), D("95.4"), D(2)) == (ranks["章贡区"][0], ranks["章贡区"][1], ranks["南康区"][0])


def test_a_ranking_may_round_its_value() -> None:
    """round rounds the ranked value before ranking."""
    ranks = _ranks('[ranking.r]\nby = "pm25"\norder = "ascending"\nround = "-1 half-up"\n')
    assert {D(1)} == {r[0] for r in ranks.values()}


def test_peer_groups_rank_separately_and_may_be_merged() -> None:
    """group_by ranks within each group; groups maps several attribute values to one."""
    ranks = _ranks('[ranking.r]\ngroup_by = "kind"\ngroups = { "县" = "县市", "市" = "县市" }\n')
    assert {
        "章贡区": (D(1), "区"),
        "南康区": (D(1), "区"),
        "瑞金市": (D(1), "县市"),
        "信丰县": (D(2), "县市"),
    } == {u: (r[0], r[2]) for u, r in ranks.items()}


def test_excluded_units_are_listed_without_a_rank() -> None:
    """A unit left out by exclude has no rank and a note saying why."""
    ranks = _ranks('[ranking.r]\nby = "pm25"\norder = "ascending"\nexclude = "kind == \\"市\\""\n')
    assert ((None, None, None, 'excluded: kind == "市"'), D(1), D(2)) == (
        ranks["瑞金市"],
        ranks["南康区"][0],
        ranks["章贡区"][0],
    )


def test_entries_are_in_rank_order_and_ranks_can_be_looked_up() -> None:
    """A ranking's entries are in rank order (ties by unit), and rank_of finds a unit."""
    results = ecoscore.evaluate(
        ecoscore.loads(_HEAD + '[ranking.r]\nby = "pm25"\norder = "ascending"\n'), _ROWS
    )
    ranking = results.ranking("r")
    assert ["南康区", "信丰县", "章贡区", "瑞金市"] == [e.unit for e in ranking.entries]
    assert (D(2), None) == (ranking.rank_of("章贡区"), ranking.rank_of("nobody"))
    with pytest.raises(KeyError):
        results.ranking("nope")
