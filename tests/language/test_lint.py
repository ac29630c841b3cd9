"""Tests for ecoscore.language.lint: warnings about criteria that load but look unintended."""

from __future__ import annotations

from pathlib import Path

import ecoscore
from ecoscore.language.lint import lint, names_read
from ecoscore.language.sourcemap import key_positions

FIXTURES = Path(__file__).parents[1] / "fixtures" / "cli"

TEXT = """
ecoscore = 1
id = "lint"
title = "检查"
[inputs]
a = { zh = "甲", en = "A" }
b = { zh = "甲" }
unused = "丙"
found = "发现"
fixed = { zh = "整改", max = "found" }
[attributes]
kind = "类型"
[derived]
double = "a * 2"
spare = "a + b"
[node.area]
aggregate = "sum"
[indicator.x]
parent = "area"
value = "double + b + fixed"
points = 10
"""


def warnings(text: str = TEXT) -> list[str]:
    """Each warning as it prints, located by the text's key positions."""
    criteria = ecoscore.loads(text, source="c.toml")
    return [str(w) for w in lint(criteria, key_positions(text))]


def test_lints_name_each_suspicious_thing_at_its_line() -> None:
    """Unused names, clashing labels and missing labels are warned of."""
    assert [
        "c.toml:8:1: inputs.unused: input 'unused' is read by nothing (未被使用)"
        " (use it in a rule, or delete it)",
        "c.toml:12:1: attributes.kind: attribute 'kind' is read by nothing (未被使用)"
        " (use it in a rule, or delete it)",
        "c.toml:15:1: derived.spare: derived value 'spare' is read by nothing (未被使用)"
        " (use it in a rule, or delete it)",
        "c.toml:7:1: inputs.b: 'b' has the label '甲', as 'a' has (名称重复)"
        " (a data column with this name could be either; give each its own label)",
        "c.toml:18:1: indicator.x: indicator 'x' has no label (缺少名称)"
        ' (add zh = "…" and en = "…")',
        'c.toml:16:1: node.area: node \'area\' has no label (缺少名称) (add zh = "…" and en = "…")',
    ] == warnings()


def test_a_bound_and_an_input_named_after_its_indicator_count_as_read() -> None:
    """An input that bounds another, or that an indicator is named after, is read."""
    read = names_read(ecoscore.loads(TEXT))
    assert {"found", "double", "b", "fixed", "a"} <= read
    assert "unused" not in read


def test_clean_criteria_have_no_warnings() -> None:
    """The demo criteria are clean."""
    criteria = ecoscore.load(FIXTURES / "demo.toml")
    assert () == lint(criteria)


def test_without_positions_a_warning_names_the_key() -> None:
    """Without the file's positions a warning still names the file and key."""
    criteria = ecoscore.loads(TEXT, source="c.toml")
    assert (
        "c.toml: inputs.unused: input 'unused' is read by nothing (未被使用)"
        == str(lint(criteria)[0]).split(" (use")[0]
    )


def test_a_rollup_or_a_table_that_nothing_reads_is_a_warning() -> None:
    """A roll-up no rule reads, and a sub-unit table no roll-up reads, are each warned of."""
    text = """
ecoscore = 1
id = "lint-rollups"
title = "汇总"
[subunits.sections]
key = "section"
[subunits.sections.inputs]
cod = { min = 0 }
[subunits.stations]
key = "station"
[subunits.stations.inputs]
pm25 = { min = 0 }
[rollup.cod]
from = "sections"
aggregate = "max"
value = "cod"
[inputs]
x = "x"
[indicator.x]
zh = "x"
"""
    criteria = ecoscore.loads(text, source="c.toml")
    messages = [p.message for p in lint(criteria, criteria.positions)]
    assert "roll-up 'cod' is read by nothing (未被使用)" in messages
    assert "sub-unit table 'stations' is read by no roll-up (未被使用)" in messages
