"""A verification in words: the lines ``ecoscore verify`` prints, and its report files.

The same account three ways, each message in one language (``zh`` or ``en``):
``text`` for the terminal, ``markdown`` for a report file (``.md``), and ``json_text``
for a machine (``.json``, ``ecoscore-verify/1``, with every note in both languages).
Each says what was compared, every difference at its cell with its notes, the published
columns not compared, the units not published, and, when hypotheses were tried
(``audit.hypotheses``), which conventions reproduce the table or the closest and what
still differs under it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ecoscore.audit.hypotheses import Hypotheses, Hypothesis
from ecoscore.audit.verify import Difference, Verification, item_label
from ecoscore.model import Label
from ecoscore.report.common import grade_text
from ecoscore.results.assessment import Results

__all__ = ["FORMAT", "KINDS", "json_text", "markdown", "text"]

#: The name and version of the JSON document.
FORMAT = "ecoscore-verify/1"
#: The report files ``ecoscore verify -o`` writes, by suffix.
KINDS = (".md", ".json")

_WORDS = {
    "title": Label("公布结果核验", "Verification of a published table"),
    "compared": Label("比对项：{items}", "compared: {items}"),
    "published": Label("公布", "published"),
    "computed": Label("计算", "computed"),
    "and": Label("，", ", "),
    "list": Label("、", ", "),
    "not_compared": Label(
        "公布表中未比对的列：{columns}", "published columns not compared: {columns}"
    ),
    "unpublished": Label("未公布的单位：{units}", "units not in the published table: {units}"),
    "ok": Label(
        "全部 {n} 个单位的公布结果均可复现", "all {n} units reproduce the published figures"
    ),
    "bad": Label(
        "{k} / {n} 个单位与公布结果不一致", "{k} of {n} units differ from the published figures"
    ),
    "differences": Label("不一致之处", "Differences"),
    "hypotheses": Label("假设检验", "Hypotheses"),
    "not_needed": Label(
        "按细则的规定即可复现公布表，无需假设",
        "the declared criteria reproduce the table: no hypothesis needed",
    ),
    "tried": Label(
        "共检验 {n} 种假设：{k} 种口径单独检验，{p} 种两两组合",
        "{n} hypotheses tried: {k} conventions alone and {p} pairs",
    ),
    "reproduce": Label(
        "以下口径可复现全部 {m} 个公布数字：", "these reproduce all {m} published figures:"
    ),
    "none": Label(
        "没有一种口径能复现全部公布数字", "no convention reproduces every published figure"
    ),
    "closest": Label(
        "最接近：{name}，复现 {k} / {m} 个数字；仍不一致：",
        "the closest: {name}, {k} of {m} figures; what still differs:",
    ),
    "no_better": Label(
        "没有一种口径比细则的规定复现更多数字（{k} / {m}）",
        "no convention reproduces more figures than the declared criteria ({k} of {m})",
    ),
}


def _say(key: str, lang: str, **values: Any) -> str:
    return _WORDS[key].text(lang).format(**values)


def text(
    results: Results,
    verification: Verification,
    lang: str,
    hypotheses: Hypotheses | None = None,
) -> str:
    """What ``ecoscore verify`` prints, a line each, in ``lang``."""
    lines = [_say("compared", lang, items=_items(results, verification.compared, lang))]
    for difference in verification.differences:
        lines.extend(_difference(results, difference, lang, "    "))
    lines.extend(_listed(verification, lang))
    lines.append(_summary(verification, lang))
    if hypotheses is not None:
        lines.extend(_hypotheses(results, hypotheses, lang, "  "))
    return "\n".join(lines) + "\n"


def markdown(
    results: Results,
    verification: Verification,
    lang: str,
    hypotheses: Hypotheses | None = None,
    *,
    published: str = "",
) -> str:
    """The verification as a Markdown report, in ``lang``."""
    title = results.criteria.title.text(lang, results.criteria.id)
    lines = [f"# {_say('title', lang)}", "", f"{title}", ""]
    if published:
        lines += [f"`{published}`", ""]
    lines += [_say("compared", lang, items=_items(results, verification.compared, lang)), ""]
    lines += [f"**{_summary(verification, lang)}**", ""]
    if verification.differences:
        lines += [f"## {_say('differences', lang)}", ""]
        for difference in verification.differences:
            first, *notes = _difference(results, difference, lang, "")
            lines.append(f"- `{first.partition(': ')[0]}` {first.partition(': ')[2]}")
            lines.extend(f"  - {note}" for note in notes)
        lines.append("")
    listed = list(_listed(verification, lang))
    if listed:
        lines += [*listed, ""]
    if hypotheses is not None:
        lines += [f"## {_say('hypotheses', lang)}", ""]
        for line in _hypotheses(results, hypotheses, lang, "  "):
            depth = (len(line) - len(line.lstrip())) // 2  # the text's nesting, as a list's
            lines.append(f"{'  ' * depth}- {line.strip()}")
        lines.append("")
    return "\n".join(lines)


def json_text(
    results: Results, verification: Verification, hypotheses: Hypotheses | None = None
) -> str:
    """The verification as a JSON document (``FORMAT``): items by id, notes in both
    languages."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "criteria": results.criteria.id,
        "ok": verification.ok,
        "units": list(verification.units),
        "compared": list(verification.compared),
        "figures": verification.figures,
        "not_compared": list(verification.not_compared),
        "unpublished": list(verification.unpublished),
        "differences": [_difference_json(d) for d in verification.differences],
    }
    if hypotheses is not None:
        document["hypotheses"] = {
            "needed": hypotheses.needed,
            "reproducing": [list(h.ids) for h in hypotheses.reproducing()],
            "tried": [_hypothesis_json(h) for h in hypotheses.tried],
        }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# -- the parts -------------------------------------------------------------------------


def _items(results: Results, items: tuple[str, ...], lang: str) -> str:
    return _say("list", lang).join(item_label(results, i).text(lang, i) for i in items)


def _difference(results: Results, difference: Difference, lang: str, indent: str) -> list[str]:
    """A difference's line ("file:6:3: 章贡区: 总分: 公布 96.2，计算 96.1") and its notes."""
    what = item_label(results, difference.item).text(lang, difference.item)
    computed = difference.computed
    if computed is not None and difference.item.endswith("grade"):
        computed = grade_text(results.criteria, computed, lang)
    line = (
        f"{difference.location}: {difference.unit}: {what}: "
        f"{_say('published', lang)} {difference.published or '—'}{_say('and', lang)}"
        f"{_say('computed', lang)} {computed or '—'}"
    )
    return [line, *(f"{indent}{note.text(lang)}" for note in difference.notes)]


def _listed(verification: Verification, lang: str) -> Iterator[str]:
    joiner = _say("list", lang)
    if verification.not_compared:
        yield _say("not_compared", lang, columns=joiner.join(verification.not_compared))
    if verification.unpublished:
        yield _say("unpublished", lang, units=joiner.join(verification.unpublished))


def _summary(verification: Verification, lang: str) -> str:
    n = len(verification.units)
    if verification.ok:
        return _say("ok", lang, n=n)
    return _say("bad", lang, k=len(verification.differing_units()), n=n)


def _hypotheses(results: Results, hypotheses: Hypotheses, lang: str, indent: str) -> list[str]:
    if not hypotheses.needed:
        return [_say("not_needed", lang)]
    alone = sum(1 for h in hypotheses.tried if len(h.conventions) == 1)
    lines = [_say("tried", lang, n=len(hypotheses.tried), k=alone, p=len(hypotheses.tried) - alone)]
    m = hypotheses.declared.figures
    reproducing = hypotheses.reproducing()
    if reproducing:
        lines.append(_say("reproduce", lang, m=m))
        for hypothesis in reproducing:
            lines.append(f"{indent}{hypothesis.name(lang)}")
            lines.extend(
                f"{indent}{indent}{e.unit}: {e.note.text(lang)}" for e in hypothesis.explanations
            )
        return lines
    closest = hypotheses.closest()
    if closest is None:
        declared = m - len(hypotheses.declared.differences)
        lines.append(_say("no_better", lang, k=declared, m=m))
        return lines
    lines.append(_say("none", lang))
    lines.append(_say("closest", lang, name=closest.name(lang), k=closest.reproduced, m=m))
    for e in closest.explanations:
        lines.append(f"{indent}{e.unit}: {e.note.text(lang)}")
    for difference in closest.differences:
        lines.extend(f"{indent}{line}" for line in _difference(results, difference, lang, indent))
    return lines


def _difference_json(difference: Difference) -> dict[str, Any]:
    return {
        "unit": difference.unit,
        "item": difference.item,
        "published": difference.published,
        "computed": difference.computed,
        "location": str(difference.location),
        "notes": [{"zh": n.zh, "en": n.en} for n in difference.notes],
    }


def _hypothesis_json(hypothesis: Hypothesis) -> dict[str, Any]:
    return {
        "conventions": list(hypothesis.ids),
        "figures": hypothesis.figures,
        "reproduced": hypothesis.reproduced,
        "differences": [_difference_json(d) for d in hypothesis.differences],
        "explanations": [
            {
                "unit": e.unit,
                "item": e.item,
                "published": e.published,
                "declared": e.declared,
                "convention": e.convention,
                "note": {"zh": e.note.zh, "en": e.note.en},
            }
            for e in hypothesis.explanations
        ],
        "failure": list(hypothesis.failure),
    }
