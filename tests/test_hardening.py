"""Issue 9's reproductions, through the command: each ended in a traceback, a hang or a
wrong acceptance on the landed main, and each is now a located error with exit 1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ecoscore.cli import main

HEAD = 'ecoscore = 1\nid = "t"\ntitle = "t"\n[inputs]\nx = { zh = "x" }\n'
SCORED = HEAD + "[indicator.x]\npoints = 10\ntarget = { at_least = 1 }\n"


def with_input(name: str) -> str:
    """Valid criteria with one more, unused, input under ``name`` (as TOML writes it)."""
    return SCORED.replace("[indicator.x]", f'{name} = {{ zh = "y" }}\n[indicator.x]')


def formula(source: str) -> str:
    """Criteria with one formula indicator."""
    return HEAD + f'[indicator.a]\npoints = 10\nformula = "{source}"\n'


CRITERIA_CASES = {
    "100,000 unary minus signs (MemoryError)": formula("-" * 100_000 + "x"),
    "a sum of 50,000 terms (RecursionError)": formula("x+" * 50_000 + "x"),
    "a TOML array nested 10,000 deep": HEAD + "a = " + "[" * 10_000 + "]" * 10_000 + "\n",
    "a tree 3,000 levels deep": HEAD
    + "[node.n0]\n"
    + "".join(f'[node.n{i}]\nparent = "n{i - 1}"\n' for i in range(1, 3000))
    + '[indicator.x]\nparent = "n2999"\npoints = 10\ntarget = {at_least = 1}\n',
    "full-width id ｐｍ25": with_input('"ｐｍ25"'),
    "a zero-width space in an id": with_input('"p\\u200bm"'),
    "a space in an id": with_input('"p m"'),
    "a leading digit": with_input('"2x"'),
    "a keyword as an id": with_input("and"),
    "min = 100, max = 0": SCORED.replace(
        'x = { zh = "x" }', 'x = { zh = "x", min = 100, max = 0 }'
    ),
    "9 ** 9 ** 9": formula("x + 9 ** 9 ** 9"),
    "'a' * 10**9": formula("x + 'a' * 10**9"),
    "2 ** 100 ** 100": formula("x * 2 ** 100 ** 100"),
    "exp(10 ** 100)": formula("x + exp(10 ** 100)"),
    "round(x, 10 ** 100)": formula("round(x, 10 ** 100)"),
    "a 1 MB text literal": formula("x == '" + "a" * 1_000_000 + "'"),
    "no id key": SCORED.replace('id = "t"\n', ""),
    "no ecoscore key": SCORED.replace("ecoscore = 1\n", ""),
    "an empty file": "",
    "a whitespace-only file": "  \n\t\n",
}


@pytest.mark.parametrize("text", list(CRITERIA_CASES.values()), ids=list(CRITERIA_CASES))
def test_check_refuses_with_a_located_error(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ecoscore check` exits 1 with every problem at a line and column of the file."""
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    assert 1 == main(["check", str(path), "--lang", "en"])
    problems = capsys.readouterr().err.splitlines()[:-1]
    assert problems
    for problem in problems:
        assert re.match(rf"{re.escape(str(path))}:\d+:\d+: ", problem), problem


@pytest.mark.parametrize(
    ("data", "encoding"),
    [(HEAD.encode("utf-16"), "UTF-16"), (HEAD.encode("gbk") + "标题 = 1".encode("gbk"), "GBK")],
)
def test_check_locates_an_encoding(
    data: bytes, encoding: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A UTF-16 or GBK criteria file is refused at a line and column, naming the encoding."""
    path = tmp_path / "c.toml"
    path.write_bytes(data)
    assert 1 == main(["check", str(path)])
    err = capsys.readouterr().err
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: ", err)
    assert encoding in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("unit,x\n", "the file has a header and no rows under it"),
        ("unit,x,y\nA,1,2\nB\n", "line 3 has 1 cell, the header has 3"),
        ("unit,x\nA,1,2\n", "line 2 has 3 cells, the header has 2"),
    ],
)
def test_score_refuses_a_table_that_used_to_pass(
    text: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A header with no rows, a short row and a long row exit 1 at their line."""
    criteria = tmp_path / "c.toml"
    criteria.write_text(SCORED.replace("points = 10", 'points = 10\nmissing = "zero"'), "utf-8")
    data = tmp_path / "data.csv"
    data.write_text(text, encoding="utf-8")
    assert 1 == main(["score", str(criteria), str(data), "--lang", "en"])
    assert expected in capsys.readouterr().err


def test_a_semicolon_csv_scores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A CSV delimited by semicolons is read (it was "no unit column")."""
    criteria = tmp_path / "c.toml"
    criteria.write_text(SCORED, encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_text("unit;x\nA;2\nB;0\n", encoding="utf-8")
    assert 0 == main(["score", str(criteria), str(data), "--lang", "en"])
    assert "A" in capsys.readouterr().out
