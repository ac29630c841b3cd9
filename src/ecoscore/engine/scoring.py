"""One indicator for one unit: its measured value, the declared policies, its points.

``IndicatorScorer`` is the engine's part that turns a unit's values into an
``IndicatorResult``. The common case — a value, a rule, points, the declared rounding —
is kept short; the rest applies what the criteria declare:

- a missing value: ``missing = "error"`` (the default: a located problem), ``"zero"``,
  ``"exclude"`` (left out of the parent), ``"previous"`` (last period's value, flagged)
  or a number of points;
- a division by zero: ``on_zero_division = "error"``, ``"zero"``, ``"full"``,
  ``"exclude"``, ``"missing"`` (then ``missing`` decides) or a number of points;
- a value of the wrong kind (a text where a number belongs): a located problem, never a
  guess.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ecoscore.engine.submission import Submission
from ecoscore.errors import Location, Problem
from ecoscore.expr.expression import EvaluationFailure, Expression, MissingValue
from ecoscore.model import Criteria, Indicator, Label
from ecoscore.numbers import RoundingError
from ecoscore.results.scores import IndicatorResult
from ecoscore.rules.cohort import CohortError

__all__ = ["BEYOND", "IndicatorScorer", "Missing"]

#: Why a unit's figures cannot be computed exactly at all.
BEYOND = "a figure too large, too small or too long (beyond 34 significant digits)"

_MISSING_HINT = (
    'declare missing = "zero", "exclude", "previous" or a number of points on the indicator'
    " to allow it"
)


class Missing(Exception):
    """A value an indicator needs is missing (the names say which)."""

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(", ".join(names))
        self.names = tuple(names)


class IndicatorScorer:
    """Measures and scores indicators for the units of one evaluation.

    ``problems`` collects what cannot be scored; ``failed`` holds the ``(unit, derived
    id)`` pairs whose derived value failed with a problem of its own, so that what reads
    them is not reported a second time.
    """

    def __init__(
        self, criteria: Criteria, problems: list[Problem], failed: set[tuple[str, str]]
    ) -> None:
        self.criteria = criteria
        self.problems = problems
        self.failed = failed
        self.derived = {d.id: d for d in criteria.derived}
        # Per indicator, worked out once: the rounding of its points, the names it reads.
        self.rounding = {
            i.id: i.points_rounding or criteria.points_rounding
            for i in criteria.indicators.values()
        }
        self.reads = {
            i.id: self._traced(i.reads or (i.value.needs if i.value else ()))
            for i in criteria.indicators.values()
        }

    # -- measuring -----------------------------------------------------------------
    def measure(self, ind: Indicator, env: Mapping[str, Any]) -> Any:
        """The indicator's measured value, or a ``Missing`` / ``EvaluationFailure``."""
        if ind.value is None:
            missing = [n for n in ind.reads if env.get(n) is None]
            return Missing(missing) if missing else None
        return self.value_of(ind, ind.value, env)

    def value_of(self, ind: Indicator, e: Expression, env: Mapping[str, Any]) -> Any:
        """``e`` on ``env``, with the indicator's value rounding."""
        if e.plain is not None:
            # Most indicators score one input: a dict lookup, no interpreter.
            value = env.get(e.plain)
            if value is None:
                return Missing((e.plain,))
        else:
            try:
                value = e.evaluate(env)
            except MissingValue:
                # Missing only when the evaluation reached a missing name (`a if c else b`
                # needs no b when c holds); then every missing name it reads is named.
                return Missing([n for n in e.needs if env.get(n) is None])
            except EvaluationFailure as exc:
                return exc
        if ind.value_rounding is not None and isinstance(value, Decimal):
            try:
                return ind.value_rounding(value)
            except RoundingError as exc:
                return EvaluationFailure(str(exc))
        return value

    # -- scoring -------------------------------------------------------------------
    def score(
        self, ind: Indicator, rule: Any, value: Any, env: Mapping[str, Any], sub: Submission
    ) -> IndicatorResult:
        """The indicator's result for one unit, applying the declared policies."""
        cls = value.__class__
        if cls is Decimal or cls is bool or cls is str or (value is None and ind.value is None):
            # The common case, kept short: a value to score.
            return self._scored(ind, rule, value, env, sub, "scored", None)
        if isinstance(value, EvaluationFailure) and value.zero_division:
            if ind.on_zero_division == "missing":
                # Declared: a division by zero leaves the value missing; `missing` decides.
                value = Missing((f"{ind.id} (division by zero)",))
            elif ind.on_zero_division != "error":
                return self._zero_division(ind, env, sub)
        if isinstance(value, EvaluationFailure):
            source = ind.value.source if ind.value is not None else ind.id
            hint = None
            if value.zero_division:
                hint = (
                    'declare on_zero_division = "zero", "full", "exclude", "missing" or a '
                    "number of points on the indicator"
                )
            return self._error(ind, sub, f"{source}: {value.message}", sub.origin, hint)
        if isinstance(value, Missing):
            return self._missing(ind, rule, value, env, sub)
        return self._error(ind, sub, "not a value", sub.origin)

    def _missing(
        self, ind: Indicator, rule: Any, value: Missing, env: Mapping[str, Any], sub: Submission
    ) -> IndicatorResult:
        policy = ind.missing
        roots = self._roots(sub.unit, value.names, env)
        if roots is None:
            # A derived value it reads failed, and that failure is reported already.
            return IndicatorResult(ind.id, None, None, None, None, None, "error")
        what, what_zh = ", ".join(roots), "、".join(roots)
        if policy == "previous":
            names = ind.value.needs if ind.value is not None else ind.reads
            past = {n: env.get(f"previous({n})") for n in names}
            carried = (
                self.value_of(ind, ind.value, past)
                if ind.value is not None
                # A count or a class reads its inputs itself: all of last period's, or none.
                else (
                    Missing([n for n, v in past.items() if v is None])
                    if None in past.values()
                    else None
                )
            )
            if not isinstance(carried, (Missing, EvaluationFailure)):
                note = Label(f"缺{what_zh}，沿用上期数值", f"no {what}: previous period's value")
                # The trace shows the previous period's figures that were used.
                return self._scored(
                    ind, rule, carried, {**env, **past}, sub, "carried-forward", note
                )
            what = f"{what} (and no previous value)"
        if policy == "zero":
            return self._fixed(
                ind,
                Decimal(0),
                "missing-zero",
                Label(f"缺{what_zh}，计0分", f"no {what}: 0 points"),
                env,
                sub,
            )
        if policy == "exclude":
            return self._excluded(
                ind, Label(f"缺{what_zh}，不参与计分", f"no {what}: left out"), env
            )
        if isinstance(policy, Decimal):
            note = Label(f"缺{what_zh}，计{policy}分", f"no {what}: {policy} points")
            return self._fixed(ind, policy, "missing-points", note, env, sub)
        return self._error(ind, sub, f"no value for {what}", sub.where(roots[0]), _MISSING_HINT)

    def _zero_division(
        self, ind: Indicator, env: Mapping[str, Any], sub: Submission
    ) -> IndicatorResult:
        policy = ind.on_zero_division
        if policy == "exclude":
            return self._excluded(
                ind, Label("分母为0，不参与计分", "division by zero: left out"), env
            )
        if policy == "full" and ind.points is not None:
            points, zh, en = ind.points, "计满分", "full points"
        elif isinstance(policy, Decimal):
            points, zh, en = policy, f"计{policy}分", f"{policy} points"
        else:
            points, zh, en = Decimal(0), "计0分", "0 points"
        note = Label(f"分母为0，{zh}", f"division by zero: {en}")
        return self._fixed(ind, points, "zero-division", note, env, sub)

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
            return self._error(ind, sub, wrong, sub.origin)
        rounding = self.rounding[ind.id]
        try:
            outcome = rule.score(value, env)
            raw = outcome.points
            # Rounded inside the guard: quantizing past 34 digits fails for this unit only.
            points = raw if raw is None or rounding is None else rounding(raw)
        except (CohortError, EvaluationFailure) as exc:
            return self._error(ind, sub, str(exc), sub.origin)
        except (decimal.DecimalException, RoundingError):
            return self._error(ind, sub, f"{BEYOND} to score", sub.origin)
        if points is None:
            # A class only (a water class): no points, nothing to round.
            return self._result(ind, value, outcome, None, None, status, None, note, env)
        if ind.zero_if is not None:
            gate = ind.zero_if
            missing = [n for n in gate.needs if env.get(n) is None]
            if missing:
                # Like a grade rule, a gate that reads a figure the unit left out does not
                # bite; the note says so.
                note = note or Label(
                    f"缺{'、'.join(missing)}，不得分条件未判断",
                    f"no {', '.join(missing)}: zero_if not applied",
                )
            else:
                try:
                    holds = gate.evaluate(env)
                except EvaluationFailure as exc:
                    return self._error(
                        ind, sub, f"zero_if = {gate.source}: {exc.message}", sub.origin
                    )
                if not isinstance(holds, bool):
                    return self._error(
                        ind,
                        sub,
                        f"zero_if = {gate.source} gives {holds!r}, not true or false",
                        sub.origin,
                    )
                if holds:
                    zero = Decimal(0) if rounding is None else rounding(Decimal(0))
                    note = Label(f"{gate.source}：该项不得分", f"{gate.source}: no points")
                    return self._result(
                        ind, value, outcome, raw, zero, "zeroed", rounding, note, env
                    )
        return self._result(ind, value, outcome, raw, points, status, rounding, note, env)

    def _result(
        self,
        ind: Indicator,
        value: Any,
        outcome: Any,
        raw: Decimal | None,
        points: Decimal | None,
        status: str,
        rounding: Any,
        note: Label | None,
        env: Mapping[str, Any],
    ) -> IndicatorResult:
        """The result with its contribution to the parent: negative for a deduction."""
        contribution = points if points is None or ind.effect != "deduction" else -points
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
        self,
        ind: Indicator,
        raw: Decimal,
        status: str,
        note: Label,
        env: Mapping[str, Any],
        sub: Submission,
    ) -> IndicatorResult:
        # Points set by a policy are published like any others: same rounding, same places.
        rounding = self.rounding[ind.id]
        try:
            points = raw if rounding is None else rounding(raw)
        except RoundingError as exc:
            return self._error(ind, sub, str(exc), sub.origin)
        return self._result(ind, None, None, raw, points, status, rounding, note, env)

    def _excluded(self, ind: Indicator, note: Label, env: Mapping[str, Any]) -> IndicatorResult:
        return self._result(ind, None, None, None, None, "excluded", None, note, env)

    def _error(
        self,
        ind: Indicator,
        sub: Submission,
        message: str,
        where: Location,
        hint: str | None = None,
    ) -> IndicatorResult:
        self.problems.append(Problem(f"{sub.unit}: indicator {ind.id}: {message}", where, hint))
        return IndicatorResult(ind.id, None, None, None, None, None, "error")

    # -- names -----------------------------------------------------------------------
    def _roots(
        self, unit: str, names: Sequence[str], env: Mapping[str, Any]
    ) -> tuple[str, ...] | None:
        """The missing names behind ``names``: a derived value with no value stands for
        what it reads that is missing ("no value for previous(pm25)", not "for change").
        ``None`` when a derived value failed with a problem of its own."""
        out: list[str] = []
        for name in names:
            if (unit, name) in self.failed:
                return None
            derived = self.derived.get(name)
            below = [n for n in derived.expression.needs if env.get(n) is None] if derived else []
            found = self._roots(unit, below, env) if below else (name,)
            if found is None:
                return None
            out.extend(n for n in found if n not in out)
        return tuple(out)

    def _traced(self, names: Sequence[str]) -> tuple[str, ...]:
        """The names an indicator reads, each derived value preceded by what it reads in
        turn, so a trace shows the 24 behind "PM2.5 improved 8.3% on last year"."""
        out: list[str] = []

        def add(name: str) -> None:
            if name in out:
                return
            if name in self.derived:
                for dep in self.derived[name].expression.needs:
                    add(dep)
            out.append(name)

        for name in names:
            add(name)
        return tuple(out)


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
