"""Hypothesis strategies shared by the test modules, one section per source module."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

# --- ecoscore.io.cells -------------------------------------------------------------------

_FULL_WIDTH = str.maketrans({chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F)})


@st.composite
def typed_numbers(draw: st.DrawFn) -> tuple[str, Decimal]:
    """A Decimal, and a text that a person might type for it in a spreadsheet cell.

    The text may have thousands separators, full-width characters, a Unicode minus,
    a trailing percent sign (the number is then in percent) and surrounding spaces.
    """
    digits = draw(st.integers(min_value=-(10**15), max_value=10**15))
    places = draw(st.integers(min_value=0, max_value=8))
    value = Decimal(digits).scaleb(-places)
    text = format(value, ",f" if draw(st.booleans()) else "f")
    if draw(st.booleans()):
        text = text.replace("-", "\u2212")
    text += draw(st.sampled_from(["", "%", " %", "％"]))
    if draw(st.booleans()):
        text = text.translate(_FULL_WIDTH)
    before = draw(st.sampled_from(["", " ", "\u3000", "\xa0", "\t"]))
    after = draw(st.sampled_from(["", " ", "\u3000", "\xa0", "\r\n"]))
    return before + text + after, value


# --- end of ecoscore.io.cells ------------------------------------------------------------


# --- ecoscore core: generated criteria with rows that fit them -----------------------------
#
# A criteria document is generated as nested Python data (``GeneratedCriteria.document``),
# written out as TOML by ``toml_text``, and comes with what the properties need to know
# about it: which way each input moves its indicator's contribution, each input's range,
# and the key paths the language requires. Every indicator's rule is monotone in its input,
# so a better input can be generated for any row. Numbers are Decimals with explicit
# bounds and places.

import copy  # noqa: E402  (sections are appended independently)
import json  # noqa: E402
import re  # noqa: E402
from collections.abc import Mapping  # noqa: E402
from typing import Any  # noqa: E402

import attrs  # noqa: E402

#: Rule kinds whose points never fall when their input gets better.
MONOTONE_KINDS = (
    "target",
    "condition",
    "linear",
    "formula",
    "proximity",
    "deduct",
    "bands",
    "piecewise",
    "classify",
    "count",
    "rank",
    "efficacy",
    "plain",
)
#: Every rounding mode, as criteria name them.
ROUNDING_MODES = ("half-up", "half-even", "ceiling", "floor", "down", "float")
#: The tie styles of a ranking.
RANK_STYLES = ("competition", "dense", "ordinal", "fractional")
#: Unit names, Chinese and plain, as submissions carry them.
UNIT_NAMES = (
    "章贡区",
    "南康区",
    "赣县区",
    "信丰县",
    "大余县",
    "上犹县",
    "崇义县",
    "安远县",
    "A",
    "B",
    "C",
    "D",
)
_GRADES = ("优秀", "良好", "合格", "不合格")

KeyPath = tuple[str | int, ...]


@attrs.frozen
class GeneratedCriteria:
    """A generated criteria document and what the properties know about it.

    ``better_up[name]`` is true when a larger value of the input never lowers the unit's
    total (false: a smaller value never lowers it); ``ranges[name]`` is its declared
    ``(min, max)``; ``required`` lists the key paths that the language requires.
    """

    document: Mapping[str, Any]
    better_up: Mapping[str, bool]
    ranges: Mapping[str, tuple[Decimal, Decimal]]
    required: tuple[KeyPath, ...]

    @property
    def text(self) -> str:
        """The document as TOML."""
        return toml_text(self.document)


@attrs.frozen
class ScoredCase:
    """Generated criteria and a period's rows that fit them (values as text or Decimal)."""

    criteria: GeneratedCriteria
    rows: tuple[Mapping[str, Any], ...]


# -- writing TOML --------------------------------------------------------------------------

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SUBTABLES = ("inputs", "derived", "node", "indicator", "ranking")
_ARRAYS_OF_TABLES = ("veto", "cap", "precondition")


def _toml_key(key: str) -> str:
    return key if _BARE.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"cannot write {value!r} as TOML")


def _toml_body(table: Mapping[str, Any]) -> list[str]:
    return [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items()]


def toml_text(document: Mapping[str, Any]) -> str:
    """A criteria document as TOML: top-level values, then one table per section entry."""
    lines: list[str] = []
    tables: list[str] = []
    for key, value in document.items():
        if key in _SUBTABLES and isinstance(value, Mapping):
            for name, entry in value.items():
                tables += ["", f"[{key}.{_toml_key(name)}]", *_toml_body(entry)]
        elif key in _ARRAYS_OF_TABLES and isinstance(value, (list, tuple)):
            for entry in value:
                tables += ["", f"[[{key}]]", *_toml_body(entry)]
        elif isinstance(value, Mapping):
            tables += ["", f"[{key}]", *_toml_body(value)]
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    return "\n".join([*lines, *tables]) + "\n"


def without_key(document: Mapping[str, Any], path: KeyPath) -> dict[str, Any]:
    """A deep copy of ``document`` with the key at ``path`` removed."""
    copied: Any = copy.deepcopy(dict(document))
    holder = copied
    for part in path[:-1]:
        holder = holder[part]
    del holder[path[-1]]
    return copied  # type: ignore[no-any-return]


# -- numbers ---------------------------------------------------------------------------------


def _dec(
    draw: st.DrawFn, low: Decimal | int | str, high: Decimal | int | str, places: int
) -> Decimal:
    """A Decimal in ``[low, high]`` with at most ``places`` places."""
    return draw(
        st.decimals(
            min_value=Decimal(low),
            max_value=Decimal(high),
            places=places,
            allow_nan=False,
            allow_infinity=False,
        )
    )


def _rounding(draw: st.DrawFn) -> str:
    # Places from 0 up: a rounding to tens could lift points above an integer maximum.
    return f"{draw(st.integers(0, 3))} {draw(st.sampled_from(ROUNDING_MODES))}"


def _cuts(draw: st.DrawFn, low: Decimal, high: Decimal, count: int) -> list[Decimal]:
    """``count`` distinct increasing numbers in ``[low, high]``, two places."""
    values = draw(
        st.lists(
            st.decimals(min_value=low, max_value=high, places=2),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    return sorted(values)


def _levels(draw: st.DrawFn, points: Decimal, count: int, rising: bool) -> list[Decimal]:
    """``count`` points in ``[0, points]``, non-decreasing when ``rising``."""
    values = sorted(
        draw(
            st.lists(
                st.decimals(min_value=Decimal(0), max_value=points, places=1),
                min_size=count,
                max_size=count,
            )
        )
    )
    return values if rising else values[::-1]


# -- one indicator ---------------------------------------------------------------------------


class _Builder:
    """Collects inputs, derived values and required key paths while a document grows."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.inputs: dict[str, dict[str, Any]] = {}
        self.derived: dict[str, dict[str, Any]] = {}
        self.better_up: dict[str, bool] = {}
        self.ranges: dict[str, tuple[Decimal, Decimal]] = {}
        self.required: list[KeyPath] = [("ecoscore",), ("id",), ("title",)]
        self.count = 0

    def fresh(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def new_input(self, low: Decimal | None = None, high: Decimal | None = None) -> str:
        draw = self.draw
        name = self.fresh("x")
        if low is None:
            low = _dec(draw, 0, 50, 1)
        if high is None:
            high = low + _dec(draw, 1, 100, 1)
        self.inputs[name] = {"zh": f"输入{name}", "en": f"input {name}", "min": low, "max": high}
        self.ranges[name] = (low, high)
        return name

    def indicator(self, ident: str, effect: str) -> dict[str, Any]:
        """An indicator of a random monotone kind, reading fresh inputs."""
        draw = self.draw
        # A deduct rule gives the points left, so the loader refuses it as a deduction.
        kinds = [k for k in MONOTONE_KINDS if not (effect == "deduction" and k == "deduct")]
        kind = draw(st.sampled_from(kinds))
        points = Decimal(draw(st.integers(1, 30)))
        up = draw(st.booleans())  # whether a larger value earns more points
        here: KeyPath = ("indicator", ident)
        spec: dict[str, Any] = {"zh": f"指标{ident}", "en": f"indicator {ident}", "points": points}
        if effect != "score":
            spec["effect"] = effect
            if kind != "count":  # a count is capped by its items without points
                self.required.append((*here, "points"))
        x = self.new_input(Decimal(0), points) if kind == "plain" else self.new_input()
        low, high = self.ranges[x]
        t = _dec(draw, low, high, 2)
        reads = [x]
        if kind == "target":
            key = draw(st.sampled_from(("at_least", "above") if up else ("at_most", "below")))
            spec["target"] = {key: t}
            spec["else"] = _dec(draw, 0, points, 1)
            self.required += [(*here, "points"), (*here, "target", key)]
        elif kind == "condition":
            symbol = draw(st.sampled_from((">=", ">") if up else ("<=", "<")))
            spec["condition"] = f"{x} {symbol} {t}"
            self.required.append((*here, "points"))
        elif kind in ("linear", "proximity"):
            a = _dec(draw, low, high, 2)
            b = a + _dec(draw, "0.01", 50, 2)
            if kind == "linear":
                spec["linear"] = (
                    {"zero_at": a, "full_at": b} if up else {"zero_at": b, "full_at": a}
                )
                self.required += [
                    (*here, "points"),
                    (*here, "linear", "zero_at"),
                    (*here, "linear", "full_at"),
                ]
            else:
                spec["proximity"] = {"best": b, "worst": a} if up else {"best": a, "worst": b}
                self.required += [(*here, "proximity", "best"), (*here, "proximity", "worst")]
        elif kind == "formula":
            slope = _dec(draw, "0.1", 5, 1) * (1 if up else -1)
            spec["formula"] = f"{slope} * {x} + ({_dec(draw, -50, 50, 1)})"
            if draw(st.booleans()):
                spec["floor"] = _dec(draw, 0, points, 1)
        elif kind == "deduct":
            side = "below" if up else "above"
            spec["deduct"] = {side: t, "each": _dec(draw, "0.1", 5, 1)}
            if draw(st.booleans()):
                spec["deduct"]["per"] = _dec(draw, "0.5", 10, 1)
            if draw(st.booleans()):
                spec["deduct"]["whole_units"] = draw(st.booleans())
            self.required += [(*here, "points"), (*here, "deduct", side), (*here, "deduct", "each")]
        elif kind == "bands":
            spec["bands"] = self._bands(here, low, high, points, up)
        elif kind == "piecewise":
            n = draw(st.integers(2, 5))
            levels = _levels(draw, points, n, up)
            spec["piecewise"] = {"breakpoints": _cuts(draw, low, high, n), "values": levels}
            if draw(st.booleans()):
                spec["piecewise"]["beyond"] = (
                    _dec(draw, levels[-1], points, 1) if up else _dec(draw, 0, levels[-1], 1)
                )
            self.required += [(*here, "piecewise", "breakpoints"), (*here, "piecewise", "values")]
        elif kind == "classify":
            spec["classify"] = self._classify(here, x, points)
            up = False  # limits are upper limits: a smaller value is a better class
        elif kind == "count":
            reads = [x, *(self.new_input() for _ in range(draw(st.integers(0, 2))))]
            items = []
            for i, name in enumerate(reads):
                item: dict[str, Any] = {"of": name, "each": _dec(draw, "0.1", 3, 1)}
                if draw(st.booleans()):
                    item["at_most"] = _dec(draw, "0.5", points, 1)
                items.append(item)
                self.required += [(*here, "count", i, "of"), (*here, "count", i, "each")]
            spec["count"] = items
            up = True
        elif kind == "rank":
            spec["rank"] = {
                "better": "higher" if up else "lower",
                "step": _dec(draw, "0.5", 5, 1),
                "floor": _dec(draw, 0, points / 2, 0),
                "ties": draw(st.sampled_from(("competition", "dense"))),
            }
            self.required.append((*here, "rank", "step"))
        elif kind == "plain":
            up = True  # the points are the value itself
        elif kind == "efficacy":
            base = _dec(draw, 0, 90, 0)
            spec["efficacy"] = {
                "better": "higher" if up else "lower",
                "base": base,
                "span": 100 - base,
                "when_all_equal": _dec(draw, base, 100, 1),
            }
        if kind not in ("condition", "formula", "count", "classify"):
            reads = [self._value(spec, ident, x, scale=kind != "plain")]
        if kind in ("plain", "linear", "bands") and draw(st.booleans()):
            spec["round_points"] = _rounding(draw)
        if draw(st.integers(0, 3)) == 0 and "value" in spec:
            spec["round_value"] = _rounding(draw)
        for name in reads:
            self.better_up[name] = up != (effect == "deduction")
        return spec

    def _value(self, spec: dict[str, Any], ident: str, x: str, *, scale: bool) -> str:
        """How the indicator reads its input (by its name, by value = x, or, when ``scale``,
        via x × c); returns the input's name."""
        draw = self.draw
        ways = ("name", "value", "scaled", "derived") if scale else ("name", "value")
        how = draw(st.sampled_from(ways))
        if how == "name":
            # Rename the input after the indicator: the indicator then reads it by name.
            self.inputs[ident] = self.inputs.pop(x)
            self.ranges[ident] = self.ranges.pop(x)
            return ident
        if how == "scaled":
            spec["value"] = f"{x} * {_dec(draw, '0.5', 3, 1)}"
        elif how == "derived":
            d = self.fresh("d")
            self.derived[d] = {"value": f"{x} * {_dec(draw, '0.5', 3, 1)}"}
            if draw(st.booleans()):
                self.derived[d]["round"] = _rounding(draw)
            self.required.append(("derived", d, "value"))
            spec["value"] = d
        else:
            spec["value"] = x
        self.required.append(("indicator", ident, "value"))
        return x

    def _bands(
        self, here: KeyPath, low: Decimal, high: Decimal, points: Decimal, up: bool
    ) -> list[dict[str, Any]]:
        draw = self.draw
        cuts = _cuts(draw, low, high, draw(st.integers(1, 4)))
        levels = _levels(draw, points, len(cuts) + 1, up)
        # For each cut: does it belong to the band above it (≥) or below it (≤)?
        upper = [draw(st.booleans()) for _ in cuts]
        bands: list[dict[str, Any]] = []
        for i in range(len(cuts) + 1):
            band: dict[str, Any] = {}
            if i > 0:
                band["at_least" if upper[i - 1] else "above"] = cuts[i - 1]
            if i < len(cuts):
                band["below" if upper[i] else "at_most"] = cuts[i]
            band["points"] = levels[i]
            bands.append(band)
        last = len(cuts)
        if draw(st.booleans()):
            bands[last] = {"otherwise": True, "points": levels[last]}
        else:
            self.required.append((*here, "bands", last, next(iter(bands[last]))))
        self.required.append((*here, "bands", 0, next(iter(bands[0]))))
        self.required += [(*here, "bands", i, "points") for i in range(len(bands))]
        return bands

    def _classify(self, here: KeyPath, x: str, points: Decimal) -> dict[str, Any]:
        draw = self.draw
        low, high = self.ranges[x]
        classes = ["I", "II", "III"]
        levels = _levels(self.draw, points, 4, rising=False)
        self.required += [(*here, "classify", "classes"), (*here, "classify", "worse")]
        return {
            "classes": classes,
            "worse": "劣Ⅴ",
            "at_most": {x: _cuts(draw, low, high, 3)},
            "points": dict(zip([*classes, "劣Ⅴ"], levels, strict=True)),
        }


# -- the tree ----------------------------------------------------------------------------


def _children(
    b: _Builder,
    parent: str,
    aggregate: str,
    depth: int,
    nodes: dict[str, dict[str, Any]],
    indicators: dict[str, dict[str, Any]],
) -> tuple[list[str], Decimal | None]:
    """Children for ``parent``; returns their ids and the sum of their points (or None)."""
    draw = b.draw
    ids: list[str] = []
    total: Decimal | None = Decimal(0)
    for _ in range(draw(st.integers(1, 3))):
        weight = _dec(draw, "0.5", 5, 1) if aggregate == "weighted-mean" else None
        if depth < 2 and draw(st.integers(0, 3)) == 0:
            ident = b.fresh("n")
            child_aggregate = draw(
                st.sampled_from(("sum", "sum", "mean", "weighted-mean", "min", "max", "formula"))
            )
            spec: dict[str, Any] = {"zh": f"节点{ident}", "parent": parent}
            nodes[ident] = spec
            kids, points = _children(b, ident, child_aggregate, depth + 1, nodes, indicators)
            if child_aggregate == "formula":
                spec["aggregate"] = "formula"
                joiner = draw(st.sampled_from((" + ", ", ")))
                fn = "" if joiner == " + " else draw(st.sampled_from(("max", "min")))
                spec["formula"] = f"{fn}({joiner.join(kids)})"
                b.required.append(("node", ident, "formula"))
            elif child_aggregate != "sum":
                spec["aggregate"] = child_aggregate
            if child_aggregate == "sum" and points is not None and draw(st.booleans()):
                spec["points"] = points
            else:
                points = None
            if draw(st.integers(0, 3)) == 0:
                spec["round"] = _rounding(draw)
        else:
            ident = b.fresh("i")
            effect = "score"
            if aggregate == "sum":
                effect = draw(st.sampled_from(("score", "score", "score", "bonus", "deduction")))
            spec = b.indicator(ident, effect)
            if parent != "total":
                spec["parent"] = parent
            indicators[ident] = spec
            points = spec["points"] if effect == "score" else Decimal(0)
        if weight is not None:
            spec["weight"] = weight
        ids.append(ident)
        total = None if total is None or points is None else total + points
    return ids, total


@st.composite
def criteria_documents(draw: st.DrawFn) -> GeneratedCriteria:
    """A valid criteria document: a random tree of monotone indicators, every section.

    It has rounding, inputs, derived values, nodes of every monotone aggregate, scores,
    bonuses and deductions, grades with a veto, a cap, a precondition and a quota, one
    ranking per tie style, and a ranking with a tie-break.
    """
    b = _Builder(draw)
    nodes: dict[str, dict[str, Any]] = {}
    indicators: dict[str, dict[str, Any]] = {}
    _, points = _children(b, "total", "sum", 0, nodes, indicators)
    document: dict[str, Any] = {
        "ecoscore": 1,
        "id": "generated",
        "title": {"zh": "生成的考核", "en": "Generated assessment"},
    }
    rounding = {k: _rounding(draw) for k in ("points", "nodes", "total") if draw(st.booleans())}
    if rounding:
        document["rounding"] = rounding
    document["inputs"] = b.inputs
    if b.derived:
        document["derived"] = b.derived
    if nodes:
        document["node"] = nodes
    total: dict[str, Any] = {"zh": "总分"}
    if points is not None and draw(st.booleans()):
        total["points"] = points
    document["total"] = total
    document["indicator"] = indicators
    cuts = _cuts(draw, Decimal(1), Decimal(100), 3)[::-1]
    bands: list[dict[str, Any]] = [
        {"grade": g, "at_least": c} for g, c in zip(_GRADES, cuts, strict=False)
    ]
    bands.append({"grade": _GRADES[-1], "en": "Fail"})
    document["grades"] = {"bands": bands, "quota": {_GRADES[0]: "50%"}, "quota_ties": "keep"}
    any_input = draw(st.sampled_from(sorted(b.inputs)))
    mid = _dec(draw, *b.ranges[any_input], 2)
    document["veto"] = [
        {"when": f"{any_input} > {mid}", "grade": _GRADES[-1], "why": {"zh": "否决", "en": "veto"}}
    ]
    document["cap"] = [{"when": f"{any_input} < {mid}", "grade": _GRADES[1]}]
    document["precondition"] = [{"requires": "total >= 0", "grade": _GRADES[0]}]
    b.required += [
        ("grades", "bands"),
        *(("grades", "bands", i, "grade") for i in range(4)),
        ("veto", 0, "when"),
        ("veto", 0, "grade"),
        ("cap", 0, "when"),
        ("cap", 0, "grade"),
        ("precondition", 0, "requires"),
        ("precondition", 0, "grade"),
    ]
    document["ranking"] = {style: {"ties": style} for style in RANK_STYLES}
    document["ranking"]["tie-broken"] = {"tie_break": [{"by": any_input, "order": "ascending"}]}
    b.required.append(("ranking", "tie-broken", "tie_break", 0, "by"))
    return GeneratedCriteria(document, dict(b.better_up), dict(b.ranges), tuple(b.required))


def _cell(draw: st.DrawFn, value: Decimal) -> Any:
    """A value as a submission may carry it: text (as typed), Decimal, or int."""
    form = draw(st.sampled_from(("text", "text", "decimal", "int")))
    if form == "decimal":
        return value
    if form == "int" and value == value.to_integral_value():
        return int(value)
    return format(value, "f")


@st.composite
def scored_cases(draw: st.DrawFn, min_units: int = 1, max_units: int = 6) -> ScoredCase:
    """Generated criteria and 1–6 units' rows within every input's range; some units
    copy another's figures, so that ties happen."""
    criteria = draw(criteria_documents())
    units = draw(
        st.lists(st.sampled_from(UNIT_NAMES), min_size=min_units, max_size=max_units, unique=True)
    )
    figures: list[dict[str, Decimal]] = []
    for _ in units:
        if figures and draw(st.integers(0, 2)) == 0:
            figures.append(dict(draw(st.sampled_from(figures))))
            continue
        figures.append(
            {
                name: _dec(draw, low, high, draw(st.integers(0, 3)))
                for name, (low, high) in criteria.ranges.items()
            }
        )
    rows = tuple(
        {"unit": unit, **{k: _cell(draw, v) for k, v in values.items()}}
        for unit, values in zip(units, figures, strict=True)
    )
    return ScoredCase(criteria, rows)


@st.composite
def improvements(
    draw: st.DrawFn, case: ScoredCase
) -> tuple[str, str, tuple[Mapping[str, Any], ...]]:
    """One unit, one input, and the rows with that input made better (or kept equal)
    for that unit, within its range."""
    index = draw(st.integers(0, len(case.rows) - 1))
    name = draw(st.sampled_from(sorted(case.criteria.ranges)))
    low, high = case.criteria.ranges[name]
    current = Decimal(str(case.rows[index][name]))
    if case.criteria.better_up[name]:
        better = _dec(draw, current, high, 3)
    else:
        better = _dec(draw, low, current, 3)
    rows = list(case.rows)
    rows[index] = {**rows[index], name: format(better, "f")}
    return str(case.rows[index]["unit"]), name, tuple(rows)


# -- numbers and roundings (test_numbers) -------------------------------------------------


@st.composite
def roundings(draw: st.DrawFn) -> tuple[int, str]:
    """Places (0–6) and a decimal rounding mode (not "float")."""
    return draw(st.integers(0, 6)), draw(st.sampled_from(ROUNDING_MODES[:-1]))


@st.composite
def plain_decimals(draw: st.DrawFn) -> Decimal:
    """A Decimal of up to 12 integer digits and up to 10 places, either sign."""
    places = draw(st.integers(0, 10))
    return Decimal(draw(st.integers(-(10**22), 10**22))).scaleb(-places)


# -- ranks (test_ranking) ----------------------------------------------------------------


@st.composite
def rank_keys(draw: st.DrawFn) -> list[tuple[str, Decimal | None, tuple[Decimal | None, ...]]]:
    """Units with values drawn from a few, so that ties are common; some have no value;
    each has one tie-break value, sometimes missing."""
    pool = draw(
        st.lists(
            st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=1),
            min_size=1,
            max_size=4,
        )
    )
    units = draw(st.lists(st.sampled_from(UNIT_NAMES), min_size=1, max_size=10, unique=True))
    value = st.one_of(st.none(), st.sampled_from(pool), st.sampled_from(pool))
    return [(u, draw(value), (draw(value),)) for u in units]


# -- bad input (test_properties) -----------------------------------------------------------

#: Cells as people and programs get them wrong: text, blanks, NaN and infinity in every
#: form, huge exponents, booleans, the wrong container.
BAD_CELLS = (
    "",
    "  ",
    "abc",
    "三",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1e999999999",
    "1e-999999999",
    "12,5",
    "95%",
    "--1",
    "0x10",
    "1_000",
    "是",
    None,
    True,
    False,
    float("nan"),
    float("inf"),
    -1.5,
    Decimal("NaN"),
    Decimal("-Infinity"),
    Decimal("1E+999999"),
    -(10**30),
    [],
    {},
)


@st.composite
def corrupted_rows(draw: st.DrawFn, case: ScoredCase) -> tuple[Mapping[str, Any], ...]:
    """The case's rows with some cells replaced by bad values, and maybe a unit repeated
    or a row without a unit."""
    rows = [dict(row) for row in case.rows]
    names = sorted(case.criteria.ranges)
    for _ in range(draw(st.integers(1, 4))):
        row = draw(st.sampled_from(rows))
        row[draw(st.sampled_from(names))] = draw(st.sampled_from(BAD_CELLS))
    extra = draw(st.sampled_from(("none", "repeat", "no unit", "drop")))
    if extra == "repeat":
        rows.append(dict(draw(st.sampled_from(rows))))
    elif extra == "no unit":
        rows.append({k: v for k, v in rows[0].items() if k != "unit"})
    elif extra == "drop":
        row = draw(st.sampled_from(rows))
        del row[draw(st.sampled_from(names))]
    return tuple(rows)


@st.composite
def damaged_texts(draw: st.DrawFn, text: str) -> str:
    """A criteria text with one line deleted, duplicated or cut short."""
    lines = text.splitlines()
    i = draw(st.integers(0, len(lines) - 1))
    how = draw(st.sampled_from(("delete", "duplicate", "cut")))
    if how == "delete":
        del lines[i]
    elif how == "duplicate":
        lines.insert(i, lines[i])
    else:
        lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
    return "\n".join(lines) + "\n"


# --- end of ecoscore core ------------------------------------------------------------------


# --- ecoscore.engine.summary ----------------------------------------------------------------------


@st.composite
def summary_rows(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of tests/test_summary.py's criteria (a number ``x``, possibly missing, a text
    ``kind`` and a ``river``), and the same rows in another order."""
    count = draw(st.integers(min_value=1, max_value=12))
    rows = [
        {
            "unit": f"u{k:02d}",
            "river": draw(st.sampled_from(["a", "b", None])),
            "kind": draw(st.sampled_from(["A", "B"])),
            "x": draw(st.none() | st.integers(-50, 150).map(str) | plain_decimals().map(str)),
        }
        for k in range(count)
    ]
    return rows, draw(st.permutations(rows))


# --- end of ecoscore.engine.summary ---------------------------------------------------------------


#: The missing-value policies an indicator may declare (``None``: none declared).
MISSING_POLICIES = (None, "zero", "exclude", "previous", Decimal("1.5"))


@st.composite
def off_the_common_path(draw: st.DrawFn) -> tuple[ScoredCase, tuple[Mapping[str, Any], ...]]:
    """A scored case whose indicators may declare a missing policy, and its rows with
    some cells blanked, made bad or made of the wrong kind, and maybe a previous period:
    cells that leave the compiled engine's fast path."""
    case = draw(scored_cases())
    document = copy.deepcopy(dict(case.criteria.document))
    for spec in document.get("indicator", {}).values():
        policy = draw(st.sampled_from(MISSING_POLICIES))
        if policy is not None:
            spec["missing"] = policy
    criteria = attrs.evolve(case.criteria, document=document)
    rows = [dict(row) for row in case.rows]
    names = sorted(case.criteria.ranges)
    for _ in range(draw(st.integers(0, 4))):
        row = draw(st.sampled_from(rows))
        row[draw(st.sampled_from(names))] = draw(st.sampled_from((None, "", *BAD_CELLS)))
    previous = tuple(dict(row) for row in case.rows if draw(st.booleans()))
    return ScoredCase(criteria, tuple(rows)), previous


# --- ecoscore.engine.rollup ------------------------------------------------------------

#: The water classes, best first, as a sub-unit table declares them.
WATER_CLASSES = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ")


@st.composite
def section_rows(draw: st.DrawFn, max_units: int = 3) -> list[dict[str, Any]]:
    """Rows of a sub-unit table of water sections: each of up to ``max_units`` units
    ("u0", "u1", …) with up to six sections, each in a class or with none (missing)."""
    rows: list[dict[str, Any]] = []
    units = draw(st.integers(min_value=1, max_value=max_units))
    for u in range(units):
        for s in range(draw(st.integers(min_value=0, max_value=6))):
            cls = draw(st.one_of(st.none(), st.sampled_from(WATER_CLASSES)))
            rows.append({"section": f"u{u}s{s}", "unit": f"u{u}", "water_class": cls})
    return rows


# --- the fuzz suite (tests/test_fuzz.py) -------------------------------------------------------

#: Text a careless editor or a hostile user puts into a file: invisible and full-width
#: characters, a right-to-left mark, control characters, TOML's brackets and quotes.
FUZZ_UNICODE = (
    "\u200b",
    "\ufeff",
    "\u3000",
    "ｐｍ２５",
    "＝",
    "，",
    "“",
    "\u202e",
    "\x00",
    "\x7f",
    "\x1b",
    "💥",
    "优秀",
    "\n",
    "\t",
    '"',
    "'",
    "[",
    "{",
    "\\",
    "\r",
)

#: Values of the wrong type, and values that are bombs or bounds, for a criteria key.
FUZZ_VALUES = (
    "true",
    '"text"',
    "[1, 2]",
    "{ a = 1 }",
    "1e999",
    "-1",
    "0",
    "nan",
    "inf",
    "1979-05-27",
    '"9 ** 9 ** 9"',
    "\"'a' * 10 ** 9\"",
    '"exp(10 ** 100)"',
    '"round(x, 10 ** 100)"',
    '"' + "x + " * 120 + 'x"',
    '"' + "(" * 120 + "x" + ")" * 120 + '"',
    '"' + "-" * 3000 + 'x"',
    '"100 half-up"',
    '"-1 half-up"',
    '"and"',
    '"ｐｍ25"',
    "'''\n'''",
)

FUZZ_ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "gb18030")


@st.composite
def damaged_criteria(draw: st.DrawFn, text: str) -> bytes:
    """A criteria text damaged one to three times — a span of lines deleted, a line
    duplicated, a value retyped, the text truncated, a value nested in brackets, Unicode
    inserted — and encoded, mostly as UTF-8."""
    for _ in range(draw(st.integers(1, 3))):
        lines = text.splitlines() or [""]
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(
            st.sampled_from(("delete", "duplicate", "retype", "truncate", "nest", "unicode"))
        )
        if how == "delete":
            del lines[i : i + draw(st.integers(1, 5))]
        elif how == "duplicate":
            lines.insert(i, lines[i])
        elif how in ("retype", "nest") and "=" in lines[i]:
            key, value = lines[i].split("=", 1)
            if how == "retype":
                value = " " + draw(st.sampled_from(FUZZ_VALUES))
            else:
                depth = draw(st.integers(1, 40))
                value = " " + "[" * depth + value.strip() + "]" * depth
            lines[i] = f"{key}={value}"
        text = "\n".join(lines) + "\n"
        if how == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        elif how == "unicode":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(FUZZ_UNICODE)) + text[at:]
    return text.encode(draw(st.sampled_from(FUZZ_ENCODINGS)), errors="replace")


#: Cells as offices type them, and as programs spoil them.
FUZZ_CELLS = (
    "",
    " ",
    "abc",
    "三",
    "NaN",
    "inf",
    "1e999999999",
    "1e-999999999",
    "-1",
    "95%",
    "９５．５",
    "=A1*2",
    "#DIV/0!",
    "#N/A",
    "是",
    "1,234.5",
    "12,5",
    "\u200b5",
    "💥",
    "'5",
    "9" * 40,
    '"',
    "a\nb",
    "—",
    "/",
)


@st.composite
def damaged_rows(draw: st.DrawFn, rows: list[list[str]]) -> list[list[str]]:
    """A table's rows (the header first) damaged one to four times: a cell replaced, a row
    deleted, duplicated, cut short or lengthened, a blank row, a header name changed."""
    rows = [list(row) for row in rows]
    for _ in range(draw(st.integers(1, 4))):
        how = draw(
            st.sampled_from(
                ("cell", "cell", "cell", "delete", "duplicate", "short", "long", "blank", "header")
            )
        )
        k = draw(st.integers(1, len(rows) - 1)) if len(rows) > 1 else 0
        row = rows[k]
        if how == "cell" and row:
            row[draw(st.integers(0, len(row) - 1))] = draw(st.sampled_from(FUZZ_CELLS))
        elif how == "delete" and len(rows) > 1:
            del rows[k]
        elif how == "duplicate":
            rows.insert(k, list(row))
        elif how == "short" and row:
            rows[k] = row[: draw(st.integers(0, len(row) - 1))]
        elif how == "long":
            row.append(draw(st.sampled_from(FUZZ_CELLS)))
        elif how == "blank":
            rows.insert(k, [""] * len(row))
        elif how == "header" and rows[0]:
            rows[0][draw(st.integers(0, len(rows[0]) - 1))] = draw(
                st.sampled_from(("", "unit", "单位", "ｐｍ25", "pm25 ", rows[0][-1]))
            )
    return rows


@st.composite
def csv_bytes(draw: st.DrawFn, rows: list[list[str]]) -> bytes:
    """Rows written as CSV with a delimiter, line ending and encoding an office might use."""
    import csv
    import io

    delimiter = draw(st.sampled_from((",", ",", ",", ";", "\t", "|")))
    ending = draw(st.sampled_from(("\n", "\r\n", "\r")))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=ending).writerows(rows)
    encoding = draw(st.sampled_from(("utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16")))
    return buffer.getvalue().encode(encoding, errors="replace")
