"""One worker process of a fleet test: clients from the environment, driven through stdin.

``python -m tests.fleet.worker THREADS CALLS [USER_CLIENT_ID USER_CLIENT_SECRET]`` builds a
client from ``ZOOM_*`` variables (Server-to-Server OAuth) and, when a user app is given, a
second one with user OAuth and the fleet's refresh-token store. Each line ``round`` on stdin
makes THREADS threads call get_meeting CALLS times each with every client; the worker answers
with one JSON line: calls that succeeded and the errors. Anything else ends it.
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

from zoom_agent_tools import UserOAuth, ZoomClient, ZoomError
from zoom_agent_tools.fleet import Fleet


def _user_client(argv: list[str]) -> ZoomClient:
    fleet = Fleet.from_env()
    assert fleet is not None
    client_id, secret = argv
    auth = UserOAuth(
        client_id,
        secret,
        redirect_uri="http://127.0.0.1/callback",
        store=fleet.token_store(client_id),
        oauth_base_url=os.environ["ZOOM_OAUTH_BASE_URL"],
    )
    return ZoomClient(auth, base_url=os.environ["ZOOM_API_BASE_URL"], fleet=fleet)


def main() -> None:
    threads, calls = int(sys.argv[1]), int(sys.argv[2])
    meeting_id = os.environ["MEETING_ID"]
    clients = [ZoomClient.from_env()]
    if len(sys.argv) > 3:
        clients.append(_user_client(sys.argv[3:5]))

    def call(_: int) -> str | None:
        try:
            for client in clients:
                client.get_meeting(meeting_id=meeting_id)
        except ZoomError as exc:
            return f"{type(exc).__name__}: {exc}"
        return None

    for line in sys.stdin:
        if line.strip() != "round":
            break
        with ThreadPoolExecutor(threads) as pool:
            outcomes = list(pool.map(call, range(threads * calls)))
        errors = [o for o in outcomes if o is not None]
        report = {"ok": len(outcomes) - len(errors), "errors": errors}
        print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
