"""The notebooks in notebooks/ run top to bottom in a real Jupyter kernel and are committed clean.

Each notebook runs once per module, with nbclient and the ``python3`` kernel, in a temporary
working directory; the kernel talks to this process over loopback ZMQ and the notebooks only
reach the embedded sandbox on 127.0.0.1.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat import NotebookNode

from zoom_agent_tools import OPERATIONS
from zoom_agent_tools.sandbox import Sandbox

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
QUICKSTART = NOTEBOOK_DIR / "quickstart.ipynb"

Run = Callable[[Path], tuple[NotebookNode, Path]]


def _kernel_env(ipython_dir: Path) -> dict[str, str]:
    # The kernel is another process: it gets no Zoom credentials and no user IPython profile.
    env = {key: value for key, value in os.environ.items() if not key.startswith("ZOOM_")}
    env["IPYTHONDIR"] = str(ipython_dir)
    return env


@pytest.fixture(scope="module")
def run_notebook(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Executes a notebook once per module: (the executed notebook, its working directory)."""
    done: dict[Path, tuple[NotebookNode, Path] | BaseException] = {}

    def run(path: Path) -> tuple[NotebookNode, Path]:
        if path not in done:
            workdir = tmp_path_factory.mktemp(f"{path.stem}-cwd")
            notebook = nbformat.read(path, as_version=4)
            client = NotebookClient(
                notebook,
                kernel_name="python3",
                timeout=120,
                startup_timeout=60,
                resources={"metadata": {"path": str(workdir)}},
            )
            try:
                client.execute(env=_kernel_env(tmp_path_factory.mktemp("ipython")))
                done[path] = (notebook, workdir)
            except Exception as exc:  # a failing cell fails every test of that notebook
                done[path] = exc
        outcome = done[path]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return run


def _code_cells(notebook: NotebookNode) -> list[NotebookNode]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def _cell(notebook: NotebookNode, cell_id: str) -> NotebookNode:
    for cell in notebook.cells:
        if cell.get("id") == cell_id:
            return cell
    raise AssertionError(f"no cell with id {cell_id!r}")


def _stdout(notebook: NotebookNode, cell_id: str) -> str:
    cell = _cell(notebook, cell_id)
    return "".join(
        out.text for out in cell.outputs if out.output_type == "stream" and out.name == "stdout"
    )


def _all_output_text(notebook: NotebookNode) -> str:
    parts: list[str] = []
    for cell in _code_cells(notebook):
        for out in cell.outputs:
            if out.output_type == "stream":
                parts.append(out.text)
            elif "data" in out:
                parts.extend(str(value) for value in out.data.values())
    return "\n".join(parts)


# -- every notebook ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    for cell in _code_cells(notebook):
        assert cell.outputs == [], f"cell {cell.id} has outputs"
        assert cell.execution_count is None, f"cell {cell.id} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_without_errors_or_warnings(path: Path, run_notebook: Run) -> None:
    notebook, _ = run_notebook(path)
    cells = _code_cells(notebook)
    assert cells
    for cell in cells:
        assert cell.execution_count is not None, f"cell {cell.id} did not run"
        kinds = [(out.output_type, out.get("name")) for out in cell.outputs]
        assert ("error", None) not in kinds, f"cell {cell.id} raised"
        assert ("stream", "stderr") not in kinds, f"cell {cell.id} wrote to stderr: {kinds}"


# -- the quickstart's outputs ------------------------------------------------------------------


@pytest.fixture(scope="module")
def quickstart(run_notebook: Run) -> NotebookNode:
    notebook, _ = run_notebook(QUICKSTART)
    return notebook


def test_quickstart_uses_the_client_against_the_seeded_sandbox(quickstart: NotebookNode) -> None:
    assert _stdout(quickstart, "start-sandbox").startswith(
        "Zoom-compatible API at http://127.0.0.1:"
    )
    assert "meetings\n" in _stdout(quickstart, "list-meetings")
    assert "created " in _stdout(quickstart, "create-meeting")
    assert "'Design review'" in _stdout(quickstart, "create-meeting")
    recordings = _stdout(quickstart, "list-recordings").splitlines()
    assert recordings
    assert "MP4" in recordings[0]  # the newest recording, downloaded further down


def test_quickstart_lists_every_langchain_tool(quickstart: NotebookNode) -> None:
    lines = _stdout(quickstart, "langchain-tools").splitlines()
    assert lines[0] == f"{len(OPERATIONS)} tools:"
    assert [line.strip() for line in lines[1:]] == [op.name for op in OPERATIONS]


def test_quickstart_tool_output_withholds_start_url(quickstart: NotebookNode) -> None:
    shown, withheld = _stdout(quickstart, "langchain-invoke").splitlines()
    fields = ast.literal_eval(shown)
    # Only harmless fields are displayed: no join_url (it carries the passcode), no password.
    assert set(fields) == {"id", "topic", "start_time", "duration", "timezone"}
    assert fields["topic"] == "Design review"
    assert withheld == "start_url withheld: True"


def test_quickstart_bad_call_is_a_clear_error_message(quickstart: NotebookNode) -> None:
    status, message = _stdout(quickstart, "langchain-bad-call").splitlines()
    assert status == "error"
    assert message.startswith("Invalid arguments for zoom_list_meetings: pageSize")
    assert "300" in message
    assert "500" in message


def test_quickstart_downloads_are_the_tool_artifact(quickstart: NotebookNode) -> None:
    lines = _stdout(quickstart, "langchain-downloads").splitlines()
    kinds = [line.split()[0] for line in lines]
    assert "MP4" in kinds
    assert "TRANSCRIPT" in kinds
    assert all(" bytes " in line for line in lines)


def test_quickstart_llamaindex_tools_report_is_error(quickstart: NotebookNode) -> None:
    ok = _stdout(quickstart, "llamaindex-tools").splitlines()
    assert ok[0].startswith("is_error: False")
    assert "Ada Host" in ok[1]
    failed = _stdout(quickstart, "llamaindex-bad-call").splitlines()
    assert failed[0] == "is_error: True"
    assert "pageSize" in failed[1]
    assert "300" in failed[1]


def test_quickstart_read_only_keeps_only_reading_tools(quickstart: NotebookNode) -> None:
    names = ast.literal_eval(_stdout(quickstart, "read-only").strip())
    assert names == [op.name for op in OPERATIONS if not op.writes]


def test_quickstart_approve_refuses_then_allows(quickstart: NotebookNode) -> None:
    out = _stdout(quickstart, "approve")
    refused, allowed = out.split("\n\n")[:2]
    assert "'action': 'delete'}? no" in refused
    assert "-> error: zoom_delete_recording was not run: the approval check refused it" in refused
    assert "'action': 'trash'}? yes" in allowed
    assert '-> success: {"success":true}' in allowed


def test_quickstart_disconnect_refuses_later_calls(quickstart: NotebookNode) -> None:
    direct, tool = _stdout(quickstart, "disconnect").splitlines()
    assert "Disconnected" in direct
    assert tool.startswith("tool -> error: Disconnected")


def test_quickstart_shows_no_secrets(quickstart: NotebookNode) -> None:
    text = _all_output_text(quickstart)
    sandbox = Sandbox()  # the notebook's sandbox has the same default seed, so the same secret
    try:
        client_secret = sandbox.client_secret
    finally:
        sandbox.stop()
    assert client_secret not in text
    for marker in ("zak", "pwd=", "passcode", "password", "access_token", "download_access"):
        assert marker not in text.lower(), marker


def test_quickstart_leaves_its_working_directory_empty(run_notebook: Run) -> None:
    _, workdir = run_notebook(QUICKSTART)
    assert list(workdir.iterdir()) == []
