"""The code's shape: one-way layers and no import cycle (import-linter contracts in pyproject.toml),
simpy used through its public API only, no private name imported across packages, modules of a few
hundred lines."""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
SIM = ROOT / "sim"
MAX_LINES = 420   # "a few hundred lines, never over ~400"


def _modules() -> list[Path]:
    return sorted(SIM.rglob("*.py"))


def test_import_linter_contracts_hold():
    """Layers, acyclic siblings, simpy only in the race model (see [tool.importlinter] in pyproject.toml)."""
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def _sibling_cycles(graph, parent: str) -> list[tuple[str, str]]:
    """Pairs of children of `parent` that import each other, directly or not."""
    children = sorted(graph.find_children(parent))
    return [(a, b) for a, b in itertools.combinations(children, 2)
            if graph.chain_exists(importer=a, imported=b, as_packages=True)
            and graph.chain_exists(importer=b, imported=a, as_packages=True)]


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("sim")


def test_no_import_cycle_between_the_packages_of_sim(graph):
    assert _sibling_cycles(graph, "sim") == []


def test_the_cycle_check_finds_a_cycle(graph):
    """The check above would fail on a cycle: the race model importing the season layer makes one."""
    graph.add_import(importer="sim.race.field", imported="sim.season")
    try:
        assert ("sim.race", "sim.season") in _sibling_cycles(graph, "sim")
    finally:
        graph.remove_import(importer="sim.race.field", imported="sim.season")


def test_simpy_only_through_its_public_api():
    private = re.compile(r"\b(env|environment|simpy)\.(_queue|_eid|_now|_active_proc)\b|\._queue\b|\._eid\b"
                         r"|\._active_proc\b|\benv\._now\b")
    found = [f"{path.relative_to(ROOT)}:{n}" for path in _modules()
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if private.search(line)]
    assert found == []


def _package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def test_no_private_name_imported_across_packages():
    found = []
    for path in _modules():
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sim"):
                for alias in node.names:
                    if alias.name.startswith("_") and _package(node.module) != _package(module):
                        found.append(f"{module} imports {node.module}.{alias.name}")
    assert found == []


def test_modules_are_a_few_hundred_lines():
    long = {str(path.relative_to(ROOT)): n for path in _modules()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def _unannotated(tree: ast.Module) -> list[str]:
    """Public functions and methods (and `__init__`) of public classes with an argument or return type missing."""
    found = []

    def visit(body, owner=None):
        for node in body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                visit(node.body, node.name)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if node.name.startswith("_") and node.name != "__init__":
                    continue
                args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                if owner is not None and args and args[0].arg in ("self", "cls"):
                    args = args[1:]
                args += [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
                if any(a.annotation is None for a in args) or (node.returns is None and node.name != "__init__"):
                    found.append(f"{owner + '.' if owner else ''}{node.name}:{node.lineno}")
    visit(tree.body)
    return found


def test_public_functions_have_type_hints():
    missing = {str(path.relative_to(ROOT)): names for path in _modules()
               if (names := _unannotated(ast.parse(path.read_text(encoding="utf-8"))))}
    assert missing == {}
