"""Ranks: order, tie styles, tie-break chains, peer groups and exclusions.

Tie styles, for values 95, 90, 90, 85 ranked descending:

===============  =============  ==========================================
``competition``  1, 2, 2, 4     并列: ties share the best place, then a gap
``dense``        1, 2, 2, 3     no gap after a tie
``ordinal``      1, 2, 3, 4     ties ordered by unit id
``fractional``   1, 2.5, 2.5, 4 ties share the mean of their places
===============  =============  ==========================================

A tie is an equal ranked value and equal values in every tie-break. The ranked value
is the published (rounded) one unless the ranking says ``basis = "exact"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ecoscore.engine.scope import condition, ranked_value
from ecoscore.errors import Location, Problem
from ecoscore.expr.expression import EvaluationFailure
from ecoscore.model import Criteria, Label, RankingSpec
from ecoscore.results.assessment import RankEntry, Ranking
from ecoscore.results.card import ScoreCard

__all__ = ["assign_ranks", "rank_all"]


def assign_ranks(
    keys: Sequence[tuple[str, Any, tuple[Any, ...]]],
    *,
    descending: bool,
    style: str,
    tie_descending: Sequence[bool] = (),
) -> dict[str, Decimal | None]:
    """Ranks for ``(unit, value, tie_break_values)``; a ``None`` value is not ranked.

    Pure and order-independent: units are sorted by value, then tie-breaks, then id.
    """
    ranked = [k for k in keys if isinstance(k[1], Decimal)]

    def sort_key(item: tuple[str, Any, tuple[Any, ...]]) -> tuple[Any, ...]:
        unit, value, breaks = item
        parts: list[Any] = [-value if descending else value]
        for b, desc in zip(breaks, tie_descending, strict=False):
            # A missing tie-break value sorts after every present one.
            parts.append((1, Decimal(0)) if b is None else (0, -b if desc else b))
        parts.append(unit)
        return tuple(parts)

    ranked.sort(key=sort_key)
    ranks: dict[str, Decimal | None] = {k[0]: None for k in keys}
    i = 0
    dense = 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][1:] == ranked[i][1:]:
            j += 1
        dense += 1
        for pos in range(i, j + 1):
            unit = ranked[pos][0]
            if style == "competition":
                ranks[unit] = Decimal(i + 1)
            elif style == "dense":
                ranks[unit] = Decimal(dense)
            elif style == "ordinal":
                ranks[unit] = Decimal(pos + 1)
            else:  # fractional: the mean of the places i+1 .. j+1
                ranks[unit] = Decimal(i + 1 + j + 1) / 2
        i = j + 1
    return ranks


def _rank_one(
    criteria: Criteria,
    spec: RankingSpec,
    cards: Mapping[str, ScoreCard],
    envs: Mapping[str, Mapping[str, Any]],
    problems: list[Problem],
) -> Ranking:
    groups: dict[str | None, list[tuple[str, Any, tuple[Any, ...]]]] = {}
    notes: dict[str, Label] = {}
    values: dict[str, Any] = {}
    group_of: dict[str, str | None] = {}
    for unit, card in cards.items():
        env = envs[unit]
        if spec.exclude is not None:
            try:
                excluded, missing = condition(spec.exclude, card, env)
            except EvaluationFailure as exc:
                problems.append(
                    Problem(
                        f"{unit}: ranking {spec.id}: exclude = {spec.exclude.source}: "
                        f"{exc.message}",
                        Location(criteria.path, key=f"ranking.{spec.id}.exclude"),
                    )
                )
                excluded, missing = False, ()
            if excluded:
                notes[unit] = Label(
                    f"不参与排名：{spec.exclude.source}", f"excluded: {spec.exclude.source}"
                )
                group_of[unit] = None
                values[unit] = None
                continue
            if missing:
                # Ranked, and said so: the exclusion could not be decided.
                notes[unit] = Label(
                    f"缺{'、'.join(missing)}，未判断是否排除",
                    f"no {', '.join(missing)}: exclusion not applied",
                )
        value = ranked_value(card, env, spec.by, spec.basis)
        if isinstance(value, Decimal) and spec.rounding is not None and spec.basis == "published":
            value = spec.rounding(value)
        breaks = tuple(ranked_value(card, env, b.by, spec.basis) for b in spec.tie_break)
        group = None
        if spec.group_by is not None:
            raw = env.get(spec.group_by)
            group = None if raw is None else str(raw)
            if group is not None and spec.groups is not None:
                group = spec.groups.get(group, group)
        values[unit], group_of[unit] = value, group
        if not isinstance(value, Decimal):
            notes[unit] = Label("无数值，不参与排名", "no value: not ranked")
        groups.setdefault(group, []).append((unit, value, breaks))
    ranks: dict[str, Decimal | None] = {}
    for keys in groups.values():
        ranks.update(
            assign_ranks(
                keys,
                descending=spec.descending,
                style=spec.style,
                tie_descending=[b.descending for b in spec.tie_break],
            )
        )
    entries = [
        RankEntry(
            u,
            ranks.get(u),
            values[u] if isinstance(values[u], Decimal) else None,
            group_of[u],
            notes.get(u),
        )
        for u in cards
    ]
    entries.sort(key=lambda e: (e.group or "", e.rank is None, e.rank or 0, e.unit))
    return Ranking(spec.id, spec.label, tuple(entries))


def rank_all(
    criteria: Criteria,
    cards: Mapping[str, ScoreCard],
    envs: Mapping[str, Mapping[str, Any]],
    problems: list[Problem],
) -> tuple[Ranking, ...]:
    """Every declared ranking over the score cards; an exclusion that cannot be evaluated
    is appended to ``problems``."""
    return tuple(_rank_one(criteria, spec, cards, envs, problems) for spec in criteria.rankings)
