"""Tests for ecoscore.language.periods: [periods] and [flag.<id>] as the loader reads them."""

from __future__ import annotations

import pytest

import ecoscore
from ecoscore.model import Periods

HEADER = 'ecoscore = 1\nid = "p"\ntitle = { zh = "示例" }\n'
BODY = """
[inputs]
score = { zh = "得分", min = 0, max = 100 }
[indicator.work]
points = 100
formula = "score"
[ranking.overall]
"""


def _problems(text: str) -> str:
    with pytest.raises(ecoscore.CriteriaError) as caught:
        ecoscore.loads(HEADER + text, source="c.toml")
    return str(caught.value)


def test_periods_are_read_earliest_first() -> None:
    """Baseline periods come before the assessed ones; years may be written as numbers."""
    c = ecoscore.loads(
        HEADER + '[periods]\nassessed = [2023, "2024"]\nbaseline = ["2021"]\n' + BODY
    )
    assert Periods(("2023", "2024"), ("2021",), ("2021", "2023", "2024")) == c.periods


def test_reading_results_marks_the_criteria() -> None:
    """A rule that reads previous(grade) makes earlier periods assessed."""
    c = ecoscore.loads(
        HEADER + BODY + '[indicator.kept]\neffect = "bonus"\npoints = 1\n'
        "condition = 'previous(overall) == 1'\nmissing = \"zero\"\n"
    )
    assert c.reads_results
    assert not ecoscore.loads(HEADER + BODY).reads_results


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[periods]\nbaseline = ["2021"]\n',
            "c.toml:11:1: periods: missing required key 'assessed'",
        ),
        ('[periods]\nassessed = ["2024", "2024"]\n', "period '2024' is listed twice"),
        ("[periods]\nassessed = [true]\n", "a period is named by a text or a year"),
        (
            '[flag.x]\nzh = "x"\nwhen = \'at(score, "2021") > 1\'\n',
            "a rule reads the period '2021' by name: declare the periods",
        ),
        (
            '[periods]\nassessed = ["2024"]\n'
            '[flag.x]\nzh = "x"\nwhen = \'at(score, "2020") > 1\'\n',
            "a rule reads period '2020', not declared here",
        ),
        ('[flag.x]\nwhen = "score > 1"\n', "a flag needs a label"),
        ('[flag.x]\nzh = "x"\n', "c.toml:11:1: flag.x: missing required key 'when'"),
        (
            '[flag.a]\nzh = "a"\nwhen = "b"\n[flag.b]\nzh = "b"\nwhen = "a"\n',
            "flags form a cycle: a → b → a",
        ),
        ('[flag.x]\nzh = "x"\nwhen = "grad == 1"\n', "unknown name 'grad'"),
    ],
)
def test_problems_are_located(text: str, message: str) -> None:
    """Each mistake in [periods] or a flag is reported at its key."""
    assert message in _problems(BODY + text)
