"""Evaluate criteria over submissions: scores with traces, then grades and rankings.

``evaluate(criteria, submissions, previous=...)`` is a pure function: no I/O, exact
``Decimal`` arithmetic in ``ecoscore.numbers.CONTEXT``, and the same result whatever
the order of the units. The steps, for every unit:

1. read the submitted values (``ecoscore.engine.submission``) and the previous periods';
2. compute derived values in dependency order, with their declared rounding;
3. compute each indicator's measured value (pass 1, all units), bind cohort rules to
   every unit's value, then score (pass 2), applying missing-value and
   division-by-zero policies and the declared rounding of points;
4. aggregate the tree bottom-up, round nodes and the total as declared;
5. rank (``ecoscore.engine.ranking``) and grade (``ecoscore.engine.grading``);
6. work out the summaries over all units and their groups (``ecoscore.engine.summary``).

Every problem found in the data is collected and raised together as one
``EvaluationError`` (or ``DataError`` for values that cannot be read).
"""

from __future__ import annotations

import decimal
import gc
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ecoscore.engine import grading, ranking
from ecoscore.engine.aggregate import ARITHMETICS, aggregate_tree
from ecoscore.engine.compiled import score_columns
from ecoscore.engine.flags import flag_all, published_names
from ecoscore.engine.rollup import RolledUpPeriods, Tables, roll_up
from ecoscore.engine.scoring import BEYOND, IndicatorScorer, Missing
from ecoscore.engine.submission import Period, Submission, Value, read_period
from ecoscore.engine.summary import summarise
from ecoscore.errors import DataError, EvaluationError, Location, Problem
from ecoscore.expr.expression import EvaluationFailure, MissingValue
from ecoscore.expr.periods import at_key, since_key
from ecoscore.model import Criteria, Indicator, Label
from ecoscore.numbers import CONTEXT, RoundingError
from ecoscore.results.assessment import Results
from ecoscore.results.card import ScoreCard
from ecoscore.results.scores import UnitIndicators
from ecoscore.results.trace import plan_tree

__all__ = ["evaluate", "evaluate_reference"]

Record = Mapping[str, Any] | Submission


def evaluate(
    criteria: Criteria,
    submissions: Iterable[Record],
    *,
    previous: Sequence[Iterable[Record] | Period] = (),
    source: str = "<submissions>",
    period: str | None = None,
    tables: Tables | None = None,
    arithmetic: str = "exact",
) -> Results:
    """Score, grade and rank every unit in ``submissions``.

    ``previous`` holds earlier periods' submissions, the most recent first: ``previous(x)``
    in a rule reads ``previous[0]``, ``previous(x, 2)`` reads ``previous[1]``. Each may be a
    ``Period`` (its name and submissions); ``period`` names the current one. When a rule
    reads an earlier period's results (``previous(grade)`` …), or ``[periods]`` declares
    them assessed, the earlier periods are assessed too, earliest first, with the same
    criteria; ``Results.history`` holds their results.
    ``tables`` holds the rows of each sub-unit table the criteria declare (``{"sections":
    rows}``, rows of any period), which the roll-ups aggregate into each unit's figures
    before anything is scored (``ecoscore.engine.rollup``).
    Raises ``DataError`` for figures that cannot be read and ``EvaluationError`` for
    figures that cannot be scored, each listing every problem. Safe to call from several
    threads at once.
    ``arithmetic="float"`` adds up the tree's sums in binary doubles rather than exactly
    (``ecoscore.engine.aggregate``): never for scoring, only to reproduce a table that
    someone computed that way (``ecoscore.audit.hypotheses``).
    """
    if arithmetic not in ARITHMETICS:
        raise ValueError(f"arithmetic is one of {', '.join(ARITHMETICS)}, not {arithmetic!r}")
    # Scoring allocates many small, acyclic values; the cycle collector's passes over them
    # cost a third of the time and free nothing, so it pauses while we score (and resumes
    # as it was, whatever happens).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with decimal.localcontext(CONTEXT):
            return _Evaluation(criteria, source, arithmetic=arithmetic).run(
                submissions, previous, period, tables
            )
    finally:
        if collecting:
            gc.enable()


def evaluate_reference(
    criteria: Criteria,
    submissions: Iterable[Record],
    *,
    previous: Sequence[Iterable[Record] | Period] = (),
    source: str = "<submissions>",
    period: str | None = None,
    tables: Tables | None = None,
) -> Results:
    """``evaluate`` with every cell on the reference path (``IndicatorScorer``), none on
    the compiled one: slower, and the same results, traces and errors. For tests, and for
    an auditor who wants the plainest computation."""
    with decimal.localcontext(CONTEXT):
        return _Evaluation(criteria, source, compiled=False).run(
            submissions, previous, period, tables
        )


class _Evaluation:
    def __init__(
        self, criteria: Criteria, source: str, *, compiled: bool = True, arithmetic: str = "exact"
    ) -> None:
        self.criteria = criteria
        self.compiled = compiled
        self.arithmetic = arithmetic
        self.source = source
        self.problems: list[Problem] = []
        # (unit, derived id) whose computation failed with a problem already reported.
        self.failed: set[tuple[str, str]] = set()
        self.scorer = IndicatorScorer(criteria, self.problems, self.failed)

    def run(
        self,
        submissions: Iterable[Record],
        previous: Sequence[Iterable[Record] | Period],
        period: str | None,
        tables: Tables | None = None,
    ) -> Results:
        c = self.criteria
        read_problems: list[Problem] = []
        units = read_period(c, submissions, read_problems, source=self.source)
        history = [
            read_period(
                c,
                p.submissions if isinstance(p, Period) else p,
                read_problems,
                source=f"{self.source} (previous {k + 1})",
                check_units=False,
            )
            for k, p in enumerate(previous)
        ]
        given = [period, *(p.name if isinstance(p, Period) else None for p in previous)]
        names = _period_names(c, given, read_problems, self.source)
        self.names = names
        # -- roll-ups (ecoscore.engine.rollup): each unit's figures from its sub-units,
        # in every period, added to its values before anything reads them.
        self.rolled = RolledUpPeriods()
        if c.subunits or tables:
            self.rolled = roll_up(
                c,
                tables or {},
                names,
                [{u: v for u, (_, v) in p.items()} for p in (units, *history)],
                read_problems,
                self.problems,
                strict=[self._assessed(k) for k in range(len(history) + 1)],
                source=self.source,
            )
        # -- end of roll-ups
        if read_problems:
            raise DataError(read_problems)
        # Earlier periods, the earliest first: each unit's figures and derived values in
        # every one, and the whole assessment of those that are assessed, whose results
        # (total, grade, ranks, flags …) later periods read as previous(…).
        past: list[dict[str, dict[str, Any]]] = [{} for _ in history]
        earlier: list[Results | None] = [None] * len(history)
        for k in range(len(history) - 1, -1, -1):
            if self._assessed(k + 1):
                held = [r for r in earlier[k + 1 :] if r is not None]
                results, envs = self._assess(history[k], past[k + 1 :], k + 1, tuple(held))
                ranks = {r.id: {e.unit: e.rank for e in r.entries} for r in results.rankings}
                past[k] = {
                    u: {
                        **published_names(results[u], results.rankings, ranks, len(results)),
                        **{f: f in results[u].flags for f in (g.id for g in c.flags)},
                        **envs[u],
                    }
                    for u in results.cards
                }
                earlier[k] = results
            else:
                past[k] = {
                    u: self._environment(sub, values, past[k + 1 :], k + 1, strict=False)
                    for u, (sub, values) in history[k].items()
                }
        held = [r for r in earlier if r is not None]
        return self._assess(units, past, 0, tuple(held))[0]

    def _assessed(self, position: int) -> bool:
        """Whether the period ``position`` places back is assessed (0: the current)."""
        if position == 0:
            return True
        periods = self.criteria.periods
        if periods is not None:
            return self.names[position] in periods.assessed
        return self.criteria.reads_results

    def _assess(
        self,
        units: Mapping[str, tuple[Submission, dict[str, Value]]],
        past: Sequence[Mapping[str, Mapping[str, Any]]],
        position: int,
        history: tuple[Results, ...],
    ) -> tuple[Results, dict[str, dict[str, Any]]]:
        """One period's assessment, with the earlier periods' values in ``past`` (the most
        recent first) and the results of the earlier assessed ones in ``history``."""
        c = self.criteria
        # The current period also answers for the roll-ups' problems, found before any
        # period is assessed (an earlier assessed period that had others has raised).
        problems_before = len(self.problems) if position else 0
        self.failed.clear()  # a derived value that failed in an earlier period is no excuse
        self.failed |= self.rolled.failed_in(position)  # roll-ups, reported already
        order = sorted(units)  # results never depend on the order of the input
        envs = [
            self._environment(units[u][0], units[u][1], past, position, strict=True) for u in order
        ]
        # Pass 1: each indicator's measured value, for every unit.
        scorer = self.scorer
        measured = {ind.id: self._measure(ind, envs) for ind in c.indicators.values()}
        # Cohort rules see every unit's value before anyone is scored.
        bound: dict[str, Any] = {}
        for ind in c.indicators.values():
            if ind.cohort:
                cohort = [v for v in measured[ind.id] if isinstance(v, Decimal)]
                bound[ind.id] = ind.rule.prepare(cohort)
            else:
                bound[ind.id] = ind.rule
        # Pass 2: points, indicator by indicator on the fast path (``compiled``), then
        # unit by unit what it left to the reference path, the tree and the total.
        table, left = score_columns(c, scorer, envs, measured, bound, fast=self.compiled)
        cards: dict[str, ScoreCard] = {}
        plan = plan_tree(c)
        columns = list(table.contributions().items())
        for row, u in enumerate(order):
            sub, env = units[u][0], envs[row]
            added = {ident: column[row] for ident, column in columns}
            for ind in left[row]:
                value = measured[ind.id][row]
                if value is None and ind.value is not None:
                    value = Missing((ind.value.plain or ind.id,))  # a missing input: see _measure
                result = scorer.score(ind, bound[ind.id], value, env, sub)
                table.set_full(ind.id, row, result)
                if result.gives_points:
                    added[ind.id] = result.contribution
                else:
                    del added[ind.id]
            results = UnitIndicators(table, row)
            try:
                nodes, problem = aggregate_tree(plan, added, env, arithmetic=self.arithmetic)
            except (decimal.DecimalException, RoundingError):
                # Points that 999 digits cannot add exactly (a figure like 1e-999999999),
                # or a node too large for its declared rounding.
                self.problems.append(Problem(f"{u}: {BEYOND} to add up exactly", sub.origin))
                continue
            if problem:
                self.problems.append(Problem(f"{u}: {problem}", sub.origin))
            total = nodes["total"]
            listed = c.units.get(u)
            cards[u] = ScoreCard(
                unit=u,
                label=sub.label if sub.label != Label() or listed is None else listed.label,
                attributes={a: env.get(a) for a in c.attributes},
                indicators=results,
                nodes=nodes,
                total_exact=total.raw,
                total=total.value,
                plan=plan,
                rollups=self.rolled.of(position).get(u, {}),
            )
        envs_of = dict(zip(order, envs, strict=True))
        if len(self.problems) > problems_before:
            raise EvaluationError(self.problems)
        rankings = ranking.rank_all(c, cards, envs_of, self.problems)
        cards = grading.grade_all(c, cards, envs_of, rankings, self.problems)
        cards = flag_all(c, cards, envs_of, rankings, self.problems)
        if len(self.problems) > problems_before:
            raise EvaluationError(self.problems)
        summaries = summarise(c, cards, envs_of, self.problems)
        if len(self.problems) > problems_before:
            raise EvaluationError(self.problems)
        name = self.names[position]
        return Results(c, cards, rankings, summaries, period=name, history=history), envs_of

    def _measure(self, ind: Indicator, envs: Sequence[Mapping[str, Any]]) -> list[Any]:
        """The indicator's measured value for every unit: a ``Missing`` where it has none,
        or ``None`` for an input that is missing (the reference path makes it a
        ``Missing`` for the few cells it takes)."""
        e = ind.value
        if e is not None and e.plain is not None and ind.value_rounding is None:
            # Most indicators score one input as it was submitted: a column of lookups.
            name = e.plain
            return [env.get(name) for env in envs]  # None where missing: see run()
        return [self.scorer.measure(ind, env) for env in envs]

    # -- values --------------------------------------------------------------------
    def _environment(
        self,
        sub: Submission,
        values: Mapping[str, Value],
        past: Sequence[Mapping[str, Mapping[str, Any]]],
        position: int,
        *,
        strict: bool,
    ) -> dict[str, Any]:
        """The unit's values by name in the period ``position`` places back: inputs,
        attributes, derived values, previous(…) from ``past`` (the earlier periods' values,
        the most recent first), at(…) and periods_since(…)."""
        env: dict[str, Any] = dict(values)
        unit = sub.unit
        _add_previous(env, [period.get(unit) for period in past])
        if self.criteria.period_reads:
            self._named_periods(env, unit, past, position)
        # Derived last: a derived value may read previous(...) ("PM2.5 change on last year").
        self._derive(sub, env, strict=strict)
        if self.criteria.period_reads:
            here = self.names[position]
            for name, period in self.criteria.period_reads:
                if name and period == here:
                    env[at_key(name, period)] = env.get(name)  # a derived value too
        return env

    def _named_periods(
        self,
        env: dict[str, Any],
        unit: str,
        past: Sequence[Mapping[str, Mapping[str, Any]]],
        position: int,
    ) -> None:
        """``at(x, "P")`` and ``periods_since("P")``: values of a period by its name."""
        periods = self.criteria.periods
        assert periods is not None  # the loader requires [periods] for these forms
        here = self.names[position]
        for name, period in self.criteria.period_reads:
            back = self.names.index(period) - position if period in self.names else -1
            if not name:
                env[since_key(period)] = Decimal(_since(periods.order, here, period))
            elif back > 0:
                earlier = past[back - 1].get(unit)
                env[at_key(name, period)] = None if earlier is None else earlier.get(name)
            else:
                # The period itself is read where it is needed (``at(x, "2024")`` in
                # 2024 is x); a later or absent period is missing.
                env[at_key(name, period)] = env.get(name) if back == 0 else None

    def _derive(self, sub: Submission, env: dict[str, Any], *, strict: bool) -> None:
        """Derived values in dependency order; ``strict``: report failures (the current
        period; an earlier period's failure only leaves its value missing)."""
        for d in self.criteria.derived:
            env[d.id] = None
            try:
                value = d.expression.evaluate(env)
                if d.rounding is not None and isinstance(value, Decimal):
                    value = d.rounding(value)
            except MissingValue:
                continue  # missing too; what reads it applies its own policy
            except EvaluationFailure as exc:
                if exc.zero_division and d.on_zero_division == "missing":
                    continue
                if exc.zero_division and isinstance(d.on_zero_division, Decimal):
                    env[d.id] = d.on_zero_division
                    continue
                # A derived value takes fewer policies than an indicator.
                hint = (
                    'declare on_zero_division = "missing" or a number on the derived value'
                    if exc.zero_division
                    else None
                )
                self._derived_failed(
                    sub, d.id, f"{d.expression.source}: {exc.message}", hint, strict=strict
                )
                continue
            except RoundingError as exc:
                self._derived_failed(sub, d.id, str(exc), None, strict=strict)
                continue
            env[d.id] = value

    def _derived_failed(
        self, sub: Submission, ident: str, message: str, hint: str | None, *, strict: bool
    ) -> None:
        if strict:
            self.problems.append(
                Problem(f"{sub.unit}: derived {ident} = {message}", sub.origin, hint)
            )
            self.failed.add((sub.unit, ident))


def _since(order: Sequence[str], here: str | None, base: str) -> int:
    """How many periods ``here`` is after ``base``: the difference of the years when both
    are years (2024 is 3 after 2021, whatever is declared between), else of their places
    in the declared order."""
    if here is not None and here.isdigit() and base.isdigit():
        return int(here) - int(base)
    return order.index(here) - order.index(base)


def _period_names(
    criteria: Criteria, given: list[str | None], problems: list[Problem], source: str
) -> list[str | None]:
    """The name of each period of an evaluation, the current first.

    With ``[periods]``, periods given no name take the declared ones, the current being
    the last; names given must be declared, each earlier than the one before it.
    """
    periods = criteria.periods
    if periods is None:
        return given
    order = periods.order
    if all(name is None for name in given):
        if len(given) > len(order):
            problems.append(
                Problem(
                    f"{len(given)} periods of data, but [periods] declares {len(order)}",
                    Location(source),
                )
            )
            return given
        return [order[len(order) - 1 - k] for k in range(len(given))]
    names = list(given)
    first = next(k for k, name in enumerate(names) if name is not None)
    if names[first] in order:
        # Unnamed periods before the first named one are the periods after it.
        at = order.index(names[first])
        for k in range(first):
            if at + first - k < len(order):
                names[k] = order[at + first - k]
    for k in range(len(names)):
        if names[k] is None and k and names[k - 1] in order and order.index(names[k - 1]) > 0:
            # An unnamed file after a named period is the period before it.
            names[k] = order[order.index(names[k - 1]) - 1]
        name = names[k]
        if name is None or name not in order:
            what = "a period with no name" if name is None else f"period {name!r}"
            problems.append(
                Problem(
                    f"{what} is not one of the declared periods ({', '.join(order)})",
                    Location(source),
                    "name each period of the data as [periods] does",
                )
            )
            return names
        if k and order.index(name) >= order.index(names[k - 1]):
            problems.append(
                Problem(
                    f"period {name!r} comes after {names[k - 1]!r}: earlier periods are given "
                    "the most recent first",
                    Location(source),
                )
            )
    if names and names[0] not in periods.assessed:
        problems.append(
            Problem(f"the current period {names[0]!r} is not assessed", Location(source))
        )
    return names


def _add_previous(env: dict[str, Any], earlier: Sequence[Mapping[str, Any] | None]) -> None:
    """Add ``previous(name)`` and ``previous(name, k)`` keys for the earlier periods."""
    for k, past in enumerate(earlier, start=1):
        if past is None:
            continue
        for name, value in past.items():
            if not name.startswith("previous("):
                env[f"previous({name})" if k == 1 else f"previous({name}, {k})"] = value
