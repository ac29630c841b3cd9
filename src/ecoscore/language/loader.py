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
from ecoscore.language.grades import read_grades, read_rankings
from ecoscore.language.reader import Path, TableReader, did_you_mean, topological
from ecoscore.language.sourcemap import key_positions
from ecoscore.language.subunits import read_subunits
from ecoscore.language.summaries import read_summaries
from ecoscore.language.tree import LABEL_KEYS, TreeParts
from ecoscore.model import (
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


def load(path: str | os.PathLike[str]) -> Criteria:
    """Load a criteria file; raise ``CriteriaError`` listing every problem in it."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise CriteriaError(
            [Problem(f"cannot read the criteria file: {exc.strerror}", Location(name))]
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CriteriaError(
            [Problem(f"not UTF-8 text (byte {exc.start})", Location(name))]
        ) from None
    return loads(text, source=name, _sha256=hashlib.sha256(data).hexdigest())


def loads(text: str, *, source: str = "<criteria>", _sha256: str | None = None) -> Criteria:
    """Load criteria from a TOML string; ``source`` names it in messages."""
    try:
        doc = tomli.loads(text, parse_float=Decimal)
    except tomli.TOMLDecodeError as exc:
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
        raise CriteriaError(
            [Problem(f"TOML syntax: {message}", Location(source, line, col), hint)]
        ) from None
    positions = key_positions(text)
    r = TableReader(source, positions)
    criteria = _Document(r, doc).read()
    if r.problems or criteria is None:
        raise CriteriaError(sorted(r.problems, key=_order))
    if _sha256 is None:
        _sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return attrs.evolve(criteria, sha256=_sha256, path=source, positions=positions)


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

        self.inputs = self._inputs()
        self.attributes = self._attributes()
        self.units = self._units()
        # Sub-unit tables and roll-ups (language.subunits): a roll-up reads as an input.
        subunits = read_subunits(r, doc)
        self.rollup_ids, self.rollup_domains = set(subunits.rollups), subunits.domains
        self.derived = self._derived()
        self.nodes_raw = r.table(doc.get("node", {}), ("node",))
        self.indicators_raw = r.table(doc.get("indicator", {}), ("indicator",))
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
        def cycle(name: str, path: list[str]) -> None:
            self.r.problem(("derived", name), "derived values form a cycle: " + " → ".join(path))

        # previous(x) reads last period's x, already known: not an edge of this period.
        deps = {name: sorted(d.expression.names) for name, d in derived.items()}
        return [derived[name] for name in topological(deps, cycle)]


def _looks_numeric(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True
