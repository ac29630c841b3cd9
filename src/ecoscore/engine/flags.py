"""Flags: named marks attached to units after grading and ranking, changing no score.

A ``[flag.<id>]`` holds for a unit when its ``when`` does, read after the period is
graded and ranked: what grade rules read (figures, indicators' points, nodes, the
total), and also the unit's ``grade``, its rank in each ranking (by the ranking's id),
``units`` (how many units were assessed), the flags decided before it, and, through
``previous(…)``, what an earlier assessed period published. A flag whose condition reads
a value the unit lacks is not attached, and the card's ``flag_notes`` say why.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.engine.scope import scope_value
from ecoscore.errors import Location, Problem
from ecoscore.expr.expression import EvaluationFailure, MissingValue
from ecoscore.model import Criteria, Label
from ecoscore.results.assessment import Ranking
from ecoscore.results.card import ScoreCard

__all__ = ["flag_all", "published_names"]


def published_names(
    card: ScoreCard,
    rankings: tuple[Ranking, ...],
    ranks: Mapping[str, Mapping[str, Any]],
    units: int,
) -> dict[str, Any]:
    """What a period published of a unit, by the names rules read: ``total``, ``grade``,
    ``units``, each node's value, each indicator's points, each ranking's rank, each
    flag (true or false)."""
    out: dict[str, Any] = {ident: node.value for ident, node in card.nodes.items()}
    for ident in card.indicators:
        out[ident] = card.points(ident)
    out["total"] = card.total
    out["grade"] = card.grade
    out["units"] = Decimal(units)
    for ranking in rankings:
        out[ranking.id] = ranks[ranking.id].get(card.unit)
    return out


def flag_all(
    criteria: Criteria,
    cards: Mapping[str, ScoreCard],
    envs: Mapping[str, Mapping[str, Any]],
    rankings: tuple[Ranking, ...],
    problems: list[Problem],
) -> dict[str, ScoreCard]:
    """Every card with the flags that hold for it, in the criteria's order."""
    if not criteria.flags:
        return dict(cards)
    ranks = {r.id: {e.unit: e.rank for e in r.entries} for r in rankings}
    out: dict[str, ScoreCard] = {}
    for unit, card in cards.items():
        scope: dict[str, Any] = dict(envs[unit])
        scope.setdefault("grade", card.grade)
        scope.setdefault("units", Decimal(len(cards)))
        for ranking in rankings:
            scope.setdefault(ranking.id, ranks[ranking.id].get(unit))
        held: list[str] = []
        notes: list[tuple[str, Label]] = []
        for flag in criteria.flags:
            values = {
                n: scope[n] if n in scope else scope_value(card, scope, n) for n in flag.when.needs
            }
            try:
                holds = flag.when.evaluate(values)
            except MissingValue:
                # Missing only where the evaluation reached a missing value, as for rules.
                missing = [n for n, v in values.items() if v is None]
                what = ", ".join(missing)
                notes.append(
                    (flag.id, Label(f"缺{'、'.join(missing)}，未判断", f"no {what}: not decided"))
                )
                scope[flag.id] = None
                continue
            except EvaluationFailure as exc:
                problems.append(
                    Problem(
                        f"{unit}: flag {flag.id}: {flag.when.source}: {exc.message}",
                        _where(criteria, flag.id),
                    )
                )
                continue
            if not isinstance(holds, bool):
                problems.append(
                    Problem(
                        f"{unit}: flag {flag.id}: {flag.when.source} gives "
                        f"{repr(holds) if isinstance(holds, str) else holds}, "
                        "not true or false",
                        _where(criteria, flag.id),
                    )
                )
                continue
            scope[flag.id] = holds
            if holds:
                held.append(flag.id)
        out[unit] = attrs.evolve(card, flags=tuple(held), flag_notes=tuple(notes))
    return out


def _where(criteria: Criteria, ident: str) -> Location:
    """The flag's ``when`` in the criteria file, where a failure of it is reported."""
    key = f"flag.{ident}.when"
    line, column = criteria.positions.get(key, (None, None))
    return Location(criteria.path, line, column, key=key)
