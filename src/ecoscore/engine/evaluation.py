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
from ecoscore.engine.aggregate import aggregate_tree
from ecoscore.engine.compiled import score_columns
from ecoscore.engine.rollup import Tables, roll_up
from ecoscore.engine.scoring import BEYOND, IndicatorScorer, Missing
from ecoscore.engine.submission import Submission, Value, read_period
from ecoscore.engine.summary import summarise
from ecoscore.errors import DataError, EvaluationError, Problem
from ecoscore.expr.expression import EvaluationFailure, MissingValue
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
    previous: Sequence[Iterable[Record]] = (),
    source: str = "<submissions>",
    tables: Tables | None = None,
    periods: Sequence[str | None] = (),
) -> Results:
    """Score, grade and rank every unit in ``submissions``.

    ``previous`` holds earlier periods' submissions, the most recent first: ``previous(x)``
    in a rule reads ``previous[0]``, ``previous(x, 2)`` reads ``previous[1]``.
    ``tables`` holds the rows of each sub-unit table the criteria declare (``{"sections":
    rows}``, rows of any period), which the roll-ups aggregate before anything is scored
    (``ecoscore.engine.rollup``); ``periods`` names the current period and each previous
    one, to pick the rows of a table with a period column.
    Raises ``DataError`` for figures that cannot be read and ``EvaluationError`` for
    figures that cannot be scored, each listing every problem. Safe to call from several
    threads at once.
    """
    # Scoring allocates many small, acyclic values; the cycle collector's passes over them
    # cost a third of the time and free nothing, so it pauses while we score (and resumes
    # as it was, whatever happens).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with decimal.localcontext(CONTEXT):
            return _Evaluation(criteria, source).run(submissions, previous, tables, periods)
    finally:
        if collecting:
            gc.enable()


def evaluate_reference(
    criteria: Criteria,
    submissions: Iterable[Record],
    *,
    previous: Sequence[Iterable[Record]] = (),
    source: str = "<submissions>",
    tables: Tables | None = None,
    periods: Sequence[str | None] = (),
) -> Results:
    """``evaluate`` with every cell on the reference path (``IndicatorScorer``), none on
    the compiled one: slower, and the same results, traces and errors. For tests, and for
    an auditor who wants the plainest computation."""
    with decimal.localcontext(CONTEXT):
        return _Evaluation(criteria, source, compiled=False).run(
            submissions, previous, tables, periods
        )


class _Evaluation:
    def __init__(self, criteria: Criteria, source: str, *, compiled: bool = True) -> None:
        self.criteria = criteria
        self.compiled = compiled
        self.source = source
        self.problems: list[Problem] = []
        # (unit, derived id) whose computation failed with a problem already reported.
        self.failed: set[tuple[str, str]] = set()
        self.scorer = IndicatorScorer(criteria, self.problems, self.failed)

    def run(
        self,
        submissions: Iterable[Record],
        previous: Sequence[Iterable[Record]],
        tables: Tables | None = None,
        periods: Sequence[str | None] = (),
    ) -> Results:
        c = self.criteria
        read_problems: list[Problem] = []
        units = read_period(c, submissions, read_problems, source=self.source)
        history = [
            read_period(
                c,
                period,
                read_problems,
                source=f"{self.source} (previous {k + 1})",
                check_units=False,
            )
            for k, period in enumerate(previous)
        ]
        # -- roll-ups (ecoscore.engine.rollup): each unit's figures from its sub-units,
        # in every period, added to its values before anything reads them.
        rolled = (
            roll_up(
                c,
                tables or {},
                periods,
                [{u: v for u, (_, v) in p.items()} for p in (units, *history)],
                read_problems,
                self.problems,
                self.failed,
                source=self.source,
            )
            if c.subunits or tables
            else {}
        )
        # -- end of roll-ups
        if read_problems:
            raise DataError(read_problems)
        order = sorted(units)  # results never depend on the order of the input
        envs = [self._environment(units[u][0], units[u][1], history) for u in order]
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
                nodes, problem = aggregate_tree(plan, added, env)
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
                rollups=rolled.get(u, {}),
            )
        envs_of = dict(zip(order, envs, strict=True))
        if self.problems:
            raise EvaluationError(self.problems)
        rankings = ranking.rank_all(c, cards, envs_of, self.problems)
        cards = grading.grade_all(c, cards, envs_of, rankings, self.problems)
        if self.problems:
            raise EvaluationError(self.problems)
        summaries = summarise(c, cards, envs_of, self.problems)
        if self.problems:
            raise EvaluationError(self.problems)
        return Results(c, cards, rankings, summaries)

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
        history: Sequence[Mapping[str, tuple[Submission, dict[str, Value]]]],
    ) -> dict[str, Any]:
        """The unit's values by name: inputs, attributes, derived, previous(...).

        Periods are worked out from the oldest, so that each period's derived values can
        read its own previous periods (a change on last year, one year back).
        """
        periods: list[Mapping[str, Value] | None] = [
            period[sub.unit][1] if sub.unit in period else None for period in history
        ]
        envs: list[dict[str, Any] | None] = [None] * len(periods)
        for k in range(len(periods) - 1, -1, -1):
            values_k = periods[k]
            if values_k is None:
                continue
            past = dict(values_k)
            _add_previous(past, envs[k + 1 :])
            self._derive(sub, past, strict=False)
            envs[k] = past
        env: dict[str, Any] = dict(values)
        _add_previous(env, envs)
        # Derived last: a derived value may read previous(...) ("PM2.5 change on last year").
        self._derive(sub, env, strict=True)
        return env

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


def _add_previous(env: dict[str, Any], earlier: Sequence[Mapping[str, Any] | None]) -> None:
    """Add ``previous(name)`` and ``previous(name, k)`` keys for the earlier periods."""
    for k, past in enumerate(earlier, start=1):
        if past is None:
            continue
        for name, value in past.items():
            if not name.startswith("previous("):
                env[f"previous({name})" if k == 1 else f"previous({name}, {k})"] = value
