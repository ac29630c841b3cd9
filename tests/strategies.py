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
