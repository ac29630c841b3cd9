"""Tests for ecoscore.report.outline: the criteria as ``ecoscore check`` prints them."""

from __future__ import annotations

import ecoscore
from ecoscore.report.outline import outline, rule_text

TEXT = """
ecoscore = 1
id = "outline"
title = { zh = "大纲", en = "Outline" }
[inputs]
x = "x"
cod = "化学需氧量"
[indicator.t]
value = "x"
points = 5
target = { above = 1 }
else = 1
[indicator.p]
value = "x"
points = 10
proximity = { best = 0, worst = 100, transform = "ln", alpha = 1 }
[indicator.w]
value = "x"
piecewise = { breakpoints = [0, 50], values = [0, 100] }
[indicator.c]
classify = { classes = ["I", "II"], worse = "III", at_most = { cod = [15, 20] } }
[indicator.r]
value = "x"
points = 10
rank = { better = "lower", step = 0.5 }
[indicator.e]
value = "x"
efficacy = { better = "higher" }
[indicator.f]
formula = "x * 2"
points = 10
[indicator.plain]
value = "x"
"""


def rules() -> dict[str, str]:
    """Each indicator's rule in English words."""
    criteria = ecoscore.loads(TEXT)
    return {ident: rule_text(ind, "en") for ident, ind in criteria.indicators.items()}


def test_each_rule_kind_with_its_key_parameters() -> None:
    """Every rule kind is named with the parameters the criteria give it."""
    assert {
        "t": "target: x > 1 → 5, else 1",
        "p": "proximity: x: best 0, worst 100, ln",
        "w": "piecewise: x: 0→0, 50→100",
        "c": "classify: I/II, worse III: cod",
        "r": "rank: x: better lower, first 10, step 0.5",
        "e": "efficacy: x: better higher, base 60, span 40",
        "f": "formula: x * 2, within [0, 10]",
        "plain": "= x",
    } == rules()


def test_rule_kinds_in_chinese() -> None:
    """In Chinese the kind is named in Chinese; parameters keep the criteria's keys."""
    criteria = ecoscore.loads(TEXT)
    assert "目标值: x > 1 → 5, else 1" == rule_text(criteria.indicators["t"], "zh")


def test_outline_starts_with_title_and_counts() -> None:
    """The outline opens with the title, the hash and the counts, then the tree."""
    lines = outline(ecoscore.loads(TEXT), "en")
    assert "Outline (outline)" == lines[0]
    assert lines[1].startswith("SHA-256 ")
    assert "2 inputs, 0 attributes, 0 units, 8 indicators" == lines[2]
    assert "total  Total  sum" == lines[4]
    assert "  t  5 pts  target: x > 1 → 5, else 1" == lines[5]
