"""The stable JSON form of results (``"format": "ecoscore-results/2"``).

Every number is a string holding the exact decimal (``"97.31"``), so no reader turns it
into a binary float by accident; ``null`` is a value that does not exist. What is the
same for every unit is written once, at the top: each indicator's parent, rounding and
clause templates, each node's aggregate and rounding. Each unit then holds its own
values only, and a key whose value is the usual one (the points before rounding when
they equal the points, the status ``scored``, an empty list) is left out. The form is
described key by key in ``docs/results-format.md`` and by the JSON Schema shipped beside
this module (``schema/ecoscore-results-2.json``):

.. code-block:: text

    {
      "format": "ecoscore-results/2",
      "criteria": {"id", "title": {"zh", "en"}, "sha256", "version"},
      "trace": "full" | "summary" | "none",
      "indicators": [{"id", "label", "parent", "rounding",
                      "clauses": [{"zh", "en"}]}],            # clauses: full trace only
      "nodes": [{"id", "label", "parent", "aggregate", "rounding", "children"}],
      "units": [                                              # sorted by unit id
        {"unit", "attributes", "total", "total_exact", "grade",
         "grade_steps": [{"rule", "before", "after", "why"}],  # not with trace none
         "ranks": {"<ranking id>": {"rank", "group", "value", "note"}},
         "indicators": {"<id>": {"value", "points", "raw_points"?, "contribution"?,
                                 "status"?, "rounding"?, "class"?, "note"?,
                                 "clause"?: [k, arg, ...], "inputs"?, "steps"?}},
         "nodes": {"<id>": {"value", "raw"?, "aggregate"?, "rounding"?, "excluded"?,
                            "argmax"?, "note"?}},
         "trace": [[path, kind, amount], ...],               # full trace only
         "rollups": [{"id", "table", "aggregate", "period", "value", "raw", "subunits",
                      "considered", "counted", "values": [[subunit, value], ...],
                      "outside", "left_out": [{"subunit", "missing"}], "kept", "at",
                      "note"}]}    # figures from sub-units, when the criteria roll up
      ],
      "rankings": [{"id", "label", "entries": [{"unit", "rank", "group", "value", "note"}]}],
      "summaries": [{"id", "label", "groups": [{"group", "value", "raw", "count",
                                                "considered", "left_out", "class"}]}]
    }

A clause is ``[k, arg, ...]``: template ``k`` of the indicator's ``clauses``, in either
language, with each ``{}`` replaced by the next arg (``{{`` and ``}}`` stand for a brace):
``template.format(*args)`` in Python. With no args the template is the text itself. The
parts of a rule's clause that are the same for every unit (its thresholds, a band's
range and points) are written into the template once; the unit's own figures are args.

Keys are never removed within a format version; new keys may be added.
"""

from __future__ import annotations

import decimal
import json
import string
from collections.abc import Iterator, Mapping
from decimal import Decimal
from importlib import resources
from typing import Any

from ecoscore.model import TOTAL, Criteria, Label
from ecoscore.numbers import CONTEXT
from ecoscore.results.assessment import Results
from ecoscore.results.card import ScoreCard
from ecoscore.results.rollups import rolled_up_to_dict
from ecoscore.results.scores import IndicatorResult, NodeResult, outcome_of
from ecoscore.rules.base import Outcome, fmt

__all__ = [
    "FORMAT",
    "TRACES",
    "iter_results_json",
    "results_schema",
    "results_to_dict",
    "results_to_json",
]

#: The name and version of the JSON form.
FORMAT = "ecoscore-results/2"

#: How much of each unit's trace the form holds: ``full`` (every clause, figure read and
#: intermediate step, the additive trace), ``summary`` (each indicator's value and points,
#: each node's value, the grade steps) or ``none`` (each unit's total, grade and ranks).
TRACES = ("full", "summary", "none")

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, Label):
        return {"zh": value.zh, "en": value.en}
    if isinstance(value, (list, tuple)):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    return str(value)


def _number(value: Decimal | None) -> str | None:
    """A Decimal's exact text (``_value`` for the values that can only be numbers)."""
    if value is None:
        return None
    if value.__class__ is Decimal:
        return format(value, "f")
    text: str | None = _value(value)
    return text


def _rounding(rounding: Any) -> str | None:
    return None if rounding is None else str(rounding)


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


class _Clause:
    """The clauses of one indicator that share a template: which args stay per unit.

    An arg is written into the template when its text is the same for every unit (a
    threshold, a band); the others (the unit's value) stay args of each cell.
    """

    def __init__(self, outcome: Outcome) -> None:
        self.template = outcome.template
        self.template_zh = outcome.template_zh or outcome.template
        self.count = len(outcome.args)
        self.texts: list[str | None] = [fmt(a) for a in outcome.args]
        # The last object seen at each place: a rule's constants are the same object in
        # every outcome, so most comparisons need no formatting at all.
        self.seen: list[Any] = list(outcome.args)
        self.foldable = all(_plain_fields(t, self.count) for t in (self.template, self.template_zh))
        self.index = 0
        self.kept: tuple[int, ...] | None = ()  # None: every arg, the template as it is

    def observe(self, args: tuple[Any, ...]) -> None:
        if len(args) != self.count:
            self.foldable = False
            return
        for i, text in enumerate(self.texts):
            if text is None or args[i] is self.seen[i]:
                continue
            if fmt(args[i]) == text:
                self.seen[i] = args[i]
            else:
                self.texts[i] = None
                self.seen[i] = None

    def finish(self, index: int) -> dict[str, str]:
        """Fix what stays per unit; the templates in both languages."""
        self.index = index
        if not self.foldable:
            self.kept = None
            return {"zh": self.template_zh, "en": self.template}
        self.kept = tuple(i for i, t in enumerate(self.texts) if t is None)
        return {"zh": self._fold(self.template_zh), "en": self._fold(self.template)}

    def _fold(self, template: str) -> str:
        if self.count == 0:
            return template  # as Outcome.text: a template with no args is the text
        if not self.kept:
            return template.format(*self.texts)
        out = []
        place = 0
        for literal, field, _, _ in string.Formatter().parse(template):
            out.append(_escape(literal))
            if field is not None:
                text = self.texts[place]
                out.append("{}" if text is None else _escape(text))
                place += 1
        return "".join(out)

    def cell(self, args: tuple[Any, ...]) -> list[Any]:
        if self.kept is None:
            return [self.index, *(fmt(a) for a in args)]
        return [self.index, *(fmt(args[i]) for i in self.kept)]


# Args of these types are a unit's figures (its value, a shortfall, a place); any other
# (a band, a class label) names the part of the rule that applied.
_FIGURES = frozenset({Decimal, int, float, bool})


def _clause_key(o: Outcome, *, by_text: bool = False) -> tuple[Any, ...]:
    """The clause an outcome is one of: its templates and the parts of the rule it names.

    A bands rule has one template (``{} in {} → {}``) for all its bands; keyed by the band
    too, each band gets a template of its own with its range and points written in. A
    part that cannot be a key (``by_text``) is told apart by its text.
    """
    parts = tuple([a for a in o.args if a.__class__ not in _FIGURES])
    if by_text:
        parts = tuple(fmt(a) for a in parts)
    return (o.template, o.template_zh, parts)


def _clause_of(table: dict[tuple[Any, ...], _Clause], o: Outcome) -> _Clause:
    try:
        return table[_clause_key(o)]
    except TypeError:
        return table[_clause_key(o, by_text=True)]


def _plain_fields(template: str, count: int) -> bool:
    """Whether ``template`` has exactly ``count`` bare ``{}`` fields, and nothing else."""
    try:
        fields = [f for f in string.Formatter().parse(template) if f[1] is not None]
    except ValueError:
        return False
    return len(fields) == count and all(f[1:] == ("", "", None) for f in fields)


class _Form:
    """One writing of the form: the tables of the top, then each unit, then the rest."""

    def __init__(self, results: Results, trace: str) -> None:
        if trace not in TRACES:
            raise ValueError(f"trace must be one of {', '.join(TRACES)}, not {trace!r}")
        self.results = results
        self.criteria = results.criteria
        self.trace = trace
        criteria = self.criteria
        self.declared_rounding = {
            i.id: i.points_rounding or criteria.points_rounding
            for i in criteria.indicators.values()
        }
        self.points_rounding = {k: _rounding(r) for k, r in self.declared_rounding.items()}
        self.node_rounding = {
            n.id: _rounding(_node_rounding(criteria, n.id)) for n in criteria.nodes.values()
        }
        self.clauses: dict[str, dict[tuple[Any, ...], _Clause]] = {}
        self.templates: dict[str, list[dict[str, str]]] = {}
        if trace == "full":
            self._collect_clauses()

    def _collect_clauses(self) -> None:
        # A first pass over every outcome finds, per template, the args that are the same
        # for every unit; units are in id order, so the tables are the same for the same
        # inputs in any row order.
        for card in self.results:
            for ident in card.indicators:
                o = outcome_of(card.indicators, ident)
                if o is None:
                    continue
                table = self.clauses.setdefault(ident, {})
                key = _clause_key(o)
                try:
                    clause = table.get(key)
                except TypeError:
                    key = _clause_key(o, by_text=True)
                    clause = table.get(key)
                if clause is None:
                    table[key] = _Clause(o)
                else:
                    clause.observe(o.args)
        for ident, table in self.clauses.items():
            self.templates[ident] = [c.finish(k) for k, c in enumerate(table.values())]

    # -- the top -------------------------------------------------------------------
    def head(self) -> dict[str, Any]:
        c = self.criteria
        indicators = []
        for ind in c.indicators.values():
            entry: dict[str, Any] = {
                "id": ind.id,
                "label": _value(ind.label),
                "parent": ind.parent,
                "rounding": self.points_rounding[ind.id],
            }
            if self.trace == "full":
                entry["clauses"] = self.templates.get(ind.id, [])
            indicators.append(entry)
        nodes = [
            {
                "id": n.id,
                "label": _value(n.label),
                "parent": n.parent,
                "aggregate": n.aggregate,
                "rounding": self.node_rounding[n.id],
                "children": list(n.children),
            }
            for n in c.nodes.values()
        ]
        return {
            "format": FORMAT,
            "criteria": {
                "id": c.id,
                "title": _value(c.title),
                "sha256": c.sha256,
                "version": c.version,
            },
            "trace": self.trace,
            "indicators": indicators,
            "nodes": nodes,
            **({"period": self.results.period} if self.results.period is not None else {}),
            **(
                {"flags": [{"id": f.id, "label": _value(f.label)} for f in c.flags]}
                if c.flags
                else {}
            ),
        }

    # -- a unit --------------------------------------------------------------------
    def unit(self, card: ScoreCard) -> dict[str, Any]:
        out: dict[str, Any] = {
            "unit": card.unit,
            "attributes": _value(dict(card.attributes)),
            "total": _value(card.total),
            "total_exact": _value(card.total_exact),
            "grade": card.grade,
        }
        if self.criteria.flags:
            out["flags"] = list(card.flags)
        if self.trace != "none":
            out["grade_steps"] = [
                {"rule": s.rule, "before": s.before, "after": s.after, "why": _value(s.why)}
                for s in card.grade_steps
            ]
        ranks = {}
        for ranking in self.results.rankings:
            entry = ranking.entry(card.unit)
            if entry is not None:
                ranks[ranking.id] = {
                    "rank": _value(entry.rank),
                    "group": entry.group,
                    "value": _value(entry.value),
                    "note": _value(entry.note),
                }
        out["ranks"] = ranks
        if self.trace == "none":
            return out
        out["indicators"] = {ident: self._indicator(res) for ident, res in card.indicators.items()}
        out["nodes"] = {ident: self._node(node) for ident, node in card.nodes.items()}
        if self.trace == "full":
            out["trace"] = [[s.path, s.kind, _value(s.amount)] for s in card.steps]
        if card.rollups:
            out["rollups"] = rolled_up_to_dict(card.rollups)  # results.rollups
        return out

    def _indicator(self, res: IndicatorResult) -> dict[str, Any]:
        points = _number(res.points)
        cell: dict[str, Any] = {"value": _value(res.value), "points": points}
        raw = _number(res.raw_points)
        if raw != points:
            cell["raw_points"] = raw
        contribution = _number(res.contribution)
        if contribution != points:
            cell["contribution"] = contribution
        if res.status != "scored":
            cell["status"] = res.status
        # Compared as values first: most cells have their indicator's rounding, and
        # writing a rounding out as text for every cell is what takes the time.
        declared = self.declared_rounding.get(res.id)
        if res.rounding is not declared and res.rounding != declared:
            cell["rounding"] = _rounding(res.rounding)
        o = res.outcome
        if o is not None and o.label is not None:
            cell["class"] = o.label
        if res.note is not None:
            cell["note"] = _value(res.note)
        if self.trace == "full":
            if o is not None:
                cell["clause"] = _clause_of(self.clauses[res.id], o).cell(o.args)
            inputs = res.inputs
            if inputs:
                cell["inputs"] = {k: _value(v) for k, v in inputs}
            if o is not None and o.steps:
                cell["steps"] = [[k, _value(v)] for k, v in o.steps]
        return cell

    def _node(self, node: NodeResult) -> dict[str, Any]:
        value = _number(node.value)
        cell: dict[str, Any] = {"value": value}
        raw = _number(node.raw)
        if raw != value:
            cell["raw"] = raw
        declared = self.criteria.nodes.get(node.id)
        if declared is None or node.aggregate != declared.aggregate:
            cell["aggregate"] = node.aggregate
        rounding = _rounding(node.rounding)
        if rounding != self.node_rounding.get(node.id):
            cell["rounding"] = rounding
        if node.excluded:
            cell["excluded"] = list(node.excluded)
        if node.argmax:
            cell["argmax"] = list(node.argmax)
        if node.note is not None:
            cell["note"] = _value(node.note)
        return cell

    # -- the rest ------------------------------------------------------------------
    def tail(self) -> dict[str, Any]:
        results = self.results
        return {
            "rankings": [
                {
                    "id": r.id,
                    "label": _value(r.label),
                    "entries": [
                        {
                            "unit": e.unit,
                            "rank": _value(e.rank),
                            "group": e.group,
                            "value": _value(e.value),
                            "note": _value(e.note),
                        }
                        for e in r.entries
                    ],
                }
                for r in results.rankings
            ],
            "summaries": [
                {
                    "id": s.id,
                    "label": _value(s.label),
                    "groups": [
                        {
                            "group": f.group,
                            "value": _value(f.value),
                            "raw": _value(f.raw),
                            "count": f.count,
                            "considered": f.considered,
                            "left_out": list(f.left_out),
                            "class": f.label,
                        }
                        for f in s.groups
                    ],
                }
                for s in results.summaries
            ],
            **_left_out(results),
            **_history(results),
        }


def _node_rounding(criteria: Criteria, ident: str) -> Any:
    """A node's declared rounding: its own, else the total's or every node's."""
    node = criteria.nodes[ident]
    if node.rounding is not None:
        return node.rounding
    return criteria.total_rounding if ident == TOTAL else criteria.node_rounding


def _history(results: Results) -> dict[str, Any]:
    """The ``history`` field: each earlier assessed period's published figures per unit
    (total, grade, ranks, flags), the most recent first; present only when there is one."""
    if not results.history:
        return {}
    periods = []
    for earlier in results.history:
        ranks = [(r.id, r) for r in earlier.rankings]
        units: dict[str, Any] = {}
        for card in earlier:
            entry: dict[str, Any] = {
                "total": _value(card.total),
                "grade": card.grade,
                "ranks": {ident: _value(r.rank_of(card.unit)) for ident, r in ranks},
            }
            if earlier.criteria.flags:
                entry["flags"] = list(card.flags)
            units[card.unit] = entry
        periods.append({"period": earlier.period, "units": units})
    return {"history": periods}


def _left_out(results: Results) -> dict[str, Any]:
    """The ``left_out`` field, present only when units were left out."""
    if not results.left_out:
        return {}
    return {
        "left_out": [
            {"unit": entry.unit, "reasons": list(entry.reasons())} for entry in results.left_out
        ]
    }


def results_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the form, as shipped with the package."""
    text = resources.files("ecoscore.results").joinpath("schema/ecoscore-results-2.json")
    schema: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return schema


def results_to_dict(results: Results, *, trace: str = "full") -> dict[str, Any]:
    """The results as plain JSON-ready data (numbers as exact decimal strings).

    ``trace`` is one of ``TRACES``: how much of each unit's trace to keep.
    """
    # In the scoring context: a card's clauses are worked out as they were scored.
    with decimal.localcontext(CONTEXT):
        form = _Form(results, trace)
        return {**form.head(), "units": [form.unit(card) for card in results], **form.tail()}


def results_to_json(results: Results, *, indent: int | None = None, trace: str = "full") -> str:
    """The results as JSON text, byte-identical for the same inputs: compact (one line)
    by default, indented by ``indent`` spaces when given."""
    return "".join(iter_results_json(results, indent=indent, trace=trace))


def iter_results_json(
    results: Results,
    *,
    indent: int | None = None,
    trace: str = "full",
    more: Mapping[str, Any] | None = None,
) -> Iterator[str]:
    """The JSON text of ``results`` in pieces, a unit at a time, for writing to a file.

    The pieces join to exactly ``results_to_json``'s text (with ``more``'s keys, such as
    the command's manifest, added at the end of the document): a large evaluation is
    written without holding its whole document, as data or as text, in memory.
    """
    # In the scoring context, as the cards were scored; never across a yield, which would
    # leave the caller in it.
    with decimal.localcontext(CONTEXT):
        form = _Form(results, trace)

    def encode(value: Any, level: int) -> str:
        if indent is None:
            return _COMPACT.encode(value)
        # JSON text never holds a raw newline inside a string, so indenting every line
        # nests a piece exactly as json.dumps would nest it in the whole document.
        text = json.dumps(value, ensure_ascii=False, indent=indent)
        return text.replace("\n", "\n" + " " * (indent * level))

    def newline(level: int) -> str:
        return "" if indent is None else "\n" + " " * (indent * level)

    colon = ":" if indent is None else ": "
    members: list[tuple[str, Any]] = [*form.head().items(), ("units", None)]
    yield "{"
    for k, (key, value) in enumerate(members):
        yield ("," if k else "") + newline(1) + encode(key, 1) + colon
        if key != "units":
            yield encode(value, 1)
            continue
        empty = True
        for card in results:
            with decimal.localcontext(CONTEXT):
                piece = encode(form.unit(card), 2)
            yield ("[" if empty else ",") + newline(2) + piece
            empty = False
        yield "[]" if empty else newline(1) + "]"
    for key, value in [*form.tail().items(), *(more or {}).items()]:
        yield "," + newline(1) + encode(key, 1) + colon + encode(value, 1)
    yield newline(0) + "}\n"
