"""The bounds value, and its page: every bound is documented with its default."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

from ecoscore.limits import DEFAULT_LIMITS, Limits, size_text

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_limit_is_on_the_limits_page_with_its_default() -> None:
    """docs/limits.md lists each field of Limits, with its default as the page prints it."""
    page = (DOCS / "limits.md").read_text(encoding="utf-8")
    for field in attrs.fields(Limits):
        default = getattr(DEFAULT_LIMITS, field.name)
        shown = size_text(default) if field.name.endswith("bytes") else f"{default:,}"
        row = re.search(rf"^\| `{field.name}` \| ([^|]+) \|", page, re.MULTILINE)
        assert row is not None, field.name
        assert row.group(1).startswith(shown), (field.name, row.group(1))


def test_the_page_is_linked_from_the_readme_and_the_index() -> None:
    """The README's documentation list and docs/index.md link the page."""
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert "(docs/limits.md)" in readme
    assert "(limits.md)" in (DOCS / "index.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("field", [f.name for f in attrs.fields(Limits)])
def test_a_limit_is_a_whole_number_of_at_least_one(field: str) -> None:
    """A limit of 0, a negative one or a fraction is refused when the value is made."""
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match=f"{field} must be a whole number of at least 1"):
            Limits(**{field: bad})


def test_sizes_print_as_people_read_them() -> None:
    """Byte counts print in MiB when they are large, in bytes when not."""
    assert ["1 MiB", "1.5 MiB", "512 bytes"] == [
        size_text(1024 * 1024),
        size_text(3 * 512 * 1024),
        size_text(512),
    ]
