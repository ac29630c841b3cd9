"""The criteria language: a TOML criteria file read into frozen ``Criteria`` values.

``loader`` is the entry (``load``, ``loads``): it parses with tomli, maps every key to its
line (``sourcemap``), reads each part with a ``TableReader`` (``reader``) that collects
every problem at its location — the indicator tree (``tree``), each indicator's rule
(``rulebook``), grades and rankings (``grades``), summaries (``summaries``) — and raises
one ``CriteriaError`` listing them all. ``lint`` warns about files that load but are
probably not what their author meant. Nothing here evaluates a score.
"""

from ecoscore.language.lint import lint
from ecoscore.language.loader import load, loads

__all__ = ["lint", "load", "loads"]
