"""Tests for ``ecoscore verify`` with --hypotheses and -o (ecoscore.cli.verify and
ecoscore.audit.document): what it prints, in one language, and the reports it writes."""

from __future__ import annotations

import json
import re
import shlex
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from ecoscore.cli import EXIT_DIFFERENCES, EXIT_OK, EXIT_USAGE, main

FIXTURES = Path(__file__).parents[1] / "fixtures" / "hypotheses"
CRITERIA = FIXTURES / "criteria.toml"
DATA = FIXTURES / "data.csv"

# 瑞金市 26.65 × 3: exactly 79.95 → 80.0, in floats 79.94999999999999 → 79.9. 兴国县
# and 会昌县 tie on 80.0; the air area (60.00 against 40.00) puts 兴国县 first.
EXACT = (
    "单位,总分,等级,排名,group_rank,备注\n"
    "兴国县,80.0,优秀,1,1,\n瑞金市,80.0,优秀,2,1,\n会昌县,80.0,优秀,3,2,\n"
)
FLOATS = (
    "单位,总分,等级,排名,group_rank\n"
    "兴国县,80.0,优秀,1,1\n会昌县,80.0,优秀,2,2\n瑞金市,79.9,良好,3,1\n"
)

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def run(capsys: pytest.CaptureFixture[str], *argv: Any) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def table(tmp_path: Path, text: str, name: str = "published.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_table_is_generated_with_floats() -> None:
    """FLOATS is what float sums with half-up rounding of the double publish."""
    total = Decimal(26.65 + 26.65 + 26.65).quantize(Decimal("0.1"), ROUND_HALF_UP)
    assert Decimal("79.9") == total
    assert "瑞金市,79.9," in FLOATS


def test_hypotheses_find_the_float_convention(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """verify --hypotheses on a table computed in floats names the float sums as
    reproducing every figure, with 瑞金市's double; the exit is still 3 (the criteria do
    not reproduce the table)."""
    published = table(tmp_path, FLOATS)
    code, out, _ = run(capsys, "verify", CRITERIA, DATA, published, "--hypotheses", "--lang", "en")
    assert EXIT_DIFFERENCES == code
    lines = out.splitlines()
    assert f"{published}:4:2: 瑞金市: total: published 79.9, computed 80.0" in lines
    assert "these reproduce all 9 published figures:" in lines
    assert "  binary-float sums" in lines
    assert (
        "    瑞金市: the total summed in binary floats is 79.949999999999989… (exactly 79.95),"
        " which rounds to 79.9"
    ) in lines


def test_an_exact_table_needs_no_hypothesis(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A table the criteria reproduce: exit 0, no hypothesis needed, and the published
    columns that were not compared are listed."""
    code, out, _ = run(capsys, "verify", CRITERIA, DATA, table(tmp_path, EXACT), "--hypotheses")
    assert EXIT_OK == code, out
    lines = out.splitlines()
    assert "公布表中未比对的列：group_rank、备注" in lines
    assert "全部 3 个单位的公布结果均可复现" in lines
    assert "按细则的规定即可复现公布表，无需假设" == lines[-1]


def test_a_rank_a_tie_break_decided_is_explained(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """会昌县 published first of the two tied on 80.0: it lost to 兴国县 on the air area."""
    swapped = EXACT.replace("兴国县,80.0,优秀,1", "兴国县,80.0,优秀,3").replace(
        "会昌县,80.0,优秀,3", "会昌县,80.0,优秀,1"
    )
    code, out, _ = run(capsys, "verify", CRITERIA, DATA, table(tmp_path, swapped), "--lang", "en")
    assert EXIT_DIFFERENCES == code
    lines = out.splitlines()
    assert "    tied with Xingguo on 80.0; lost to it on Air, 40.00 vs 60.00" in lines
    assert "    tied with Ruijin on 80.0; lost to it on Air, 40.00 vs 53.30" in lines
    code, out, _ = run(capsys, "verify", CRITERIA, DATA, table(tmp_path, swapped))
    assert "    与 兴国县 同为 80.0，按大气环境排在其后：40.00 对 60.00" in out.splitlines()


def test_each_message_is_in_one_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """In English no word of ours is Chinese (the units' names are the data's); in
    Chinese no word of ours is English (file names and ids aside)."""
    published = table(tmp_path, FLOATS)
    _, out, _ = run(capsys, "verify", CRITERIA, DATA, published, "--hypotheses", "--lang", "en")
    for data in ("瑞金市", "兴国县", "会昌县", "published 良好"):
        out = out.replace(data, "")
    assert not CJK.search(out), out
    _, out, _ = run(capsys, "verify", CRITERIA, DATA, published, "--hypotheses", "--lang", "zh")
    out = out.replace(str(published), "").replace("group_rank", "").replace("round", "")
    assert "" == re.sub(r"[^A-Za-z]|Python", "", out.replace("Python", "")), out


def test_the_report_is_written_as_markdown_and_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """-o report.md writes what is printed as Markdown; -o report.json the same account
    with items by id and notes in both languages."""
    published = table(tmp_path, FLOATS)
    md = tmp_path / "report.md"
    code, _, _ = run(capsys, "verify", CRITERIA, DATA, published, "--hypotheses", "-o", md)
    assert EXIT_DIFFERENCES == code
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# 公布结果核验\n")
    assert "## 假设检验" in text
    assert "  - 二进制浮点数求和" in text
    assert "公布表中未比对的列：group_rank" in text
    report = tmp_path / "report.json"
    code, _, _ = run(capsys, "verify", CRITERIA, DATA, published, "--hypotheses", "-o", report)
    assert EXIT_DIFFERENCES == code
    document = json.loads(report.read_text(encoding="utf-8"))
    assert "ecoscore-verify/1" == document["format"]
    assert ["group_rank"] == document["not_compared"]
    assert ["total", "grade", "rank:overall"] == document["compared"]
    assert 9 == document["figures"]
    assert [["float"]] == document["hypotheses"]["reproducing"]
    first = document["differences"][0]
    assert {"unit", "item", "published", "computed", "location", "notes"} == set(first)
    best = document["hypotheses"]["tried"][0]
    assert ["float"] == best["conventions"]
    assert 9 == best["reproduced"]


def test_report_kinds_and_inputs_are_checked_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An unknown report kind, a report over the published table, and --previous-criteria
    without --hypotheses are usage errors: nothing is read, nothing is written."""
    published = table(tmp_path, FLOATS)
    code, _, err = run(capsys, "verify", CRITERIA, DATA, published, "-o", tmp_path / "r.html")
    assert EXIT_USAGE == code
    assert "unknown report kind '.html'; use .md, .json" in err
    before = published.read_text(encoding="utf-8")
    same = table(tmp_path, FLOATS, "published.md")
    code, _, err = run(capsys, "verify", CRITERIA, DATA, same, "-o", same)
    assert EXIT_USAGE == code
    assert "refusing to write over the input file" in err
    assert FLOATS == same.read_text(encoding="utf-8")
    code, _, err = run(capsys, "verify", CRITERIA, DATA, published, "--previous-criteria", CRITERIA)
    assert EXIT_USAGE == code
    assert "--hypotheses" in err
    assert before == published.read_text(encoding="utf-8")
    assert not (tmp_path / "r.html").exists()


ROOT = Path(__file__).parents[2]


def _section(name: str) -> str:
    text = (ROOT / "docs" / "analysis.md").read_text(encoding="utf-8")
    return text.partition(f"## {name}")[2].partition("\n## ")[0]


def test_the_worked_example_in_docs_analysis(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each session of docs/analysis.md's "Verify with hypotheses" prints exactly what the
    page shows, and its Python example runs and finds the float sums."""
    monkeypatch.chdir(ROOT)
    section = _section("Verify with hypotheses")
    sessions = re.findall(r"```console\n(.*?)```", section, re.DOTALL)
    assert 2 == len(sessions)
    for session in sessions:
        command, *shown = session.splitlines()
        argv = shlex.split(command.removeprefix("$ "))
        assert "ecoscore" == argv[0]
        code, out, _ = run(capsys, *argv[1:])
        assert EXIT_DIFFERENCES == code
        assert shown == out.splitlines()
    (program,) = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    exec(compile(program, "docs/analysis.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert "('float',) 54 of 54" == printed[0]
    assert printed[1].startswith("寻乌县 the total summed in binary floats is 97.849999999999994…")


def test_hypotheses_need_every_unit_scored(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """With --keep-going, a unit left out would be missing from every hypothesis: the run
    says so and stops (exit 2) rather than compare a table with fewer units."""
    data = table(tmp_path, DATA.read_text(encoding="utf-8").replace("20,20,40", "20,x,40"), "d.csv")
    published = table(tmp_path, FLOATS)
    argv = ["verify", CRITERIA, data, published, "--keep-going", "--hypotheses", "--lang", "en"]
    code, out, err = run(capsys, *argv)
    assert EXIT_USAGE == code
    assert "--hypotheses re-runs the assessment on every unit, and 1 unit(s) were left out" in err
    assert "" == out
