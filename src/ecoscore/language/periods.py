"""The loader's part for assessments over several periods: ``[periods]`` and flags.

``[periods]`` names the periods, earliest first: ``assessed`` ones are scored with the
criteria (each able to read the results of the earlier ones), ``baseline`` ones only give
figures (a base year for ``at(x, "2021")`` and the trend functions). ``[flag.<id>]`` is a
mark attached to a unit when its ``when`` holds, after grading and ranking; a flag may
read other flags, never in a circle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ecoscore.language.reader import Path, TableReader, topological
from ecoscore.language.tree import LABEL_KEYS
from ecoscore.model import FlagSpec, Periods

__all__ = ["FLAG_KEYS", "PERIOD_KEYS", "read_flags", "read_periods"]

#: The keys of ``[periods]``.
PERIOD_KEYS = ("assessed", "baseline")

#: The keys of a ``[flag.<id>]``.
FLAG_KEYS = (*LABEL_KEYS, "when", "note")


def read_periods(r: TableReader, doc: dict[str, Any]) -> Periods | None:
    """``[periods]``, or ``None`` when the criteria declare none."""
    if "periods" not in doc:
        return None
    p: Path = ("periods",)
    t = r.table(doc["periods"], p, PERIOD_KEYS)
    lists: dict[str, tuple[str, ...]] = {}
    for key in PERIOD_KEYS:
        values = r.array(t.get(key, []), (*p, key))
        names: list[str] = []
        for k, value in enumerate(values):
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                r.problem((*p, key, k), 'a period is named by a text or a year: "2024" or 2024')
                continue
            names.append(str(value))
        lists[key] = tuple(names)
    assessed, baseline = lists["assessed"], lists["baseline"]
    if "assessed" not in t:
        r.problem(
            p,
            "missing required key 'assessed'",
            'the periods scored, earliest first: ["2023", "2024"]',
        )
    elif not assessed:
        r.problem((*p, "assessed"), "no period is assessed")
    seen: set[str] = set()
    for key, listed in lists.items():
        for name in listed:
            if name in seen:
                r.problem((*p, key), f"period {name!r} is listed twice")
            seen.add(name)
    # Baseline periods come first (a base year), then the assessed ones, each list in
    # the order written: earliest first.
    return Periods(assessed, baseline, tuple(dict.fromkeys((*baseline, *assessed))))


def read_flags(
    r: TableReader,
    doc: dict[str, Any],
    known: Callable[[str], bool],
    options: Iterable[str],
) -> tuple[FlagSpec, ...]:
    """Every ``[flag.<id>]``, each after the flags it reads."""
    raw = r.table(doc.get("flag", {}), ("flag",))
    ids = set(raw)
    names = [*options, *raw]
    read: dict[str, FlagSpec] = {}
    for ident, spec in raw.items():
        p: Path = ("flag", ident)
        t = r.table(spec, p, FLAG_KEYS)
        label = r.label(t, p)
        if label.zh is None and label.en is None:
            r.problem(p, "a flag needs a label (zh or en): it is published")
        e = r.expression(
            r.required(t, "when", p), (*p, "when"), lambda n: known(n) or n in ids, names
        )
        if e is not None:
            reads = tuple(sorted(n for n in e.names if n in ids))
            read[ident] = FlagSpec(ident, label, e, reads)

    def cycle(name: str, path: list[str]) -> None:
        r.problem(("flag", name), "flags form a cycle: " + " → ".join(path))

    order = topological({i: list(f.reads) for i, f in read.items()}, cycle)
    return tuple(read[i] for i in order)
