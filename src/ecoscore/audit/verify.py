"""Verifying a published table: recompute, compare, and name where each figure diverges.

An auditor has the criteria, the data and a published table of totals, grades and ranks.
``verify(results, table)`` compares each published figure with the recomputed one and
returns every ``Difference``, each with notes that say where it comes from:

- a published column of an indicator's or a node's points (matched like data columns, by
  id or label) is compared first, in the order of the tree, so the first indicator that
  differs is named before the total that follows from it;
- a total that differs is tried against the exact total rounded every other way (mode and
  places): "published 85.5 = exact 85.45 rounded half-up; the criteria round half-even →
  85.4"; then against the indicators' points added up before their rounding;
- a grade that differs is tried against the band of the published total, and the rules
  (veto, cap, precondition, quota) that changed the computed grade are named;
- a rank that differs is tried against the other tie styles (competition, dense,
  ordinal, fractional) and against ranking the exact totals.

Columns (names compared as in ``ecoscore.io.submissions``): the unit; ``total`` (总分,
得分, 综合得分, score …, or the total's label); ``grade`` (等级, 等次, 考核等次 …);
``rank`` (排名, 名次 …) for the first ranking, ``rank:<ranking id>`` or a ranking's label
for another; a max node's arg-max by its label (首要污染物, primary pollutant: the
children listed, separated by commas, by id or label; an empty cell lists none); and any
indicator or node by id or label. Other columns (a group rank, remarks …) are not
compared, and the verification lists them (``Verification.not_compared``).

``item_label`` names an item in each language, for the reports of ``audit.document``.

Everything here is pure: the table has been read already, and the command line prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

import attrs

from ecoscore.audit.divergence import (
    RankStyles,
    grade_notes,
    rounding_notes,
    tie_break_notes,
    unrounded_sum_notes,
)
from ecoscore.errors import DataError, Location, Problem
from ecoscore.io.cells import parse_number
from ecoscore.io.columns import UnitIndex, normalise, unit_column
from ecoscore.io.tables import Cell, Table
from ecoscore.model import TOTAL, Criteria, Label
from ecoscore.results.assessment import Results
from ecoscore.results.card import ScoreCard

__all__ = ["Difference", "Verification", "item_label", "verify"]

_TOTAL_NAMES = (
    "total",
    "total score",
    "score",
    "总分",
    "得分",
    "总得分",
    "综合得分",
    "考核得分",
    "最终得分",
    "合计",
)
_GRADE_NAMES = ("grade", "rating", "等级", "等次", "考核等次", "考核等级", "评定等次", "评价等级")
_RANK_NAMES = ("rank", "ranking", "排名", "名次", "位次", "排序")
_RANK_DECORATION = re.compile(r"并列|第|名|[=()（）]|^T(?=\d)")
_FLAG_NAMES = ("flags", "flag", "标记", "标志", "备注标记")
#: How a published table names an earlier period's column ({p}: the period, {w}: the word).
_PERIOD_FORMS = ("{p} {w}", "{p}{w}", "{p}年{w}", "{p}年度{w}", "{w} {p}", "{w}({p})", "{w}（{p}）")


@attrs.frozen
class Difference:
    """One published figure that the recomputation does not reproduce.

    ``item`` is ``total``, ``grade``, ``rank:<ranking id>``, ``indicator:<id>``,
    ``node:<id>``, ``argmax:<node id>`` or ``unit`` (a published unit with no figures);
    ``notes`` say in words (Chinese and English) where the difference comes from.
    """

    unit: str
    item: str
    published: str | None
    computed: str | None
    location: Location
    notes: tuple[Label, ...] = ()


@attrs.frozen
class Verification:
    """The outcome of comparing a published table with the recomputed results.

    ``compared`` holds the items compared (``total``, ``rank:overall`` …), ``figures`` the
    number of published cells compared, ``not_compared`` the headers of the published
    columns that name nothing ecoscore compares, and ``unpublished`` the units scored that
    the table does not list.
    """

    compared: tuple[str, ...]
    units: tuple[str, ...]
    differences: tuple[Difference, ...]
    unpublished: tuple[str, ...] = ()
    figures: int = 0
    not_compared: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every published figure was reproduced."""
        return not self.differences

    def differing_units(self) -> tuple[str, ...]:
        """The units with at least one difference, in the order of the table."""
        return tuple(dict.fromkeys(d.unit for d in self.differences))


class _Columns:
    """What each column of the published table holds."""

    def __init__(self, table: Table, results: Results) -> None:
        criteria = results.criteria
        self.unit = unit_column(table)
        self.items: dict[int, str] = {}
        names: dict[str, str] = {}
        name: str | None
        for name in _TOTAL_NAMES:
            names[normalise(name)] = "total"
        for name in _GRADE_NAMES:
            names[normalise(name)] = "grade"
        for k, ranking in enumerate(results.rankings):
            for name in (
                f"rank:{ranking.id}",
                f"排名：{ranking.id}",
                ranking.label.zh,
                ranking.label.en,
            ):
                if name:
                    names[normalise(name)] = f"rank:{ranking.id}"
            if k == 0:
                for name in _RANK_NAMES:
                    names[normalise(name)] = f"rank:{ranking.id}"
        for ident, node in criteria.nodes.items():
            if node.argmax is not None:
                # The children that gave a max node its value (the AQI's primary pollutant).
                for name in (f"argmax:{ident}", node.argmax.label.zh, node.argmax.label.en):
                    if name:
                        names[normalise(name)] = f"argmax:{ident}"
                        names[normalise(name.replace(" ", "_"))] = f"argmax:{ident}"
        if criteria.flags:
            for name in _FLAG_NAMES:
                names[normalise(name)] = "flags"
        # Earlier assessed periods: "2023 总分", "2023年等级", "rank 2023", "排名(2023)".
        for earlier in results.history:
            period = earlier.period
            if period is None:
                continue
            for item, words in (("total", _TOTAL_NAMES), ("grade", _GRADE_NAMES)):
                for word in words:
                    for form in _PERIOD_FORMS:
                        key = normalise(form.format(p=period, w=word))
                        names[key] = f"history:{period}:{item}"
            if earlier.rankings:
                first = earlier.rankings[0]
                rank_words = [w for w in (*_RANK_NAMES, first.label.zh, first.label.en) if w]
                for rank_word in rank_words:
                    for form in _PERIOD_FORMS:
                        key = normalise(form.format(p=period, w=rank_word))
                        names[key] = f"history:{period}:rank"
        for table_name, things in (("node", criteria.nodes), ("indicator", criteria.indicators)):
            for ident, thing in things.items():
                item = "total" if ident == TOTAL else f"{table_name}:{ident}"
                for name in (ident, thing.label.zh, thing.label.en):
                    if name:
                        names.setdefault(normalise(name), item)
        for i, head in enumerate(table.header):
            if i == self.unit or head.text is None:
                continue
            key = normalise(head.text)
            bare = re.sub(r"[(\[][^()\[\]]*[)\]]$", "", key)
            found = names.get(key) or names.get(bare)
            if found is not None and found not in self.items.values():
                self.items[i] = found
        self.not_compared = tuple(
            head.text
            for i, head in enumerate(table.header)
            if i != self.unit and i not in self.items and head.text is not None
        )


def _order(criteria: Criteria) -> dict[str, int]:
    """Indicators first in tree order, then nodes from the leaves up, then the rest."""
    order: dict[str, int] = {}
    nodes: list[str] = []

    def visit(node_id: str) -> None:
        for kid in criteria.nodes[node_id].children:
            if kid in criteria.nodes:
                visit(kid)
            else:
                order.setdefault(f"indicator:{kid}", len(order))
        nodes.append(node_id)

    visit(TOTAL)
    for node_id in nodes:
        if node_id != TOTAL:
            order.setdefault(f"node:{node_id}", len(order))
    for item in ("total", "grade"):
        order[item] = len(order)
    return order


def verify(results: Results, table: Table) -> Verification:
    """Compare a published table with ``results``; raise ``DataError`` for a table that
    cannot be read as one (no unit column, nothing to compare, figures that are no
    numbers)."""
    return _Verifier(results, table).run()


class _Verifier:
    def __init__(self, results: Results, table: Table) -> None:
        self.results = results
        self.criteria = results.criteria
        self.table = table
        self.columns = _Columns(table, results)
        self.problems: list[Problem] = []
        self.units = UnitIndex(self.criteria)
        self.styles = RankStyles(results)
        self.figures = 0

    def run(self) -> Verification:
        where = Location(file=self.table.source)
        if self.columns.unit is None:
            raise _fail(
                "no unit column in the published table (没有单位列)",
                where,
                "name one column unit or 单位",
            )
        if not self.columns.items:
            raise _fail(
                "nothing to compare: no total, grade, rank or indicator column (没有可比对的列)",
                where,
                "name the columns like 总分, 等级, 排名, or by indicator",
            )
        order = _order(self.criteria)
        items = sorted(self.columns.items.items(), key=lambda kv: order.get(kv[1], len(order)))
        differences: list[Difference] = []
        # The units already compared, in the table's order; a dict answers "seen?" at once.
        seen: dict[str, None] = {}
        for row in self.table.rows:
            cell = row[self.columns.unit]
            if cell.text is None:
                continue
            unit = self.units.resolve(cell, self.problems)
            if unit is None:
                continue
            if unit in seen:
                self.problems.append(
                    Problem(f"unit {unit} is listed twice (单位重复)", cell.location)
                )
                continue
            seen[unit] = None
            card = self.results.cards.get(unit)
            if card is None:
                self.figures += 1
                why = Label("公布表中有该单位，但数据中没有", "published, but there are no figures")
                differences.append(Difference(unit, "unit", cell.text, None, cell.location, (why,)))
                continue
            differences.extend(self._unit(card, row, items))
        if self.problems:
            raise DataError(self.problems)
        unpublished = tuple(u for u in self.results.cards if u not in seen)
        return Verification(
            tuple(item for _, item in items),
            tuple(seen),
            tuple(differences),
            unpublished,
            self.figures,
            self.columns.not_compared,
        )

    # -- one unit ----------------------------------------------------------------------
    def _unit(
        self, card: ScoreCard, row: tuple[Cell, ...], items: Iterable[tuple[int, str]]
    ) -> list[Difference]:
        out: list[Difference] = []
        published: dict[str, Decimal] = {}
        for i, item in items:
            cell = row[i]
            if cell.text is not None or item.startswith("argmax:") or item == "flags":
                self.figures += 1
            if item.startswith("argmax:"):
                # An empty cell is published: "no primary pollutant" (AQI ≤ 50).
                found = self._argmax(card, cell, item)
                if found is not None:
                    out.append(found)
                continue
            if item == "flags":
                # An empty cell is published too: "no flag".
                found = self._flags(card, cell)
                if found is not None:
                    out.append(found)
                continue
            if cell.text is None:
                continue
            if item.startswith("history:"):
                found = self._earlier(card, cell, item)
            elif item == "grade":
                found = self._grade(card, cell, published.get("total"))
            elif item.startswith("rank:"):
                found = self._rank(card, cell, item, "total" in {d.item for d in out})
            else:
                number = self._number(cell)
                if number is None:
                    continue
                published[item] = number
                found = self._points(card, cell, item, number, out)
            if found is not None:
                out.append(found)
        return out

    def _number(self, cell: Cell, rank: bool = False) -> Decimal | None:
        text = cell.text or ""
        if rank:
            text = _RANK_DECORATION.sub("", text)
        try:
            return parse_number(text)
        except ValueError as error:
            self.problems.append(Problem(str(error), cell.location))
            return None

    def _points(
        self, card: ScoreCard, cell: Cell, item: str, published: Decimal, earlier: list[Difference]
    ) -> Difference | None:
        kind, _, ident = item.partition(":")
        shown = format(published, "f")
        if kind == "indicator":
            res = card.indicators[ident]
            exact, computed, declared = res.raw_points, res.points, res.rounding
            if self.criteria.indicators[ident].effect == "deduction" and published < 0:
                # A deduction published as it enters the sum (−1.50) rather than as the
                # points taken off (1.50): compare it the same way.
                published = -published
        else:
            node = card.nodes[ident or TOTAL]
            exact, computed, declared = node.raw, node.value, node.rounding
        if computed is not None and computed == published:
            return None
        notes = rounding_notes(published, exact, declared, computed)
        first = next((d for d in earlier if d.item.startswith(("indicator:", "node:"))), None)
        if first is not None and kind != "indicator":
            name = first.item.partition(":")[2]
            notes.append(
                Label(
                    f"最先不一致的是 {name}（公布 {first.published}，计算 {first.computed}）",
                    f"the first figure that differs is {name} (published"
                    f" {first.published}, computed {first.computed})",
                )
            )
        if kind == "total" and not notes:
            notes.extend(unrounded_sum_notes(self.criteria, card, published))
        return Difference(card.unit, item, shown, _text(computed), cell.location, tuple(notes))

    def _grade(
        self, card: ScoreCard, cell: Cell, published_total: Decimal | None
    ) -> Difference | None:
        text = cell.text or ""
        grade = _grade_named(self.criteria, text)
        if grade == card.grade:
            return None
        notes = grade_notes(self.criteria, card, grade, published_total)
        return Difference(card.unit, "grade", text, card.grade, cell.location, tuple(notes))

    def _argmax(self, card: ScoreCard, cell: Cell, item: str) -> Difference | None:
        """The published children of a max node (split on commas), by id or label."""
        ident = item.partition(":")[2]
        computed = card.nodes[ident].argmax
        children = self.criteria.nodes[ident].children
        names = {kid: {normalise(n) for n in (kid, *self._labels(kid)) if n} for kid in children}
        published = [
            p for p in (normalise(t) for t in _LIST_SEPARATORS.split(cell.text or "")) if p
        ]
        matched = {kid for p in published for kid, known in names.items() if p in known}
        unknown = [p for p in published if not any(p in known for known in names.values())]
        if not unknown and matched == set(computed):
            return None
        notes: tuple[Label, ...] = ()
        if unknown:
            notes = (Label(f"无法识别:{'、'.join(unknown)}", f"not a child: {', '.join(unknown)}"),)
        return Difference(
            card.unit,
            item,
            cell.text or "",
            _argmax_text(self.criteria, computed),
            cell.location,
            notes,
        )

    def _labels(self, kid: str) -> tuple[str | None, str | None]:
        thing = self.criteria.indicators.get(kid) or self.criteria.nodes.get(kid)
        return (None, None) if thing is None else (thing.label.zh, thing.label.en)

    def _flags(self, card: ScoreCard, cell: Cell) -> Difference | None:
        """The published flags (by id or label, split on commas) against the card's."""
        known = {
            f.id: {normalise(n) for n in (f.id, f.label.zh, f.label.en) if n}
            for f in self.criteria.flags
        }
        published = [
            p for p in (normalise(t) for t in _LIST_SEPARATORS.split(cell.text or "")) if p
        ]
        matched = {ident for p in published for ident, names in known.items() if p in names}
        unknown = [p for p in published if not any(p in names for names in known.values())]
        if not unknown and matched == set(card.flags):
            return None
        computed = "、".join(self._flag_label(f) for f in card.flags)
        notes: list[Label] = []
        if unknown:
            notes.append(
                Label(f"未知标记：{'、'.join(unknown)}", f"unknown flag: {', '.join(unknown)}")
            )
        return Difference(
            card.unit, "flags", cell.text or "", computed or None, cell.location, tuple(notes)
        )

    def _flag_label(self, ident: str) -> str:
        return next(f.label.text("zh", ident) for f in self.criteria.flags if f.id == ident)

    def _earlier(self, card: ScoreCard, cell: Cell, item: str) -> Difference | None:
        """A figure of an earlier assessed period: its total, grade or rank."""
        _, period, what = item.split(":")
        earlier = next(r for r in self.results.history if r.period == period)
        past = earlier.cards.get(card.unit)
        why = Label(f"{period}年度", f"in {period}")
        if what == "grade":
            computed_grade = None if past is None else past.grade
            text = cell.text or ""
            grade = _grade_named(earlier.criteria, text)
            if grade == computed_grade:
                return None
            return Difference(card.unit, item, text, computed_grade, cell.location, (why,))
        published = self._number(cell, rank=what == "rank")
        if published is None:
            return None
        if what == "rank":
            computed = earlier.rankings[0].rank_of(card.unit)
        else:
            computed = None if past is None else past.total
        if computed == published:
            return None
        return Difference(
            card.unit, item, format(published, "f"), _text(computed), cell.location, (why,)
        )

    def _rank(
        self, card: ScoreCard, cell: Cell, item: str, total_differs: bool
    ) -> Difference | None:
        ident = item.partition(":")[2]
        published = self._number(cell, rank=True)
        if published is None:
            return None
        computed = self.results.ranking(ident).rank_of(card.unit)
        if computed == published:
            return None
        notes = self.styles.notes(ident, card.unit, published)
        notes.extend(tie_break_notes(self.results, ident, card.unit))
        if total_differs:
            notes.insert(0, Label("名次差异源于总分不同", "follows from the total that differs"))
        return Difference(
            card.unit, item, format(published, "f"), _text(computed), cell.location, tuple(notes)
        )


_LIST_SEPARATORS = re.compile(r"[,，、;；]")

_ITEM_WORDS = {
    "total": Label("总分", "total"),
    "grade": Label("等级", "grade"),
    "flags": Label("标记", "flags"),
    "unit": Label("单位", "unit"),
    "rank": Label("排名", "rank"),
}


def item_label(results: Results, item: str) -> Label:
    """What a ``Difference.item`` or a compared item names, in each language: 总分 /
    total, a ranking's label, an indicator's or a node's, "2023 等级" / "2023 grade"."""
    criteria = results.criteria
    kind, _, rest = item.partition(":")
    if item in _ITEM_WORDS:
        return _ITEM_WORDS[item]
    if kind == "rank":
        spec = next((r for r in criteria.rankings if r.id == rest), None)
        label = Label() if spec is None else spec.label
        return Label(label.text("zh", rest), label.text("en", rest))
    if kind in ("indicator", "node"):
        return Label(criteria.label_of(rest, "zh"), criteria.label_of(rest, "en"))
    if kind == "argmax":
        argmax = criteria.nodes[rest].argmax
        label = Label() if argmax is None else argmax.label
        return Label(label.text("zh", rest), label.text("en", rest))
    if kind == "history":
        period, _, what = rest.partition(":")
        word = _ITEM_WORDS.get(what, Label(what, what))
        return Label(f"{period}年{word.zh}", f"{period} {word.en}")
    return Label(item, item)


def _grade_named(criteria: Criteria, text: str) -> str:
    """The grade a published cell names, by its name or label (else the text itself)."""
    grade = text
    for band in criteria.grades.bands if criteria.grades is not None else ():
        if normalise(text) in {
            normalise(n) for n in (band.grade, band.label.zh, band.label.en) if n
        }:
            grade = band.grade
    return grade


def _argmax_text(criteria: Criteria, ids: Iterable[str]) -> str:
    return "、".join(criteria.label_of(i, "zh") for i in ids)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _fail(message: str, where: Location, hint: str) -> DataError:
    return DataError((Problem(message, where, hint),))
