"""One unit's result for each indicator and each node of the tree.

Frozen values computed once by the engine (``ecoscore.engine``); renderers read them and
never recompute a number.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.model import Label
from ecoscore.numbers import Rounding
from ecoscore.rules.base import Outcome

__all__ = ["IndicatorResult", "NodeResult"]


@attrs.frozen
class IndicatorResult:
    """One indicator for one unit: its value, the clause that applied, its points.

    ``status`` is ``scored``, ``excluded`` (left out of its parent), ``missing-zero``,
    ``missing-points`` (declared points for a missing value), ``carried-forward`` (the
    previous period's value), ``zero-division`` (a declared policy applied), or
    ``zeroed`` (its ``zero_if`` held: the rule's points are kept in ``raw_points``, the
    item scores 0).
    ``raw_points`` are before the declared rounding; ``points`` after it. ``contribution``
    is what enters the parent's sum: negative for a deduction.
    """

    id: str
    value: Any
    outcome: Outcome | None
    raw_points: Decimal | None
    points: Decimal | None
    contribution: Decimal | None
    status: str = "scored"
    rounding: Rounding | None = None
    reads: tuple[str, ...] = ()
    note: Label | None = None
    values: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def note_text(self, lang: str = "zh") -> str | None:
        """The note (why a policy applied) in ``lang``, or ``None``."""
        return None if self.note is None else self.note.text(lang)

    @property
    def inputs(self) -> tuple[tuple[str, Any], ...]:
        """The named values the indicator read, as ``(name, value)`` pairs."""
        return tuple((name, self.values.get(name)) for name in self.reads)

    @property
    def label(self) -> str | None:
        """The class label the rule gave, if any (a water class, a trend class)."""
        return None if self.outcome is None else self.outcome.label


@attrs.frozen
class NodeResult:
    """An aggregated node for one unit: its value before and after rounding."""

    id: str
    aggregate: str
    raw: Decimal | None
    value: Decimal | None
    rounding: Rounding | None = None
    excluded: tuple[str, ...] = ()
    argmax: tuple[str, ...] = ()
    note: Label | None = None
    capped_from: Decimal | None = None  # the value before the node's at_most applied

    def note_text(self, lang: str = "zh") -> str | None:
        """The note (a rescaling, a cap, every child left out) in ``lang``, or ``None``."""
        return None if self.note is None else self.note.text(lang)
