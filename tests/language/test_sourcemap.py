"""Tests for ecoscore.language.sourcemap: where each key of a TOML document stands."""

from __future__ import annotations

import pytest

from ecoscore.language.sourcemap import key_positions, path_text

_DOCUMENT = """\
ecoscore = 1  # the language version
title = { zh = "标题", en = "Title" }

[inputs]
pm25 = { zh = "PM2.5", min = 0 }
"章贡区".x = 1

[indicator.pm25]
points = 10
bands = [
  { below = 35, points = 10 },
  { at_least = 35, points = 0 },
]

[[veto]]
when = "a"
[[veto]]
when = \"\"\"b
and c\"\"\"
grade = 'x # not a comment'

[units."章贡区"]
kind = "区"
"""


@pytest.mark.parametrize(
    ("path", "position"),
    [
        ("ecoscore", (1, 1)),
        ("title", (2, 1)),
        ("title.zh", (2, 11)),
        ("title.en", (2, 22)),
        ("inputs", (4, 1)),
        ("inputs.pm25", (5, 1)),
        ("inputs.pm25.min", (5, 24)),
        ("inputs.章贡区.x", (6, 1)),
        ("indicator", (8, 1)),
        ("indicator.pm25", (8, 1)),
        ("indicator.pm25.points", (9, 1)),
        ("indicator.pm25.bands", (10, 1)),
        ("indicator.pm25.bands[0]", (11, 3)),
        ("indicator.pm25.bands[0].below", (11, 5)),
        ("indicator.pm25.bands[1].at_least", (12, 5)),
        ("indicator.pm25.bands[1].points", (12, 20)),
        ("veto[0]", (15, 1)),
        ("veto[0].when", (16, 1)),
        ("veto[1]", (17, 1)),
        ("veto[1].when", (18, 1)),
        ("veto[1].grade", (20, 1)),
        ("units.章贡区", (22, 1)),
        ("units.章贡区.kind", (23, 1)),
    ],
)
def test_every_key_has_its_line_and_column(path: str, position: tuple[int, int]) -> None:
    """Keys, dotted keys, inline tables, array elements and arrays of tables are found at
    their 1-based line and column, past comments and multi-line strings."""
    assert position == key_positions(_DOCUMENT)[path]


def test_a_path_it_did_not_see_has_no_position() -> None:
    """Keys that are not in the document are not invented."""
    positions = key_positions(_DOCUMENT)
    assert None is positions.get("indicator.no2")
    assert None is positions.get("veto[2]")


def test_an_empty_document_has_no_keys() -> None:
    """An empty text maps nothing."""
    assert {} == dict(key_positions(""))


def test_the_first_position_of_a_repeated_path_is_kept() -> None:
    """A table reopened with dotted keys keeps the position where it first appeared."""
    positions = key_positions("[a]\nb = 1\n[a.c]\nd = 2\n")
    assert ((1, 1), (3, 1), (4, 1)) == (positions["a"], positions["a.c"], positions["a.c.d"])


@pytest.mark.parametrize(
    ("parts", "text"),
    [
        (("indicator", "pm25", "bands", 1, "at_least"), "indicator.pm25.bands[1].at_least"),
        (("units", "章贡区"), "units.章贡区"),
        (("grades", "quota", "优秀"), "grades.quota.优秀"),
        (("a b",), '"a b"'),
        (("veto", 0), "veto[0]"),
        ((), ""),
    ],
)
def test_a_path_is_written_as_the_loader_reports_it(
    parts: tuple[str | int, ...], text: str
) -> None:
    """Dotted keys, array indexes in brackets, and quotes around keys that need them."""
    assert text == path_text(parts)
