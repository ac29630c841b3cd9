"""Tests for the shape of the package: no import circle, layers as documented, fast start."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "ecoscore"
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def _circles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph.find_modules_directly_imported_by(module) & modules):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


def _graph() -> tuple[grimp.ImportGraph, set[str]]:
    graph = grimp.build_graph("ecoscore", cache_dir=None)
    # The package's face hands names on from every layer; it is not part of any circle.
    modules = {m for m in graph.modules if m != "ecoscore"}
    return graph, modules


def test_no_import_circle_between_any_two_modules() -> None:
    """No module of src/ecoscore imports itself through others (type-only imports too)."""
    graph, modules = _graph()
    assert [] == _circles(graph, modules)


def test_a_circle_would_be_found() -> None:
    """The check finds a circle when one is added (so the test above can fail)."""
    graph, modules = _graph()
    graph.add_import(importer="ecoscore.numbers", imported="ecoscore.report.html")
    assert any("ecoscore.numbers" in circle for circle in _circles(graph, modules))


def test_no_top_level_module_carries_a_concept_prefix() -> None:
    """Concepts are packages: no loader_*, expr_*, render_* module at the top."""
    prefixed = [p.name for p in SRC.glob("*.py") if re.match(r"(loader|expr|render|io)_", p.name)]
    assert [] == prefixed


def test_every_package_says_what_it_is() -> None:
    """Each package's __init__ has a docstring, and docs/architecture.md names it."""
    for init in SRC.glob("*/__init__.py"):
        text = init.read_text(encoding="utf-8")
        assert text.startswith('"""'), init
        assert f"`{init.parent.name}/`" in ARCHITECTURE, init.parent.name


def test_every_file_the_architecture_page_names_exists() -> None:
    """The paths docs/architecture.md gives are real files of the repository."""
    named = set(re.findall(r"`(src/ecoscore/[\w/]+\.py)`", ARCHITECTURE))
    assert {"src/ecoscore/rules/quantile.py", "src/ecoscore/report/ods.py"} <= named
    missing = sorted(
        n
        for n in named - {"src/ecoscore/rules/quantile.py", "src/ecoscore/report/ods.py"}
        if not (ROOT / n).exists()
    )
    assert [] == missing
    for package in (p.parent.name for p in SRC.glob("*/__init__.py")):
        for module in (SRC / package).glob("*.py"):
            if module.name != "__init__.py":
                shared = sum(1 for m in SRC.glob(f"*/{module.name}")) > 1
                named = f"{package}/{module.name}" in ARCHITECTURE or (
                    not shared and f"`{module.name}`" in ARCHITECTURE
                )
                assert named, f"{package}/{module.name} is not on docs/architecture.md"


def test_bands_and_the_html_report_can_be_found_from_the_page() -> None:
    """A newcomer reading the page finds where bands are scored and the HTML is written."""
    assert "`bands.py` (stepped bands: this is where a band is scored)" in ARCHITECTURE
    assert "`html.py` (the self-contained HTML report:\nthis is where it is written)" in (
        ARCHITECTURE
    )
    assert (SRC / "rules" / "bands.py").exists()
    assert (SRC / "report" / "html.py").exists()


def test_importing_ecoscore_does_not_import_openpyxl() -> None:
    """`import ecoscore` (and so `ecoscore --version`, `ecoscore check`) leaves openpyxl."""
    code = "import sys, ecoscore.cli; print('openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "False" == out.stdout.strip()


def test_starting_the_command_imports_no_writer() -> None:
    """`ecoscore --version` and `ecoscore check` start without the spreadsheet libraries
    or a file writer: each is imported where it is used. (The terminal table comes with
    `import ecoscore`, for `ecoscore.explain_text`.)"""
    code = (
        "import sys, ecoscore.cli\n"
        "heavy = ('openpyxl', 'xlsxwriter', 'jsonschema', 'ecoscore.report.xlsx',"
        " 'ecoscore.report.html', 'ecoscore.report.markdown', 'ecoscore.report.csv',"
        " 'ecoscore.report.template', 'ecoscore.audit.verify')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "[]" == out.stdout.strip()
