"""Summaries over units: a count, a share, a sum, a mean, a minimum or a maximum.

A ``[summary.<id>]`` is a figure over every unit of an evaluation, and optionally one per
group of units sharing an attribute (``group_by = "river"``): "the share of sections in
classes Ⅰ–Ⅲ", "the number of counties below 35 µg/m³", "the mean score of the key
region". It is worked out after scoring, grading and ranking, from each unit's figures:

- ``where`` (optional) chooses the units considered: the denominator of a share;
- ``when`` (``count``, ``share``) says which of them count;
- ``value`` (``sum``, ``mean``, ``min``, ``max``) is the per-unit value aggregated;
- ``formula`` (``aggregate = "formula"``) combines other summaries' figures of the same
  group: ``"good_share - bad_share"``; it may give a number or a text (a grade by two
  shares, as the class-proportion method of 环办〔2011〕22号 does).

These expressions read what grade rules read (``ecoscore.engine.scope``): inputs, derived
values, attributes, indicator ids (their points, or their class when they give a class
and no points), node ids, ``total`` and ``previous(…)``; and ``class_of(indicator)``, the
class an indicator gave even when it gives points too. A unit whose expression reads a
value it lacks is left out of that summary and listed as left out (never counted as 0).

The figure is rounded as declared (``round``) and its class is the band that holds the
rounded figure (``bands``, the syntax and checks of an indicator's bands). Every figure
is computed from the units sorted by id, so it never depends on the input's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ecoscore.engine.scope import scope_value
from ecoscore.errors import Location, Problem
from ecoscore.expr.expression import EvaluationFailure, Expression
from ecoscore.model import Criteria, SummarySpec
from ecoscore.numbers import CONTEXT, EXACT_SUM
from ecoscore.results.assessment import Summary, SummaryFigure
from ecoscore.results.card import ScoreCard

__all__ = ["aggregate_values", "share_of", "summarise", "unit_value"]

_HUNDRED = Decimal(100)


class _LeftOut:
    """A unit that lacks a value one of the summary's expressions reads."""


class _NotConsidered:
    """A unit that ``where`` leaves out of the summary."""


_LEFT_OUT = _LeftOut()
_NOT_CONSIDERED = _NotConsidered()


def unit_value(card: ScoreCard, env: Mapping[str, Any], name: str) -> Any:
    """The value of ``name`` for one unit after scoring, as a summary's expressions read it
    (``None`` when the unit has none)."""
    if name.startswith("class_of("):
        result = card.indicators.get(name[len("class_of(") : -1])
        return None if result is None else result.label
    return scope_value(card, env, name)


def summarise(
    criteria: Criteria,
    cards: Mapping[str, ScoreCard],
    envs: Mapping[str, Mapping[str, Any]],
    problems: list[Problem],
) -> tuple[Summary, ...]:
    """Every declared summary, in the order of the criteria file; a unit's expression that
    cannot be evaluated (a division by zero, a text where a number is due) is a problem."""
    specs = {spec.id: spec for spec in criteria.summaries}
    done: dict[str, Summary] = {}
    units = sorted(cards)

    def visit(spec: SummarySpec) -> None:
        if spec.id in done:
            return
        for name in spec.reads:
            visit(specs[name])  # the loader refuses cycles
        groups = _groups(criteria, spec.group_by, units, envs)
        if spec.aggregate == "formula":
            figures = [
                _formula_figure(criteria, spec, g, members, done, problems) for g, members in groups
            ]
        else:
            per_unit = {u: _per_unit(criteria, spec, cards[u], envs[u], problems) for u in units}
            figures = [_figure(spec, g, members, per_unit) for g, members in groups]
        done[spec.id] = Summary(spec.id, spec.label, tuple(figures))

    for spec in criteria.summaries:
        visit(spec)
    return tuple(done[spec.id] for spec in criteria.summaries)


def _groups(
    criteria: Criteria,
    group_by: str | None,
    units: list[str],
    envs: Mapping[str, Mapping[str, Any]],
) -> list[tuple[str | None, list[str]]]:
    """Every unit (group ``None``), then each group: in the order of the attribute's
    declared values, then the others sorted. A unit with no value for the attribute is
    only in the figure over every unit."""
    out: list[tuple[str | None, list[str]]] = [(None, units)]
    if group_by is None:
        return out
    members: dict[str, list[str]] = {}
    for unit in units:
        raw = envs[unit].get(group_by)
        if raw is not None:
            members.setdefault(str(raw), []).append(unit)
    declared = criteria.attributes[group_by].values if group_by in criteria.attributes else ()
    order = [g for g in declared if g in members] + sorted(g for g in members if g not in declared)
    out.extend((g, members[g]) for g in order)
    return out


def _per_unit(
    criteria: Criteria,
    spec: SummarySpec,
    card: ScoreCard,
    env: Mapping[str, Any],
    problems: list[Problem],
) -> Any:
    """What one unit brings: left out, not considered, counted or not, or a value."""
    if spec.where is not None:
        considered = _evaluate(criteria, spec, "where", spec.where, card, env, problems)
        if considered is _LEFT_OUT or considered is None:
            return _LEFT_OUT if considered is _LEFT_OUT else _NOT_CONSIDERED
        if considered is False:
            return _NOT_CONSIDERED
    if spec.aggregate in ("count", "share"):
        if spec.when is None:
            return True
        counted = _evaluate(criteria, spec, "when", spec.when, card, env, problems)
        return _NOT_CONSIDERED if counted is None else counted
    assert spec.value is not None
    value = _evaluate(criteria, spec, "value", spec.value, card, env, problems)
    return _NOT_CONSIDERED if value is None else value


def _evaluate(
    criteria: Criteria,
    spec: SummarySpec,
    key: str,
    e: Expression,
    card: ScoreCard,
    env: Mapping[str, Any],
    problems: list[Problem],
) -> Any:
    """The expression's value for one unit; ``_LEFT_OUT`` when it reads a missing value;
    ``None`` (and a problem) when it fails or gives the wrong kind of value."""
    scope = {n: unit_value(card, env, n) for n in e.needs}
    if any(v is None for v in scope.values()):
        return _LEFT_OUT
    where = Location(criteria.path, key=f"summary.{spec.id}.{key}")
    try:
        result = e.evaluate(scope)
    except EvaluationFailure as exc:
        problems.append(
            Problem(f"{card.unit}: summary {spec.id}: {e.source}: {exc.message}", where)
        )
        return None
    want = Decimal if key == "value" else bool
    if result.__class__ is not want:
        what = "a number" if want is Decimal else "true or false"
        shown = repr(result) if isinstance(result, str) else str(result).lower()
        problems.append(
            Problem(f"{card.unit}: summary {spec.id}: {e.source} gives {shown}, not {what}", where)
        )
        return None
    return result


def _figure(
    spec: SummarySpec, group: str | None, members: list[str], per_unit: Mapping[str, Any]
) -> SummaryFigure:
    left_out = tuple(u for u in members if per_unit[u] is _LEFT_OUT)
    brought = [
        per_unit[u] for u in members if not isinstance(per_unit[u], (_LeftOut, _NotConsidered))
    ]
    raw: Decimal | None
    if spec.aggregate in ("count", "share"):
        count = sum(1 for b in brought if b is True)
        raw = Decimal(count)
        if spec.aggregate == "share":
            raw = share_of(count, len(brought)) if brought else None
    else:
        count = len(brought)
        raw = aggregate_values(spec.aggregate, brought) if brought else None
    return _published(spec, group, raw, count, len(brought), left_out)


def share_of(counted: int, considered: int) -> Decimal:
    """``counted / considered × 100``, multiplied before dividing (5 × 100 / 6): one
    rounding, in the last of 34 digits. Also the share of a roll-up."""
    return CONTEXT.divide(CONTEXT.multiply(Decimal(counted), _HUNDRED), Decimal(considered))


def aggregate_values(aggregate: str, values: list[Decimal]) -> Decimal:
    """The ``sum``, ``mean``, ``min`` or ``max`` of some values (at least one), exactly:
    a summary's figure over units, a roll-up's over sub-units."""
    if aggregate == "min":
        return min(values)
    if aggregate == "max":
        return max(values)
    total = Decimal(0)
    for v in values:
        total = EXACT_SUM.add(total, v)
    if aggregate == "sum":
        return total
    return CONTEXT.divide(total, Decimal(len(values)))


def _formula_figure(
    criteria: Criteria,
    spec: SummarySpec,
    group: str | None,
    members: list[str],
    done: Mapping[str, Summary],
    problems: list[Problem],
) -> SummaryFigure:
    """A formula over other summaries' figures of the same group: a number, or a text
    (the figure's class)."""
    assert spec.formula is not None
    scope: dict[str, Any] = {}
    left_out: set[str] = set()
    for name in spec.reads:
        figure = done[name].figure(group)
        scope[name] = figure.value if figure.value is not None else figure.label
        left_out.update(figure.left_out)
    considered = len(members)
    if any(v is None for v in scope.values()):
        return SummaryFigure(group, None, None, considered, considered, tuple(sorted(left_out)))
    where = Location(criteria.path, key=f"summary.{spec.id}.formula")
    in_group = "" if group is None else f" ({group})"
    try:
        result = spec.formula.evaluate(scope)
    except EvaluationFailure as exc:
        problems.append(
            Problem(f"summary {spec.id}{in_group}: {spec.formula.source}: {exc.message}", where)
        )
        result = None
    if isinstance(result, str):
        if spec.bands is not None:
            problems.append(
                Problem(
                    f"summary {spec.id}{in_group}: the formula gives the text {result!r};"
                    " bands class a number",
                    where,
                )
            )
        return SummaryFigure(
            group, None, None, considered, considered, tuple(sorted(left_out)), result
        )
    if isinstance(result, bool):
        problems.append(
            Problem(
                f"summary {spec.id}{in_group}: {spec.formula.source} gives"
                f" {str(result).lower()}, not a number or a text",
                where,
            )
        )
        result = None
    return _published(spec, group, result, considered, considered, tuple(sorted(left_out)))


def _published(
    spec: SummarySpec,
    group: str | None,
    raw: Decimal | None,
    count: int,
    considered: int,
    left_out: Iterable[str],
) -> SummaryFigure:
    """The figure rounded as declared, and the class its bands give it."""
    value = raw if raw is None or spec.rounding is None else spec.rounding(raw)
    label = None
    if value is not None and spec.bands is not None:
        label = spec.bands.score(value, {}).label
    return SummaryFigure(group, value, raw, count, considered, tuple(left_out), label)
