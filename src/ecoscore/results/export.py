"""The stable JSON form of results (``"format": "ecoscore-results/1"``).

Every number is a string holding the exact decimal (``"97.31"``), so no reader turns it
into a binary float by accident; ``null`` is a value that does not exist. The form:

.. code-block:: text

    {
      "format": "ecoscore-results/1",
      "criteria": {"id", "title": {"zh", "en"}, "sha256", "version"},
      "units": [                                   # sorted by unit id
        {"unit", "attributes": {...},
         "total": "85.5", "total_exact": "85.4629…", "grade": "良好",
         "grade_steps": [{"rule", "before", "after", "why": {"zh", "en"}}],
         "indicators": [{"id", "parent", "value", "points", "raw_points",
                         "contribution", "status", "clause", "class", "rounding",
                         "inputs": {...}, "steps": [[what, value], ...], "note"}],
                         # clause: {"zh", "en"}; every note: {"zh", "en"} or null
         "nodes": [{"id", "aggregate", "value", "raw", "rounding", "excluded", "argmax",
                    "note"}],
         "trace": [{"path", "kind", "amount"}],     # adds up exactly to "total"
         "ranks": {"<ranking id>": {"rank", "group", "value", "note"}},
         "rollups": [{"id", "table", "aggregate", "period", "value", "raw", "subunits",
                      "considered", "counted", "values": [[subunit, value], ...],
                      "outside", "left_out": [{"subunit", "missing"}], "kept", "at",
                      "note"}]}                # figures from sub-units (results.rollups)
      ],
      "rankings": [{"id", "label": {...}, "entries": [{"unit", "rank", "group", "value",
                                                      "note"}]}],
      "summaries": [{"id", "label": {...},
                     "groups": [{"group", "value", "raw", "count", "considered",
                                 "left_out", "class"}]}]
                     # group null: every unit; count, considered: numbers of units (JSON
                     # integers); left_out: the units left out; class: from the bands
    }

Keys are never removed within a format version; new keys may be added.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ecoscore.model import Label
from ecoscore.results.assessment import Results
from ecoscore.results.card import ScoreCard
from ecoscore.results.rollups import rolled_up_to_dict

__all__ = ["FORMAT", "results_to_dict", "results_to_json"]

#: The name and version of the JSON form.
FORMAT = "ecoscore-results/1"


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, Label):
        return {"zh": value.zh, "en": value.en}
    if isinstance(value, (list, tuple)):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    return str(value)


def _card(results: Results, card: ScoreCard) -> dict[str, Any]:
    criteria = results.criteria
    ranks = {}
    for ranking in results.rankings:
        for entry in ranking.entries:
            if entry.unit == card.unit:
                ranks[ranking.id] = {
                    "rank": _value(entry.rank),
                    "group": entry.group,
                    "value": _value(entry.value),
                    "note": _value(entry.note),
                }
    indicators = []
    for res in card.indicators.values():
        o = res.outcome
        indicators.append(
            {
                "id": res.id,
                "parent": criteria.indicators[res.id].parent,
                "value": _value(res.value),
                "points": _value(res.points),
                "raw_points": _value(res.raw_points),
                "contribution": _value(res.contribution),
                "status": res.status,
                "clause": None if o is None else {"zh": o.text("zh"), "en": o.text("en")},
                "class": None if o is None else o.label,
                "rounding": None if res.rounding is None else str(res.rounding),
                "inputs": {k: _value(v) for k, v in res.inputs},
                "steps": [] if o is None else [[k, _value(v)] for k, v in o.steps],
                "note": _value(res.note),
            }
        )
    nodes = [
        {
            "id": n.id,
            "aggregate": n.aggregate,
            "value": _value(n.value),
            "raw": _value(n.raw),
            "rounding": None if n.rounding is None else str(n.rounding),
            "excluded": list(n.excluded),
            "argmax": list(n.argmax),
            "note": _value(n.note),
        }
        for n in card.nodes.values()
    ]
    return {
        "unit": card.unit,
        "attributes": _value(dict(card.attributes)),
        "total": _value(card.total),
        "total_exact": _value(card.total_exact),
        "grade": card.grade,
        "grade_steps": [
            {"rule": s.rule, "before": s.before, "after": s.after, "why": _value(s.why)}
            for s in card.grade_steps
        ],
        "indicators": indicators,
        "nodes": nodes,
        "trace": [{"path": s.path, "kind": s.kind, "amount": _value(s.amount)} for s in card.steps],
        "ranks": ranks,
        "rollups": rolled_up_to_dict(card.rollups),
    }


def results_to_dict(results: Results) -> dict[str, Any]:
    """The results as plain JSON-ready data (numbers as exact decimal strings)."""
    c = results.criteria
    return {
        "format": FORMAT,
        "criteria": {
            "id": c.id,
            "title": _value(c.title),
            "sha256": c.sha256,
            "version": c.version,
        },
        "units": [_card(results, card) for card in results],
        "rankings": [
            {
                "id": r.id,
                "label": _value(r.label),
                "entries": [
                    {
                        "unit": e.unit,
                        "rank": _value(e.rank),
                        "group": e.group,
                        "value": _value(e.value),
                        "note": _value(e.note),
                    }
                    for e in r.entries
                ],
            }
            for r in results.rankings
        ],
        "summaries": [
            {
                "id": s.id,
                "label": _value(s.label),
                "groups": [
                    {
                        "group": f.group,
                        "value": _value(f.value),
                        "raw": _value(f.raw),
                        "count": f.count,
                        "considered": f.considered,
                        "left_out": list(f.left_out),
                        "class": f.label,
                    }
                    for f in s.groups
                ],
            }
            for s in results.summaries
        ],
    }


def results_to_json(results: Results, *, indent: int | None = 2) -> str:
    """The results as JSON text, byte-identical for the same inputs."""
    return (
        json.dumps(results_to_dict(results), ensure_ascii=False, indent=indent, sort_keys=False)
        + "\n"
    )
