"""The criteria as frozen values: inputs, derived values, the indicator tree, grades, rankings.

These are built by the loader (``ecoscore.language.loader``), which validates what comes from
outside; the values themselves trust their arguments. Mappings inside them are read-only
by convention and keep the order of the criteria file.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.expr.expression import Expression
from ecoscore.numbers import Rounding
from ecoscore.rules.bands import Bands

__all__ = [
    "ArgMax",
    "Attribute",
    "Criteria",
    "Derived",
    "FlagSpec",
    "GradeBand",
    "GradeRule",
    "Grades",
    "Indicator",
    "Input",
    "Label",
    "Node",
    "Periods",
    "Quota",
    "RankingSpec",
    "Rollup",
    "SubunitTable",
    "SummarySpec",
    "TieBreak",
    "Unit",
]

#: The id of the tree's root; expressions read the unit's total under this name.
TOTAL = "total"


@attrs.frozen
class Label:
    """A name in Chinese and English; either may be missing."""

    zh: str | None = None
    en: str | None = None

    def text(self, lang: str = "zh", fallback: str = "") -> str:
        """The label in ``lang``, else in the other language, else ``fallback``."""
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first or second or fallback


@attrs.frozen
class Input:
    """A figure each unit submits: a number, a text or a yes/no, with its allowed range.

    ``minimum``/``maximum`` are numbers, or the id of another input that bounds this one
    (``rectified`` at most ``found``).
    """

    id: str
    label: Label = Label()
    unit: str | None = None
    type: str = "number"
    minimum: Decimal | str | None = None
    maximum: Decimal | str | None = None
    integer: bool = False
    values: tuple[str, ...] = ()


@attrs.frozen
class Attribute:
    """A property of a unit (district or county, key region or not) used by rules."""

    id: str
    label: Label = Label()
    type: str = "text"
    values: tuple[str, ...] = ()


@attrs.frozen
class Unit:
    """A unit the criteria list by name, with its attribute values."""

    id: str
    label: Label = Label()
    attributes: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Derived:
    """A value computed from inputs before scoring (a rate from two counts, say)."""

    id: str
    expression: Expression
    label: Label = Label()
    rounding: Rounding | None = None
    on_zero_division: str | Decimal = "error"


@attrs.frozen
class Indicator:
    """A leaf of the tree: a measured value and the rule that turns it into points.

    ``value`` is the expression of the measured value (``None`` for rules that read their
    inputs themselves, like counts and classes). ``effect`` says how the points enter a
    sum: as a score, a bonus added on top, or a deduction taken off.
    """

    id: str
    parent: str
    rule: Any
    label: Label = Label()
    points: Decimal | None = None
    weight: Decimal | None = None
    effect: str = "score"
    value: Expression | None = None
    value_rounding: Rounding | None = None
    points_rounding: Rounding | None = None
    missing: str | Decimal = "error"
    on_zero_division: str | Decimal = "error"
    reads: tuple[str, ...] = ()
    cohort: bool = False
    zero_if: Expression | None = None


@attrs.frozen
class ArgMax:
    """For a ``max`` node: report which children gave the maximum (the primary pollutant)."""

    label: Label
    above: Decimal | None = None


@attrs.frozen
class Node:
    """An inner node of the tree (an area, an item) that aggregates its children."""

    id: str
    parent: str | None
    aggregate: str = "sum"
    label: Label = Label()
    points: Decimal | None = None
    weight: Decimal | None = None
    formula: Expression | None = None
    rounding: Rounding | None = None
    argmax: ArgMax | None = None
    rescale_excluded: bool = False
    children: tuple[str, ...] = ()
    at_most: Decimal | None = None


@attrs.frozen
class GradeBand:
    """A grade and its inclusive lower bound (``None`` for the lowest grade)."""

    grade: str
    label: Label = Label()
    at_least: Decimal | None = None


@attrs.frozen
class GradeRule:
    """A rule that changes a grade: a veto (一票否决) forces it, a cap limits it, a
    precondition (评优前置指标) must hold for the grade or better."""

    kind: str
    grade: str
    when: Expression
    why: Label = Label()
    if_missing: str = "skip"
    key: str = ""


@attrs.frozen
class Quota:
    """At most ``limit`` units (a count, or a share of all units when ``share``) may have
    ``grade``, chosen by rank; the others drop to the next grade."""

    grade: str
    limit: Decimal
    share: bool
    ties: str | None = None
    rounding: str = "floor"


@attrs.frozen
class Grades:
    """Grade bands, best first, the rules that change grades, and quotas."""

    bands: tuple[GradeBand, ...]
    rules: tuple[GradeRule, ...] = ()
    quotas: tuple[Quota, ...] = ()
    basis: str = "published"
    ranking: str | None = None

    def order(self, grade: str) -> int:
        """Position of ``grade``, 0 being the best."""
        for i, band in enumerate(self.bands):
            if band.grade == grade:
                return i
        raise KeyError(grade)


@attrs.frozen
class TieBreak:
    """Order equal units by another value."""

    by: str
    descending: bool


@attrs.frozen
class RankingSpec:
    """How to rank: on what, which way, how ties are numbered, among whom."""

    id: str
    by: str = TOTAL
    descending: bool = True
    style: str = "competition"
    basis: str = "published"
    rounding: Rounding | None = None
    tie_break: tuple[TieBreak, ...] = ()
    group_by: str | None = None
    groups: Mapping[str, str] | None = None
    exclude: Expression | None = None
    label: Label = Label()


#: The aggregates a summary may declare.
SUMMARY_AGGREGATES = ("count", "share", "sum", "mean", "min", "max", "formula")


@attrs.frozen
class SummarySpec:
    """A ``[summary.<id>]`` as loaded: what it aggregates, over which units, by group.

    ``reads`` lists the summaries a formula reads (it is computed after them).
    """

    id: str
    aggregate: str
    label: Label = Label()
    when: Expression | None = None
    value: Expression | None = None
    where: Expression | None = None
    formula: Expression | None = None
    group_by: str | None = None
    rounding: Rounding | None = None
    bands: Bands | None = None
    reads: tuple[str, ...] = ()


#: The aggregates a roll-up may declare.
ROLLUP_AGGREGATES = ("count", "share", "sum", "mean", "min", "max", "worst", "best")


@attrs.frozen
class SubunitTable:
    """A ``[subunits.<id>]`` table: the sub-units of each unit (a county's water sections,
    its air stations), one row each, with their own inputs.

    ``key`` names the column holding a sub-unit's id (``key_label``: the names a
    spreadsheet may give that column), ``unit`` the column naming the unit it belongs to,
    ``period`` (optional) the column naming the period of the row; ``file`` (optional)
    the file the command reads the rows from when it is given none.
    An input of type ``"class"`` is an ordered category: its ``values`` are listed best
    first (Ⅰ before 劣Ⅴ), so "worst" and "better" mean something.
    """

    id: str
    key: str
    unit: str = "unit"
    period: str | None = None
    label: Label = Label()
    inputs: Mapping[str, Input] = attrs.field(factory=dict)
    key_label: Label = Label()
    #: Where the command finds the rows when it is given none (relative to the criteria).
    file: str | None = None


@attrs.frozen
class Rollup:
    """A ``[rollup.<id>]``: a unit's figure aggregated from its sub-units' rows.

    ``aggregate`` is one of ``ROLLUP_AGGREGATES``; ``when`` chooses the sub-units a count
    or share counts, ``value`` is the per-sub-unit figure of the others, ``where`` the
    sub-units considered at all. ``if_missing`` says what a sub-unit lacking a value its
    expressions read does (``"leave-out"``, ``"not-met"`` or ``"error"``); ``if_empty``
    what the figure is when no sub-unit is considered (``"missing"``, ``"error"`` or a
    number). ``classes`` is the declared order, best first, for ``worst`` and ``best``.
    """

    id: str
    table: str
    aggregate: str
    label: Label = Label()
    when: Expression | None = None
    value: Expression | None = None
    where: Expression | None = None
    rounding: Rounding | None = None
    if_missing: str = "leave-out"
    if_empty: str | Decimal = "missing"
    classes: tuple[str, ...] = ()
    unit: str | None = None


@attrs.frozen
class Periods:
    """The periods of an assessment (``[periods]``), earliest first.

    ``assessed`` periods are scored with these criteria, earliest first, so that a rule of
    one period can read the results of the earlier ones; ``baseline`` periods only
    provide figures (a base year). ``order`` is every period, earliest first.
    """

    assessed: tuple[str, ...]
    baseline: tuple[str, ...] = ()
    order: tuple[str, ...] = ()


@attrs.frozen
class FlagSpec:
    """A ``[flag.<id>]``: a named, bilingual mark attached to a unit when ``when`` holds.

    A flag changes no score; it is published with the results (约谈, 三年连续优秀).
    ``reads`` lists the other flags its condition reads (it is decided after them).
    """

    id: str
    label: Label
    when: Expression
    reads: tuple[str, ...] = ()


#: The names of an earlier period's results that ``previous(…)`` may read, besides the
#: ids of indicators, nodes, rankings and flags.
RESULT_NAMES = ("total", "grade", "units")


@attrs.frozen
class Criteria:
    """A whole criteria file, loaded and checked."""

    id: str
    title: Label
    version: int = 1
    source: str | None = None
    path: str | None = None
    inputs: Mapping[str, Input] = attrs.field(factory=dict)
    attributes: Mapping[str, Attribute] = attrs.field(factory=dict)
    units: Mapping[str, Unit] = attrs.field(factory=dict)
    derived: tuple[Derived, ...] = ()
    indicators: Mapping[str, Indicator] = attrs.field(factory=dict)
    nodes: Mapping[str, Node] = attrs.field(factory=dict)
    grades: Grades | None = None
    rankings: tuple[RankingSpec, ...] = ()
    summaries: tuple[SummarySpec, ...] = ()
    subunits: Mapping[str, SubunitTable] = attrs.field(factory=dict)
    rollups: Mapping[str, Rollup] = attrs.field(factory=dict)
    points_rounding: Rounding | None = None
    node_rounding: Rounding | None = None
    total_rounding: Rounding | None = None
    sha256: str | None = None
    #: Where each key of the criteria text stands (key path → line, column), for
    #: messages about the criteria after loading (lint warnings).
    positions: Mapping[str, tuple[int, int]] = attrs.field(factory=dict, repr=False, eq=False)
    periods: Periods | None = None
    flags: tuple[FlagSpec, ...] = ()
    #: Whether any rule reads an earlier period's results (``previous(grade)`` …): then
    #: the earlier periods are assessed too, earliest first.
    reads_results: bool = False
    #: The ``at(x, "P")`` and ``periods_since("P")`` lookups rules make: (x or "", P).
    period_reads: frozenset[tuple[str, str]] = frozenset()

    @property
    def total(self) -> Node:
        """The root of the tree."""
        return self.nodes[TOTAL]

    def label_of(self, name: str, lang: str = "zh") -> str:
        """The label of any named thing in the criteria, or the name itself."""
        tables: tuple[Mapping[str, Any], ...] = (
            self.indicators,
            self.nodes,
            self.inputs,
            self.attributes,
            self.rollups,
        )
        for table in tables:
            if name in table:
                label: Label = table[name].label
                return label.text(lang, name)
        for derived in self.derived:
            if derived.id == name:
                return derived.label.text(lang, name)
        return name
