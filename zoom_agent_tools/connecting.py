"""Connect and disconnect in one step: sign a user in through the browser (or a pasted address),
or check Server-to-Server credentials, then store the connection; revoke it and forget it.

One implementation for the command line (``zoom-agent-tools connect``/``disconnect``) and for
notebooks (``zoom_agent_tools.sign_in()``). The sign-in is user OAuth's authorization code
with PKCE (S256) and a ``state`` check; Zoom redirects to a one-shot listener on 127.0.0.1
(``_loopback``). Nothing is stored until Zoom has issued the tokens and answered with them.
"""

from __future__ import annotations

import getpass
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import requests
from pydantic import SecretStr

from zoom_agent_tools._http import DEFAULT_TIMEOUT
from zoom_agent_tools._loopback import LOOPBACK_HOST, REDIRECT_PATH, RedirectListener
from zoom_agent_tools.auth import (
    DEFAULT_OAUTH_BASE_URL,
    MemoryTokenStore,
    ServerToServerAuth,
    UserOAuth,
)
from zoom_agent_tools.client import DEFAULT_API_BASE_URL, ZoomClient
from zoom_agent_tools.connections import Connection, ConnectionStore
from zoom_agent_tools.errors import (
    ZoomAuthenticationError,
    ZoomConfigurationError,
    ZoomConnectionError,
    ZoomPermissionError,
    ZoomServerError,
    ZoomSignInError,
)
from zoom_agent_tools.status import current_user, unknown_user_note

if TYPE_CHECKING:
    from zoom_agent_tools.models import User

__all__ = ["DEFAULT_WAIT", "connect_server_to_server", "disconnect", "sign_in"]

#: Seconds to wait for the browser's redirect.
DEFAULT_WAIT = 300.0
Say = Callable[[str], None]


def _given(value: str | None, values: Mapping[str, str], name: str) -> str | None:
    text = (value or "").strip() or values.get(name, "").strip()
    return text or None


def _client_id(given: str | None, values: Mapping[str, str], kind: str) -> str:
    found = _given(given, values, "ZOOM_CLIENT_ID")
    if found is None:
        raise ZoomConfigurationError(
            "The Zoom app's client id is not given.",
            suggestion=f"Pass --client-id (App Credentials of your {kind} app in Zoom's App "
            "Marketplace), or set ZOOM_CLIENT_ID.",
        )
    return found


def _client_secret(
    given: str | SecretStr | None, values: Mapping[str, str], *, prompt: bool
) -> SecretStr:
    """The app's client secret: given, else ``$ZOOM_CLIENT_SECRET``, else asked for (hidden)."""
    if isinstance(given, SecretStr):
        given = given.get_secret_value()
    found = _given(given, values, "ZOOM_CLIENT_SECRET")
    if found is None and prompt:
        try:
            found = getpass.getpass("Zoom app client secret (not shown): ").strip() or None
        except EOFError:
            found = None
    if found is None:
        raise ZoomConfigurationError(
            "The Zoom app's client secret is not given.",
            suggestion="Set ZOOM_CLIENT_SECRET, or run on a terminal to be asked for it (it "
            "is never taken as a command-line flag, which other users of the machine can see).",
        )
    return SecretStr(found)


def _bases(
    api_base_url: str | None, oauth_base_url: str | None, values: Mapping[str, str]
) -> tuple[str, str]:
    api = _given(api_base_url, values, "ZOOM_API_BASE_URL") or DEFAULT_API_BASE_URL
    oauth = _given(oauth_base_url, values, "ZOOM_OAUTH_BASE_URL") or DEFAULT_OAUTH_BASE_URL
    return api.rstrip("/"), oauth.rstrip("/")


def _who(client: ZoomClient) -> tuple[User | None, str | None]:
    """The connected user, or None and why Zoom would not say."""
    try:
        return current_user(client), None
    except ZoomPermissionError as exc:
        return None, unknown_user_note(exc)


def _keep(
    store: ConnectionStore,
    connection: Connection,
    user: User | None,
    note: str | None,
    say: Say,
) -> None:
    """Store ``connection`` and say who is connected, how, and where it was stored."""
    where = store.save(connection)
    if user is None:
        who = f"Connected ({note})"
    else:
        email = f" <{user.email}>" if user.email else ""
        account = f" (account {user.account_id})" if user.account_id else ""
        who = f"Connected as {user.name}{email}{account}"
    say(f"{who} with {connection.method}, as profile {store.profile!r}.")
    say(f"Stored in {where}.")


# -- user OAuth -------------------------------------------------------------------------------


def _stdin_lines() -> queue.Queue[str]:
    """A queue that gets the next line typed on the terminal (read by a daemon thread)."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        try:
            line = sys.stdin.readline()
        except (OSError, ValueError):
            return
        if line.strip():
            lines.put(line)

    threading.Thread(target=read, name="zoom-sign-in-paste", daemon=True).start()
    return lines


def _wait_for_redirect(
    listener: RedirectListener, wait: float, pasted: queue.Queue[str] | None
) -> str:
    """The redirect's URL, from the listener or typed on the terminal; ZoomSignInError when
    none came within ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ZoomSignInError(
                f"No redirect from Zoom arrived within {wait:g} seconds, so nothing was stored.",
                suggestion="Run connect again and approve in the browser; if the browser "
                "runs on another machine (SSH, a remote kernel), add --paste and paste the "
                "address the browser ends on.",
            )
        redirect = listener.poll(min(0.2, remaining))
        if redirect is not None:
            return redirect
        if pasted is not None:
            try:
                return pasted.get_nowait()
            except queue.Empty:
                pass


def _redirect_params(redirect: str, redirect_uri: str) -> tuple[str, str]:
    """The ``code`` and ``state`` of the redirect; ZoomSignInError for anything else."""
    text = redirect.strip()
    parts = urlsplit(text)
    expected = urlsplit(redirect_uri)
    if (parts.scheme, parts.hostname, parts.path) != (
        expected.scheme,
        expected.hostname,
        expected.path,
    ):
        raise ZoomSignInError(
            "That is not the address Zoom redirected to, so nothing was stored.",
            suggestion=f"After approving, copy the whole address from the browser's address "
            f"bar (it begins with {redirect_uri}?code=) and paste it.",
        )
    query = parse_qs(parts.query)
    error = query.get("error", [""])[0]
    if error == "access_denied":
        raise ZoomSignInError(
            "Access was not granted: the consent was declined in the browser, so nothing was "
            "stored.",
            suggestion="Run connect again and choose Allow to connect.",
        )
    if error or "code" not in query:
        raise ZoomSignInError(
            f"Zoom did not authorize the app ({error or 'no code in the redirect'}), so "
            "nothing was stored.",
            suggestion="Check the app's redirect URL and scopes in Zoom's App Marketplace, "
            "then run connect again.",
        )
    return query["code"][0], query.get("state", [""])[0]


def sign_in(
    client_id: str | None = None,
    client_secret: str | SecretStr | None = None,
    *,
    profile: str | None = None,
    port: int = 0,
    open_browser: bool = True,
    paste: bool | None = None,
    wait: float = DEFAULT_WAIT,
    api_base_url: str | None = None,
    oauth_base_url: str | None = None,
    env: Mapping[str, str] | None = None,
    prompt: bool = True,
    say: Say = print,
    **client_options: Any,
) -> ZoomClient:
    """Sign a Zoom user in (user OAuth), store the connection, and return a client that uses it.

    From a terminal or a notebook cell: prints the link to Zoom's consent page (and opens it
    in the browser unless ``open_browser`` is false), then waits up to ``wait`` seconds for
    Zoom to redirect to a one-shot listener on ``127.0.0.1:port`` (0: a free port; Zoom
    ignores a loopback redirect's port). ``paste=True`` asks for the address the browser
    ends on instead (SSH sessions, remote kernels); by default that is also accepted when
    typed on a terminal while waiting.

    The app's ``client_id`` and ``client_secret`` default to ``$ZOOM_CLIENT_ID`` and
    ``$ZOOM_CLIENT_SECRET``; a missing secret is asked for without echo when ``prompt``.
    Zoom's addresses default to ``$ZOOM_API_BASE_URL``/``$ZOOM_OAUTH_BASE_URL``, else Zoom's.
    The connection is stored as ``profile`` (see ``connections``), replacing what was there,
    only once Zoom has issued the tokens. ``say`` prints the instructions;
    ``client_options`` go to ZoomClient. Raises ZoomSignInError (declined, timed out, not
    the redirect), ZoomAuthenticationError (refused by Zoom) or ZoomConfigurationError.
    """
    values = os.environ if env is None else env
    store = ConnectionStore(profile, env=values)
    app_id = _client_id(client_id, values, "General (user-managed)")
    secret = _client_secret(client_secret, values, prompt=prompt)
    api, oauth = _bases(api_base_url, oauth_base_url, values)
    tokens = MemoryTokenStore()
    with RedirectListener(port) as listener:
        redirect_uri = listener.redirect_uri
        auth = UserOAuth(
            app_id, secret, redirect_uri=redirect_uri, store=tokens, oauth_base_url=oauth
        )
        client = ZoomClient(auth, base_url=api, **client_options)
        url = auth.authorization_url()
        say(
            f"Redirect URI: {redirect_uri}\n"
            f"  Your Zoom app must allow it: add http://{LOOPBACK_HOST}{REDIRECT_PATH} to its "
            "OAuth Redirect URL or OAuth Allow List (Zoom ignores the port of a loopback "
            "redirect URI when PKCE is used, as here)."
        )
        if open_browser and _open(url):
            say(f"Opened your browser at Zoom's consent page. If it did not open, visit:\n{url}")
        else:
            say(f"Open this link in a browser and choose Allow:\n{url}")
        if paste:
            redirect = _ask_for_redirect(redirect_uri)
        else:
            typing = paste is None and _interactive()
            waiting = f"Waiting up to {wait:g} s for Zoom to redirect to {redirect_uri}"
            if typing:
                waiting += (
                    " (if the browser runs on another machine, paste the address it ends on "
                    "here and press Enter)"
                )
            say(waiting + " ...")
            redirect = _wait_for_redirect(listener, wait, _stdin_lines() if typing else None)
    code, state = _redirect_params(redirect, redirect_uri)
    auth.exchange_code(code, client.session, client.timeout, state=state)
    user, note = _who(client)
    stored = tokens.load()
    if stored is None:
        raise ZoomAuthenticationError(
            "Zoom issued no refresh token, so the connection cannot last beyond this run; "
            "nothing was stored.",
            status=200,
            suggestion="Check that the app is a General (user-managed) OAuth app.",
        )
    connection = Connection(
        kind="user",
        client_id=app_id,
        client_secret=secret,
        api_base_url=api,
        oauth_base_url=oauth,
        refresh_token=stored.refresh_token,
        redirect_uri=redirect_uri,
        user=user.email if user is not None else None,
    )
    _keep(store, connection, user, note, say)
    auth.store = store.token_store()
    auth.reconnect_advice = f"Run {store.connect_command} to sign in again."
    return client


def _open(url: str) -> bool:
    """Whether a browser was started for ``url`` (True does not mean the page was seen)."""
    import webbrowser

    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False


def _interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (OSError, ValueError):
        return False


def _ask_for_redirect(redirect_uri: str) -> str:
    try:
        return input(
            f"After approving, paste the whole address the browser ends on ({redirect_uri}?"
            "code=...): "
        )
    except EOFError:
        raise ZoomSignInError(
            "No address was pasted, so nothing was stored.",
            suggestion="Run connect again and paste the address the browser ends on.",
        ) from None


# -- Server-to-Server -------------------------------------------------------------------------


def connect_server_to_server(
    account_id: str | None = None,
    client_id: str | None = None,
    client_secret: str | SecretStr | None = None,
    *,
    profile: str | None = None,
    api_base_url: str | None = None,
    oauth_base_url: str | None = None,
    env: Mapping[str, str] | None = None,
    prompt: bool = True,
    say: Say = print,
    **client_options: Any,
) -> ZoomClient:
    """Check Server-to-Server credentials by minting a token and reading the account's user,
    store them as ``profile``, and return a client that uses them.

    Each value defaults to ``$ZOOM_ACCOUNT_ID``, ``$ZOOM_CLIENT_ID``, ``$ZOOM_CLIENT_SECRET``
    (a missing secret is asked for when ``prompt``); the rest is as for ``sign_in``.
    """
    values = os.environ if env is None else env
    store = ConnectionStore(profile, env=values)
    account = _given(account_id, values, "ZOOM_ACCOUNT_ID")
    if account is None:
        raise ZoomConfigurationError(
            "The Zoom account id is not given.",
            suggestion="Pass --account-id (App Credentials of your Server-to-Server OAuth app "
            "in Zoom's App Marketplace), or set ZOOM_ACCOUNT_ID.",
        )
    app_id = _client_id(client_id, values, "Server-to-Server OAuth")
    secret = _client_secret(client_secret, values, prompt=prompt)
    api, oauth = _bases(api_base_url, oauth_base_url, values)
    auth = ServerToServerAuth(account, app_id, secret, oauth_base_url=oauth)
    client = ZoomClient(auth, base_url=api, **client_options)
    client.connect()
    user, note = _who(client)
    connection = Connection(
        kind="server_to_server",
        client_id=app_id,
        client_secret=secret,
        api_base_url=api,
        oauth_base_url=oauth,
        account_id=account,
        user=user.email if user is not None else None,
    )
    _keep(store, connection, user, note, say)
    return client


# -- disconnect -------------------------------------------------------------------------------


def disconnect(
    profile: str | None = None, *, env: Mapping[str, str] | None = None, say: Say = print
) -> bool:
    """Revoke the stored connection of ``profile`` at Zoom, then forget it.

    Returns False, and does nothing, when the profile is not connected. When Zoom cannot be
    reached (or fails) the connection is kept and the error raised, so it can be retried.
    """
    store = ConnectionStore(profile, env=env)
    connection = store.load()
    if connection is None:
        say(f"Not connected (profile {store.profile!r}): nothing to disconnect.")
        return False
    auth = store.auth(connection)
    refused: ZoomAuthenticationError | None = None
    with requests.Session() as session:
        try:
            auth.revoke(session, DEFAULT_TIMEOUT)
        except ZoomConnectionError as exc:
            raise ZoomConnectionError(
                f"{exc.message} Access was not revoked; the connection of profile "
                f"{store.profile!r} is kept.",
                suggestion="Run disconnect again when Zoom can be reached.",
            ) from None
        except ZoomServerError as exc:
            raise ZoomServerError(
                f"{exc.message} Access was not revoked; the connection of profile "
                f"{store.profile!r} is kept.",
                status=exc.status,
                code=exc.code,
                suggestion="Run disconnect again later.",
            ) from None
        except ZoomAuthenticationError as exc:
            refused = exc
    store.delete()
    who = f" ({connection.user})" if connection.user else ""
    if refused is not None:
        said = refused.zoom_message or f"HTTP {refused.status}"
        say(
            f"Zoom no longer accepts the stored connection of profile {store.profile!r}{who} "
            f"({said}: already revoked or expired, or the app's secret changed); removed it. "
            "If the app's secret changed, remove the app in Zoom's App Marketplace to end its "
            "access."
        )
    elif connection.kind == "server_to_server":
        say(
            f"Disconnected profile {store.profile!r}{who}: the stored Server-to-Server "
            "credentials were removed. They stay valid at Zoom until you deactivate the app "
            "or regenerate its secret in Zoom's App Marketplace."
        )
    else:
        say(f"Disconnected profile {store.profile!r}{who}: access was revoked at Zoom.")
    return True
