"""The bounds on what ecoscore reads: every input is checked against them before work.

A criteria file or a spreadsheet comes from outside, and a careless or hostile one must
end in a located error, never in a hang, a traceback or an exhausted memory. Each bound
here is checked where the input is read, before the work it bounds:

======================  ==============  ================================================
``criteria_bytes``      1 MiB           the size of a criteria file (or string)
``toml_depth``          32              nested arrays and inline tables in the TOML
``expression_length``   2,000           characters of one expression
``expression_depth``    100             nesting of one expression (brackets before it is
                                        parsed, the parsed tree after; ``a + b + c`` is 3);
                                        at most ``MAX_EXPRESSION_DEPTH`` (200)
``tree_depth``          32              levels of the indicator tree below the total
``indicators``          5,000           indicators, and nodes, in one criteria file
``rule_items``          200             bands, breakpoints, classes or items of one rule
``table_bytes``         50 MiB          a data file on disk (a workbook: compressed)
``workbook_bytes``      50 MiB          a workbook's parts, uncompressed, as its zip
                                        directory declares them
``rows``                100,000         rows of a data table (a sheet's declared rows)
``cells``               2,500,000       cells of a data table (rows × columns)
======================  ==============  ================================================

A caller changes a bound by passing its own ``Limits`` (``attrs.evolve(Limits(),
rows=1_000_000)``) to ``load``, ``loads`` or ``read_table``. ``docs/limits.md`` says the
same, with the reasons behind each default.
"""

from __future__ import annotations

import attrs

__all__ = ["DEFAULT_LIMITS", "MAX_EXPRESSION_DEPTH", "Limits", "size_text"]

_MiB = 1024 * 1024


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if type(value) is not int or value < 1:
        raise ValueError(f"{attribute.name} must be a whole number of at least 1, got {value!r}")


#: The deepest an expression may ever nest: its checks and its evaluation recurse, one
#: level of Python's stack (of 1,000) for each level or two of the expression.
MAX_EXPRESSION_DEPTH = 200


def _expression_depth(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    _positive(instance, attribute, value)
    if value > MAX_EXPRESSION_DEPTH:
        raise ValueError(f"expression_depth is at most {MAX_EXPRESSION_DEPTH}, got {value}")


@attrs.frozen(kw_only=True)
class Limits:
    """The bounds on one run's inputs; every field is a whole number ≥ 1."""

    criteria_bytes: int = attrs.field(default=_MiB, validator=_positive)
    toml_depth: int = attrs.field(default=32, validator=_positive)
    expression_length: int = attrs.field(default=2_000, validator=_positive)
    expression_depth: int = attrs.field(default=100, validator=_expression_depth)
    tree_depth: int = attrs.field(default=32, validator=_positive)
    indicators: int = attrs.field(default=5_000, validator=_positive)
    rule_items: int = attrs.field(default=200, validator=_positive)
    table_bytes: int = attrs.field(default=50 * _MiB, validator=_positive)
    workbook_bytes: int = attrs.field(default=50 * _MiB, validator=_positive)
    rows: int = attrs.field(default=100_000, validator=_positive)
    cells: int = attrs.field(default=2_500_000, validator=_positive)


#: The bounds used when a caller passes none.
DEFAULT_LIMITS = Limits()


def size_text(count: int) -> str:
    """A byte count as people read it: ``1 MiB``, ``100 MiB``, ``512 bytes``."""
    if count >= _MiB and count % _MiB == 0:
        return f"{count // _MiB} MiB"
    if count >= _MiB:
        return f"{count / _MiB:.1f} MiB"
    return f"{count:,} bytes"
