"""Evaluate criteria over submissions: scores with traces, then grades and rankings.

``evaluate(criteria, submissions, previous=...)`` is a pure function: no I/O, exact
``Decimal`` arithmetic in ``ecoscore.numbers.CONTEXT``, and the same result whatever
the order of the units. The steps, for every unit:

1. read the submitted values (``ecoscore.submission``) and the previous periods';
2. compute derived values in dependency order, with their declared rounding;
3. compute each indicator's measured value (pass 1, all units), bind cohort rules to
   every unit's value, then score (pass 2), applying missing-value and
   division-by-zero policies and the declared rounding of points;
4. aggregate the tree bottom-up, round nodes and the total as declared;
5. rank (``ecoscore.ranking``) and grade (``ecoscore.grading``);
6. work out the summaries over all units and their groups (``ecoscore.summary``).

Every problem found in the data is collected and raised together as one
``EvaluationError`` (or ``DataError`` for values that cannot be read).
"""

from __future__ import annotations

import decimal
import gc
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ecoscore import grading, ranking
from ecoscore.aggregate import aggregate_tree, plan_tree
from ecoscore.errors import DataError, EvaluationError, Location, Problem
from ecoscore.expr import EvaluationFailure, Expression
from ecoscore.model import Criteria, Indicator, Label
from ecoscore.numbers import CONTEXT, RoundingError
from ecoscore.results import IndicatorResult, Results, ScoreCard
from ecoscore.rules.cohort import CohortError
from ecoscore.submission import Submission, Value, read_period
from ecoscore.summary import summarise

__all__ = ["evaluate"]

Record = Mapping[str, Any] | Submission


class _Missing(Exception):
    """A value an indicator needs is missing."""

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(", ".join(names))
        self.names = tuple(names)


def evaluate(
    criteria: Criteria,
    submissions: Iterable[Record],
    *,
    previous: Sequence[Iterable[Record]] = (),
    source: str = "<submissions>",
) -> Results:
    """Score, grade and rank every unit in ``submissions``.

    ``previous`` holds earlier periods' submissions, the most recent first: ``previous(x)``
    in a rule reads ``previous[0]``, ``previous(x, 2)`` reads ``previous[1]``.
    Raises ``DataError`` for figures that cannot be read and ``EvaluationError`` for
    figures that cannot be scored, each listing every problem.
    """
    # Scoring allocates many small, acyclic values; the cycle collector's passes over them
    # cost a third of the time and free nothing, so it pauses while we score (and resumes
    # as it was, whatever happens).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with decimal.localcontext(CONTEXT):
            return _Evaluation(criteria, source).run(submissions, previous)
    finally:
        if collecting:
            gc.enable()


class _Evaluation:
    def __init__(self, criteria: Criteria, source: str) -> None:
        self.criteria = criteria
        self.source = source
        self.problems: list[Problem] = []
        # Per indicator, worked out once: the rounding of its points, the names it reads.
        self.rounding = {
            i.id: i.points_rounding or criteria.points_rounding
            for i in criteria.indicators.values()
        }
        self.reads = {
            i.id: _traced_names(criteria, i.reads or (i.value.needs if i.value else ()))
            for i in criteria.indicators.values()
        }

    def run(self, submissions: Iterable[Record], previous: Sequence[Iterable[Record]]) -> Results:
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
        if read_problems:
            raise DataError(read_problems)
        order = sorted(units)  # results never depend on the order of the input
        envs = {u: self._environment(u, units[u][1], history) for u in order}
        # Pass 1: each indicator's measured value, for every unit.
        measured: dict[str, dict[str, Any]] = {u: {} for u in order}
        for ind in c.indicators.values():
            for u in order:
                measured[u][ind.id] = self._measure(ind, envs[u], units[u][0])
        # Cohort rules see every unit's value before anyone is scored.
        bound: dict[str, Any] = {}
        for ind in c.indicators.values():
            if ind.cohort:
                cohort = [v for u in order if isinstance(v := measured[u][ind.id], Decimal)]
                bound[ind.id] = ind.rule.prepare(cohort)
            else:
                bound[ind.id] = ind.rule
        cards: dict[str, ScoreCard] = {}
        plan = plan_tree(c)
        for u in order:
            sub, env = units[u][0], envs[u]
            results = {
                ind.id: self._score(ind, bound[ind.id], measured[u][ind.id], env, sub)
                for ind in c.indicators.values()
            }
            try:
                nodes, problem = aggregate_tree(plan, results, env)
            except (decimal.DecimalException, RoundingError):
                # Points that 999 digits cannot add exactly (a figure like 1e-999999999),
                # or a node too large for its declared rounding.
                self.problems.append(Problem(f"{u}: {_BEYOND} to add up exactly", sub.origin))
                continue
            if problem:
                self.problems.append(Problem(f"{u}: {problem}", sub.origin))
            total = nodes["total"]
            cards[u] = ScoreCard(
                unit=u,
                label=sub.label if sub.label != Label() else _unit_label(c, u),
                attributes={a: env.get(a) for a in c.attributes},
                indicators=results,
                nodes=nodes,
                total_exact=total.raw,
                total=total.value,
                plan=plan,
            )
        if self.problems:
            raise EvaluationError(self.problems)
        rankings = ranking.rank_all(c, cards, envs)
        cards = grading.grade_all(c, cards, envs, rankings, self.problems)
        if self.problems:
            raise EvaluationError(self.problems)
        summaries = summarise(c, cards, envs, self.problems)
        if self.problems:
            raise EvaluationError(self.problems)
        return Results(c, cards, rankings, summaries)

    # -- values --------------------------------------------------------------------
    def _environment(
        self,
        unit: str,
        values: Mapping[str, Value],
        history: Sequence[Mapping[str, tuple[Submission, dict[str, Value]]]],
    ) -> dict[str, Any]:
        """The unit's values by name: inputs, attributes, derived, previous(...).

        Periods are worked out from the oldest, so that each period's derived values can
        read its own previous periods (a change on last year, one year back).
        """
        periods: list[Mapping[str, Value] | None] = [
            period[unit][1] if unit in period else None for period in history
        ]
        envs: list[dict[str, Any] | None] = [None] * len(periods)
        for k in range(len(periods) - 1, -1, -1):
            values_k = periods[k]
            if values_k is None:
                continue
            past = dict(values_k)
            _add_previous(past, envs[k + 1 :])
            self._derive(unit, past, strict=False)
            envs[k] = past
        env: dict[str, Any] = dict(values)
        _add_previous(env, envs)
        # Derived last: a derived value may read previous(...) ("PM2.5 change on last year").
        self._derive(unit, env, strict=True)
        return env

    def _derive(self, unit: str, env: dict[str, Any], *, strict: bool) -> None:
        for d in self.criteria.derived:
            env[d.id] = None
            if any(env.get(n) is None for n in d.expression.needs):
                continue
            try:
                value = d.expression.evaluate(env)
            except EvaluationFailure as exc:
                if exc.zero_division and d.on_zero_division == "missing":
                    continue
                if exc.zero_division and isinstance(d.on_zero_division, Decimal):
                    env[d.id] = d.on_zero_division
                    continue
                if strict:
                    self.problems.append(
                        Problem(
                            f"{unit}: derived {d.id} = {d.expression.source}: {exc.message}",
                            Location(self.source),
                            # A derived value takes fewer policies than an indicator.
                            'declare on_zero_division = "missing" or a number on the derived value'
                            if exc.zero_division
                            else None,
                        )
                    )
                continue
            if d.rounding is not None and isinstance(value, Decimal):
                value = d.rounding(value)
            env[d.id] = value

    def _measure(self, ind: Indicator, env: Mapping[str, Any], sub: Submission) -> Any:
        """The indicator's measured value, or a marker of why there is none."""
        if ind.value is None:
            missing = [n for n in ind.reads if env.get(n) is None]
            return _Missing(missing) if missing else None
        return self._value_of(ind, ind.value, env)

    def _value_of(self, ind: Indicator, e: Expression, env: Mapping[str, Any]) -> Any:
        if e.plain is not None:
            # Most indicators score one input: a dict lookup, no interpreter.
            value = env.get(e.plain)
            if value is None:
                return _Missing((e.plain,))
            if ind.value_rounding is not None and isinstance(value, Decimal):
                value = ind.value_rounding(value)
            return value
        missing = [n for n in e.needs if env.get(n) is None]
        if missing:
            return _Missing(missing)
        try:
            value = e.evaluate(env)
        except EvaluationFailure as exc:
            return exc
        if ind.value_rounding is not None and isinstance(value, Decimal):
            value = ind.value_rounding(value)
        return value

    # -- points --------------------------------------------------------------------
    def _score(
        self, ind: Indicator, rule: Any, value: Any, env: Mapping[str, Any], sub: Submission
    ) -> IndicatorResult:
        cls = value.__class__
        if cls is Decimal or cls is bool or cls is str or (value is None and ind.value is None):
            # The common case, kept short: a value to score.
            return self._scored(ind, rule, value, env, sub, "scored", None)
        status: str = "scored"
        note: Label | None = None
        if (
            isinstance(value, EvaluationFailure)
            and value.zero_division
            and ind.on_zero_division == "missing"
        ):
            # Declared: a division by zero leaves the value missing, and `missing` decides.
            value = _Missing((f"{ind.id} (division by zero)",))
        if isinstance(value, _Missing):
            policy = ind.missing
            what = ", ".join(value.names)
            what_zh = "、".join(value.names)
            if policy == "previous" and ind.value is not None:
                past = {n: env.get(f"previous({n})") for n in ind.value.needs}
                carried = self._value_of(ind, ind.value, past)
                if not isinstance(carried, (_Missing, EvaluationFailure)):
                    value, status = carried, "carried-forward"
                    note = Label(f"缺{what_zh},沿用上期数值", f"no {what}: previous period's value")
                    # The trace shows the previous period's figures that were used.
                    env = {**env, **past}
                    policy = "done"
            if policy == "zero":
                return self._fixed(
                    ind,
                    Decimal(0),
                    "missing-zero",
                    Label(f"缺{what_zh},计0分", f"no {what}: 0 points"),
                    env,
                )
            if policy == "exclude":
                return IndicatorResult(
                    ind.id,
                    None,
                    None,
                    None,
                    None,
                    None,
                    "excluded",
                    None,
                    self.reads[ind.id],
                    Label(f"缺{what_zh},不参与计分", f"no {what}: left out"),
                    env,
                )
            if isinstance(policy, Decimal):
                return self._fixed(
                    ind,
                    policy,
                    "missing-points",
                    Label(f"缺{what_zh},计{policy}分", f"no {what}: {policy} points"),
                    env,
                )
            if policy != "done":
                self.problems.append(
                    Problem(
                        f"{sub.unit}: indicator {ind.id}: no value for {what}",
                        sub.where(value.names[0]),
                        'declare missing = "zero", "exclude", "previous" or a number of points'
                        " on the indicator to allow it",
                    )
                )
                return IndicatorResult(ind.id, None, None, None, None, None, "error")
        if isinstance(value, EvaluationFailure):
            policy = ind.on_zero_division if value.zero_division else "error"
            if policy == "zero":
                return self._fixed(
                    ind,
                    Decimal(0),
                    "zero-division",
                    Label("分母为0,计0分", "division by zero: 0 points"),
                    env,
                )
            if policy == "full" and ind.points is not None:
                return self._fixed(
                    ind,
                    ind.points,
                    "zero-division",
                    Label("分母为0,计满分", "division by zero: full points"),
                    env,
                )
            if policy == "exclude":
                return IndicatorResult(
                    ind.id,
                    None,
                    None,
                    None,
                    None,
                    None,
                    "excluded",
                    None,
                    self.reads[ind.id],
                    Label("分母为0,不参与计分", "division by zero: left out"),
                    env,
                )
            if isinstance(policy, Decimal):
                return self._fixed(
                    ind,
                    policy,
                    "zero-division",
                    Label(f"分母为0,计{policy}分", f"division by zero: {policy} points"),
                    env,
                )
            source = ind.value.source if ind.value is not None else ind.id
            self.problems.append(
                Problem(
                    f"{sub.unit}: indicator {ind.id}: {source}: {value.message}",
                    sub.origin,
                    _zero_hint(value),
                )
            )
            return IndicatorResult(ind.id, None, None, None, None, None, "error")
        if ind.value is not None and not isinstance(value, (Decimal, bool, str)):
            self.problems.append(
                Problem(f"{sub.unit}: indicator {ind.id}: not a value", sub.origin)
            )
            return IndicatorResult(ind.id, None, None, None, None, None, "error")
        return self._scored(ind, rule, value, env, sub, status, note)

    def _scored(
        self,
        ind: Indicator,
        rule: Any,
        value: Any,
        env: Mapping[str, Any],
        sub: Submission,
        status: str,
        note: Label | None,
    ) -> IndicatorResult:
        wrong = _wrong_type(ind, rule, value, env)
        if wrong is not None:
            # A text or a yes/no where the rule compares numbers: refused, never guessed.
            self.problems.append(Problem(f"{sub.unit}: indicator {ind.id}: {wrong}", sub.origin))
            return IndicatorResult(ind.id, value, None, None, None, None, "error")
        rounding = self.rounding[ind.id]
        try:
            outcome = rule.score(value, env)
            raw = outcome.points
            # Rounded inside the guard: quantizing past 34 digits fails for this unit only.
            points = raw if raw is None or rounding is None else rounding(raw)
        except (CohortError, EvaluationFailure) as exc:
            self.problems.append(Problem(f"{sub.unit}: indicator {ind.id}: {exc}", sub.origin))
            return IndicatorResult(ind.id, value, None, None, None, None, "error")
        except (decimal.DecimalException, RoundingError):
            self.problems.append(
                Problem(f"{sub.unit}: indicator {ind.id}: {_BEYOND} to score", sub.origin)
            )
            return IndicatorResult(ind.id, value, None, None, None, None, "error")
        if raw is None:
            return IndicatorResult(
                ind.id,
                value,
                outcome,
                None,
                None,
                None,
                status,
                None,
                self.reads[ind.id],
                note,
                env,
            )
        contribution = -points if ind.effect == "deduction" else points
        return IndicatorResult(
            ind.id,
            value,
            outcome,
            raw,
            points,
            contribution,
            status,
            rounding,
            self.reads[ind.id],
            note,
            env,
        )

    def _fixed(
        self, ind: Indicator, raw: Decimal, status: str, note: Label, env: Mapping[str, Any]
    ) -> IndicatorResult:
        # Points set by a policy are published like any others: same rounding, same places.
        rounding = self.rounding[ind.id]
        points = raw if rounding is None else rounding(raw)
        contribution = -points if ind.effect == "deduction" else points
        return IndicatorResult(
            ind.id,
            None,
            None,
            raw,
            points,
            contribution,
            status,
            rounding,
            self.reads[ind.id],
            note,
            env,
        )


#: Why a unit's figures cannot be computed exactly at all.
_BEYOND = "a figure too large, too small or too long (beyond 34 significant digits)"


def _wrong_type(ind: Indicator, rule: Any, value: Any, env: Mapping[str, Any]) -> str | None:
    """Why ``value`` (or, for counts and classes, a value read) does not fit the rule."""
    if ind.value is None:
        bad = [n for n in ind.reads if env.get(n).__class__ is not Decimal]
        return f"{bad[0]} is {env.get(bad[0])!r}, not a number" if bad else None
    want = bool if rule.kind == "condition" else Decimal
    if value.__class__ is want:
        return None
    shown = repr(value) if isinstance(value, str) else str(value).lower()
    return f"{ind.value.source} is {shown}, not {'true or false' if want is bool else 'a number'}"


def _unit_label(criteria: Criteria, unit: str) -> Label:
    """The unit's label from the criteria's ``[units]``, if they list it."""
    listed = criteria.units.get(unit)
    return listed.label if listed is not None else Label()


def _traced_names(criteria: Criteria, names: Sequence[str]) -> tuple[str, ...]:
    """The names an indicator reads, each derived value preceded by what it reads in turn,
    so a trace shows the 24 behind "PM2.5 improved 8.3% on last year"."""
    derived = {d.id: d for d in criteria.derived}
    out: list[str] = []

    def add(name: str) -> None:
        if name in out:
            return
        if name in derived:
            for dep in derived[name].expression.needs:
                add(dep)
        out.append(name)

    for name in names:
        add(name)
    return tuple(out)


def _add_previous(env: dict[str, Any], earlier: Sequence[Mapping[str, Any] | None]) -> None:
    """Add ``previous(name)`` and ``previous(name, k)`` keys for the earlier periods."""
    for k, past in enumerate(earlier, start=1):
        if past is None:
            continue
        for name, value in past.items():
            if not name.startswith("previous("):
                env[f"previous({name})" if k == 1 else f"previous({name}, {k})"] = value


def _zero_hint(exc: EvaluationFailure) -> str | None:
    if exc.zero_division:
        return 'declare on_zero_division = "zero", "full", "exclude", "missing" or a number'
    return None
