"""A unit's rolled-up figures, with the sub-units behind each: what a trace shows of them.

A ``RolledUp`` is computed once by the engine (``ecoscore.engine.rollup``) for each unit
and each ``[rollup.<id>]``; renderers read it and never recompute it. It names every
sub-unit of the unit in the period and what became of it: considered and counted,
considered and not counted, outside the roll-up's ``where``, left out for a missing
figure, or kept (as not counted) for one under ``if_missing = "not-met"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.model import Label

__all__ = ["RolledUp", "rolled_up_to_dict", "rolled_up_words"]


@attrs.frozen
class RolledUp:
    """One roll-up for one unit: its figure and the sub-units behind it.

    ``value`` is the figure the rules read (after the roll-up's ``round``; a class for
    ``worst``/``best``; ``None`` when missing), ``raw`` the exact one. ``subunits`` are
    every sub-unit of the unit in ``period``, by key; ``considered`` those that entered
    the figure (a share's denominator), ``counted`` those a count or share counted (for
    the other aggregates, the same as ``considered``); ``values`` the figure each
    considered sub-unit brought (``value`` of a sum, mean, min, max, worst or best).
    ``outside``: left out by ``where``; ``left_out``: ``(key, names)`` for a sub-unit left
    out because it lacks the figures ``names``; ``kept``: the same for one kept in the
    denominator as not counted (``if_missing = "not-met"``). ``at`` are the sub-units
    that gave a min, max, worst or best. ``note`` says why the figure is missing, or
    what ``if_empty`` gave.
    """

    id: str
    table: str
    aggregate: str
    value: Decimal | str | None
    raw: Decimal | str | None
    period: str | None = None
    subunits: tuple[str, ...] = ()
    considered: tuple[str, ...] = ()
    counted: tuple[str, ...] = ()
    values: tuple[tuple[str, Any], ...] = ()
    outside: tuple[str, ...] = ()
    left_out: tuple[tuple[str, tuple[str, ...]], ...] = ()
    kept: tuple[tuple[str, tuple[str, ...]], ...] = ()
    at: tuple[str, ...] = ()
    note: Label | None = None

    def note_text(self, lang: str = "zh") -> str | None:
        """The note in ``lang``, or ``None``."""
        return None if self.note is None else self.note.text(lang)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _number(value: Any) -> Any:
    return format(value, "f") if isinstance(value, Decimal) else value


def rolled_up_to_dict(figures: Mapping[str, RolledUp]) -> list[dict[str, Any]]:
    """A card's roll-ups in the JSON form (numbers as exact decimal strings)."""
    return [
        {
            "id": f.id,
            "table": f.table,
            "aggregate": f.aggregate,
            "period": f.period,
            "value": _number(f.value),
            "raw": _number(f.raw),
            "subunits": list(f.subunits),
            "considered": list(f.considered),
            "counted": list(f.counted),
            "values": [[k, _number(v)] for k, v in f.values],
            "outside": list(f.outside),
            "left_out": [{"subunit": k, "missing": list(n)} for k, n in f.left_out],
            "kept": [{"subunit": k, "missing": list(n)} for k, n in f.kept],
            "at": list(f.at),
            "note": None if f.note is None else {"zh": f.note.zh, "en": f.note.en},
        }
        for f in figures.values()
    ]


_SEP = {"zh": "、", "en": ", "}


def rolled_up_words(f: RolledUp, lang: str = "zh", table: str | None = None) -> str:
    """One roll-up in words: ``sections (2024): share 5 / 6 = 83.33; counted: NK01, …;
    NK05 has no water_class (left out)``. The figure, then every sub-unit behind it;
    ``table`` names the table (default: its id)."""
    sep = _SEP["zh" if lang == "zh" else "en"]
    zh = lang == "zh"
    names = {
        "count": ("计数", "count"),
        "share": ("比例", "share"),
        "sum": ("合计", "sum"),
        "mean": ("均值", "mean"),
        "min": ("最小值", "min"),
        "max": ("最大值", "max"),
        "worst": ("最差", "worst"),
        "best": ("最好", "best"),
    }[f.aggregate]
    head = names[0] if zh else names[1]
    if f.aggregate in ("count", "share"):
        head += f" {len(f.counted)} / {len(f.considered)}"
    rounded = f.raw is not None and f.value != f.raw
    figure = _text(f.value) + (f" ({_text(f.raw)})" if rounded else "")
    parts = [f"{head} = {figure}"]
    if f.aggregate in ("count", "share"):
        if f.counted:
            parts.append(("计入：" if zh else "counted: ") + sep.join(f.counted))
        others = [k for k in f.considered if k not in f.counted]
        if others:
            parts.append(("未计入：" if zh else "not counted: ") + sep.join(others))
    elif f.values:
        parts.append(sep.join(f"{k} {_text(v)}" for k, v in f.values))
    if f.at:
        parts.append(("取自：" if zh else "from: ") + sep.join(f.at))
    for key, missing in f.left_out:
        what = sep.join(missing)
        parts.append(f"{key} 缺{what}，不参与" if zh else f"{key} has no {what} (left out)")
    for key, missing in f.kept:
        what = sep.join(missing)
        parts.append(f"{key} 缺{what}，按未达标计" if zh else f"{key} has no {what} (not counted)")
    if f.outside:
        parts.append(("不在范围内：" if zh else "outside where: ") + sep.join(f.outside))
    if f.note is not None:
        parts.append(f.note.text(lang))
    period = "" if f.period is None else (f"（{f.period}）" if zh else f" ({f.period})")
    return f"{table or f.table}{period}: " + "; ".join(parts)
