"""Sandbox lifecycle: environment export, persistence across restarts, in-process WSGI use."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from werkzeug.test import Client

from tests.sandbox.conftest import NOW, counting_ticker
from zoom_agent_tools.sandbox import SPECIAL_UUIDS, Sandbox, SandboxApp


@pytest.mark.served
def test_env_and_export_lines(sandbox: Sandbox) -> None:
    env = sandbox.env()
    assert env["ZOOM_API_BASE_URL"] == f"http://127.0.0.1:{sandbox.port}/v2"
    assert env["ZOOM_OAUTH_BASE_URL"] == f"http://127.0.0.1:{sandbox.port}"
    assert env["ZOOM_ACCOUNT_ID"] == sandbox.account_id
    lines = sandbox.export_lines().splitlines()
    assert lines[0] == f"export ZOOM_API_BASE_URL=http://127.0.0.1:{sandbox.port}/v2"
    assert {line.split("=")[0] for line in lines} == {f"export {k}" for k in env}


def test_state_survives_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.db")
    with Sandbox(now=NOW, db_path=db, rate_ticker=counting_ticker()) as sb:
        credentials = (sb.account_id, sb.client_id, sb.client_secret)
        token = sb.issue_token(ttl=86400)
        made = requests.post(
            sb.api_base_url + "/users/me/meetings",
            timeout=10,
            headers={"Authorization": f"Bearer {token}"},
            json={"topic": "Persistent"},
        ).json()
    with Sandbox(now=NOW, db_path=db, rate_ticker=counting_ticker()) as sb:
        assert (sb.account_id, sb.client_id, sb.client_secret) == credentials
        headers = {"Authorization": f"Bearer {token}"}
        again = requests.get(
            sb.api_base_url + f"/meetings/{made['id']}", headers=headers, timeout=10
        )
        assert again.status_code == 200
        assert again.json()["topic"] == "Persistent"
        newer = requests.post(
            sb.api_base_url + "/users/me/meetings",
            headers=headers,
            json={"topic": "Second"},
            timeout=10,
        ).json()
        assert newer["id"] != made["id"]
        assert newer["uuid"] != made["uuid"]
    assert Path(db).exists()


def test_in_process_app_without_socket() -> None:
    app = SandboxApp(now=NOW)
    try:
        client = Client(app)
        token = app.issue_token()
        path = "/v2/meetings/%252F9Fh2kQ0TsaPdKx7bq1Ylw%253D%253D/recordings"
        response = client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        assert response.get_json()["uuid"] == SPECIAL_UUIDS["leading_slash"]
        assert response.get_json()["share_url"].startswith("http://localhost/rec/share/")
        single = path.replace("%25", "%")
        refused = client.get(single, headers={"Authorization": f"Bearer {token}"})
        assert refused.status_code == 404
        assert refused.get_json()["code"] == 3301
    finally:
        app.close()
