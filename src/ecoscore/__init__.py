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

from ecoscore._version import __version__ as __version__
from ecoscore.engine.evaluation import evaluate
from ecoscore.engine.submission import Submission
from ecoscore.engine.subunits import SubunitRow
from ecoscore.errors import (
    CriteriaError,
    DataError,
    EcoscoreError,
    EvaluationError,
    Location,
    Problem,
)
from ecoscore.io.submissions import Period, read_periods, read_submissions
from ecoscore.language.loader import load, loads
from ecoscore.model import Criteria, Label
from ecoscore.report.text import explain as explain_text
from ecoscore.results.assessment import RankEntry, Ranking, Results, Summary, SummaryFigure
from ecoscore.results.card import GradeStep, ScoreCard
from ecoscore.results.export import results_to_dict, results_to_json
from ecoscore.results.rollups import RolledUp
from ecoscore.results.scores import IndicatorResult, NodeResult
from ecoscore.results.trace import TraceStep

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
    "Period",
    "Problem",
    "RankEntry",
    "Ranking",
    "Results",
    "RolledUp",
    "ScoreCard",
    "Submission",
    "SubunitRow",
    "Summary",
    "SummaryFigure",
    "TraceStep",
    "evaluate",
    "explain_text",
    "load",
    "loads",
    "read_periods",
    "read_submissions",
    "results_to_dict",
    "results_to_json",
]
