"""A unit's score card: its indicators and nodes, the total, the grade and how it came.

The card's additive trace (``ScoreCard.steps``) is worked out from the tree plan when it
is read (``ecoscore.results.trace``).
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.model import Label
from ecoscore.numbers import CONTEXT
from ecoscore.results.rollups import RolledUp
from ecoscore.results.scores import IndicatorResult, NodeResult, points_of
from ecoscore.results.trace import TraceStep, trace_steps

__all__ = ["GradeStep", "ScoreCard"]


@attrs.frozen
class GradeStep:
    """One change of a unit's grade and the rule that made it."""

    rule: str  # "band", "precondition[0]", "cap[1]", "veto[0]", "quota"
    before: str | None
    after: str
    why: Label = Label()


@attrs.frozen
class ScoreCard:
    """One unit's full result: every indicator and node, the total, the grade."""

    unit: str
    label: Label
    attributes: Mapping[str, Any]
    indicators: Mapping[str, IndicatorResult]
    nodes: Mapping[str, NodeResult]
    total_exact: Decimal | None
    total: Decimal | None
    grade: str | None = None
    grade_steps: tuple[GradeStep, ...] = ()
    plan: Any = attrs.field(default=None, repr=False, eq=False)
    #: The unit's rolled-up figures, with the sub-units behind each, by roll-up id.
    rollups: Mapping[str, RolledUp] = attrs.field(factory=dict)
    #: The ids of the flags that hold for the unit (``[flag.<id>]``), in the criteria's
    #: order; ``flag_notes`` say why a flag could not be decided.
    flags: tuple[str, ...] = ()
    flag_notes: tuple[tuple[str, Label], ...] = ()

    @property
    def steps(self) -> tuple[TraceStep, ...]:
        """The additive trace: every indicator's contribution (for sums), each non-additive
        node's value, each rescaling and rounding; they add up exactly to ``total``."""
        # Worked out when asked: most cards of a large evaluation are never traced.

        if self.plan is None:
            return ()
        # In the scoring context, as the nodes were added: outside it a sum of long
        # decimals rounds to 28 digits and no longer matches the node (a false "rescale").
        with decimal.localcontext(CONTEXT):
            return trace_steps(self.plan, self.indicators, self.nodes)

    def points(self, name: str) -> Decimal | None:
        """Points of an indicator, or value of a node, by id."""
        if name in self.indicators:
            return points_of(self.indicators, name)[0]
        if name in self.nodes:
            return self.nodes[name].value
        raise KeyError(name)
