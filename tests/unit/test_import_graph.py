"""No import loop in ``dialogs/``: every module's imports, walked with ``ast``, form no cycle.

Every import counts, the ones inside functions too (a function-level import hides a loop, it does
not remove it), and a package that loads its modules by name (``importlib.import_module``, as
``dialogs/procedures`` discovers its procedures) is taken to import each of them. Imports under
``if TYPE_CHECKING:`` are left out of the graph: they are annotations only, never run, and they
are what lets ``spec.py`` and ``questions/base.py`` name the ``Turn`` that they are given while
``turn.py`` names the ``Procedure`` it holds; everything that runs is acyclic.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` under ``root``, by dotted name (a package by its own)."""
    found: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking_only(tree: ast.Module) -> set[int]:
    """The nodes under ``if TYPE_CHECKING:`` (their imports never run)."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in node.body:
                hidden.update(id(inner) for inner in ast.walk(statement))
    return hidden


def _imported(node: ast.Import | ast.ImportFrom, package: str) -> list[str]:
    """The dotted names an import statement can load (a name from a module: both)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*anchor, base] if base else anchor)
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the modules of ``package`` it imports, wherever in it the import stands."""
    modules = _modules(root, package)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        hidden = _type_checking_only(tree)
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if id(node) in hidden:
                continue
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = _imported(node, here)
                submodules = [n for n in names[1:] if n in modules]
                if isinstance(node, ast.ImportFrom) and submodules:
                    graph[name].update(submodules)  # ``from pkg import module``
                else:
                    graph[name].update(n for n in names if n in modules)
            elif isinstance(node, ast.Attribute) and node.attr == "import_module":
                graph[name].update(m for m in modules if m.rpartition(".")[0] == name)
        graph[name].discard(name)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One loop of imports (its first module repeated at its end), or [] when there is none."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str]:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return []
        path.append(module)
        for imported in sorted(graph[module]):
            cycle = visit(imported)
            if cycle:
                return cycle
        path.pop()
        done.add(module)
        return []

    for module in sorted(graph):
        cycle = visit(module)
        if cycle:
            return cycle
    return []


def test_no_module_of_dialogs_imports_itself_back_through_others() -> None:
    graph = import_graph(ROOT, "dialogs")
    assert len(graph) > 50  # every module was found
    assert find_cycle(graph) == [], " -> ".join(find_cycle(graph))


def test_the_walk_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("from pkg.b import g\n\ndef f():\n    return g()\n")
    (tmp_path / "pkg" / "b.py").write_text("def g():\n    from pkg import a\n    return a\n")
    assert find_cycle(import_graph(tmp_path, "pkg")) == ["pkg.a", "pkg.b", "pkg.a"]


def test_the_walk_leaves_out_imports_only_made_for_type_checking(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("from pkg.b import B\n")
    (tmp_path / "pkg" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import A\nB = 1\n"
    )
    assert find_cycle(import_graph(tmp_path, "pkg")) == []


def test_a_package_that_loads_its_modules_by_name_imports_each_of_them(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "plugins").mkdir(parents=True)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "plugins" / "__init__.py").write_text(
        "import importlib\nimportlib.import_module('pkg.plugins.one')\n"
    )
    (tmp_path / "pkg" / "plugins" / "one.py").write_text("from pkg import registry\n")
    (tmp_path / "pkg" / "registry.py").write_text("def every():\n    import pkg.plugins\n")
    assert find_cycle(import_graph(tmp_path, "pkg")) == [
        "pkg.plugins",
        "pkg.plugins.one",
        "pkg.registry",
        "pkg.plugins",
    ]
