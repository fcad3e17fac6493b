"""The package's import graph has no circle, and importing the client builds no model."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import zoom_agent_tools

PACKAGE = Path(zoom_agent_tools.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(node: ast.AST, module: str, modules: set[str]) -> Iterator[str]:
    """Modules ``node`` imports when it runs (``if TYPE_CHECKING`` blocks left out), at module
    level or inside functions, and modules it names in ``deferred(...)``.

    ``from package import submodule`` imports the submodule, not the package's own names.
    """
    for child in ast.iter_child_nodes(node):
        if _type_checking_only(child):
            yield from (name for c in child.orelse for name in _imports(c, module, modules))
            continue
        if isinstance(child, ast.Import):
            yield from (alias.name for alias in child.names)
        elif isinstance(child, ast.ImportFrom):
            base = child.module or ""
            if child.level:
                package = module.rsplit(".", child.level)[0]
                base = f"{package}.{base}" if base else package
            for alias in child.names:
                submodule = f"{base}.{alias.name}"
                yield submodule if submodule in modules else base
        elif (
            isinstance(child, ast.Call)
            and isinstance(child.func, ast.Name)
            and child.func.id == "deferred"
            and isinstance(child.args[0], ast.Constant)
        ):
            yield str(child.args[0].value)
        yield from _imports(child, module, modules)


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = _imports(tree, name, set(modules))
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of ``graph``, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_the_graph_reader_finds_a_circle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_imports_itself_back() -> None:
    graph = _graph()
    assert "zoom_agent_tools.client" in graph
    assert "zoom_agent_tools.downloads" in graph["zoom_agent_tools.client"]
    assert _cycle(graph) is None


def test_downloads_know_nothing_of_the_client() -> None:
    assert not any("client" in m for m in _graph()["zoom_agent_tools.downloads"])


def loaded_by(statement: str, prefixes: tuple[str, ...]) -> list[str]:
    """The modules starting with one of ``prefixes`` that ``statement`` loads in a fresh
    interpreter."""
    code = (
        f"import sys\n{statement}\n"
        f"print(','.join(sorted(m for m in sys.modules if m.startswith({prefixes!r}))))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return [name for name in run.stdout.strip().split(",") if name]


def test_importing_the_client_builds_no_model_and_loads_no_framework() -> None:
    models = ("zoom_agent_tools.arguments", "zoom_agent_tools.models", "zoom_agent_tools._fields")
    heavy = (*models, "langchain", "llama_index", "pydantic.types")
    assert loaded_by("from zoom_agent_tools import ZoomClient", heavy) == []
