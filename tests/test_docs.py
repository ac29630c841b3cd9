"""The user documentation is tested: every TOML example loads, every result table holds.

``docs/criteria.md``
    Every fenced ```toml block is a test. By default a block is a whole criteria file
    and must load with ``ecoscore.loads``. HTML comment lines directly above the fence
    (no blank line between) change that:

    ``<!-- fragment -->``
        The block is a fragment: ``HEADER`` (``ecoscore = 1``, an id and a title) is
        put before it. Readers are told so in the document's conventions.
    ``<!-- fragment: NAME -->``
        The block continues the example named ``NAME``: the text of that example
        (with its own header) is put before it.
    ``<!-- name: NAME -->``
        Later fragments may continue this example under ``NAME``.
    ``<!-- error: TEXT -->``
        Loading must fail with a ``CriteriaError`` whose message contains ``TEXT``. If a
        ```text block follows the example (blank lines between are allowed), it must be
        the whole message, exactly, with the file named ``criteria.toml``.

    A Markdown table that follows a loading example (only blank lines and directive
    comments between) gives units' figures and the results they must get. Its columns:

    ``unit``
        the unit's name (required);
    an input or attribute id
        the unit's figure; an empty cell (or ``—``) is a missing figure;
    ``previous(x)``, ``previous(x, k)``
        the figure for ``x`` one (or ``k``) periods back; passed as ``previous=`` (a
        unit whose cells of a period are all empty is not in that period's data);
    ``→ WHAT``
        an expected result, compared as exact text with an empty cell (or ``—``) for
        "no value". ``WHAT`` is ``total``, ``total_exact``, ``grade``, an indicator id
        (its published points), a node id (its published value), ``value(i)`` (the
        indicator's measured value), ``class(i)`` (its class label), ``status(i)``,
        ``argmax(n)`` (a node's arg-max, comma-separated), ``rank`` (the first ranking),
        ``rank(r)``, or ``flags`` (the flags that hold, comma-separated).

    ``<!-- evaluation-error: TEXT -->`` directly above a table: evaluating its rows
    must fail with a ``DataError`` (``EvaluationError`` included) containing ``TEXT``.

    ``<!-- subunits: NAME -->`` directly above a table between the example and its
    results table: the rows of the sub-unit table ``NAME`` (its columns: the table's key,
    unit and period columns and its inputs), passed as ``tables=``. Results tables may
    then read ``→ rollup(r)`` (a roll-up's figure) and ``→ left_out(r)`` (the sub-units
    it left out, comma-separated). When a sub-unit table has a period column and the
    results table no ``previous(…)`` column, every unit is given a previous period with no
    figures of its own, to hold the table's earlier rows (the most recent period is the
    current one).

    Every unit's trace steps are also checked to add up to its total.

``docs/api.md``
    The ```pycon blocks are run in order, as one doctest sharing its names (so an
    example may use what an earlier one made), with ``ELLIPSIS`` and
    ``NORMALIZE_WHITESPACE``. Failures name the Markdown line. pytest itself does not
    collect ``docs/*.md`` (its ``--doctest-glob`` is ``README.md``), so nothing runs twice.
"""

from __future__ import annotations

import doctest
import re
import textwrap
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli

import ecoscore
from ecoscore.language.grades import RANK_STYLES
from ecoscore.language.rulebook import RULE_KEYS
from ecoscore.language.tree import AGGREGATES

DOCS = Path(__file__).resolve().parent.parent / "docs"
CRITERIA_MD = DOCS / "criteria.md"
API_MD = DOCS / "api.md"

#: What a ``<!-- fragment -->`` block is put after.
HEADER = 'ecoscore = 1\nid = "example"\ntitle = { zh = "示例", en = "Example" }\n'

_BLOCK_DIRECTIVES = ("fragment", "name", "error")
_TABLE_DIRECTIVES = ("evaluation-error", "subunits")
_DIRECTIVE = re.compile(r"<!--\s*([a-z-]+)\s*(?::\s*(.*?))?\s*-->")
_FENCE = re.compile(r"^(`{3,})\s*([\w-]*)\s*$")
_PREVIOUS = re.compile(r"previous\(\s*(\w+)\s*(?:,\s*(\d+)\s*)?\)")
_EXPECT = re.compile(r"→\s*(?:(\w+)\(\s*([^)]*?)\s*\)|([^\s()]+))$")


@attrs.frozen
class Table:
    """A Markdown table of units' figures and expected results."""

    line: int
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    directives: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class Block:
    """A fenced code block of a Markdown file and what the document says about it."""

    line: int  # of the opening fence
    lang: str
    text: str
    directives: tuple[tuple[str, str], ...] = ()
    table: Table | None = None
    output: str | None = None  # a ```text block after an error example
    subunits: tuple[tuple[str, Table], ...] = ()  # sub-unit tables before the results

    def directive(self, word: str) -> str | None:
        """The argument of the directive ``word`` ("" when it has none), or ``None``."""
        for key, value in self.directives:
            if key == word:
                return value
        return None


def _directives(lines: list[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for line in lines:
        m = _DIRECTIVE.fullmatch(line.strip())
        if m:
            out.append((m.group(1), m.group(2) or ""))
    return tuple(out)


def _cells(line: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in line.strip().strip("|").split("|"))


def parse_markdown(text: str) -> list[Block]:
    """The fenced blocks of a Markdown text, each with its directives and table."""
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang, start = m.group(1), m.group(2), i
        j = i + 1
        while j < len(lines) and lines[j].strip() != fence:
            j += 1
        above: list[str] = []
        k = start - 1
        while k >= 0 and _DIRECTIVE.fullmatch(lines[k].strip()):
            above.insert(0, lines[k])
            k -= 1
        body = "\n".join(lines[start + 1 : j]) + "\n"
        # What follows: blank lines and directives, sub-unit tables, then a table or a
        # ```text block.
        n = j + 1
        subunits: list[tuple[str, Table]] = []
        while True:
            between: list[str] = []
            while n < len(lines) and (
                not lines[n].strip() or _DIRECTIVE.fullmatch(lines[n].strip())
            ):
                between.append(lines[n])
                n += 1
            name = dict(_directives(between)).get("subunits")
            if lang != "toml" or name is None or n >= len(lines) or lines[n][:1] != "|":
                break
            start_rows, rows = n, []
            while n < len(lines) and lines[n].lstrip().startswith("|"):
                rows.append(_cells(lines[n]))
                n += 1
            subunits.append((name, Table(start_rows + 1, rows[0], tuple(rows[2:]))))
        table = output = None
        if lang == "toml" and n < len(lines) and lines[n].lstrip().startswith("|"):
            rows = []
            t = n
            while t < len(lines) and lines[t].lstrip().startswith("|"):
                rows.append(_cells(lines[t]))
                t += 1
            # rows[1] is the |---| separator line.
            table = Table(n + 1, rows[0], tuple(rows[2:]), _directives(between))
        elif lang == "toml" and n < len(lines) and _FENCE.match(lines[n]):
            follow = _FENCE.match(lines[n])
            if follow and follow.group(2) == "text":
                close = n + 1
                while close < len(lines) and lines[close].strip() != follow.group(1):
                    close += 1
                output = "\n".join(lines[n + 1 : close])
        blocks.append(
            Block(start + 1, lang, body, _directives(above), table, output, tuple(subunits))
        )
        i = j + 1
    return blocks


def _criteria_blocks() -> list[Block]:
    return [b for b in parse_markdown(CRITERIA_MD.read_text(encoding="utf-8")) if b.lang == "toml"]


def _full_texts(blocks: list[Block]) -> dict[int, str]:
    """Each block's text as loaded: with the header or the named example before it."""
    named: dict[str, str] = {}
    out: dict[int, str] = {}
    for block in blocks:
        base = block.directive("fragment")
        if base is None:
            text = block.text
        elif base == "":
            text = HEADER + block.text
        else:
            assert base in named, f"line {block.line}: no earlier example named {base!r}"
            text = named[base] + "\n" + block.text
        name = block.directive("name")
        if name:
            named[name] = text
        out[block.line] = text
    return out


BLOCKS = _criteria_blocks()
TEXTS = _full_texts(BLOCKS)


def _none(cell: str) -> bool:
    return cell in ("", "—")


def _records(table: Table) -> tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]:
    """The table's rows as this period's records and earlier periods' records."""
    current: list[dict[str, Any]] = []
    earlier: dict[int, list[dict[str, Any]]] = {}
    for row in table.rows:
        record: dict[str, Any] = {}
        for name, cell in zip(table.header, row, strict=True):
            if name.startswith("→"):
                continue
            value = None if _none(cell) else cell
            m = _PREVIOUS.fullmatch(name)
            if m:
                back = int(m.group(2) or 1)
                period = earlier.setdefault(back, [])
                if not period or period[-1]["unit"] != row[table.header.index("unit")]:
                    period.append({"unit": row[table.header.index("unit")]})
                period[-1][m.group(1)] = value
            else:
                record[name] = value
        current.append(record)
    # A unit with no figure at all in an earlier period is not in that period's data.
    periods = [
        [r for r in earlier.get(k, []) if any(v is not None for n, v in r.items() if n != "unit")]
        for k in range(1, max(earlier, default=0) + 1)
    ]
    return current, periods


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _actual(results: ecoscore.Results, unit: str, column: str) -> str:
    """The result a ``→ …`` column names, for one unit, as text."""
    m = _EXPECT.fullmatch(column)
    assert m, f"cannot read the column {column!r}"
    function, argument, name = m.group(1), m.group(2), m.group(3)
    card = results[unit]
    if name is not None:
        if name == "total":
            return _text(card.total)
        if name == "total_exact":
            return _text(card.total_exact)
        if name == "grade":
            return _text(card.grade)
        if name == "rank":
            return _text(results.ranking().rank_of(unit))
        if name == "flags":
            return ", ".join(card.flags)
        return _text(card.points(name))
    if function == "value":
        return _text(card.indicators[argument].value)
    if function == "class":
        return _text(card.indicators[argument].label)
    if function == "status":
        return _text(card.indicators[argument].status)
    if function == "argmax":
        return _text(card.nodes[argument].argmax)
    if function == "rank":
        return _text(results.ranking(argument).rank_of(unit))
    if function == "rollup":
        return _text(card.rollups[argument].value)
    if function == "left_out":
        return ", ".join(key for key, _ in card.rollups[argument].left_out)
    raise AssertionError(f"unknown result {function}() in column {column!r}")


def _check_columns(criteria: ecoscore.Criteria, table: Table) -> None:
    """Every column names something, so a misspelt one cannot be silently ignored."""
    assert "unit" in table.header, f"line {table.line}: a results table needs a unit column"
    for name in table.header:
        m = _PREVIOUS.fullmatch(name)
        plain = m.group(1) if m else name
        known = (
            plain == "unit"
            or plain in criteria.inputs
            or plain in criteria.attributes
            or name.startswith("→")
        )
        assert known, f"line {table.line}: column {name!r} is not an input or attribute"
    for row in table.rows:
        assert len(table.header) == len(row), f"line {table.line}: a row has the wrong width"


def _tables(criteria: ecoscore.Criteria, block: Block) -> dict[str, list[dict[str, Any]]] | None:
    """The block's sub-unit tables as rows (``None`` when it has none); every column
    names a column or an input of the table."""
    if not block.subunits:
        return None
    out: dict[str, list[dict[str, Any]]] = {}
    for name, table in block.subunits:
        spec = criteria.subunits[name]
        for column in table.header:
            known = column in (spec.key, spec.unit, spec.period) or column in spec.inputs
            assert known, f"line {table.line}: column {column!r} is not a column of {name}"
        out[name] = [
            {h: None if _none(c) else c for h, c in zip(table.header, row, strict=True)}
            for row in table.rows
        ]
    return out


def _check_trace(results: ecoscore.Results) -> None:
    for card in results:
        if card.total is not None:
            assert card.total == sum((s.amount for s in card.steps), Decimal(0)), card.unit


def _block_id(block: Block) -> str:
    return f"criteria.md:{block.line}"


@pytest.mark.parametrize("block", BLOCKS, ids=_block_id)
def test_criteria_example(block: Block) -> None:
    """Each TOML example loads (or fails with the stated message) and gets its table's results."""
    text = TEXTS[block.line]
    expected_error = block.directive("error")
    if expected_error is not None:
        with pytest.raises(ecoscore.CriteriaError) as refused:
            ecoscore.loads(text, source="criteria.toml")
        assert expected_error in str(refused.value)
        if block.output is not None:
            assert block.output.strip() == str(refused.value)
        assert block.table is None, f"line {block.line}: an example that fails has no results"
        return
    criteria = ecoscore.loads(text, source="criteria.toml")
    table = block.table
    if table is None:
        return
    _check_columns(criteria, table)
    records, previous = _records(table)
    tables = _tables(criteria, block)
    if tables and not previous and any(criteria.subunits[n].period for n in tables):
        previous = [[{"unit": r["unit"]} for r in records]]
    source = f"docs/criteria.md:{table.line}"
    failure = dict(table.directives).get("evaluation-error")
    if failure is not None:
        assert not any(c.startswith("→") for c in table.header), f"line {table.line}: no results"
        with pytest.raises(ecoscore.DataError) as info:
            ecoscore.evaluate(criteria, records, previous=previous, source=source, tables=tables)
        assert failure in str(info.value)
        return
    results = ecoscore.evaluate(criteria, records, previous=previous, source=source, tables=tables)
    _check_trace(results)
    expected_columns = [c for c in table.header if c.startswith("→")]
    assert expected_columns, f"line {table.line}: a results table needs a → column"
    unit_at = table.header.index("unit")
    expected, actual = [], []
    for row in table.rows:
        for column in expected_columns:
            cell = row[table.header.index(column)]
            expected.append((row[unit_at], column, "" if _none(cell) else cell))
            actual.append((row[unit_at], column, _actual(results, row[unit_at], column)))
    assert expected == actual


def test_every_directive_is_known() -> None:
    """A misspelt directive comment is an error, not an example silently left untested."""
    text = CRITERIA_MD.read_text(encoding="utf-8")
    words = {m.group(1) for m in _DIRECTIVE.finditer(text)}
    assert set() == words - {*_BLOCK_DIRECTIVES, *_TABLE_DIRECTIVES}


def test_every_results_table_belongs_to_an_example() -> None:
    """A table of units, or an expected evaluation error, that no example owns would be
    checked by nothing."""
    lines = CRITERIA_MD.read_text(encoding="utf-8").splitlines()
    owned = {b.table.line for b in BLOCKS if b.table is not None}
    headers = {
        n + 1
        for n, line in enumerate(lines)
        if line.lstrip().startswith("|")
        and ("→" in line or _cells(line)[0] == "unit")
        and not (n > 0 and lines[n - 1].lstrip().startswith("|"))
    }
    assert set() == headers - owned
    stated = sum("evaluation-error" in line for line in lines)
    attached = sum(
        "evaluation-error" in dict(b.table.directives) for b in BLOCKS if b.table is not None
    )
    assert stated == attached


def _documents_with_results() -> Iterator[dict[str, Any]]:
    """The parsed TOML of every example whose table states results (not an error)."""
    for block in BLOCKS:
        if block.table is not None and "evaluation-error" not in dict(block.table.directives):
            yield tomli.loads(TEXTS[block.line])


def test_every_rule_kind_has_an_example_with_results() -> None:
    """Each rule kind of the language is exercised through the docs by a results table."""
    covered = {
        key
        for doc in _documents_with_results()
        for spec in doc.get("indicator", {}).values()
        for key in RULE_KEYS
        if key in spec
    }
    assert set(RULE_KEYS) == covered


def test_every_aggregate_has_an_example_with_results() -> None:
    """Each way of aggregating a node is shown with results."""
    covered = {
        table.get("aggregate", "formula" if "formula" in table else "sum")
        for doc in _documents_with_results()
        for table in (*doc.get("node", {}).values(), doc.get("total", {}))
    }
    assert set(AGGREGATES) == covered


def test_every_policy_grade_rule_and_rank_style_has_an_example_with_results() -> None:
    """Missing-figure policies, effects, grade rules, quotas and tie styles are shown working."""
    covered: set[str] = set()
    for doc in _documents_with_results():
        for spec in doc.get("indicator", {}).values():
            missing = spec.get("missing", "error")
            covered.add(f"missing={'<points>' if not isinstance(missing, str) else missing}")
            covered.add(f"effect={spec.get('effect', 'score')}")
        covered.update(kind for kind in ("veto", "cap", "precondition") if kind in doc)
        covered.update(f"quota_ties={v}" for v in [doc.get("grades", {}).get("quota_ties")] if v)
        covered.update(
            f"ties={r.get('ties', 'competition')}" for r in doc.get("ranking", {}).values()
        )
        covered.update(f"rank_key={k}" for r in doc.get("ranking", {}).values() for k in r)
    expected = {
        *(f"missing={m}" for m in ("zero", "exclude", "previous", "<points>")),
        *(f"effect={e}" for e in ("score", "bonus", "deduction")),
        "veto",
        "cap",
        "precondition",
        "quota_ties=keep",
        *(f"ties={t}" for t in RANK_STYLES),
        *(
            f"rank_key={k}"
            for k in ("by", "order", "basis", "round", "tie_break", "group_by", "groups", "exclude")
        ),
    }
    assert set() == expected - covered


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces → hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("page", ["criteria.md", "api.md", "index.md"])
def test_links_between_the_pages_resolve(page: str) -> None:
    """Every link to a section (#anchor) or another page of docs/ points at something."""
    anchors = {
        path.name: {
            _slug(line.lstrip("#"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")
        }
        for path in DOCS.glob("*.md")
    }
    text = (DOCS / page).read_text(encoding="utf-8")
    broken = []
    for target, anchor in re.findall(r"\]\(([\w.-]*\.md)?(?:#([^)]+))?\)", text):
        name = target or page
        if name not in anchors or (anchor and anchor not in anchors[name]):
            broken.append(f"{target}#{anchor}")
    assert [] == broken


def test_the_examples_are_not_trivial() -> None:
    """The parser finds the examples: a broken fence would otherwise pass with no tests."""
    assert 40 <= len(BLOCKS)
    assert 20 <= sum(b.table is not None for b in BLOCKS)


# --- docs/api.md ----------------------------------------------------------------------------


def _api_doctest() -> doctest.DocTest:
    text = API_MD.read_text(encoding="utf-8")
    parser = doctest.DocTestParser()
    examples: list[doctest.Example] = []
    for block in parse_markdown(text):
        if block.lang != "pycon":
            continue
        for example in parser.get_examples(textwrap.dedent(block.text), name=str(API_MD)):
            # Line numbers in failure reports point into the Markdown file.
            example.lineno += block.line
            examples.append(example)
    return doctest.DocTest(examples, {}, "docs/api.md", str(API_MD), 0, text)


def test_api_examples_run() -> None:
    """Every example in docs/api.md runs and prints what the page says it prints."""
    test = _api_doctest()
    assert 20 <= len(test.examples)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=flags)
    result = runner.run(test, out=report.append)
    assert 0 == result.failed, "".join(report)


def test_api_page_mentions_every_public_name() -> None:
    """The API page documents each name in ecoscore.__all__."""
    text = API_MD.read_text(encoding="utf-8")
    assert [] == [
        name
        for name in ecoscore.__all__
        if f"`{name}" not in text and f"ecoscore.{name}" not in text
    ]
