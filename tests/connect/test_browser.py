"""The whole flow as a new user runs it: the CLI in its own processes, the consent page clicked
through in a real headless browser (Debian's chromium and chromium-driver, driven by Selenium;
`.ci/run` installs them), then status, call and disconnect, and the old tokens refused."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.connect.flow import WAIT, record_bearers, refused_access, refused_refresh, stored
from zoom_agent_tools.sandbox import Sandbox

pytestmark = pytest.mark.served

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A headless Chromium under Selenium, with a fresh profile, quit after the test."""
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        pytest.fail(
            "This test needs Debian's chromium and chromium-driver: run `apt-get install -y "
            "--no-install-recommends chromium chromium-driver` (.ci/run does)."
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    # Selenium Manager would look for drivers online; the path is given, so it never runs.
    monkeypatch.setenv("SE_OFFLINE", "true")
    monkeypatch.setenv("SE_AVOID_STATS", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",  # Chromium's sandbox cannot run as root, as CI does
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        # Offline: no background traffic of Chromium's own.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        "--metrics-recording-only",
    ):
        options.add_argument(flag)
    service = Service(executable_path=CHROMEDRIVER, log_output=str(tmp_path / "driver.log"))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


def _command(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zoom_agent_tools.cli", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=WAIT,
        check=False,
    )


def test_connect_in_a_real_browser_then_status_call_disconnect(
    sandbox: Sandbox, config: Path, browser: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    assert isinstance(browser, WebDriver)
    bearers = record_bearers(monkeypatch)
    app = sandbox.user_app
    env = {
        **os.environ,
        "ZOOM_AGENT_TOOLS_CONFIG_DIR": str(config),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "PYTHONUNBUFFERED": "1",
    }
    connect = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "zoom_agent_tools.cli",
            "connect",
            "--no-browser",
            "--client-id",
            app.client_id,
            "--api-base-url",
            sandbox.api_base_url,
            "--oauth-base-url",
            sandbox.oauth_base_url,
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "ZOOM_CLIENT_SECRET": app.client_secret},
    )
    lines: queue.Queue[str] = queue.Queue()
    printed: list[str] = []
    assert connect.stdout is not None
    stdout = connect.stdout

    def read() -> None:
        for line in stdout:
            printed.append(line)
            lines.put(line)

    # A reader thread, so that waiting for the link can time out.
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        shown: list[str] = []
        while not (shown and shown[-1].startswith(sandbox.oauth_base_url + "/oauth/authorize")):
            shown.append(lines.get(timeout=WAIT).strip())
        assert "Open this link in a browser and choose Allow:" in shown

        browser.get(shown[-1])
        assert "Allow this app to use your Zoom sandbox account?" in browser.page_source
        browser.find_element(By.CSS_SELECTOR, "button[name='approve'][value='1']").click()
        done = WebDriverWait(browser, WAIT).until(
            expected_conditions.presence_of_element_located((By.ID, "done"))
        )
        assert "You can close this tab" in done.text
        assert connect.wait(timeout=WAIT) == 0
    finally:
        if connect.poll() is None:
            connect.kill()
            connect.wait(timeout=WAIT)
    reader.join(WAIT)
    assert connect.stderr is not None
    assert connect.stderr.read() == ""
    assert "Connected as Ada Host <ada.host@example.com>" in "".join(printed)

    status = _command(env, "status", "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["user"]["email"] == "ada.host@example.com"
    call = _command(env, "call", "zoom_list_meetings", '{"userId": "me", "pageSize": 1}')
    assert call.returncode == 0, call.stderr
    assert len(json.loads(call.stdout)["meetings"]) == 1
    refresh = stored(config)["secrets"]["refresh_token"]
    gone = _command(env, "disconnect")
    assert gone.returncode == 0, gone.stderr
    assert "access was revoked at Zoom" in gone.stdout
    assert not (config / "profiles" / "default.json").exists()
    assert bearers
    assert all(refused_access(sandbox, token) for token in bearers)
    assert refused_refresh(sandbox, refresh)
    again = _command(env, "disconnect")
    assert (again.returncode, again.stdout.strip()) == (
        0,
        "Not connected (profile 'default'): nothing to disconnect.",
    )
