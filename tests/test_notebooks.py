"""The notebooks in notebooks/ run top to bottom in a real Jupyter kernel and are committed clean.

The notebooks run once per session, side by side, with nbclient and the ``python3`` kernel,
each in a temporary working directory, with no Zoom credentials and no LLM key; the kernels
talk to this process over loopback ZMQ and the notebooks only reach the embedded sandbox. One
more kernel runs each notebook's account cell switched to a real account, whose stored
connection points at a sandbox served here.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat import NotebookNode
from pydantic import SecretStr

from zoom_agent_tools import OPERATIONS
from zoom_agent_tools.connections import Connection, ConnectionStore
from zoom_agent_tools.sandbox import Sandbox

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
QUICKSTART = NOTEBOOK_DIR / "quickstart.ipynb"
LANGCHAIN = NOTEBOOK_DIR / "langchain_agent.ipynb"
LLAMAINDEX = NOTEBOOK_DIR / "llamaindex_agent.ipynb"
RECORDINGS = NOTEBOOK_DIR / "recordings_and_attendance.ipynb"
WIDGET = "application/vnd.jupyter.widget-view+json"
SWITCH = "USE_MY_ZOOM_ACCOUNT"
#: Variables a notebook reads to pick a real LLM: the kernels never see them.
_MODEL_KEYS = re.compile(r".*_API_KEY$")


def _kernel_env(home: Path) -> dict[str, str]:
    # The kernel is another process: it gets no Zoom credentials, no LLM key, no user IPython
    # profile, and a matplotlib cache built before (building it writes to standard error).
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("ZOOM_") and not _MODEL_KEYS.match(key)
    }
    env["IPYTHONDIR"] = str(home / "ipython")
    env["MPLCONFIGDIR"] = str(home / "matplotlib")
    return env


def _execute(notebook: NotebookNode, workdir: Path, env: dict[str, str]) -> None:
    NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=120,
        startup_timeout=60,
        resources={"metadata": {"path": str(workdir)}},
    ).execute(env=env)


@pytest.fixture(scope="session")
def kernel_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("kernel-home")
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"],
        env=_kernel_env(home),
        capture_output=True,
        check=True,
        timeout=120,
    )
    return home


@pytest.fixture(scope="session")
def executed(
    kernel_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, tuple[NotebookNode, Path] | BaseException]:
    """Every notebook executed once, side by side: (the notebook, its working directory), or
    what it raised (then every test of that notebook fails with it)."""

    def run(path: Path) -> tuple[NotebookNode, Path] | BaseException:
        workdir = tmp_path_factory.mktemp(f"{path.stem}-cwd")
        notebook = nbformat.read(path, as_version=4)
        try:
            _execute(notebook, workdir, _kernel_env(kernel_home))
        except Exception as exc:
            return exc
        return notebook, workdir

    with ThreadPoolExecutor(len(NOTEBOOKS)) as pool:
        return dict(zip(NOTEBOOKS, pool.map(run, NOTEBOOKS), strict=True))


def _run(
    executed: dict[Path, tuple[NotebookNode, Path] | BaseException], path: Path
) -> NotebookNode:
    outcome = executed[path]
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome[0]


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


def _data(notebook: NotebookNode, cell_id: str, mime: str) -> list[str]:
    """The ``mime`` outputs of a cell (results and displays), in order."""
    return [
        str(out.data[mime])
        for out in _cell(notebook, cell_id).outputs
        if mime in out.get("data", {})
    ]


def _all_output_text(notebook: NotebookNode) -> str:
    parts: list[str] = []
    for cell in _code_cells(notebook):
        for out in cell.outputs:
            if out.output_type == "stream":
                parts.append(out.text)
            elif "data" in out:  # text of every kind; images are base64 of pixels
                parts.extend(str(v) for k, v in out.data.items() if not k.startswith("image/"))
    return "\n".join(parts)


# -- every notebook ----------------------------------------------------------------------------


def test_there_are_four_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "langchain_agent.ipynb",
        "llamaindex_agent.ipynb",
        "quickstart.ipynb",
        "recordings_and_attendance.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    for cell in _code_cells(notebook):
        assert cell.outputs == [], f"cell {cell.id} has outputs"
        assert cell.execution_count is None, f"cell {cell.id} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_marked_cell_switches_to_a_real_account(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    marked = [c for c in notebook.cells if "real-account" in c.metadata.get("tags", [])]
    assert len(marked) == 1
    [switch] = marked
    assert "Your own Zoom account" in switch.source
    assert f"{SWITCH} = False" in switch.source.splitlines()
    assert "ZoomClient.from_env(" in switch.source
    others = [c for c in _code_cells(notebook) if c is not switch]
    assert not any(f"{SWITCH} =" in c.source for c in others)
    for cell in others:  # no other cell reaches for credentials or an account of its own
        assert "from_env" not in cell.source
        assert "from_profile" not in cell.source
        assert "Sandbox(" not in cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_without_errors_or_warnings(
    path: Path, executed: dict[Path, tuple[NotebookNode, Path] | BaseException]
) -> None:
    cells = _code_cells(_run(executed, path))
    assert cells
    for cell in cells:
        assert cell.execution_count is not None, f"cell {cell.id} did not run"
        kinds = [(out.output_type, out.get("name")) for out in cell.outputs]
        assert ("error", None) not in kinds, f"cell {cell.id} raised"
        assert ("stream", "stderr") not in kinds, f"cell {cell.id} wrote to stderr: {kinds}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_shows_no_secrets(
    path: Path, executed: dict[Path, tuple[NotebookNode, Path] | BaseException]
) -> None:
    text = _all_output_text(_run(executed, path))
    sandbox = Sandbox()  # the notebooks' sandboxes have the same default seed, so the same secret
    try:
        client_secret = sandbox.client_secret
    finally:
        sandbox.close()
    assert client_secret not in text
    for marker in ("zak", "pwd=", "passcode", "password", "access_token", "download_access"):
        assert marker not in text.lower(), marker
    assert "eyJ" not in text  # no token (the sandbox's are JWTs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_leaves_its_working_directory_empty(
    path: Path, executed: dict[Path, tuple[NotebookNode, Path] | BaseException]
) -> None:
    outcome = executed[path]
    assert not isinstance(outcome, BaseException)
    assert list(outcome[1].iterdir()) == []


@pytest.fixture
def stored_connection(tmp_path: Path) -> Iterator[tuple[Path, Sandbox]]:
    """A sandbox served here, and a config folder whose default profile connects to it."""
    with Sandbox() as sandbox:
        folder = tmp_path / "config"
        ConnectionStore(directory=folder).save(
            Connection(
                kind="server_to_server",
                client_id=sandbox.client_id,
                client_secret=SecretStr(sandbox.client_secret),
                api_base_url=sandbox.api_base_url,
                oauth_base_url=sandbox.oauth_base_url,
                account_id=sandbox.account_id,
            )
        )
        yield folder, sandbox


def test_the_switched_cells_use_the_stored_connection(
    stored_connection: tuple[Path, Sandbox], kernel_home: Path, tmp_path: Path
) -> None:
    """Each notebook's account cell, switched on, connects through the stored connection of
    ``zoom-agent-tools connect`` (here: to a served sandbox), and the client it makes works."""
    folder, sandbox = stored_connection
    cells = []
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        [switch] = [c for c in notebook.cells if "real-account" in c.metadata.get("tags", [])]
        source = switch.source.replace(f"{SWITCH} = False", f"{SWITCH} = True")
        check = (
            "print(client.base_url, sandbox is None, "
            "client.list_meetings(user_id='me').total_records)"
        )
        cells += [nbformat.v4.new_code_cell(source), nbformat.v4.new_code_cell(check)]
    notebook = nbformat.v4.new_notebook(cells=cells)
    env = {
        **_kernel_env(kernel_home),
        "ZOOM_AGENT_TOOLS_CONFIG_DIR": str(folder),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    _execute(notebook, tmp_path, env)
    with sandbox.client() as client:
        meetings = client.list_meetings(user_id="me").total_records
    for check in cells[1::2]:
        text = "".join(out.text for out in check.outputs if out.output_type == "stream")
        assert text == f"{sandbox.api_base_url} True {meetings}\n"


# -- the quickstart ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def quickstart(executed: dict[Path, tuple[NotebookNode, Path] | BaseException]) -> NotebookNode:
    return _run(executed, QUICKSTART)


def test_quickstart_uses_the_client_against_the_seeded_sandbox(quickstart: NotebookNode) -> None:
    assert _stdout(quickstart, "start-sandbox").startswith(
        "Zoom-compatible API at http://127.0.0.1:"
    )
    assert "meetings\n" in _stdout(quickstart, "list-meetings")
    [table] = _data(quickstart, "list-meetings", "text/html")
    assert "<table>" in table
    assert "Open office hours" in table
    assert "created " in _stdout(quickstart, "create-meeting")
    assert "'Design review'" in _stdout(quickstart, "create-meeting")
    recordings = _stdout(quickstart, "list-recordings").splitlines()
    assert recordings
    assert "MP4" in recordings[0]  # the newest recording, downloaded further down


def test_quickstart_downloads_with_a_bar_per_file_and_a_total(quickstart: NotebookNode) -> None:
    [table] = _data(quickstart, "download-files", "text/html")
    saved = table.count('<td style="text-align:left;vertical-align:top">saved</td>')
    assert saved == 5
    assert "skipped" in table  # the file Zoom is still processing
    bars = _data(quickstart, "download-files", WIDGET)
    assert len(bars) == saved + 1
    texts = _data(quickstart, "download-files", "text/plain")
    assert texts[0].startswith("Support escalation: 5 files:")
    assert any(t.startswith("MP4 shared_screen_with_speaker_view:") for t in texts)


def test_quickstart_shows_a_transcript_and_attendance(quickstart: NotebookNode) -> None:
    assert _stdout(quickstart, "intelligence").startswith("[0:00:00] Ada Host: Welcome")
    [table] = _data(quickstart, "intelligence", "text/html")
    assert "Attendance of Support escalation" in table
    assert "ada.host@example.com" in table


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


def test_quickstart_downloads_are_the_tool_artifact_without_bars(
    quickstart: NotebookNode,
) -> None:
    lines = _stdout(quickstart, "langchain-downloads").splitlines()
    kinds = [line.split()[0] for line in lines]
    assert "MP4" in kinds
    assert "TRANSCRIPT" in kinds
    assert all(" bytes " in line for line in lines)
    assert _data(quickstart, "langchain-downloads", WIDGET) == []  # agents get no bars


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
    assert refused.startswith("approve zoom_delete_meeting {'meetingId': '")
    assert "? no\n-> error: zoom_delete_meeting was not run: the approval check refused" in refused
    assert "? yes\n-> success:" in allowed
    created = _stdout(quickstart, "create-meeting").split()[1].rstrip(":")
    assert f"{{'meetingId': '{created}'}}? yes" in allowed


def test_quickstart_disconnect_refuses_later_calls(quickstart: NotebookNode) -> None:
    direct, tool = _stdout(quickstart, "disconnect").splitlines()
    assert "Disconnected" in direct
    assert tool.startswith("tool -> error: Disconnected")


# -- the agents --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "ok"), [(LANGCHAIN, "success"), (LLAMAINDEX, "ok")], ids=["langchain", "llamaindex"]
)
def test_the_agent_corrects_a_call_and_is_refused_one_delete(
    path: Path, ok: str, executed: dict[Path, tuple[NotebookNode, Path] | BaseException]
) -> None:
    notebook = _run(executed, path)
    assert _stdout(notebook, "model").startswith(("model: scripted", "LLM: scripted"))
    lines = _stdout(notebook, "run-agent").splitlines()
    calls = [line for line in lines if line.startswith("→ ")]
    answers = [line.split(":")[0].strip() for line in lines if line.startswith("   ← ")]
    assert [c.split()[1] for c in calls] == [
        "zoom_list_meetings",
        "zoom_list_meetings",
        "zoom_create_meeting",
        "zoom_delete_meeting",
        "zoom_delete_meeting",
    ]
    assert answers == ["← error", f"← {ok}", f"← {ok}", "← error", f"← {ok}"]
    assert '"pageSize": 1000' in calls[0]
    assert '"pageSize": 300' in calls[1]
    text = "\n".join(lines)
    assert "less than or equal to 300 (got 1000)" in text
    assert "the approval check refused it, so nothing was sent to Zoom" in text
    approvals = [line.split("-> ")[1] for line in lines if "approval asked" in line]
    assert approvals == ["refused", "allowed"]
    assert lines[-1].startswith("answer: You have ")
    assert "(1 refused)" in lines[-1]


@pytest.mark.parametrize("path", [LANGCHAIN, LLAMAINDEX], ids=["langchain", "llamaindex"])
def test_a_read_only_agent_cannot_delete(
    path: Path, executed: dict[Path, tuple[NotebookNode, Path] | BaseException]
) -> None:
    lines = _stdout(_run(executed, path), "read-only").splitlines()
    names = lines[0].split(": ", 1)[1].split(", ")
    assert names == [op.name for op in OPERATIONS if not op.writes]
    assert lines[0].startswith(f"{len(names)} tools: ")
    delete = lines.index(next(line for line in lines if line.startswith("→ zoom_delete_meeting")))
    refusal = lines[delete + 1]
    assert "zoom_delete_meeting" in refusal
    assert "not a valid tool" in refusal or "not found" in refusal
    assert lines[-2].startswith("answer: I can't")
    assert lines[-1].endswith("is still there: True")


# -- recordings and attendance -----------------------------------------------------------------


@pytest.fixture(scope="module")
def recordings(executed: dict[Path, tuple[NotebookNode, Path] | BaseException]) -> NotebookNode:
    return _run(executed, RECORDINGS)


def test_a_month_of_recordings_is_a_dataframe(recordings: NotebookNode) -> None:
    [frame] = _data(recordings, "month", "text/html")
    assert 'class="dataframe"' in frame
    assert frame.count("Platform team weekly standup") == 4
    assert "Billing architecture deep dive" in frame
    [by_topic] = _data(recordings, "month-by-topic", "text/html")
    assert "Design critique" in by_topic


def test_the_longest_meetings_files_download_with_progress_bars(recordings: NotebookNode) -> None:
    [files] = _data(recordings, "download", "text/html")
    assert "Recording: Billing architecture deep dive" in files
    [result] = _data(recordings, "download-files", "text/html")
    assert "Of 4 recording files: 4 saved." in result
    bars = _data(recordings, "download-files", WIDGET)
    assert len(bars) == 5  # the total, and one per file
    texts = _data(recordings, "download-files", "text/plain")
    assert texts[0].startswith("Billing architecture deep dive: 4 files:")
    assert "64.4M" in texts[0]


def test_a_past_instance_transcript_and_summary(recordings: NotebookNode) -> None:
    [instances] = _data(recordings, "instances", "text/html")
    assert "newest first: 7" in instances
    [transcript] = _data(recordings, "transcript", "text/html")
    assert "Transcript (transcript) of Platform team weekly standup" in transcript
    assert transcript.count("✓") == 3  # two matching turns, and the title's mark
    summary = _stdout(recordings, "summary")
    assert summary.startswith("Billing cutover preparations")
    assert "## Key takeaways" in summary


def test_attendance_timeline_and_across_instances(recordings: NotebookNode) -> None:
    [attendance] = _data(recordings, "attendance", "text/html")
    assert "Jordan Lee (Contractor)" in attendance
    assert "Usually there, absent this time" in attendance
    assert "Marcus Webb" in attendance
    assert len(_data(recordings, "timeline", "image/png")) == 1
    [across] = _data(recordings, "across", "text/html")
    assert "Marcus Webb" in across
    assert "instances" in across
    assert len(_data(recordings, "across-chart", "image/png")) == 1
