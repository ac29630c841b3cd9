"""What every rule kind shares: the outcome of scoring one value, and the rule protocol."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Protocol

import attrs

__all__ = ["Outcome", "Rule", "fmt"]


@attrs.frozen
class Outcome:
    """What a rule made of one value: points, the clause that applied, and the steps.

    ``points`` is ``None`` for a rule that yields only a class (a water class, a trend).
    ``clause`` names the part of the rule that applied, in words; it is kept as a
    ``template`` and its ``args`` and written out only when read, since most traces are
    never printed. ``steps`` are the intermediate values, as ``(what, value)`` pairs, in
    the order they were computed.
    """

    points: Decimal | None
    template: str
    args: tuple[Any, ...] = ()
    steps: tuple[tuple[str, Any], ...] = ()
    label: str | None = None
    template_zh: str | None = None

    @property
    def clause(self) -> str:
        """The clause that applied, in English words and numbers: ``22 ≤ 35: met``."""
        return self.text("en")

    def text(self, lang: str = "zh") -> str:
        """The clause in ``lang`` (``zh`` or ``en``): ``22 ≤ 35:达标``."""
        template = self.template_zh if lang == "zh" and self.template_zh else self.template
        if not self.args:
            return template
        return template.format(*(fmt(a) for a in self.args))


class Rule(Protocol):
    """A rule kind: a frozen value that scores one measured value."""

    kind: str

    def score(self, value: Any, values: Mapping[str, Any]) -> Outcome:
        """Score ``value`` (with the unit's named ``values`` for multi-input rules)."""
        ...


def fmt(value: Any) -> str:
    """A value as people read it in a trace: Decimals in plain notation, never 1E+1."""
    if isinstance(value, Decimal):
        text = f"{value:f}"
        if "." in text and len(text) > 14:
            text = f"{value.quantize(Decimal('1e-10')).normalize():f}"
        return text
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
