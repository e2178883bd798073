"""The house rules of ARCHITECTURE.md, checked on the code's syntax tree.

A view module (one that makes a Blueprint, or lives in such a package) imports the web toolkit
(app/access.py), query modules and core modules, never another feature's view module; SQL lives
only in query modules and app/db.py, never in a view. Test modules take their helpers as
fixtures and never import tests/conftest.py.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b", re.S)


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def makes_blueprint(tree: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Blueprint"
        for node in ast.walk(tree)
    )


def parse_app(root: Path = APP) -> dict[str, ast.AST]:
    return {module_name(path): ast.parse(path.read_text()) for path in sorted(root.rglob("*.py"))}


def view_features(trees: dict[str, ast.AST]) -> dict[str, str]:
    """Every view module → its feature (a package of views is one feature)."""
    features: dict[str, str] = {}
    for name, tree in trees.items():
        if makes_blueprint(tree):
            features[name] = name
    for name in trees:
        for package in list(features):
            if name.startswith(package + "."):
                features[name] = package
    return features


def imported_modules(name: str, tree: ast.AST) -> set[str]:
    """The app modules a module imports (relative imports resolved)."""
    package = name if _is_package(name) else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rsplit(".", 1)[0]
            target = f"{base}.{node.module}" if node.level and node.module else node.module or base
            if node.level == 0 and not (node.module or "").startswith("app"):
                continue
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("app"))
    return found


def _is_package(name: str) -> bool:
    return (APP.parent / name.replace(".", "/") / "__init__.py").exists()


def problems(trees: dict[str, ast.AST]) -> list[str]:
    features = view_features(trees)
    found = []
    for name, tree in trees.items():
        if name not in features:
            continue
        for target in imported_modules(name, tree):
            other = features.get(target)
            if other and other != features[name] and target != "app":
                found.append(f"{name} imports the view module {target}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if SQL.search(node.value):
                    found.append(f"{name}:{node.lineno} has SQL; move it to a query module")
    return sorted(set(found))


def test_views_import_no_other_view_and_hold_no_sql():
    assert problems(parse_app()) == []


def test_the_rules_catch_a_forbidden_import_and_sql_in_a_view():
    trees = parse_app()
    trees["app.coverage"] = ast.parse(
        "from flask import Blueprint\nfrom .me import guide_for\nbp = Blueprint('coverage', 'x')\n"
        "X = 'SELECT * FROM users WHERE id = ?'\n"
    )
    found = problems(trees)
    assert "app.coverage imports the view module app.me" in found
    assert any(p.startswith("app.coverage:4 has SQL") for p in found)


def conftest_imports(tree: ast.AST) -> int:
    """How many times a test module imports tests/conftest.py (its helpers come as fixtures)."""
    return sum(
        (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == "conftest")
        or (isinstance(node, ast.Import) and any(a.name.endswith("conftest") for a in node.names))
        for node in ast.walk(tree)
    )


def test_test_modules_take_fixtures_and_never_import_the_conftest():
    tests = Path(__file__).resolve().parent
    found = [
        str(path.relative_to(tests))
        for path in sorted(tests.rglob("test_*.py"))
        if conftest_imports(ast.parse(path.read_text()))
    ]
    assert found == []
    assert conftest_imports(ast.parse("def t():\n    from tests.conftest import csrf_from\n"))
