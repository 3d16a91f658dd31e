"""Every third-party package the kit imports is declared in pyproject.toml: the kit's
own in its dependencies, the tests' and the benchmarks' in their extras."""
from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def _imported(folder: str) -> set[str]:
    names = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"memorial_kit", "__future__"}


def _distributions(modules: set[str], local: set[str]) -> set[str]:
    owners = importlib.metadata.packages_distributions()
    found = set()
    for module in modules - local:
        assert module in owners, f"{module} is imported but no installed package provides it"
        found.update(_normal(name) for name in owners[module])
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(requirements: list[str]) -> set[str]:
    return {_normal(re.match(r"[A-Za-z0-9_.-]+", item).group(0)) for item in requirements}


def test_the_kit_declares_every_package_it_imports():
    needed = _distributions(_imported("memorial_kit"), set())
    assert needed <= _declared(PROJECT["dependencies"]), needed - _declared(PROJECT["dependencies"])


def test_the_tests_declare_every_package_they_import():
    local = {path.stem for path in (ROOT / "tests").glob("*.py")}
    needed = _distributions(_imported("tests"), local)
    declared = _declared(PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"])
    assert needed <= declared, needed - declared
