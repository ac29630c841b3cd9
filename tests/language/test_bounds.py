"""The bounds a criteria file meets before and while it loads: each a located error."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import ecoscore
from ecoscore import CriteriaError
from ecoscore.language.bounds import id_problem
from ecoscore.limits import Limits

HEAD = 'ecoscore = 1\nid = "t"\ntitle = "t"\n[inputs]\nx = { zh = "x" }\n'


def problems(text: str, limits: Limits | None = None) -> list[str]:
    """The printed problems of a criteria text that must not load."""
    with pytest.raises(CriteriaError) as caught:
        ecoscore.loads(text, source="c.toml", limits=limits or Limits())
    return [str(p) for p in caught.value.problems]


def formula(source: str) -> str:
    """A criteria text with one formula indicator."""
    return HEAD + f'[indicator.a]\npoints = 10\nformula = "{source}"\n'


@pytest.mark.parametrize(
    "source",
    [
        "-" * 100_000 + "x",  # MemoryError in ast.parse
        "x+" * 50_000 + "x",  # RecursionError in ast.parse
        "x == '" + "a" * 1_000_000 + "'",  # a 1 MB text literal
    ],
)
def test_a_long_expression_is_refused_before_it_is_parsed(source: str) -> None:
    """An expression past the length limit is a located error, not a parser crash."""
    (problem,) = problems(formula(source))
    assert problem.startswith("c.toml:8:1: indicator.a.formula: an expression of ")
    assert "too long (at most 2,000)" in problem


def test_a_deep_expression_is_refused() -> None:
    """A sum of 500 terms nests deeper than 100 and is refused at its column."""
    (problem,) = problems(formula("x+" * 500 + "x"))
    assert "the expression nests more than 100 operations deep" in problem


def test_deep_brackets_are_refused_before_parsing() -> None:
    """Brackets nested past the limit are refused at the column of the first one too deep."""
    (problem,) = problems(formula("(" * 150 + "x" + ")" * 150))
    assert "brackets nested more than 100 deep (at column 101 of the expression)" in problem


def test_expression_limits_can_be_raised() -> None:
    """A caller's Limits lets a longer, deeper expression load."""
    limits = attrs.evolve(Limits(), expression_length=10_000, expression_depth=200)
    criteria = ecoscore.loads(formula("x+" * 150 + "x"), source="c.toml", limits=limits)
    results = ecoscore.evaluate(criteria, [{"unit": "A", "x": "0.01"}])
    assert Decimal("1.51") == results["A"].indicators["a"].value


def test_expression_depth_has_a_ceiling() -> None:
    """An expression depth past what the evaluation's stack holds cannot be asked for."""
    with pytest.raises(ValueError, match="expression_depth is at most 200"):
        Limits(expression_depth=600)


def test_toml_nested_too_deep_is_located() -> None:
    """An array nested 10,000 deep is refused at the bracket past the limit, not by tomli."""
    (problem,) = problems(HEAD + "deep = " + "[" * 10_000 + "]" * 10_000 + "\n")
    assert "c.toml:6:40: arrays or tables nested more than 32 deep" == problem


def test_brackets_in_strings_and_comments_do_not_count() -> None:
    """The nesting scan skips strings and comments."""
    text = HEAD + "# " + "[" * 40 + '\n[indicator.x]\nzh = "' + "[" * 40 + '"\n'
    criteria = ecoscore.loads(text + "points = 10\ntarget = {at_least = 1}\n")
    assert "[" * 40 == criteria.indicators["x"].label.zh


def test_a_file_past_the_size_limit_is_refused(tmp_path: Path) -> None:
    """A criteria file larger than the limit is refused without being parsed."""
    path = tmp_path / "big.toml"
    path.write_text(HEAD + "#" * 2_000_000 + "\n", encoding="utf-8")
    with pytest.raises(
        CriteriaError, match=r"big.toml: the criteria file is 1.9 MiB, more than the limit of 1 MiB"
    ):
        ecoscore.load(path)


def test_a_deep_tree_is_refused_quickly() -> None:
    """An indicator tree 3,000 levels deep is refused at the first node too deep, fast."""
    nodes = "[node.n0]\npoints = 10\n" + "".join(
        f'[node.n{i}]\nparent = "n{i - 1}"\npoints = 10\n' for i in range(1, 3000)
    )
    text = HEAD + nodes + '[indicator.x]\nparent = "n2999"\npoints = 10\ntarget = {at_least = 1}\n'
    start = time.perf_counter()
    found = problems(text)
    assert time.perf_counter() - start < 5
    assert 1 == len(found)
    assert "node.n32.parent: the indicator tree is more than 32 levels deep here" in found[0]


def test_an_indicator_below_the_deepest_node_is_refused() -> None:
    """An indicator one level below a node at the limit is too deep too."""
    limits = attrs.evolve(Limits(), tree_depth=2)
    text = (
        HEAD
        + '[node.a]\npoints = 10\n[node.b]\nparent = "a"\npoints = 10\n'
        + '[indicator.x]\nparent = "b"\npoints = 10\ntarget = {at_least = 1}\n'
    )
    (problem,) = problems(text, limits)
    assert "indicator.x.parent: the indicator tree is more than 2 levels deep" in problem
    assert ecoscore.loads(text, limits=attrs.evolve(Limits(), tree_depth=3)) is not None


def test_too_many_indicators_are_refused() -> None:
    """More indicators than the limit are one problem at [indicator]."""
    items = "".join(f'[indicator.i{k}]\npoints = 1\nformula = "x"\n' for k in range(6))
    (problem,) = problems(HEAD + items, attrs.evolve(Limits(), indicators=5))
    assert "6 [indicator] tables, more than the limit of 5" in problem


def test_a_cycle_among_nodes_is_still_reported() -> None:
    """The depth walk reports a cycle as the cycle check did."""
    text = (
        HEAD
        + '[node.a]\nparent = "b"\n[node.b]\nparent = "a"\n'
        + '[indicator.x]\nparent = "a"\npoints = 10\ntarget = {at_least = 1}\n'
    )
    assert any("nodes form a cycle: a → b → a" in p for p in problems(text))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ｐｍ25", "did you mean 'pm25'?"),
        ("p\u200bm25", "did you mean 'pm25'?"),
        ("pm 25", "did you mean 'pm_25'?"),
        ("25pm", "did you mean '_25pm'?"),
        ("and", "did you mean 'and_'?"),
        ("优秀", "the Chinese name goes in zh = …"),
    ],
)
def test_ids_are_ascii_identifiers(name: str, expected: str) -> None:
    """An id that is not an ASCII identifier, or is a reserved word, is refused with a hint."""
    found = id_problem(name)
    assert found is not None
    assert expected == found[1]


@pytest.mark.parametrize("name", ["ｐｍ25", "p\u200bm", "a b", "2x", "and", "not", "true"])
def test_an_input_id_that_is_not_an_identifier_is_refused(name: str) -> None:
    """The loader refuses such an input id at its line (it was only a lint warning)."""
    text = HEAD.replace("x = {", f'"{name}" = {{') + '[indicator.a]\npoints = 1\nformula = "1"\n'
    found = problems(text)
    assert any(p.startswith("c.toml:5:1: inputs.") and "id" in p for p in found)


def test_min_above_max_is_refused() -> None:
    """min = 100, max = 0 is refused at load, at max."""
    text = HEAD.replace('x = { zh = "x" }', 'x = { zh = "x", min = 100, max = 0 }')
    found = problems(text + "[indicator.x]\npoints = 10\ntarget = {at_least = 1}\n")
    assert [
        "c.toml:5:28: inputs.x.max: max 0 is below min 100: no figure could be accepted (swap them)"
    ] == found


@pytest.mark.parametrize("text", ["", "   \n\t\n"])
def test_an_empty_file_is_named(text: str) -> None:
    """An empty or blank criteria text is one problem at line 1."""
    found = problems(text)
    assert [
        "c.toml:1:1: the criteria file is empty (it starts with ecoscore = 1, id = …, title = …)"
    ] == found


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (HEAD.encode("utf-16"), "bad.toml:1:1: UTF-16 text, not UTF-8"),
        (HEAD.encode("utf-16-le"), "bad.toml:1:1: UTF-16 text, not UTF-8"),
        (b"ecoscore = 1\nid = \x00\x01\x02", "bad.toml:2:6: a binary file, not TOML text"),
        ('ecoscore = 1\ntitle = "赣州"'.encode("gbk"), "bad.toml:2:10: not UTF-8 text (byte 22)"),
    ],
)
def test_encoding_problems_are_located(tmp_path: Path, data: bytes, expected: str) -> None:
    """UTF-16, binary and GBK files are refused at a line and column."""
    path = tmp_path / "bad.toml"
    path.write_bytes(data)
    with pytest.raises(CriteriaError) as caught:
        ecoscore.load(path)
    assert str(caught.value).startswith(str(tmp_path / expected))


def test_a_gbk_file_is_named_as_gbk(tmp_path: Path) -> None:
    """The hint says the file reads as GBK."""
    path = tmp_path / "gbk.toml"
    path.write_bytes('title = "赣州市生态环境局"'.encode("gbk"))
    with pytest.raises(CriteriaError, match=r"it reads as GBK \(GB18030\): save the file as UTF-8"):
        ecoscore.load(path)


def test_a_long_chain_of_derived_values_is_refused_at_load() -> None:
    """3,000 derived values each reading the one before are refused at the first one past
    tree_depth (the dependency walk is a loop: it was a RecursionError); 30 score."""
    chain = "".join(f'd{i} = "d{i - 1} + 1"\n' for i in range(1, 3000))
    text = (
        HEAD + '[derived]\nd0 = "x"\n' + chain + '[indicator.a]\npoints = 10\nformula = "d2999"\n'
    )
    (problem,) = problems(text)
    assert "c.toml:39:1: derived.d32: derived values read one another more than 32 deep" in (
        problem
    )
    short = "".join(f'd{i} = "d{i - 1} + 1"\n' for i in range(1, 30))
    text = HEAD + '[derived]\nd0 = "x"\n' + short + '[indicator.a]\npoints = 10\nformula = "d29"\n'
    results = ecoscore.evaluate(ecoscore.loads(text), [{"unit": "A", "x": "1"}])
    assert Decimal(30) == results["A"].indicators["a"].value


def test_a_long_cycle_of_derived_values_is_reported() -> None:
    """A cycle through 3,000 derived values is one located problem, not a RecursionError."""
    ring = "".join(f'd{i} = "d{(i + 1) % 3000} + 1"\n' for i in range(3000))
    found = problems(HEAD + "[derived]\n" + ring + '[indicator.a]\npoints = 10\nformula = "d0"\n')
    assert 1 == len(found)
    assert "derived values form a cycle: d0 → d1 → d2" in found[0]


def test_a_long_chain_of_summaries_is_refused() -> None:
    """Summaries reading summaries more than tree_depth deep are refused at load (the
    engine works them out recursively)."""
    first = '[summary.s0]\naggregate = "count"\n'
    chain = "".join(
        f'[summary.s{i}]\naggregate = "formula"\nformula = "s{i - 1} + 1"\n' for i in range(1, 40)
    )
    text = HEAD + "[indicator.x]\npoints = 10\ntarget = {at_least = 1}\n" + first + chain
    found = problems(text)
    assert ["summary.s32.formula: summaries read one another more than 32 deep here"] == [
        p.split(": ", 1)[1].split(" (")[0] for p in found
    ]


@pytest.mark.parametrize(
    "line",
    [
        "a" + ".a" * 40 + " = 1",  # a dotted key
        "[" + ".".join(["a"] * 40) + "]",  # a table header
        "b = {" + "a." * 40 + "a = 1}",  # an inline table's dotted key
        "a" + ".a" * 5000 + " = 1",  # deep enough for tomli's RecursionError
    ],
)
def test_dotted_keys_nested_too_deep_are_located(line: str) -> None:
    """Keys with too many dotted parts nest as deep as brackets do: refused at their line."""
    (problem,) = problems(HEAD + line + "\n")
    assert problem.startswith("c.toml:6:")
    assert "keys or tables nested more than 32 deep" in problem


def test_an_integer_too_long_for_python_is_located() -> None:
    """A 10,000-digit integer (Python refuses to read it) is a problem at its column."""
    text = HEAD + "[indicator.x]\npoints = 1" + "0" * 10_000 + "\ntarget = {at_least = 1}\n"
    assert [
        "c.toml:7:10: a whole number too long to read (more than 4,000 digits)"
        " (a figure or a bound has at most 34 significant digits)"
    ] == problems(text)


def test_a_summary_id_must_be_an_id_too() -> None:
    """A summary's formula reads summaries by id, so a summary id is checked as an id."""
    text = HEAD + "[indicator.x]\npoints = 10\ntarget = {at_least = 1}\n"
    found = problems(text + '[summary."ｎ"]\naggregate = "count"\n')
    assert ["'ｎ' is not an id"] == [p.split(": ")[2] for p in found]


def bands(count: int) -> str:
    """Criteria with one indicator of ``count`` bands, every one open above (all overlap)."""
    listed = ", ".join(f"{{ at_least = {i}, points = 1 }}" for i in range(count, 0, -1))
    return HEAD + f"[indicator.x]\npoints = 10\nbands = [{listed}, {{ otherwise = 0 }}]\n"


def test_a_rule_with_too_many_bands_is_refused_before_it_is_checked() -> None:
    """30,000 bands are one problem at once (the pairwise overlap check took 30 s and
    1.9 GB for 2,000 of them); breakpoints are bounded the same way."""
    start = time.perf_counter()
    (problem,) = problems(bands(30_000))
    assert time.perf_counter() - start < 5
    assert problem.startswith("c.toml:8:1: indicator.x.bands: 30,001 bands, more than the limit")
    many = ", ".join(str(i) for i in range(300))
    rule = f"piecewise = {{ breakpoints = [{many}], values = [{many}] }}"
    text = HEAD + f"[indicator.x]\npoints = 10\n{rule}\n"
    assert any("300 breakpoints, more than the limit of 200" in p for p in problems(text))


def test_the_most_bands_allowed_are_checked_quickly() -> None:
    """At the limit, 200 bands that all overlap are reported in well under 5 s."""
    start = time.perf_counter()
    found = problems(bands(199))
    assert time.perf_counter() - start < 5
    assert all("overlaps" in p for p in found)


def test_too_many_grades_are_refused_quickly() -> None:
    """20,000 grade bands (14 s to check on the landed main) are one problem at once."""
    listed = ",".join(f'{{ grade = "g{i}", at_least = {30_000 - i} }}' for i in range(20_000))
    text = (
        HEAD
        + f"[indicator.x]\npoints = 10\ntarget = {{at_least = 1}}\n[grades]\nbands = [{listed}]\n"
    )
    start = time.perf_counter()
    found = problems(text)
    assert time.perf_counter() - start < 5
    assert any("grades.bands: 20,000 grades, more than the limit of 200" in p for p in found)
