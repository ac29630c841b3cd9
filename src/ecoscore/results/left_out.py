"""The units left out of a run that went on past them (``ecoscore score --keep-going``).

A unit whose row cannot be read or scored is, in a strict run, an error that stops the
whole file. With ``--keep-going`` it is left out instead, and listed with every located
reason it was left out for, so that the units that can be scored are scored and the
others are named, never dropped without a word. The rankings then rank only the units
scored, and every output says how many were left out.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ecoscore.errors import Problem

__all__ = ["LeftOut", "merge_left_out"]


@attrs.frozen
class LeftOut:
    """A unit (as its row names it) left out of the results, and why, each reason located."""

    unit: str
    problems: tuple[Problem, ...]

    def reasons(self) -> tuple[str, ...]:
        """Each reason as it prints: ``data.csv:7:4: 章贡区: pm25 …``."""
        return tuple(str(problem) for problem in self.problems)


def merge_left_out(*groups: Iterable[LeftOut]) -> tuple[LeftOut, ...]:
    """The units of several groups, one entry each (reasons in order), sorted by unit."""
    merged: dict[str, list[Problem]] = {}
    for group in groups:
        for entry in group:
            reasons = merged.setdefault(entry.unit, [])
            reasons.extend(p for p in entry.problems if p not in reasons)
    return tuple(LeftOut(unit, tuple(merged[unit])) for unit in sorted(merged))
