"""The package's public names: one table, what type checkers see, and the installed version."""

from __future__ import annotations

import ast
import importlib
from importlib.metadata import version
from pathlib import Path

import zoom_agent_tools


def _names_for_type_checkers() -> dict[str, str]:
    """Name -> module of each ``from ... import X as X`` in the ``if TYPE_CHECKING`` block."""
    tree = ast.parse(Path(zoom_agent_tools.__file__).read_text(encoding="utf-8"))
    block = next(
        n for n in tree.body if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n)
    )
    names: dict[str, str] = {}
    for node in block.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                assert alias.asname == alias.name, "re-exported as itself"
                names[alias.name] = node.module or ""
    return names


def test_all_is_the_export_table_and_type_checkers_see_the_same_names() -> None:
    exports = zoom_agent_tools._EXPORTS
    assert zoom_agent_tools.__all__ == ["__version__", *exports]
    assert _names_for_type_checkers() == exports
    for name, module in exports.items():
        value = getattr(zoom_agent_tools, name)
        assert value is getattr(importlib.import_module(module), name)
    assert set(zoom_agent_tools.__all__) <= set(dir(zoom_agent_tools))


def test_what_users_annotate_with_is_exported() -> None:
    for name in ("FieldError", "TokenStore", "StoredTokens", "DownloadResult", "FileResult"):
        assert name in zoom_agent_tools.__all__
    assert "ToolResult" not in zoom_agent_tools.__all__


def test_version_comes_from_the_installed_metadata() -> None:
    assert zoom_agent_tools.__version__ == version("zoom-agent-tools")
