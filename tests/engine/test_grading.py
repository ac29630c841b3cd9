"""Tests for ecoscore.engine.grading: bands, preconditions, caps, vetoes and quotas by rank."""

from __future__ import annotations

from typing import Any

import pytest

import ecoscore
from ecoscore.model import Label
from ecoscore.results import GradeStep

_HEAD = """\
ecoscore = 1
id = "t"
title = "T"
[attributes]
kind = { values = ["区", "县"] }
[inputs]
score = { min = 0, max = 100 }
incident = { type = "bool" }
inspection = { type = "bool" }
[indicator.score]
points = 100
formula = "score"
[rounding]
total = "0 half-up"
[grades]
bands = [{ grade = "优秀", at_least = 90 }, { grade = "良好", at_least = 80 }, { grade = "合格" }]
"""

_ROWS = [
    ("A", "区", "96"),
    ("B", "区", "95"),
    ("C", "县", "95"),
    ("D", "县", "91"),
    ("E", "县", "89.6"),
    ("F", "区", "70"),
]


def _grades(body: str, rows: list[dict[str, Any]] | None = None) -> dict[str, str | None]:
    if rows is None:
        rows = [{"unit": u, "kind": k, "score": s} for u, k, s in _ROWS]
    results = ecoscore.evaluate(ecoscore.loads(_HEAD + body), rows)
    return {card.unit: card.grade for card in results}


def test_the_band_holding_the_published_total_gives_the_grade() -> None:
    """Lower bounds are inclusive and the published (rounded) total is graded: 89.6 → 90."""
    assert {
        "A": "优秀",
        "B": "优秀",
        "C": "优秀",
        "D": "优秀",
        "E": "优秀",
        "F": "合格",
    } == _grades("")


def test_the_exact_basis_grades_the_unrounded_total() -> None:
    """basis = "exact" grades the total before rounding: 89.6 is 良好."""
    assert "良好" == _grades('basis = "exact"\n')["E"]


def _flags(**rows: tuple[str, str, str]) -> list[dict[str, Any]]:
    return [
        {"unit": u, "score": s, "incident": i, "inspection": p} for u, (s, i, p) in rows.items()
    ]


_RULES = """
[[precondition]]
requires = "inspection"
grade = "良好"
why = { zh = "督察问题未整改", en = "Findings not rectified" }

[[cap]]
when = "score < 92"
grade = "良好"

[[veto]]
when = "incident"
grade = "合格"
"""


@pytest.mark.parametrize(
    ("row", "grade", "steps"),
    [
        (("95", "否", "是"), "优秀", [("band", None, "优秀")]),
        (("95", "否", "否"), "合格", [("band", None, "优秀"), ("precondition[0]", "优秀", "合格")]),
        (("91", "否", "是"), "良好", [("band", None, "优秀"), ("cap[0]", "优秀", "良好")]),
        (("85", "否", "是"), "良好", [("band", None, "良好")]),
        (("95", "是", "是"), "合格", [("band", None, "优秀"), ("veto[0]", "优秀", "合格")]),
        (
            ("95", "", ""),
            "优秀",
            [
                ("band", None, "优秀"),
                ("precondition[0]", "优秀", "优秀"),
                ("veto[0]", "优秀", "优秀"),
            ],
        ),
    ],
)
def test_grade_rules_apply_in_order_and_are_recorded(
    row: tuple[str, str, str], grade: str, steps: list[tuple[Any, ...]]
) -> None:
    """Band, then preconditions (the grade or better needs it, else the grade below it),
    caps (at best), vetoes (forced); a rule reading a missing figure is skipped, and says
    so; every change is a step."""
    results = ecoscore.evaluate(ecoscore.loads(_HEAD + _RULES), _flags(A=row))
    card = results["A"]
    assert (grade, steps) == (card.grade, [(s.rule, s.before, s.after) for s in card.grade_steps])


def test_a_step_says_why() -> None:
    """A grade step carries the rule's reason in both languages."""
    results = ecoscore.evaluate(ecoscore.loads(_HEAD + _RULES), _flags(A=("95", "否", "否")))
    assert (
        GradeStep(
            "precondition[0]", "优秀", "合格", Label("督察问题未整改", "Findings not rectified")
        )
        == results["A"].grade_steps[1]
    )


def test_a_veto_may_apply_when_its_figure_is_missing() -> None:
    """if_missing = "apply" applies a veto whose figure was not submitted."""
    body = '[[veto]]\nwhen = "incident"\ngrade = "合格"\nif_missing = "apply"\n'
    assert {"A": "合格", "B": "优秀"} == _grades(body, _flags(A=("95", "", ""), B=("95", "否", "")))


def test_a_cap_never_raises_a_grade() -> None:
    """A cap above the unit's grade changes nothing."""
    assert "合格" == _grades('[[cap]]\nwhen = "true"\ngrade = "良好"\n')["F"]


@pytest.mark.parametrize(
    ("quota", "grades"),
    [
        ('quota = { "优秀" = 2 }\nquota_ties = "drop"', "优良良良良合"),
        ('quota = { "优秀" = 2 }\nquota_ties = "keep"', "优优优良良合"),
        ('quota = { "优秀" = "50%" }', "优优优良良合"),
        ('quota = { "优秀" = "30%" }', "优良良良良合"),
        (
            'quota = { "优秀" = "30%" }\nquota_rounding = "ceiling"\nquota_ties = "keep"',
            "优优优良良合",
        ),
        ('quota = { "优秀" = 1 }\nranking = "by_kind"', "优良优良良合"),
    ],
)
def test_a_quota_keeps_the_grade_for_the_best_ranked(quota: str, grades: str) -> None:
    """At most N units (or a share of them, rounded as declared) keep the grade, by rank,
    per peer group when the ranking has groups; the rest drop to the grade below."""
    body = f'{quota}\n[ranking.overall]\n[ranking.by_kind]\ngroup_by = "kind"\n'
    full = {"优": "优秀", "良": "良好", "合": "合格"}
    assert {u: full[g] for u, g in zip("ABCDEF", grades, strict=True)} == _grades(body)


def test_a_tie_across_a_quota_must_be_settled_by_the_criteria() -> None:
    """Units tied at the quota's boundary are an error unless quota_ties says keep or
    drop: never a guess."""
    with pytest.raises(ecoscore.EvaluationError) as caught:
        _grades('quota = { "优秀" = 2 }\n[ranking.overall]\n')
    assert [
        "<criteria>: grades.quota_ties: quota for 优秀: B, C tie at rank 2 across the limit of 2 "
        '(declare quota_ties = "keep" (all keep the grade) or "drop")'
    ] == [str(p) for p in caught.value.problems]


def test_a_quota_step_says_why_in_both_languages() -> None:
    """The unit that loses a grade to a quota is told the quota and its rank."""
    body = 'quota = { "优秀" = "50%" }\n[ranking.overall]\n'
    results = ecoscore.evaluate(
        ecoscore.loads(_HEAD + body), [{"unit": u, "kind": k, "score": s} for u, k, s in _ROWS]
    )
    step = results["D"].grade_steps[-1]
    assert ("quota", "优秀", "良好") == (step.rule, step.before, step.after)
    assert step.why.zh is not None
    assert step.why.en is not None
    assert "50%" in step.why.zh
    assert "ranked 4" in step.why.en


def test_criteria_without_grades_grade_nothing() -> None:
    """Without [grades], every unit's grade is None and has no steps."""
    text = _HEAD.split("[grades]", maxsplit=1)[0]
    results = ecoscore.evaluate(ecoscore.loads(text), [{"unit": "A", "score": "95"}])
    assert (None, ()) == (results["A"].grade, results["A"].grade_steps)
