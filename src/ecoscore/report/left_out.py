"""The words every report uses for the units a run left out (``--keep-going``).

Each renderer has a small function of its own for its section (text, Markdown, HTML, an
XLSX sheet); this module gives them the same heading, count and rows, in both languages.
"""

from __future__ import annotations

from ecoscore.results.assessment import Results

__all__ = ["left_out_count", "left_out_heading", "left_out_rows"]


def left_out_heading(lang: str) -> str:
    """The section's heading."""
    return "未评分的单位" if lang == "zh" else "Units left out"


def left_out_count(results: Results, lang: str) -> str:
    """How many units were left out, and that the rankings rank the others only."""
    left, scored = len(results.left_out), len(results)
    if lang == "zh":
        return f"{left} 个单位因数据问题未评分；排名仅在已评分的 {scored} 个单位中进行。"
    units = "unit was" if left == 1 else "units were"
    return (
        f"{left} {units} left out: their rows could not be scored. "
        f"The rankings rank the {scored} units scored."
    )


def left_out_rows(results: Results) -> list[tuple[str, str]]:
    """Each (unit, reason) pair, a unit once per located reason."""
    return [(entry.unit, reason) for entry in results.left_out for reason in entry.reasons()]
