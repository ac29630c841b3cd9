"""Rule kinds: each module holds one frozen value that turns a measured value into points.

Every rule has ``score(value, values) -> Outcome``: ``value`` is the indicator's measured
value (a ``Decimal``, or a ``bool`` for a condition), ``values`` the unit's named values
for the rules that read several inputs. A rule that needs the whole cohort (points by
rank, the efficacy coefficient) has ``prepare(cohort) -> Rule``, which the engine calls
once with every unit's value before scoring.
"""

from ecoscore.rules.bands import Band, Bands, band_coverage
from ecoscore.rules.base import Outcome, Rule
from ecoscore.rules.classify import Classify
from ecoscore.rules.cohort import Efficacy, RankPoints
from ecoscore.rules.count import Count, CountItem
from ecoscore.rules.deduct import Deduct
from ecoscore.rules.formula import Condition, Formula
from ecoscore.rules.linear import Linear
from ecoscore.rules.piecewise import Piecewise
from ecoscore.rules.proximity import Proximity
from ecoscore.rules.target import Target

__all__ = [
    "Band",
    "Bands",
    "Classify",
    "Condition",
    "Count",
    "CountItem",
    "Deduct",
    "Efficacy",
    "Formula",
    "Linear",
    "Outcome",
    "Piecewise",
    "Proximity",
    "RankPoints",
    "Rule",
    "Target",
    "band_coverage",
]
