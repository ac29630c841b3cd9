"""The public-API usage file runs (CI also type-checks it with mypy --strict)."""

from decimal import Decimal

import api_usage


def test_api_usage_runs() -> None:
    """The typed usage example scores its two units."""
    assert {"A": Decimal("10"), "B": Decimal("0")} == api_usage.totals()


def test_api_usage_problems() -> None:
    """The typed usage example lists problems as printed strings."""
    assert ["<criteria>:1:1: ecoscore: missing required key 'ecoscore'"] == api_usage.problems(
        'id = "x"\ntitle = "t"\n[indicator.x]\nvalue = "1"\n'
    )[:1]


def test_api_usage_rolls_up() -> None:
    """The typed usage example rolls a station's PM2.5 up to its unit, rounded."""
    assert {"pm25": Decimal("22.3")} == api_usage.rolled_up()
