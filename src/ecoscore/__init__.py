"""ecoscore: score and rank performance assessments exactly, with a trace for every point.

>>> import ecoscore
>>> criteria = ecoscore.loads('''
... ecoscore = 1
... id = "demo"
... title = { zh = "示例", en = "Demo" }
... [inputs]
... pm25 = { zh = "PM2.5 年均浓度", unit = "µg/m³", min = 0 }
... [indicator.pm25]
... points = 10
... target = { at_most = 35 }
... ''')
>>> results = ecoscore.evaluate(criteria, [{"unit": "A", "pm25": "34.9"}])
>>> results["A"].total
Decimal('10')
"""

from ecoscore.engine import evaluate
from ecoscore.errors import (
    CriteriaError,
    DataError,
    EcoscoreError,
    EvaluationError,
    Location,
    Problem,
)
from ecoscore.export import results_to_dict, results_to_json
from ecoscore.loader import load, loads
from ecoscore.model import Criteria, Label
from ecoscore.results import (
    GradeStep,
    IndicatorResult,
    NodeResult,
    RankEntry,
    Ranking,
    Results,
    ScoreCard,
    Summary,
    SummaryFigure,
    TraceStep,
)
from ecoscore.submission import Submission

__all__ = [
    "Criteria",
    "CriteriaError",
    "DataError",
    "EcoscoreError",
    "EvaluationError",
    "GradeStep",
    "IndicatorResult",
    "Label",
    "Location",
    "NodeResult",
    "Problem",
    "RankEntry",
    "Ranking",
    "Results",
    "ScoreCard",
    "Submission",
    "Summary",
    "SummaryFigure",
    "TraceStep",
    "evaluate",
    "load",
    "loads",
    "results_to_dict",
    "results_to_json",
]

__version__ = "0.1.0.dev0"
