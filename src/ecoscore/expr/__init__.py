"""The safe expression language of criteria files: parsed and checked once, run many times.

``expression`` compiles a formula's text into an ``Expression`` (``compile_expression``);
``check`` is the walk that refuses what the language does not allow and records what an
expression reads; ``ops`` holds its functions and operators on exact ``Decimal`` values.
Nothing here knows criteria: the loader (``ecoscore.language``) tells an expression which
names exist, and the engine gives it their values.
"""

from ecoscore.expr.check import ExpressionError, class_key, previous_key
from ecoscore.expr.expression import Expression, compile_expression
from ecoscore.expr.ops import EvaluationFailure, MissingValue

__all__ = [
    "EvaluationFailure",
    "Expression",
    "ExpressionError",
    "MissingValue",
    "class_key",
    "compile_expression",
    "previous_key",
]
