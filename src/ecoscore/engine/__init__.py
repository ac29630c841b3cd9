"""Evaluation: criteria over a period's submissions, into scores, grades and rankings.

``evaluation.evaluate`` is the entry, a pure function. It checks plain records into
``Submission`` values (``submission``), scores each indicator (``scoring``), aggregates
the tree (``aggregate``), grades (``grading``), ranks (``ranking``) and summarises
(``summary``); ``scope`` is what post-scoring rules read of a unit. Its product is the
frozen ``ecoscore.results`` values.
"""

from ecoscore.engine.evaluation import evaluate

__all__ = ["evaluate"]
