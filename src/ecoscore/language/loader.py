"""TOML criteria → ``Criteria``, reporting every problem at once with its location.

``load(path)`` and ``loads(text)`` parse with tomli (exact positions for syntax errors,
numbers read as ``Decimal``), then walk the document: unknown keys, wrong types,
undefined names, cycles among derived values, bands that overlap or leave gaps, children
whose points do not add up to their parent's, and refused expressions all become
problems, raised together in one ``CriteriaError``.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
import tomli

from ecoscore.errors import CriteriaError, Location, Problem
from ecoscore.language.bounds import (
    decode_criteria,
    id_problem,
    nesting_problem,
    parser_failure,
    text_problems,
)
from ecoscore.language.grades import read_grades, read_rankings
from ecoscore.language.periods import read_flags, read_periods
from ecoscore.language.reader import Path, TableReader, did_you_mean, topological
from ecoscore.language.sourcemap import key_positions
from ecoscore.language.subunits import read_subunits
from ecoscore.language.summaries import read_summaries
from ecoscore.language.tree import LABEL_KEYS, TreeParts
from ecoscore.limits import DEFAULT_LIMITS, Limits
from ecoscore.model import (
    RESULT_NAMES,
    TOTAL,
    Attribute,
    Criteria,
    Derived,
    Input,
    Label,
    Unit,
)

__all__ = ["LANGUAGE_VERSIONS", "load", "loads"]

#: The versions of the criteria language this release reads.
LANGUAGE_VERSIONS = (1,)

_TOP_KEYS = (
    "ecoscore",
    "id",
    "title",
    "source",
    "description",
    "rounding",
    "inputs",
    "attributes",
    "units",
    "derived",
    "indicator",
    "node",
    "total",
    "grades",
    "veto",
    "cap",
    "precondition",
    "ranking",
    "summary",
    "subunits",
    "rollup",
    "periods",
    "flag",
)


#: Full-width punctuation typed by a Chinese input method where TOML wants ASCII.
_FULL_WIDTH = {
    "＝": "=",
    "，": ",",
    "：": ":",
    "；": ";",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "［": "[",
    "］": "]",
    "｛": "{",
    "｝": "}",
    "（": "(",
    "）": ")",
    "．": ".",
    "＃": "#",
}


def load(path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> Criteria:
    """Load a criteria file; raise ``CriteriaError`` listing every problem in it.

    ``limits`` bounds the file and what is in it (``ecoscore.limits``, docs/limits.md).
    """
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            # One byte past the limit is enough to know the file is too large.
            data = f.read(limits.criteria_bytes + 1) if size <= limits.criteria_bytes else b""
    except OSError as exc:
        raise CriteriaError(
            [Problem(f"cannot read the criteria file: {exc.strerror}", Location(name))]
        ) from None
    text, problems = decode_criteria(data, name, limits, size=size)
    if text is None:
        raise CriteriaError(problems)
    return loads(text, source=name, limits=limits, _sha256=hashlib.sha256(data).hexdigest())


def loads(
    text: str,
    *,
    source: str = "<criteria>",
    limits: Limits = DEFAULT_LIMITS,
    _sha256: str | None = None,
) -> Criteria:
    """Load criteria from a TOML string; ``source`` names it in messages, ``limits``
    bounds it (``ecoscore.limits``)."""
    if not isinstance(text, str):
        raise CriteriaError([Problem("criteria are TOML text (a str)", Location(source))])
    problems = text_problems(text, source, limits)
    if problems:
        raise CriteriaError(problems)
    try:
        doc = tomli.loads(text, parse_float=Decimal)
    except tomli.TOMLDecodeError as exc:
        raise _syntax_error(text, source, exc) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        # Keys dotted thousands deep (tomli recurses on them), or an integer of thousands
        # of digits (Python refuses to read it): located where the text shows the cause.
        raise CriteriaError([parser_failure(text, source, exc, limits)]) from None
    too_deep = nesting_problem(doc, text, source, limits)
    if too_deep is not None:
        raise CriteriaError([too_deep])
    positions = key_positions(text)
    r = TableReader(source, positions, limits)
    criteria = _Document(r, doc).read()
    if r.problems or criteria is None:
        raise CriteriaError(sorted(r.problems, key=_order))
    if _sha256 is None:
        _sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return attrs.evolve(criteria, sha256=_sha256, path=source, positions=positions)


def _syntax_error(text: str, source: str, exc: tomli.TOMLDecodeError) -> CriteriaError:
    """tomli's syntax error, located, with a hint for what Chinese input methods type."""
    line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    message = getattr(exc, "msg", str(exc))
    pos = getattr(exc, "pos", None)
    hint = None
    if isinstance(pos, int) and pos < len(text) and ord(text[pos]) > 127:
        # A Chinese key or text written bare: TOML bare keys are ASCII only.
        word = re.match(r"[^\s=.,\[\]{}\"']*", text[pos:])
        quoted = f'"{(word.group() if word else "") or text[pos]}"'
        if text[pos] in _FULL_WIDTH:
            hint = f"full-width {text[pos]!r}: use the ASCII {_FULL_WIDTH[text[pos]]!r}"
        elif text[pos].isspace():
            hint = f"a space that is not ASCII (U+{ord(text[pos]):04X}) outside quotes"
        elif message == "Invalid value":
            hint = f"text goes in quotes: {quoted}"
        else:
            hint = f"TOML bare keys are ASCII: write {quoted} in quotes"
    return CriteriaError([Problem(f"TOML syntax: {message}", Location(source, line, col), hint)])


def _order(p: Problem) -> tuple[int, int]:
    return (p.location.line or 0, p.location.column or 0)


class _Document(TreeParts):
    """One walk over a parsed criteria document."""

    def __init__(self, r: TableReader, doc: dict[str, Any]) -> None:
        self.r = r
        self.doc = doc

    def read(self) -> Criteria | None:
        r, doc = self.r, self.doc
        r.table(doc, (), _TOP_KEYS)
        version = r.required(doc, "ecoscore", ("ecoscore",))
        if version is not None and (type(version) is not int or version not in LANGUAGE_VERSIONS):
            r.problem(
                ("ecoscore",),
                f"unknown criteria language version {version!r}",
                f"this ecoscore reads version {', '.join(map(str, LANGUAGE_VERSIONS))}",
            )
        ident = r.string(r.required(doc, "id", ("id",)), ("id",))
        title = r.text_label(r.required(doc, "title", ("title",)), ("title",))
        source = r.string(doc["source"], ("source",)) if "source" in doc else None

        rounding = r.table(doc.get("rounding", {}), ("rounding",), ("points", "nodes", "total"))
        points_rounding, node_rounding, total_rounding = (
            r.rounding(rounding[k], ("rounding", k)) if k in rounding else None
            for k in ("points", "nodes", "total")
        )

        # previous(…) may read an earlier period's results too: total, grade, units, and
        # any indicator, node, ranking or flag (their ids are known from the document).
        results = {*RESULT_NAMES}
        for table in ("indicator", "node", "ranking", "flag"):
            if isinstance(doc.get(table), dict):
                results.update(doc[table])
        r.earlier = results.__contains__
        periods = read_periods(r, doc)

        self.inputs = self._inputs()
        self.attributes = self._attributes()
        self.units = self._units()
        # Sub-unit tables and roll-ups (language.subunits): a roll-up reads as an input.
        subunits = read_subunits(r, doc)
        self.rollup_ids, self.rollup_domains = set(subunits.rollups), subunits.domains
        self.derived = self._derived()
        self.nodes_raw = r.table(doc.get("node", {}), ("node",))
        self.indicators_raw = r.table(doc.get("indicator", {}), ("indicator",))
        for table, raw in (("indicator", self.indicators_raw), ("node", self.nodes_raw)):
            if len(raw) > r.limits.indicators:
                r.problem(
                    (table,),
                    f"{len(raw):,} [{table}] tables, "
                    f"more than the limit of {r.limits.indicators:,}",
                    "see docs/limits.md: Limits(indicators=…) raises it",
                )
        if r.problems and len(self.indicators_raw) + len(self.nodes_raw) > r.limits.indicators:
            return None
        self._check_unique_names()
        indicators = self._indicators()
        # An indicator that did not load was reported; its parent's checks would only echo it.
        self.unloaded_parents = {
            str(spec.get("parent", TOTAL))
            for name, spec in self.indicators_raw.items()
            if name not in indicators and isinstance(spec, dict)
        }
        nodes = self._nodes(indicators)
        self.indicators, self.nodes = indicators, nodes
        grades = read_grades(r, doc, self.known_after_scoring, self.all_names())
        not_numbers = {
            name: "texts" if kind == "text" else "yes/no values"
            for name, kind in [
                *((i.id, i.type) for i in self.inputs.values()),
                *((a.id, a.type) for a in self.attributes.values()),
            ]
            if kind != "number"
        } | subunits.text_rollups()
        rankings = read_rankings(
            r, doc, self.known_after_scoring, self.all_names(), self.attributes, not_numbers
        )
        if (
            grades is not None
            and grades.ranking is not None
            and grades.ranking not in {s.id for s in rankings}
        ):
            r.problem(("grades", "ranking"), f"no ranking named {grades.ranking!r}")
        if grades is not None and grades.quotas and not rankings:
            r.problem(("grades", "quota"), "a quota chooses by rank: declare a [ranking.…]")
        summaries = read_summaries(
            r, doc, self.known_after_scoring, self.all_names(), self.attributes, indicators
        )
        flags = read_flags(r, doc, self.known_after_scoring_or_results, self.all_names())
        data = set(self.data_names())
        reads_results = any(
            name not in data for e in r.expressions for name, _ in e.previous
        ) or any(name and name not in data for e in r.expressions for name, _ in e.periods)
        period_reads = frozenset(
            (name, period) for e in r.expressions for name, period in e.periods
        )
        if period_reads and periods is None:
            named = sorted(period for _, period in period_reads)[0]
            r.problem(
                ("periods",),
                f"a rule reads the period {named!r} by name: declare the periods",
                '[periods] assessed = ["2023", "2024"], baseline = ["2021"]',
            )
        elif periods is not None:
            for _, period in sorted(period_reads):
                if period not in periods.order:
                    r.problem(("periods",), f"a rule reads period {period!r}, not declared here")
        if r.problems or ident is None:
            return None
        return Criteria(
            id=ident,
            title=title,
            version=int(version),
            source=source,
            inputs=self.inputs,
            attributes=self.attributes,
            units=self.units,
            derived=tuple(self.derived),
            indicators=indicators,
            nodes=nodes,
            grades=grades,
            rankings=rankings,
            summaries=summaries,
            subunits=subunits.tables,
            rollups=subunits.rollups,
            points_rounding=points_rounding,
            node_rounding=node_rounding,
            total_rounding=total_rounding,
            periods=periods,
            flags=flags,
            reads_results=reads_results,
            period_reads=period_reads,
        )

    # -- names ---------------------------------------------------------------------
    def data_names(self) -> list[str]:
        return [*self.inputs, *self.attributes, *self.rollup_ids, *self.derived_ids]

    def all_names(self) -> list[str]:
        return [*self.data_names(), *self.indicators_raw, *self.nodes_raw, TOTAL]

    def known_after_scoring(self, name: str) -> bool:
        return (
            self.known_data(name)
            or name in self.indicators_raw
            or name in self.nodes_raw
            or name == TOTAL
        )

    def known_after_scoring_or_results(self, name: str) -> bool:
        """What a flag reads: what grade rules read, and the period's grade, ranks and
        the number of units."""
        rankings = self.doc.get("ranking")
        return (
            self.known_after_scoring(name)
            or name in ("grade", "units")
            or (isinstance(rankings, dict) and name in rankings)
        )

    def _check_unique_names(self) -> None:
        seen: dict[str, str] = {}
        for table, names in (
            ("inputs", self.inputs),
            ("attributes", self.attributes),
            ("rollup", self.rollup_ids),
            ("derived", self.derived_ids),
            ("indicator", self.indicators_raw),
            ("node", self.nodes_raw),
        ):
            for name in names:
                wrong = id_problem(name)
                if wrong is not None:
                    self.r.problem((table, name), *wrong)
                    continue
                if name == TOTAL:
                    self.r.problem((table, name), f"{TOTAL!r} is the name of the tree's root")
                elif (
                    name in seen
                    and table == "indicator"
                    and seen[name] in ("inputs", "derived", "rollup")
                ):
                    # An indicator named after its input: the name reads the input.
                    continue
                elif name in seen:
                    self.r.problem((table, name), f"{name!r} is already a name in [{seen[name]}]")
                else:
                    seen[name] = table

    # -- inputs, attributes, units -------------------------------------------------------
    def _inputs(self) -> dict[str, Input]:
        r = self.r
        out: dict[str, Input] = {}
        raw = r.table(self.doc.get("inputs", {}), ("inputs",))
        for name, spec in raw.items():
            p: Path = ("inputs", name)
            if isinstance(spec, str):
                spec = {"zh": spec}  # noqa: PLW2901 (a bare label is shorthand)
            t = r.table(
                spec, p, (*LABEL_KEYS, "unit", "type", "min", "max", "integer", "values", "note")
            )
            kind = r.string(t.get("type", "number"), (*p, "type"), ("number", "text", "bool"))
            bounds: list[Decimal | str | None] = []
            for key in ("min", "max"):
                v = t.get(key)
                if isinstance(v, str) and not _looks_numeric(v):
                    if v not in raw:
                        r.problem((*p, key), f"unknown input {v!r}", did_you_mean(v, raw))
                    bounds.append(v)
                else:
                    bounds.append(None if v is None else r.number(v, (*p, key)))
            low, high = bounds
            if isinstance(low, Decimal) and isinstance(high, Decimal) and low > high:
                r.problem(
                    (*p, "max"),
                    f"max {high} is below min {low}: no figure could be accepted",
                    "swap them",
                )
            values = tuple(str(v) for v in r.array(t.get("values", []), (*p, "values")))
            integer = r.boolean(t.get("integer", False), (*p, "integer"))
            unit = r.string(t["unit"], (*p, "unit")) if "unit" in t else None
            out[name] = Input(
                name,
                r.label(t, p),
                unit,
                kind or "number",
                bounds[0],
                bounds[1],
                bool(integer),
                values,
            )
        return out

    def _attributes(self) -> dict[str, Attribute]:
        r = self.r
        out: dict[str, Attribute] = {}
        for name, spec in r.table(self.doc.get("attributes", {}), ("attributes",)).items():
            p: Path = ("attributes", name)
            if isinstance(spec, str):
                spec = {"zh": spec}  # noqa: PLW2901 (a bare label is shorthand)
            t = r.table(spec, p, (*LABEL_KEYS, "type", "values", "note"))
            kind = r.string(t.get("type", "text"), (*p, "type"), ("text", "bool", "number"))
            values = tuple(str(v) for v in r.array(t.get("values", []), (*p, "values")))
            out[name] = Attribute(name, r.label(t, p), kind or "text", values)
        return out

    def _units(self) -> dict[str, Unit]:
        r = self.r
        out: dict[str, Unit] = {}
        for name, spec in r.table(self.doc.get("units", {}), ("units",)).items():
            p: Path = ("units", name)
            t = r.table(spec, p, (*LABEL_KEYS, *self.attributes))
            attrs_ = {k: v for k, v in t.items() if k in self.attributes}
            for key, value in attrs_.items():
                attribute = self.attributes[key]
                if attribute.values and str(value) not in attribute.values:
                    r.problem((*p, key), f"{value!r} is not one of {', '.join(attribute.values)}")
            label = r.label(t, p)
            # The key is the unit's name as the criteria write it (章贡区): its Chinese label
            # unless one is given, as a grade's name is.
            out[str(name)] = Unit(str(name), Label(label.zh or str(name), label.en), attrs_)
        return out

    # -- derived values ------------------------------------------------------------
    def _derived(self) -> list[Derived]:
        r = self.r
        raw = r.table(self.doc.get("derived", {}), ("derived",))
        self.derived_ids = set(raw)
        options = [*self.inputs, *self.attributes, *raw]
        read: dict[str, Derived] = {}
        for name, spec in raw.items():
            p: Path = ("derived", name)
            if isinstance(spec, str):
                spec = {"value": spec}  # noqa: PLW2901 (a bare expression is shorthand)
            t = r.table(spec, p, (*LABEL_KEYS, "value", "round", "on_zero_division", "note"))
            e = r.expression(r.required(t, "value", p), (*p, "value"), self.known_data, options)
            rounding = r.rounding(t["round"], (*p, "round")) if "round" in t else None
            zero = self._zero_policy(t, p, ("error", "missing"))
            if e is not None:
                read[name] = Derived(name, e, r.label(t, p), rounding, zero)
        return self._topological(read)

    def _topological(self, derived: Mapping[str, Derived]) -> list[Derived]:
        cycles: list[str] = []

        def cycle(name: str, path: list[str]) -> None:
            cycles.append(name)
            self.r.problem(("derived", name), "derived values form a cycle: " + " → ".join(path))

        # previous(x) reads last period's x, already known: not an edge of this period.
        deps = {name: sorted(d.expression.names) for name, d in derived.items()}
        order = topological(deps, cycle)
        # The engine follows a derived value back to what it reads, recursively (to trace
        # it, to name what is missing): a chain of them is bounded as the tree is.
        limit = self.r.limits.tree_depth
        depth: dict[str, int] = {}
        for name in [] if cycles else order:
            depth[name] = 1 + max((depth[d] for d in deps[name] if d in depth), default=0)
            if depth[name] > limit:
                self.r.problem(
                    ("derived", name),
                    f"derived values read one another more than {limit} deep here",
                    "see docs/limits.md: Limits(tree_depth=…) raises it",
                )
                break
        return [derived[name] for name in order]


def _looks_numeric(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True
