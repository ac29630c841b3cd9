"""Reading TOML values with their locations, collecting every problem instead of stopping.

The loader walks a parsed document with a ``TableReader``: each getter checks one value's
type and range and, when it is wrong, records a ``Problem`` located at the key (line and
column from ``ecoscore.language.sourcemap``) and returns ``None``, so the walk goes on and the
user sees every problem in one run.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from ecoscore import expr
from ecoscore.errors import Location, Problem
from ecoscore.language.sourcemap import path_text
from ecoscore.limits import DEFAULT_LIMITS, Limits
from ecoscore.model import Label
from ecoscore.numbers import Rounding, parse_decimal, parse_rounding

__all__ = ["Path", "TableReader", "did_you_mean", "shown_expression", "topological"]

Path = tuple[str | int, ...]


def topological(
    deps: Mapping[str, Iterable[str]], on_cycle: Callable[[str, list[str]], None]
) -> list[str]:
    """The names of ``deps`` (name → the names it reads), each after what it reads.

    A cycle is reported once through ``on_cycle(name, cycle)``, with the cycle as the
    path that closes it (``a → b → a``); the walk goes on, so every cycle is reported.
    """
    order: list[str] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    # A depth-first walk with its own stack: a chain of thousands of derived values is
    # as safe as a short one (a recursive walk would exhaust Python's stack).
    for root in deps:
        if state.get(root) == 2:
            continue
        state[root] = 1
        trail = [root]
        pending = [iter(deps[root])]
        while pending:
            for dep in pending[-1]:
                if dep not in deps or state.get(dep) == 2:
                    continue
                if state.get(dep) == 1:
                    on_cycle(dep, [*trail[trail.index(dep) :], dep])
                    continue
                state[dep] = 1
                trail.append(dep)
                pending.append(iter(deps[dep]))
                break
            else:
                pending.pop()
                done = trail.pop()
                state[done] = 2
                order.append(done)
    return order


def did_you_mean(name: str, options: Iterable[str]) -> str | None:
    """``"did you mean 'x'?"`` for the closest option, or ``None``."""
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


class TableReader:
    """Typed, located access to a parsed TOML document; problems are collected."""

    def __init__(
        self,
        source: str,
        positions: Mapping[str, tuple[int, int]],
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.source = source
        self.positions = positions
        self.limits = limits
        self.problems: list[Problem] = []
        # What previous(…) may read besides the data names: an earlier period's results
        # (set by the loader once it knows the ids); every expression read, in order.
        self.earlier: Callable[[str], bool] | None = None
        self.expressions: list[expr.Expression] = []

    # -- problems ------------------------------------------------------------------
    def locate(self, path: Path) -> Location:
        """The location of ``path``: its own line if known, else the nearest enclosing one."""
        key = path_text(path)
        for n in range(len(path), 0, -1):
            pos = self.positions.get(path_text(path[:n]))
            if pos is not None:
                return Location(self.source, pos[0], pos[1], key or None)
        if len(path) <= 1:
            # A top-level key the file does not have (a missing id, no [total]): it belongs
            # to the document itself, which starts at line 1.
            return Location(self.source, 1, 1, key or None)
        return Location(self.source, key=key or None)

    def problem(self, path: Path, message: str, hint: str | None = None) -> None:
        """Record a problem at ``path``."""
        self.problems.append(Problem(message, self.locate(path), hint))

    # -- shapes --------------------------------------------------------------------
    def table(self, value: Any, path: Path, allowed: Iterable[str] | None = None) -> dict[str, Any]:
        """``value`` as a table; unknown keys (when ``allowed`` is given) are problems.
        ``None`` (a required key already reported missing) gives ``{}`` quietly."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, f"expected a table, got {_kind(value)}")
            return {}
        if allowed is not None:
            allowed = list(allowed)
            for key in value:
                if key not in allowed:
                    hint = did_you_mean(key, allowed)
                    if hint is None and len(allowed) <= 16:
                        hint = "allowed: " + ", ".join(allowed)
                    self.problem((*path, key), "unknown key", hint)
        return value

    def required(self, table: Mapping[str, Any], key: str, path: Path) -> Any:
        """``table[key]``, or a problem naming the missing key."""
        if key not in table:
            self.problem(path, f"missing required key {key!r}")
            return None
        return table[key]

    def array(self, value: Any, path: Path) -> list[Any]:
        """``value`` as an array; ``None`` (already reported missing) gives ``[]`` quietly."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, f"expected an array, got {_kind(value)}")
            return []
        return value

    def too_many(self, items: Any, path: Path, what: str) -> bool:
        """Whether a rule's list (bands, breakpoints, grades, items) is longer than
        ``limits.rule_items``, reported at the list: the checks of overlaps and gaps
        compare every pair, so a list of thousands would take minutes and gigabytes."""
        if isinstance(items, list) and len(items) > self.limits.rule_items:
            self.problem(
                path,
                f"{len(items):,} {what}, more than the limit of {self.limits.rule_items:,}",
                "see docs/limits.md: Limits(rule_items=…) raises it",
            )
            return True
        return False

    # -- scalars -------------------------------------------------------------------
    def number(self, value: Any, path: Path, *, positive: bool = False) -> Decimal | None:
        """A number, exact. TOML floats are re-read from their text in the document, as
        tomli's ``parse_float=Decimal`` delivers them; strings of numbers are accepted.
        ``None`` (a required key already reported missing) gives ``None`` quietly."""
        if value is None:
            return None
        if isinstance(value, bool):
            self.problem(path, f"expected a number, got {_kind(value)}")
            return None
        if isinstance(value, int):
            result = Decimal(value)
        elif isinstance(value, Decimal):
            result = value
        elif isinstance(value, str):
            try:
                result = parse_decimal(value)
            except ValueError:
                self.problem(path, f"expected a number, got the text {value!r}")
                return None
        else:
            self.problem(path, f"expected a number, got {_kind(value)}")
            return None
        if not result.is_finite():
            self.problem(path, "NaN and infinity are not allowed")
            return None
        if positive and result <= 0:
            self.problem(path, f"must be greater than 0, got {result}")
            return None
        return result

    def string(self, value: Any, path: Path, choices: Iterable[str] | None = None) -> str | None:
        """A string, optionally one of ``choices``; ``None`` gives ``None`` quietly."""
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(path, f"expected a string, got {_kind(value)}")
            return None
        if choices is not None:
            options = list(choices)
            if value not in options:
                hint = did_you_mean(value, options) or "one of " + ", ".join(options)
                self.problem(path, f"{value!r} is not allowed", hint)
                return None
        return value

    def boolean(self, value: Any, path: Path) -> bool | None:
        """true or false."""
        if not isinstance(value, bool):
            self.problem(path, f"expected true or false, got {_kind(value)}")
            return None
        return value

    def rounding(self, value: Any, path: Path) -> Rounding | None:
        """``"2 half-up"`` or ``{ places = 2, mode = "half-up" }``."""
        if isinstance(value, dict):
            table = self.table(value, path, ("places", "mode"))
            places, mode = table.get("places"), table.get("mode", "half-up")
            value = f"{places} {mode}"
        if not isinstance(value, str):
            self.problem(path, f'expected a rounding like "2 half-up", got {_kind(value)}')
            return None
        try:
            return parse_rounding(value)
        except ValueError as exc:
            self.problem(path, str(exc))
            return None

    def attribute(
        self, table: Mapping[str, Any], key: str, path: Path, attributes: Iterable[str]
    ) -> str | None:
        """``table[key]`` as the id of a declared attribute (``group_by``), if given."""
        if key not in table:
            return None
        name = self.string(table[key], (*path, key))
        names = list(attributes)
        if name is not None and name not in names:
            self.problem((*path, key), f"no attribute named {name!r}", did_you_mean(name, names))
        return name

    def label(self, table: Mapping[str, Any], path: Path) -> Label:
        """The ``zh``/``en`` keys of a table as a ``Label``."""
        zh, en = table.get("zh"), table.get("en")
        if zh is not None and not isinstance(zh, str):
            self.problem((*path, "zh"), f"expected a string, got {_kind(zh)}")
            zh = None
        if en is not None and not isinstance(en, str):
            self.problem((*path, "en"), f"expected a string, got {_kind(en)}")
            en = None
        return Label(zh, en)

    def text_label(self, value: Any, path: Path) -> Label:
        """A label written as a string (taken as Chinese) or as ``{ zh, en }``."""
        if isinstance(value, str):
            return Label(value, None)
        table = self.table(value, path, ("zh", "en"))
        return self.label(table, path)

    def expression(
        self,
        value: Any,
        path: Path,
        known: Callable[[str], bool],
        options: Iterable[str],
        classes: Callable[[str], bool] | None = None,
    ) -> expr.Expression | None:
        """A checked expression; a refused one is a problem at its column. ``classes``
        allows ``class_of(…)`` (in summaries)."""
        if value is None:
            return None
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.problem(path, f"expected an expression in quotes, got {_kind(value)}")
            return None
        names = list(options)
        try:
            e = expr.compile_expression(
                value,
                known,
                lambda n: did_you_mean(n, names),
                classes=classes,
                earlier=self.earlier,
                limits=self.limits,
            )
            self.expressions.append(e)
            return e
        except expr.ExpressionError as exc:
            where = f" (at column {exc.column} of the expression)" if exc.column else ""
            hint = exc.hint
            self.problem(path, f"{exc.message}{where}: {shown_expression(value)}", hint)
            return None


def shown_expression(text: str) -> str:
    """An expression as a message quotes it: in quotes, cut short past 80 characters."""
    text = text.strip()
    return repr(text) if len(text) <= 80 else repr(text[:77]) + "…"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, Decimal)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__
