"""Tests for a unit's rolled-up figures as values (ecoscore.results.rollups): the words
that name the sub-units behind a figure, and the JSON form."""

from __future__ import annotations

from decimal import Decimal

from ecoscore.model import Label
from ecoscore.results.rollups import RolledUp, rolled_up_to_dict, rolled_up_words

SHARE = RolledUp(
    "good_share",
    "sections",
    "share",
    Decimal("71.43"),
    Decimal(500) / Decimal(7),
    period="2024",
    subunits=("NK01", "NK02", "NK03", "NK04", "NK05", "NK06", "NK07", "NK08"),
    considered=("NK01", "NK02", "NK03", "NK04", "NK05", "NK06", "NK07"),
    counted=("NK01", "NK02", "NK04", "NK06", "NK07"),
    kept=(("NK05", ("water_class",)),),
    outside=("NK08",),
)


def test_a_share_in_words_names_every_subunit_behind_it() -> None:
    """Counted, not counted, kept for a missing class, outside where: all named."""
    assert (
        "sections (2024): share 5 / 7 = 71.43 (71.42857142857142857142857143); counted: NK01,"
        " NK02, NK04, NK06, NK07; not counted: NK03, NK05; NK05 has no water_class (not"
        " counted); outside where: NK08"
    ) == rolled_up_words(SHARE, "en")
    assert rolled_up_words(SHARE, "zh").startswith("sections（2024）: 比例 5 / 7 = 71.43")
    assert "NK05 缺water_class，按未达标计" in rolled_up_words(SHARE, "zh")


def test_a_mean_lists_its_values_and_a_missing_figure_its_note() -> None:
    """A mean names each sub-unit's value; a missing figure says why."""
    mean = RolledUp(
        "pm25",
        "stations",
        "mean",
        Decimal("22.4"),
        Decimal("22.35"),
        values=(("S1", Decimal("22.3")), ("S2", Decimal("22.4"))),
    )
    assert "stations: mean = 22.4 (22.35); S1 22.3, S2 22.4" == rolled_up_words(mean, "en")
    empty = RolledUp(
        "pm25",
        "stations",
        "mean",
        None,
        None,
        note=Label("无站点，该项缺失", "no stations sub-units: the figure is missing"),
    )
    assert "stations: mean = —; no stations sub-units: the figure is missing" == (
        rolled_up_words(empty, "en")
    )


def test_the_json_form_has_exact_decimal_strings_and_every_list() -> None:
    """Numbers are exact decimal strings; each list of sub-units is there."""
    (entry,) = rolled_up_to_dict({"good_share": SHARE})
    assert "71.43" == entry["value"]
    assert entry["raw"].startswith("71.428571428571428571428571")
    assert [{"subunit": "NK05", "missing": ["water_class"]}] == entry["kept"]
    assert ["NK08"] == entry["outside"]
    assert None is entry["note"]
