"""Which convention did the publisher use: a published table tried against named
variants of the evaluation.

When a published table does not reproduce, the reason is often a convention the
publisher followed and the criteria do not declare. ``find_conventions`` re-runs the
whole evaluation under each convention of ``conventions(criteria)``, alone and in pairs,
verifies the table against each (``ecoscore.audit.verify``), and returns them best first:
the ones under which every published figure reproduces, else the closest, with what
still differs (each difference with the notes of ``audit.divergence``).

The conventions, each a ``Convention`` that changes one aspect (its ``aspect``; two of
one aspect are never paired):

==================  =========================================================  =========
id                  what the publisher did                                     aspect
==================  =========================================================  =========
``float``           added the tree's points up in binary doubles (a            arithmetic
                    spreadsheet, a script), then rounded that double
``half-up`` …       rounded every declared rounding in another mode:           rounding
                    ``half-up``, ``half-even``, ``down`` (truncation), ``ceiling``,
                    ``python-round`` (Python's ``round()`` on the double)
``round-once``      rounded only the total, not each indicator's points and    terms
                    each area's subtotal first
``round-each``      rounded each indicator's points and each subtotal as the   terms
                    total, where the criteria round only the total
``exact-ranking``   ranked on the unrounded totals                             ranking
``exact-grades``    graded on the unrounded totals                             grades
``previous-criteria``  used the previous period's criteria (given as a file)   criteria
==================  =========================================================  =========

A convention that would change nothing (a mode the criteria already use everywhere) is
not tried. The float arithmetic is the one seam into the engine:
``evaluate(..., arithmetic="float")`` (``ecoscore.engine.aggregate``); every other
convention is the criteria changed with ``attrs.evolve``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from itertools import combinations

import attrs

from ecoscore.audit.verify import Difference, Verification, item_label, verify
from ecoscore.engine.evaluation import Record, evaluate
from ecoscore.engine.rollup import Tables
from ecoscore.engine.submission import Period
from ecoscore.errors import EcoscoreError
from ecoscore.io.tables import Table
from ecoscore.model import TOTAL, Criteria, Label
from ecoscore.numbers import Rounding
from ecoscore.report.common import grade_text
from ecoscore.results.assessment import Results

__all__ = [
    "Convention",
    "Explanation",
    "Hypotheses",
    "Hypothesis",
    "conventions",
    "find_conventions",
]

#: The rounding modes a publisher may have used instead of the declared ones: the
#: convention's id, the mode (``ecoscore.numbers.MODES``) and its name.
_MODES = {
    "half-up": ("half-up", Label("四舍五入", "half-up rounding")),
    "half-even": ("half-even", Label("四舍六入五成双", "half-even rounding")),
    "down": ("down", Label("截尾（直接舍去）", "truncation")),
    "ceiling": ("ceiling", Label("进一（向上取整）", "rounding up")),
    "python-round": (
        "float",
        Label("浮点数 round() 修约", "Python's round() on binary doubles"),
    ),
}


@attrs.frozen
class Convention:
    """One way of computing that a publisher may have followed and the criteria do not
    declare: ``change`` turns the criteria into the publisher's, ``arithmetic`` is how the
    tree's sums are added up (``"exact"`` or ``"float"``)."""

    id: str
    label: Label
    aspect: str
    arithmetic: str = "exact"
    change: Callable[[Criteria], Criteria] | None = attrs.field(default=None, eq=False, repr=False)

    def apply(self, criteria: Criteria) -> Criteria:
        """The criteria as this convention computes them."""
        return criteria if self.change is None else self.change(criteria)


@attrs.frozen
class Explanation:
    """A published figure that differs under the declared criteria and reproduces under a
    hypothesis: the figure computed each way, and in words why (for the float convention,
    the double the sum really is: "79.94999999999999")."""

    unit: str
    item: str
    published: str | None
    declared: str | None
    convention: str | None
    note: Label


@attrs.frozen
class Hypothesis:
    """The published table verified under some conventions (one or two).

    ``figures`` is the number of published cells compared, ``differences`` those that
    still differ; ``failure`` says why the evaluation could not run under them (the
    previous criteria need figures the data lack …), and then nothing was compared.
    """

    conventions: tuple[Convention, ...]
    figures: int
    differences: tuple[Difference, ...] = ()
    explanations: tuple[Explanation, ...] = ()
    failure: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every published figure reproduces under these conventions."""
        return not self.failure and not self.differences

    @property
    def reproduced(self) -> int:
        """How many published figures reproduce."""
        return 0 if self.failure else self.figures - len(self.differences)

    @property
    def ids(self) -> tuple[str, ...]:
        """The conventions' ids."""
        return tuple(c.id for c in self.conventions)

    def name(self, lang: str) -> str:
        """The conventions in words, joined: "binary-float sums + half-up rounding"."""
        return " + ".join(c.label.text(lang, c.id) for c in self.conventions)


@attrs.frozen
class Hypotheses:
    """Every hypothesis tried on a published table, best first (the fewest differences,
    then the fewest conventions), with the verification under the declared criteria."""

    declared: Verification
    tried: tuple[Hypothesis, ...] = ()

    @property
    def needed(self) -> bool:
        """Whether the declared criteria leave published figures unexplained."""
        return not self.declared.ok

    def reproducing(self) -> tuple[Hypothesis, ...]:
        """The hypotheses under which the whole table reproduces, leaving out a pair
        that holds a convention reproducing it alone."""
        alone = {h.ids[0] for h in self.tried if h.ok and len(h.ids) == 1}
        return tuple(
            h for h in self.tried if h.ok and (len(h.ids) == 1 or not alone.intersection(h.ids))
        )

    def closest(self) -> Hypothesis | None:
        """When none reproduces everything, the best hypothesis, if it reproduces more
        figures than the declared criteria."""
        if self.reproducing() or not self.tried:
            return None
        best = self.tried[0]
        declared = self.declared.figures - len(self.declared.differences)
        return best if best.reproduced > declared else None


def conventions(
    criteria: Criteria, previous_criteria: Criteria | None = None
) -> tuple[Convention, ...]:
    """The conventions worth trying on these criteria, in the order they are reported."""
    found = [
        Convention(
            "float",
            Label("二进制浮点数求和", "binary-float sums"),
            "arithmetic",
            arithmetic="float",
        )
    ]
    declared = _roundings(criteria)
    for ident, (mode, label) in _MODES.items():
        if any(r.mode != mode for r in declared):
            found.append(Convention(ident, label, "rounding", change=_in_mode(mode)))
    if _term_roundings(criteria) and criteria.total_rounding is not None:
        found.append(
            Convention(
                "round-once",
                Label("只修约总分（各项不先修约）", "rounding the total only, not each term"),
                "terms",
                change=_round_once,
            )
        )
    elif not _term_roundings(criteria) and criteria.total_rounding is not None:
        found.append(
            Convention(
                "round-each",
                Label("各项得分先修约再相加", "rounding each term before the sum"),
                "terms",
                change=_round_each,
            )
        )
    if any(r.basis == "published" and r.by == TOTAL for r in criteria.rankings):
        found.append(
            Convention(
                "exact-ranking",
                Label("按未修约总分排名", "ranking on the unrounded total"),
                "ranking",
                change=_rank_exact,
            )
        )
    if criteria.grades is not None and criteria.grades.basis == "published":
        found.append(
            Convention(
                "exact-grades",
                Label("按未修约总分定等级", "grading on the unrounded total"),
                "grades",
                change=_grade_exact,
            )
        )
    if previous_criteria is not None:
        earlier = previous_criteria
        found.append(
            Convention(
                "previous-criteria",
                Label("上一期的考核细则", "the previous period's criteria"),
                "criteria",
                change=lambda _: earlier,
            )
        )
    return tuple(found)


def find_conventions(
    criteria: Criteria,
    table: Table,
    submissions: Iterable[Record],
    *,
    previous: Sequence[Iterable[Record] | Period] = (),
    period: str | None = None,
    tables: Tables | None = None,
    source: str = "<submissions>",
    previous_criteria: Criteria | None = None,
) -> Hypotheses:
    """Verify ``table`` under the declared criteria and, if it does not reproduce, under
    each convention alone and each pair of conventions of different aspects.

    The inputs are ``evaluate``'s. Raises what ``evaluate`` and ``verify`` raise for the
    declared criteria; a hypothesis under which the evaluation fails is kept, with its
    ``failure``.
    """
    rows = tuple(submissions)
    earlier = tuple(previous)

    def run(under: tuple[Convention, ...]) -> Results:
        changed = criteria
        # The previous criteria replace the declared ones: the other convention applies
        # to them.
        for convention in sorted(under, key=lambda c: c.aspect != "criteria"):
            changed = convention.apply(changed)
        arithmetic = next((c.arithmetic for c in under if c.arithmetic != "exact"), "exact")
        return evaluate(
            changed,
            rows,
            previous=earlier,
            source=source,
            period=period,
            tables=tables,
            arithmetic=arithmetic,
        )

    base = run(())
    declared = verify(base, table)
    if declared.ok:
        return Hypotheses(declared)
    tried: list[Hypothesis] = []
    options = conventions(criteria, previous_criteria)
    sets = [(c,) for c in options] + [
        pair for pair in combinations(options, 2) if pair[0].aspect != pair[1].aspect
    ]
    for under in sets:
        try:
            results = run(under)
            outcome = verify(results, table)
        except EcoscoreError as error:
            reasons = tuple(str(p) for p in error.problems)
            tried.append(Hypothesis(under, declared.figures, failure=reasons))
            continue
        explained = _explanations(base, results, declared, outcome, under)
        tried.append(Hypothesis(under, outcome.figures, outcome.differences, explained))
    order = {h.conventions: k for k, h in enumerate(tried)}
    tried.sort(
        key=lambda h: (bool(h.failure), -h.reproduced, len(h.conventions), order[h.conventions])
    )
    return Hypotheses(declared, tuple(tried))


# -- the conventions' changes to the criteria ----------------------------------------


def _roundings(criteria: Criteria) -> list[Rounding]:
    """Every rounding the criteria declare."""
    found = [criteria.points_rounding, criteria.node_rounding, criteria.total_rounding]
    for ind in criteria.indicators.values():
        found += [ind.points_rounding, ind.value_rounding]
    found += [node.rounding for node in criteria.nodes.values()]
    found += [d.rounding for d in criteria.derived]
    found += [r.rounding for r in criteria.rankings]
    return [r for r in found if r is not None]


def _term_roundings(criteria: Criteria) -> bool:
    """Whether the criteria round any indicator's points or any subtotal."""
    return (
        criteria.points_rounding is not None
        or criteria.node_rounding is not None
        or any(i.points_rounding is not None for i in criteria.indicators.values())
        or any(n.rounding is not None for k, n in criteria.nodes.items() if k != TOTAL)
    )


def _in_mode(mode: str) -> Callable[[Criteria], Criteria]:
    def change(criteria: Criteria) -> Criteria:
        def swap(rounding: Rounding | None) -> Rounding | None:
            return None if rounding is None else Rounding(rounding.places, mode)

        return attrs.evolve(
            criteria,
            points_rounding=swap(criteria.points_rounding),
            node_rounding=swap(criteria.node_rounding),
            total_rounding=swap(criteria.total_rounding),
            indicators={
                k: attrs.evolve(
                    i,
                    points_rounding=swap(i.points_rounding),
                    value_rounding=swap(i.value_rounding),
                )
                for k, i in criteria.indicators.items()
            },
            nodes={
                k: attrs.evolve(n, rounding=swap(n.rounding)) for k, n in criteria.nodes.items()
            },
            derived=tuple(attrs.evolve(d, rounding=swap(d.rounding)) for d in criteria.derived),
            rankings=tuple(attrs.evolve(r, rounding=swap(r.rounding)) for r in criteria.rankings),
        )

    return change


def _round_once(criteria: Criteria) -> Criteria:
    total = criteria.nodes[TOTAL].rounding or criteria.total_rounding
    return attrs.evolve(
        criteria,
        points_rounding=None,
        node_rounding=None,
        total_rounding=total,
        indicators={
            k: attrs.evolve(i, points_rounding=None) for k, i in criteria.indicators.items()
        },
        nodes={
            k: attrs.evolve(n, rounding=total if k == TOTAL else None)
            for k, n in criteria.nodes.items()
        },
    )


def _round_each(criteria: Criteria) -> Criteria:
    total = criteria.total_rounding
    return attrs.evolve(criteria, points_rounding=total, node_rounding=total)


def _rank_exact(criteria: Criteria) -> Criteria:
    return attrs.evolve(
        criteria,
        rankings=tuple(
            attrs.evolve(r, basis="exact") if r.by == TOTAL else r for r in criteria.rankings
        ),
    )


def _grade_exact(criteria: Criteria) -> Criteria:
    assert criteria.grades is not None  # offered only where the criteria grade
    return attrs.evolve(criteria, grades=attrs.evolve(criteria.grades, basis="exact"))


# -- explanations ---------------------------------------------------------------------


def _explanations(
    base: Results,
    results: Results,
    declared: Verification,
    outcome: Verification,
    under: tuple[Convention, ...],
) -> tuple[Explanation, ...]:
    """Each figure that differs under the declared criteria and not under ``under``."""
    still = {(d.unit, d.item) for d in outcome.differences}
    floats = any(c.arithmetic == "float" for c in under)
    names = Label(
        " + ".join(c.label.text("zh", c.id) for c in under),
        " + ".join(c.label.text("en", c.id) for c in under),
    )
    out: list[Explanation] = []
    for difference in declared.differences:
        if (difference.unit, difference.item) in still or difference.unit not in results.cards:
            continue
        shown, raw = _figure(results, difference.unit, difference.item)
        what = item_label(results, difference.item)
        summed = difference.item == "total" or difference.item.startswith("node:")
        if floats and raw is not None and summed:
            exact = _figure(base, difference.unit, difference.item)[1]
            double = _double(raw)
            note = Label(
                f"{what.zh}按二进制浮点数求和为 {double}（精确值 {_text(exact)}），修约为 {shown}",
                f"the {what.en} summed in binary floats is {double} (exactly {_text(exact)}),"
                f" which rounds to {shown}",
            )
        else:
            zh, en = shown, shown
            if difference.item == "grade":
                zh, en = (grade_text(results.criteria, shown, lang) for lang in ("zh", "en"))
            note = Label(
                f"按{names.zh}计算，{what.zh}为 {zh}", f"under {names.en}, the {what.en} is {en}"
            )
        out.append(
            Explanation(
                difference.unit,
                difference.item,
                difference.published,
                difference.computed,
                shown,
                note,
            )
        )
    return tuple(out)


def _double(exact: Decimal) -> str:
    """A double's value to 17 significant digits, the most a double tells apart, with an
    ellipsis where its exact decimal expansion goes on ("89.549999999999997…")."""
    shown = f"{float(exact):.17g}"
    return shown if Decimal(shown) == exact else shown + "…"


def _figure(results: Results, unit: str, item: str) -> tuple[str | None, Decimal | None]:
    """A unit's figure for ``item`` as published, and its exact value (totals and nodes)."""
    card = results[unit]
    kind, _, ident = item.partition(":")
    if item == "total":
        return _text(card.total), card.total_exact
    if kind == "node":
        node = card.nodes[ident]
        return _text(node.value), node.raw
    if kind == "indicator":
        res = card.indicators[ident]
        return _text(res.points), res.raw_points
    if kind == "rank":
        return _text(results.ranking(ident).rank_of(unit)), None
    if item == "grade":
        return card.grade, None
    return None, None


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")
