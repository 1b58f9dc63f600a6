"""The app stack holds: no app reaches across to another app from inside a function.

`make lint` runs the layers contract in `.importlinter` (which app may import which). A
contract reads every import, including one written inside a function, so an import moved
into a function cannot hide a broken layer; but an import inside a function is also how a
cycle used to be dodged, and the stack wants none. This test lists each import of another
of the project's apps placed inside a function body (apps.py `ready` excepted: that is
where an app plugs in) and holds the list to the ones not yet gone.
"""

from __future__ import annotations

import ast
import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _project_apps() -> set[str]:
    """The project's apps, as the layers contract names them (its root packages)."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    return set(config["importlinter"]["root_packages"].split())


def _source_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        if {"tests", "migrations"} & parts or path.name == "apps.py":
            continue
        yield path


def _imports_inside_functions(path: Path, own_app: str, apps: set[str]):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in apps and top != own_app:
                    yield f"{path.relative_to(ROOT).as_posix()} -> {module}"


# Each line goes when its import moves to the top of its module (or the code moves to the
# app it reaches for). Never add one.
NOT_YET_GONE: set[str] = {
    "core/access.py -> practices.selectors",
    "core/audit/receivers.py -> metrics.models",
    "core/audit/services.py -> practices.selectors",
    "practices/services.py -> metrics.tasks",
}


def test_no_app_imports_another_inside_a_function():
    apps = _project_apps()
    found = {
        line
        for app in sorted(apps)
        for path in _source_files(app)
        for line in _imports_inside_functions(path, app, apps)
    }
    new = sorted(found - NOT_YET_GONE)
    gone = sorted(NOT_YET_GONE - found)
    assert not new, "Imports of another app inside a function:\n" + "\n".join(new)
    assert not gone, "Take these lines out of NOT_YET_GONE (they have gone):\n" + "\n".join(gone)
