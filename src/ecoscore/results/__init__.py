"""What an evaluation produces, as frozen values that renderers read and never recompute.

``scores`` holds each indicator's and node's result for a unit, ``card`` the unit's score
card (total, grade, grade steps), ``assessment`` the ``Results`` of a whole evaluation
(cards, rankings, summaries), ``trace`` the tree's evaluation order and the additive trace
of a card, and ``export`` the stable JSON form.
"""

from ecoscore.results.assessment import RankEntry, Ranking, Results, Summary, SummaryFigure
from ecoscore.results.card import GradeStep, ScoreCard
from ecoscore.results.export import results_to_dict, results_to_json
from ecoscore.results.scores import IndicatorResult, NodeResult
from ecoscore.results.trace import TraceStep

__all__ = [
    "GradeStep",
    "IndicatorResult",
    "NodeResult",
    "RankEntry",
    "Ranking",
    "Results",
    "ScoreCard",
    "Summary",
    "SummaryFigure",
    "TraceStep",
    "results_to_dict",
    "results_to_json",
]
