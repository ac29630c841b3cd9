"""Tests for ecoscore.language.loader: TOML criteria into checked values, every problem at once."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

import ecoscore
from ecoscore.errors import CriteriaError
from ecoscore.language.loader import LANGUAGE_VERSIONS
from ecoscore.model import TOTAL, Label
from ecoscore.numbers import Rounding

_HEAD = """\
ecoscore = 1
id = "t"
title = "T"
[inputs]
found = { zh = "发现问题数", min = 0, integer = true }
fixed = { zh = "整改问题数", min = 0, max = "found" }
pm25 = "PM2.5 年均浓度"
"""

_FULL = """\
ecoscore = 1
id = "demo"
title = { zh = "示例", en = "Demo" }
source = "赣州市生态环境局"

[rounding]
points = "2 half-up"
nodes = "1 half-even"
total = "1 half-up"

[inputs]
found = { zh = "发现问题数", en = "Problems found", min = 0, integer = true }
fixed = { zh = "整改问题数", min = 0, max = "found" }
pm25 = { zh = "PM2.5", unit = "µg/m³", min = 0 }
plan = { zh = "方案", type = "text", values = ["有", "无"] }

[attributes]
kind = { zh = "类型", values = ["区", "县"] }
key_region = { zh = "重点区域", type = "bool" }

[units."章贡区"]
en = "Zhanggong"
kind = "区"

[derived]
share = "rate / 100"
rate = { value = "fixed / found * 100", round = "1 half-up", on_zero_division = "missing" }

[node.air]
zh = "大气"
points = 10

[indicator.pm25]
parent = "air"
points = 10
target = { at_most = 35 }

[indicator.rate]
points = 5
linear = { zero_at = 50, full_at = 100 }
missing = "zero"
round_points = "1 floor"

[indicator.bonus]
effect = "bonus"
points = 2
condition = "plan == \\"有\\""
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(CriteriaError) as caught:
        ecoscore.loads(text, source="x.toml")
    return [str(p) for p in caught.value.problems]


def test_a_criteria_file_loads_into_values() -> None:
    """Every section of a criteria file becomes its frozen value."""
    c = ecoscore.loads(_FULL, source="demo.toml")
    assert ("demo", Label("示例", "Demo"), 1, "赣州市生态环境局") == (
        c.id,
        c.title,
        c.version,
        c.source,
    )
    assert (Rounding(2, "half-up"), Rounding(1, "half-even"), Rounding(1, "half-up")) == (
        c.points_rounding,
        c.node_rounding,
        c.total_rounding,
    )
    assert ["found", "fixed", "pm25", "plan"] == list(c.inputs)
    assert ("found", True, Decimal(0)) == (
        c.inputs["fixed"].maximum,
        c.inputs["found"].integer,
        c.inputs["found"].minimum,
    )
    assert ("text", ("有", "无")) == (c.inputs["plan"].type, c.inputs["plan"].values)
    assert ("bool", ("区", "县")) == (c.attributes["key_region"].type, c.attributes["kind"].values)
    assert (Label("章贡区", "Zhanggong"), {"kind": "区"}) == (
        c.units["章贡区"].label,
        dict(c.units["章贡区"].attributes),
    )


def test_derived_values_are_ordered_by_dependency() -> None:
    """A derived value comes after the derived values it reads, with its policies."""
    c = ecoscore.loads(_FULL)
    assert ["rate", "share"] == [d.id for d in c.derived]
    rate = c.derived[0]
    assert (Rounding(1, "half-up"), "missing") == (rate.rounding, rate.on_zero_division)


def test_the_tree_links_indicators_and_nodes() -> None:
    """Indicators hang under their parent (the total by default), nodes under theirs."""
    c = ecoscore.loads(_FULL)
    assert ("air", "rate", "bonus") == c.total.children
    assert ("pm25",) == c.nodes["air"].children
    assert (None, TOTAL) == (c.total.parent, c.nodes["air"].parent)
    rate = c.indicators["rate"]
    assert (Decimal(5), None, "zero", Rounding(1, "floor"), "linear") == (
        rate.points,
        rate.weight,
        rate.missing,
        rate.points_rounding,
        rate.rule.kind,
    )
    assert ("bonus", "condition") == (c.indicators["bonus"].effect, c.indicators["bonus"].rule.kind)


def test_labels_are_found_by_name() -> None:
    """label_of finds any named thing's label in either language, or gives the name."""
    c = ecoscore.loads(_FULL)
    assert ("大气", "Problems found", "发现问题数", "类型", "nobody") == (
        c.label_of("air"),
        c.label_of("found", "en"),
        c.label_of("found", "zh"),
        c.label_of("kind"),
        c.label_of("nobody"),
    )


def test_load_reads_a_file_and_fingerprints_its_bytes(tmp_path: Path) -> None:
    """load() reads UTF-8 (with or without BOM) and records the file's path and SHA-256."""
    data = "\ufeff".encode() + _FULL.encode("utf-8")
    path = tmp_path / "demo.toml"
    path.write_bytes(data)
    c = ecoscore.load(path)
    assert (hashlib.sha256(data).hexdigest(), str(path)) == (c.sha256, c.path)


def test_loads_fingerprints_the_text() -> None:
    """loads() records the SHA-256 of the UTF-8 text and the source name given."""
    c = ecoscore.loads(_FULL, source="demo.toml")
    assert (hashlib.sha256(_FULL.encode()).hexdigest(), "demo.toml") == (c.sha256, c.path)


def test_a_file_that_is_not_there_is_a_criteria_error(tmp_path: Path) -> None:
    """A missing file is reported by name, not raised as OSError."""
    path = tmp_path / "nope.toml"
    with pytest.raises(CriteriaError) as caught:
        ecoscore.load(path)
    assert [f"{path}: cannot read the criteria file: No such file or directory"] == [
        str(p) for p in caught.value.problems
    ]


def test_a_file_that_is_not_utf8_is_a_criteria_error(tmp_path: Path) -> None:
    """A GBK-encoded criteria file is refused with the offending byte."""
    path = tmp_path / "gbk.toml"
    path.write_bytes('title = "赣州"'.encode("gbk"))
    with pytest.raises(CriteriaError, match=r"not UTF-8 text \(byte 9\)"):
        ecoscore.load(path)


def test_the_language_version_is_one() -> None:
    """This release reads version 1 of the criteria language."""
    assert (1,) == LANGUAGE_VERSIONS


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        (
            '[inputs.bad]\nmax = "fond"\n[indicator.pm25]\npoints = 1\ntarget = { at_most = 1 }\n',
            ["x.toml:9:1: inputs.bad.max: unknown input 'fond' (did you mean 'found'?)"],
        ),
        (
            '[derived]\npm25 = "found"\n[indicator.pm25]\npoints = 1\ntarget = { at_most = 1 }\n',
            ["x.toml:9:1: derived.pm25: 'pm25' is already a name in [inputs]"],
        ),
        (
            "[node.total]\n[indicator.pm25]\npoints = 1\ntarget = { at_most = 1 }\n",
            ["x.toml:8:1: node.total: 'total' is the name of the tree's root"],
        ),
        (
            '[attributes]\nkind = { values = ["区", "县"] }\n[units."章贡区"]\nkind = "市"\n'
            "[indicator.pm25]\npoints = 1\ntarget = { at_most = 1 }\n",
            ["x.toml:11:1: units.章贡区.kind: '市' is not one of 区, 县"],
        ),
        (
            '[node.a]\nargmax = { above = 1 }\n[indicator.pm25]\nparent = "a"\npoints = 1\n'
            "target = { at_most = 1 }\n",
            ['x.toml:9:1: node.a.argmax: argmax goes with aggregate = "max"'],
        ),
        (
            "[indicator.pm25]\npoints = 1\nweight = 2\ntarget = { at_most = 1 }\n",
            [
                "x.toml:10:1: indicator.pm25.weight: a weight does nothing in 'total', a sum "
                '(weights count in aggregate = "weighted-mean" or "geometric-mean")'
            ],
        ),
        (
            '[indicator.r]\nformula = "fixed / found"\non_zero_division = "full"\n',
            ['x.toml:10:1: indicator.r.on_zero_division: "full" gives the points: declare points'],
        ),
        (
            '[indicator.r]\ncondition = "fixed > 1"\nvalue = "found"\npoints = 1\n',
            ["x.toml:10:1: indicator.r.value: a condition is its own value; drop value"],
        ),
        (
            "[indicator.r]\npoints = 1\ntarget = { at_most = 1 }\n",
            [
                'x.toml:8:1: indicator.r: no value: add value = "…", or name the indicator after '
                "an input"
            ],
        ),
        (
            '[indicator.c]\ncount = [{ of = "fixd", each = 1 }]\n',
            ["x.toml:9:1: indicator.c.count: unknown input 'fixd' (did you mean 'fixed'?)"],
        ),
        (
            '[indicator.pm25]\neffect = "bonus"\ntarget = { at_most = 1 }\n',
            [
                "x.toml:8:1: indicator.pm25: a target rule needs the indicator's points",
                "x.toml:8:1: indicator.pm25: a bonus needs points (its most)",
            ],
        ),
        (
            '[indicator.pm25]\npoints = 1\nrank = { better = "lower" }\n',
            ["x.toml:10:1: indicator.pm25.rank: missing required key 'step'"],
        ),
        (
            "[indicator.pm25]\nrank = { step = 1 }\n",
            ["x.toml:8:1: indicator.pm25: a rank rule needs the indicator's points"],
        ),
        (
            '[indicator.pm25]\n[[veto]]\nwhen = "pm25 > 1"\ngrade = "X"\n',
            ["x.toml:9:1: veto: [[veto]] needs [grades]"],
        ),
        (
            '[indicator.pm25]\n[grades]\nbands = [{ grade = "A", at_least = 1 }, { grade = "B" }]\n'
            'ranking = "nope"\n',
            ["x.toml:11:1: grades.ranking: no ranking named 'nope'"],
        ),
        (
            '[indicator.pm25]\n[ranking.r]\ngroup_by = "kind"\n',
            ["x.toml:10:1: ranking.r.group_by: no attribute named 'kind'"],
        ),
    ],
)
def test_each_problem_is_reported_at_its_key(body: str, problems: list[str]) -> None:
    """Mistakes in names, references, the tree, grades and rankings are located problems."""
    assert problems == _problems(_HEAD + body)


def test_every_problem_is_reported_sorted_by_line() -> None:
    """A file with many mistakes reports all of them, in the order of the file."""
    body = (
        '[indicator.pm25]\nmissing = "skip"\non_zero_division = "nothing"\n'
        'round_value = "2 up"\n[rounding]\ntotal = "13 half-up"\n'
        '[grades]\nbands = [{ grade = "A" }, { grade = "A" }]\nbasis = "rounded"\n'
    )
    assert [
        "x.toml:9:1: indicator.pm25.missing: 'skip' is not allowed (one of error, zero, "
        "exclude, previous)",
        "x.toml:10:1: indicator.pm25.on_zero_division: 'nothing' is not allowed (one of error, "
        "zero, full, exclude, missing)",
        "x.toml:11:1: indicator.pm25.round_value: unknown rounding mode 'up'; one of half-up, "
        "half-even, ceiling, floor, down, float",
        "x.toml:13:1: rounding.total: 13 places is out of range (-6 to 12)",
        "x.toml:15:10: grades.bands[0]: only the last (lowest) grade may have no at_least",
        "x.toml:15:29: grades.bands[1].grade: grade 'A' is listed twice",
        "x.toml:16:1: grades.basis: 'rounded' is not allowed (one of published, exact)",
    ] == _problems(_HEAD + body)


def test_an_indicator_that_fails_to_load_does_not_echo_into_its_parents() -> None:
    """A broken indicator is reported once: its parent is not also 'without children'
    and its points are not counted as missing from the sum."""
    body = "[total]\npoints = 10\n[indicator.pm25]\npoints = 10\ntarget = { at_mots = 35 }\n"
    assert [
        "x.toml:12:1: indicator.pm25.target: a target has exactly one of at_most, below, "
        "at_least, above, equal",
        "x.toml:12:12: indicator.pm25.target.at_mots: unknown key (did you mean 'at_most'?)",
    ] == _problems(_HEAD + body)


def test_a_toml_syntax_error_has_tomlis_position() -> None:
    """A syntax error is one problem at the line and column tomli gives."""
    assert ["x.toml:3:9: TOML syntax: Invalid value"] == _problems(
        'ecoscore = 1\nid = "t"\ntitle = \n'
    )
