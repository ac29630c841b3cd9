"""Tests for ecoscore.cli (and the files it writes: ecoscore.io.atomic, ecoscore.io.manifest),
driven through ``main(argv)`` as a user would type the commands."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import ecoscore
from ecoscore.cli import EXIT_DIFFERENCES, EXIT_INPUT, EXIT_OK, EXIT_USAGE, main
from ecoscore.errors import UsageError
from ecoscore.io.atomic import atomic_path, refuse_inputs, write_text
from ecoscore.io.columns import ColumnIndex
from ecoscore.io.manifest import build_manifest

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
ROOT = Path(__file__).parent.parent
FLAGSHIP = ROOT / "criteria" / "ganzhou-county-2024.toml"
EXAMPLES = ROOT / "examples" / "ganzhou-2024"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A working directory with copies of the demo criteria and data."""
    for name in (
        "demo.toml",
        "data.csv",
        "previous.csv",
        "gbk.csv",
        "bom.csv",
        "long.csv",
        "long-periods.csv",
    ):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: Any) -> tuple[int, str, str]:
    """Run the command line; its exit code, standard output and standard error."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def score_json(
    capsys: pytest.CaptureFixture[str], files: Path, data: str, *more: Any
) -> dict[str, Any]:
    """`ecoscore score` of the demo criteria on ``data``, written as JSON and read back."""
    out = files / f"{data}.json"
    code, _, err = run(capsys, "score", files / "demo.toml", files / data, *more, "-o", out)
    assert EXIT_OK == code, err
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return document


def outcome(document: dict[str, Any]) -> dict[str, Any]:
    """What a JSON result decides for each unit, numbers compared as numbers: a typed 93
    and a CSV's 93.0 are the same figure, though the trace shows each as written."""

    def number(text: str | None) -> Decimal | None:
        return None if text is None else Decimal(text)

    return {
        u["unit"]: (
            number(u["total"]),
            number(u["total_exact"]),
            u["grade"],
            {
                k: (number(i["points"]), i.get("status", "scored"))
                for k, i in u["indicators"].items()
            },
            {k: number(r["rank"]) for k, r in u["ranks"].items()},
        )
        for u in document["units"]
    }


def totals(document: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Each unit's total and grade from a JSON result."""
    return {u["unit"]: (u["total"], u["grade"]) for u in document["units"]}


# --- basics --------------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the version and succeeds."""
    code, out, _ = run(capsys, "--version")
    assert (EXIT_OK, f"ecoscore {ecoscore.__version__}\n") == (code, out)


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """No command, or an unknown option, is bad usage."""
    assert EXIT_USAGE == run(capsys)[0]
    assert EXIT_USAGE == run(capsys, "score", "--nonsense")[0]


def test_missing_file_is_bad_input_without_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A criteria file that is not there is reported with its name, exit 1."""
    code, _, err = run(capsys, "check", tmp_path / "nope.toml")
    assert EXIT_INPUT == code
    assert "nope.toml: cannot read the criteria file" in err
    assert "Traceback" not in err


# --- check ---------------------------------------------------------------------------------


def test_check_prints_the_tree(capsys: pytest.CaptureFixture[str]) -> None:
    """check prints each node and indicator with label, points and rule, then passes."""
    code, out, err = run(capsys, "check", FIXTURES / "demo.toml")
    assert (EXIT_OK, "") == (code, err)
    lines = out.splitlines()
    assert "命令行示例考核 (cli-demo)" == lines[0]
    assert "  air  大气环境  25分  求和" in lines
    assert "    pm25  PM2.5浓度得分  10分  线性: pm25: zero_at 35, full_at 25" in lines
    assert "  honours  荣誉加分  2分  加分项  计数: honours × 1" in lines
    assert "  veto[0]: incident → 不合格  发生重大环境事件" in lines
    assert "细则检查通过（0 个警告）" == lines[-1]


def test_check_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    """--lang en prints English labels and words."""
    code, out, _ = run(capsys, "check", FIXTURES / "demo.toml", "--lang", "en")
    assert EXIT_OK == code
    assert "  air  Air  25 pts  sum" in out.splitlines()
    assert "the criteria are valid (0 warning(s))" in out


def test_check_lints_are_warnings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An unused input and an unlabelled indicator are warnings at their lines; exit 0."""
    path = tmp_path / "c.toml"
    path.write_text(
        'ecoscore = 1\nid = "x"\ntitle = "x"\n[inputs]\na = "甲"\nunused = "乙"\n'
        '[derived]\nb = "a * 2"\n[indicator.score]\nvalue = "b"\npoints = 10\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", path)
    assert EXIT_OK == code
    assert f"  {path}:6:1: inputs.unused: input 'unused' is read by nothing (未被使用)" in out
    assert f"  {path}:9:1: indicator.score: indicator 'score' has no label (缺少名称)" in out
    assert "细则检查通过（2 个警告）" in out


def test_check_reports_every_load_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Criteria that do not load: every problem on stderr with its line, exit 1."""
    path = tmp_path / "c.toml"
    path.write_text(
        'ecoscore = 1\nid = "x"\ntitle = "x"\n[inputs]\na = "甲"\n'
        "[indicator.a]\npoints = 10\nlinaer = { zero_at = 1, full_at = 2 }\ntarget = 5\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "check", path)
    assert (EXIT_INPUT, "") == (code, out)
    assert f"{path}:8:1: indicator.a.linaer: unknown key (did you mean 'linear'?)" in err
    assert f"{path}:9:1: indicator.a.target: a target has exactly one of" in err
    assert "ecoscore: 共 3 个问题，未能完成" in err
    assert "Traceback" not in err


# --- score ---------------------------------------------------------------------------------


def test_score_prints_the_ranking(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    """score without -o prints the ranking table."""
    code, out, _ = run(
        capsys,
        "score",
        files / "demo.toml",
        files / "data.csv",
        "--previous",
        files / "previous.csv",
    )
    assert EXIT_OK == code
    rows = [line.split() for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert [["1", "甲区", "36.0"], ["2", "丙县", "30.0"], ["3", "乙县", "19.0"]] == [
        r[:3] for r in rows
    ]


def test_score_json_with_manifest(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    """The JSON output holds full traces and a manifest with the inputs' SHA-256."""
    document = score_json(capsys, files, "data.csv", "--previous", files / "previous.csv")
    assert {
        "甲区": ("36.0", "优秀"),
        "丙县": ("30.0", "良好"),
        "乙县": ("19.0", "不合格"),
    } == totals(document)
    manifest = document["manifest"]
    digest = hashlib.sha256((files / "data.csv").read_bytes()).hexdigest()
    assert {"path": (files / "data.csv").as_posix(), "sha256": digest} == manifest["data"]
    assert [(files / "previous.csv").as_posix()] == [p["path"] for p in manifest["previous"]]
    assert {
        "encoding": None,
        "lang": "zh",
        "sheet": None,
        "stamp": False,
        "trace": "full",
        "pretty": False,
    } == manifest["settings"]
    assert ecoscore.__version__ == manifest["ecoscore"]
    assert "created" not in manifest
    card = document["units"][0]
    assert sum(Decimal(amount) for _, _, amount in card["trace"]) == Decimal(card["total"])


def test_score_json_is_compact_and_pretty_on_request(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    """The JSON output is one compact line; --pretty indents the same document."""
    compact, pretty = files / "compact.json", files / "pretty.json"
    argv = ("score", files / "demo.toml", files / "data.csv", "-o")
    assert EXIT_OK == run(capsys, *argv, compact)[0]
    assert EXIT_OK == run(capsys, *argv, pretty, "--pretty")[0]
    text = compact.read_text(encoding="utf-8")
    assert 1 == len(text.splitlines())
    document = json.loads(text)
    document["manifest"]["settings"]["pretty"] = True  # the manifest records the layout
    assert json.dumps(document, ensure_ascii=False, indent=2) + "\n" == pretty.read_text("utf-8")


@pytest.mark.parametrize("trace", ["summary", "none"])
def test_score_trace_levels(capsys: pytest.CaptureFixture[str], files: Path, trace: str) -> None:
    """--trace summary or none writes less of each unit, and says so; the totals stay."""
    full = score_json(capsys, files, "data.csv")
    out = files / f"{trace}.json"
    code, _, err = run(
        capsys, "score", files / "demo.toml", files / "data.csv", "-o", out, "--trace", trace
    )
    assert EXIT_OK == code, err
    document = json.loads(out.read_text(encoding="utf-8"))
    assert trace == document["trace"]
    assert totals(full) == totals(document)
    assert all("trace" not in u for u in document["units"])
    xlsx = files / f"{trace}.xlsx"
    assert (
        EXIT_OK
        == run(
            capsys, "score", files / "demo.toml", files / "data.csv", "-o", xlsx, "--trace", trace
        )[0]
    )


def test_trace_and_pretty_need_an_output_that_takes_them(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    """--trace on a CSV, or --trace and --pretty with no output file, are bad usage."""
    code, _, err = run(
        capsys,
        "score",
        files / "demo.toml",
        files / "data.csv",
        "-o",
        files / "r.csv",
        "--trace",
        "none",
    )
    assert (EXIT_USAGE, True) == (code, "--trace applies to .json and .xlsx outputs" in err)
    code, _, err = run(capsys, "score", files / "demo.toml", files / "data.csv", "--pretty")
    assert (EXIT_USAGE, True) == (code, "apply to a file output" in err)


def test_score_json_is_byte_for_byte_repeatable(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    """The same command on the same files writes the same bytes; --stamp adds a time."""
    first, second = files / "a.json", files / "b.json"
    for out in (first, second):
        assert (
            EXIT_OK == run(capsys, "score", files / "demo.toml", files / "data.csv", "-o", out)[0]
        )
    # The outputs differ in nothing but being two files.
    assert first.read_bytes() == second.read_bytes()
    run(capsys, "score", files / "demo.toml", files / "data.csv", "-o", first, "--stamp")
    assert "created" in json.loads(first.read_text(encoding="utf-8"))["manifest"]


@pytest.mark.parametrize("data", ["gbk.csv", "bom.csv", "long.csv"])
def test_every_input_form_scores_the_same(
    capsys: pytest.CaptureFixture[str], files: Path, data: str
) -> None:
    """GBK, UTF-8 with BOM and long-form files give the same results as the plain CSV."""
    args = ("--previous", files / "previous.csv")
    expected = score_json(capsys, files, "data.csv", *args)["units"]
    assert expected == score_json(capsys, files, data, *args)["units"]


def test_periods_in_one_long_file(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    """A long file with a period column scores its latest period against the earlier."""
    expected = score_json(capsys, files, "data.csv", "--previous", files / "previous.csv")
    assert expected["units"] == score_json(capsys, files, "long-periods.csv")["units"]


def test_score_xlsx_with_sheet_and_formula(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    """--sheet picks the worksheet of an XLSX input; the XLSX output reads back."""
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "封面"
    first.append(["封面页"])
    sheet = workbook.create_sheet("数据")
    for line in (files / "data.csv").read_text(encoding="utf-8").splitlines():
        sheet.append(line.split(","))
    workbook.save(files / "data.xlsx")
    out = files / "results.xlsx"
    code, _, err = run(
        capsys, "score", files / "demo.toml", files / "data.xlsx", "--sheet", "数据", "-o", out
    )
    assert EXIT_OK == code, err
    read = openpyxl.load_workbook(out)
    values = [
        str(v)
        for ws in read.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    ]
    assert "甲区" in values
    assert any(v in ("31", "31.0") for v in values)  # 甲区's total without last year


def test_score_other_outputs(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    """CSV (with a BOM), Markdown and HTML outputs are written by their extension."""
    for name in ("r.csv", "r.md", "r.html"):
        code, out, _ = run(
            capsys, "score", files / "demo.toml", files / "data.csv", "-o", files / name
        )
        assert (EXIT_OK, f"已写入 {files / name}\n") == (code, out)
    assert (files / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "甲区" in (files / "r.md").read_text(encoding="utf-8")
    html = (files / "r.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert hashlib.sha256((files / "demo.toml").read_bytes()).hexdigest() in html


def test_unknown_output_kind(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    """An output extension that names no kind is bad usage, exit 2."""
    code, _, err = run(
        capsys, "score", files / "demo.toml", files / "data.csv", "-o", files / "r.txt"
    )
    assert EXIT_USAGE == code
    assert "unknown output kind '.txt'" in err


def test_bad_data_lists_every_problem(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    """Problems in the data and in an earlier period's file are all reported, exit 1."""
    bad = files / "bad.csv"
    bad.write_text(
        "单位,PM2.5年均浓度,优良天数比例,发现问题数,已整改问题数,重大环境事件,工作评价,荣誉数\n"
        "甲区,abc,96.5,20,21,否,好,1\n乙县,33,92,0,0,也许,中,3\n丙县,24,89,10,10,否,优,0\n",
        encoding="utf-8",
    )
    old = files / "old.csv"
    old.write_text("unit,pm25\n甲区,x\n", encoding="utf-8")
    code, out, err = run(capsys, "score", files / "demo.toml", bad, "--previous", old)
    assert (EXIT_INPUT, "") == (code, out)
    lines = err.splitlines()
    assert any(line.startswith(f"{bad}:2:2: 甲区: pm25") for line in lines)
    assert any(line.startswith(f"{bad}:2:5: 甲区: rectified: 21 is above") for line in lines)
    assert any(line.startswith(f"{bad}:3:6: 乙县: incident") for line in lines)
    assert any(line.startswith(f"{bad}:4:7: 丙县: level") for line in lines)
    assert any(line.startswith(f"{old}:2:2: 甲区: pm25") for line in lines)
    assert "ecoscore: 共 5 个问题，未能完成" == lines[-1]
    assert "Traceback" not in err


def test_xlsx_error_cell_is_located(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    """An Excel error value in the data is reported at its sheet cell, exit 1."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append(["单位", "pm25"])
    sheet.append(["甲区", "#N/A"])
    workbook.save(files / "e.xlsx")
    code, _, err = run(capsys, "score", files / "demo.toml", files / "e.xlsx", "--lang", "en")
    assert EXIT_INPUT == code
    assert f"{files / 'e.xlsx'}:Sheet1!B2: Excel error value #N/A in a cell" in err
    assert "ecoscore: 1 problem(s); nothing was done" in err


def test_encoding_option(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    """--encoding reads a CSV in the encoding given, and a wrong one is a located error."""
    assert (
        EXIT_OK
        == run(capsys, "score", files / "demo.toml", files / "gbk.csv", "--encoding", "gbk")[0]
    )
    code, _, err = run(
        capsys, "score", files / "demo.toml", files / "gbk.csv", "--encoding", "utf-8"
    )
    assert EXIT_INPUT == code
    assert "cannot be read as utf-8 text" in err


# --- never over an input, and atomically ------------------------------------------------------


@pytest.mark.parametrize("target", ["data.csv", "previous.csv", "./data.csv", "../x/data.csv"])
def test_output_never_overwrites_an_input(
    capsys: pytest.CaptureFixture[str], files: Path, target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An output that is an input, by any spelling of its path, is refused with exit 2."""
    (files / "x").mkdir()
    monkeypatch.chdir(files / "x")
    shutil.copy(files / "data.csv", files / "x" / "data.csv")
    shutil.copy(files / "previous.csv", files / "x" / "previous.csv")
    before = (files / "x" / target).read_bytes()
    code, out, err = run(
        capsys, "score", "../demo.toml", "data.csv", "--previous", "previous.csv", "-o", target
    )
    assert (EXIT_USAGE, "") == (code, out)
    assert before == (files / "x" / target).read_bytes()
    assert f"{Path(target)}: refusing to write over the input file" in err


def test_output_through_a_link_is_refused(files: Path) -> None:
    """A hard or symbolic link to an input is the input."""
    os.link(files / "data.csv", files / "hard.csv")
    os.symlink(files / "data.csv", files / "soft.csv")
    for link in ("hard.csv", "soft.csv"):
        with pytest.raises(UsageError):
            refuse_inputs(files / link, [files / "data.csv"])
    refuse_inputs(files / "other.csv", [files / "data.csv"])


def test_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    """A writer that fails leaves the target as it was and no temporary file behind."""
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")

    def fail() -> None:
        with atomic_path(target) as temporary:
            temporary.write_bytes(b"half")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        fail()
    assert b"old" == target.read_bytes()
    assert ["out.xlsx"] == sorted(p.name for p in tmp_path.iterdir())
    write_text(target, "新\n")
    assert "新\n" == target.read_text(encoding="utf-8")
    assert ["out.xlsx"] == sorted(p.name for p in tmp_path.iterdir())


def test_unwritable_output_names_the_target(
    capsys: pytest.CaptureFixture[str], files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An output in a missing folder, or over a read-only file, is an error about that
    file (never the temporary one), exit 1."""
    out = files / "missing" / "r.json"
    code, _, err = run(capsys, "score", files / "demo.toml", files / "data.csv", "-o", out)
    assert (EXIT_INPUT, f"ecoscore: {out}: No such file or directory\n") == (code, err)
    locked = files / "locked.json"
    locked.write_text("old", encoding="utf-8")
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != locked)
    code, _, err = run(capsys, "score", files / "demo.toml", files / "data.csv", "-o", locked)
    assert (EXIT_INPUT, f"ecoscore: {locked}: Permission denied\n") == (code, err)
    assert "old" == locked.read_text(encoding="utf-8")


def test_manifest_is_deterministic(files: Path) -> None:
    """Two manifests of the same inputs are equal; a stamp is the only difference."""
    args: dict[str, Any] = {
        "command": "score",
        "criteria": files / "demo.toml",
        "data": files / "data.csv",
        "settings": {"lang": "zh"},
    }
    assert build_manifest(**args) == build_manifest(**args)
    stamp = datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    assert "2025-01-02T03:04:05+00:00" == build_manifest(**args, stamp=stamp)["created"]


# --- explain -------------------------------------------------------------------------------


def test_explain_by_label(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    """explain finds a unit by its English label and prints its score card."""
    code, out, _ = run(
        capsys,
        "explain",
        files / "demo.toml",
        files / "data.csv",
        "A District",
        "--previous",
        files / "previous.csv",
    )
    assert EXIT_OK == code
    assert "甲区" in out
    assert "36.0" in out


def test_explain_unknown_unit(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    """An unknown unit is bad usage with a did-you-mean."""
    code, _, err = run(capsys, "explain", files / "demo.toml", files / "data.csv", "甲区县")
    assert EXIT_USAGE == code
    assert "no unit named '甲区县' in the data (没有该单位) (did you mean '甲区'?)" in err


# --- template ------------------------------------------------------------------------------


def test_template_round_trip(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    """A form made by template, filled in with the data's figures, scores the same."""
    form = files / "form.xlsx"
    code, out, _ = run(capsys, "template", files / "demo.toml", "-o", form)
    assert (EXIT_OK, f"已写入 {form}\n") == (code, out)
    fill_form(form, files / "data.csv", files / "demo.toml")
    args = ("--previous", files / "previous.csv")
    assert (
        score_json(capsys, files, "data.csv", *args)["units"]
        == score_json(capsys, files, "form.xlsx", *args)["units"]
    )


def fill_form(form: Path, data: Path, criteria_path: Path) -> None:
    """Type a CSV's figures into a blank form as a person would: rows by unit, columns by
    the input they name, numbers as numbers and yes/no as 是/否."""
    criteria = ecoscore.load(criteria_path)
    index = ColumnIndex(criteria)
    lines = [line.split(",") for line in data.read_text(encoding="utf-8-sig").splitlines()]
    header, *rows = lines
    workbook = openpyxl.load_workbook(form)
    sheet = workbook.worksheets[0]
    units = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    columns = {
        min(index.match(str(sheet.cell(1, c).value))): c for c in range(2, sheet.max_column + 1)
    }
    for row in rows:
        for name, text in zip(header[1:], row[1:], strict=True):
            found = index.match(name)
            if not found:
                continue  # a note, not an input
            (ident,) = found
            value: Any = text
            if ident in criteria.inputs and criteria.inputs[ident].type == "number" and text:
                value = float(text.rstrip("%"))
            elif text in ("true", "false"):
                value = "是" if text == "true" else "否"
            sheet.cell(units[row[0]], columns[ident]).value = None if value == "" else value
    workbook.save(form)


def test_template_needs_xlsx_and_spares_the_criteria(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    """A template that is not .xlsx, or that would overwrite the criteria, is refused."""
    assert EXIT_USAGE == run(capsys, "template", files / "demo.toml", "-o", files / "f.csv")[0]
    code = run(capsys, "template", files / "demo.toml", "-o", files / "demo.toml")[0]
    assert EXIT_USAGE == code
    assert (FIXTURES / "demo.toml").read_bytes() == (files / "demo.toml").read_bytes()


# --- verify --------------------------------------------------------------------------------


def test_verify_reproduces(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    """A published table the recomputation reproduces exits 0."""
    published = files / "published.csv"
    published.write_text(
        "单位,总分,等级,排名\n甲区,36.0,优秀,1\n丙县,30.0,良好,2\n乙县,19.0,不合格,3\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys,
        "verify",
        files / "demo.toml",
        files / "data.csv",
        published,
        "--previous",
        files / "previous.csv",
    )
    assert EXIT_OK == code
    assert "全部 3 个单位的公布结果均可复现" in out


def test_verify_reports_differences_with_exit_3(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    """Differences are listed with their cell and explanation, and exit with 3."""
    published = files / "published.csv"
    published.write_text(
        "unit,total,rank\nA District,36.1,1\nC County,30.0,2\nB County,19.0,2\n", encoding="utf-8"
    )
    code, out, _ = run(
        capsys,
        "verify",
        files / "demo.toml",
        files / "data.csv",
        published,
        "--previous",
        files / "previous.csv",
        "--lang",
        "en",
    )
    assert EXIT_DIFFERENCES == code
    lines = out.splitlines()
    assert f"{published}:2:2: 甲区: total: published 36.1, computed 36.0" in lines
    assert (
        "    published 36.1 = exact 36.05, rounded to 1 place, half up or ceiling;"
        " the criteria round to 1 place, half even → 36.0"
    ) in lines
    assert f"{published}:4:3: 乙县: Overall: published 2, computed 3" in lines
    assert "2 of 3 units differ from the published figures" == lines[-1]


def test_verify_reports_data_and_table_problems_together(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    """A bad data file and an unreadable published table are reported in one run."""
    bad = files / "bad.csv"
    bad.write_text("unit,pm25\n甲区,x\n", encoding="utf-8")
    code, _, err = run(capsys, "verify", files / "demo.toml", bad, files / "none.csv")
    assert EXIT_INPUT == code
    assert f"{bad}:2:2: 甲区: pm25" in err
    assert f"{files / 'none.csv'}: no such file" in err


# --- the flagship example ------------------------------------------------------------------


def test_flagship_end_to_end(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The Ganzhou criteria score the example data, and a template filled with the same
    figures scores the same."""
    data = EXAMPLES / "submissions-2024.csv"
    previous = EXAMPLES / "submissions-2023.csv"
    code, _, err = run(capsys, "check", FLAGSHIP)
    assert EXIT_OK == code, err
    results = tmp_path / "results.json"
    code, _, err = run(capsys, "score", FLAGSHIP, data, "--previous", previous, "-o", results)
    assert EXIT_OK == code, err
    document = json.loads(results.read_text(encoding="utf-8"))
    assert 18 == len(document["units"])
    form = tmp_path / "form.xlsx"
    assert EXIT_OK == run(capsys, "template", FLAGSHIP, "-o", form)[0]
    fill_form(form, data, FLAGSHIP)
    again = tmp_path / "again.json"
    code, _, err = run(capsys, "score", FLAGSHIP, form, "--previous", previous, "-o", again)
    assert EXIT_OK == code, err
    assert outcome(document) == outcome(json.loads(again.read_text(encoding="utf-8")))
    # The CSV that score writes is a published table that verify reproduces.
    table = tmp_path / "results.csv"
    assert EXIT_OK == run(capsys, "score", FLAGSHIP, data, "--previous", previous, "-o", table)[0]
    code, out, _ = run(capsys, "verify", FLAGSHIP, data, table, "--previous", previous)
    assert EXIT_OK == code, out
