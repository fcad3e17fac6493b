"""The one list of secrets, and the helpers that scrub them from text, headers, URLs and bodies.

Logging, error messages, reprs and the VCR cassette filters all read these lists, so a secret
added here is hidden everywhere at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = [
    "REDACTED",
    "SECRET_BODY_KEYS",
    "SECRET_HEADERS",
    "SECRET_QUERY_PARAMS",
    "redact_body",
    "redact_headers",
    "redact_text",
    "redact_url",
]

REDACTED = "**redacted**"

#: Request and response headers whose values are credentials.
SECRET_HEADERS: frozenset[str] = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-zm-signature"}
)

#: Query-string parameters whose values are credentials.
SECRET_QUERY_PARAMS: frozenset[str] = frozenset(
    {
        "access_token",
        "refresh_token",
        "token",
        "zak",
        "pwd",
        "code",
        "code_verifier",
        "client_secret",
        "download_access_token",
    }
)

#: JSON or form body keys whose values are credentials, host links or passcodes. ("code" is
#: not here: in JSON it is Zoom's error number; the OAuth form's code is a query-style secret.)
SECRET_BODY_KEYS: frozenset[str] = frozenset(
    {
        "access_token",
        "refresh_token",
        "id_token",
        "token",
        "client_secret",
        "code_verifier",
        "download_access_token",
        "start_url",
        "password",
        "h323_password",
        "pstn_password",
        "encrypted_password",
        "recording_play_passcode",
        "zak",
    }
)


def _alternation(keys: frozenset[str]) -> str:
    return "|".join(sorted(map(re.escape, keys), key=len, reverse=True))


_ALL_KEYS = _alternation(SECRET_QUERY_PARAMS | SECRET_BODY_KEYS)
_TOKEN_KEYS = _alternation(
    frozenset(
        {
            "access_token",
            "refresh_token",
            "download_access_token",
            "client_secret",
            "code_verifier",
            "zak",
        }
    )
)

#: (pattern, replacement) pairs, all built from the key lists above.
_TEXT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}"), rf"\1 {REDACTED}"),
    # key=value in URLs, forms and text, also percent-encoded (key%3Dvalue).
    (
        re.compile(
            rf"(?i)(?:(?<![A-Za-z0-9_%])|(?<=%3F)|(?<=%26))({_ALL_KEYS})(=|%3D)(?:(?!%26)[^&\s\"'<>])+"
        ),
        rf"\1\2{REDACTED}",
    ),
    # "key": "value" and 'key': 'value' (JSON and Python reprs).
    (
        re.compile(rf"(?i)([\"'])({_ALL_KEYS})\1(\s*:\s*)([\"'])(?:(?!\4).)*\4"),
        rf"\1\2\1\3\4{REDACTED}\4",
    ),
    # key: value, for token-like keys only ("password: must be ..." is a fine message).
    (
        re.compile(rf"(?i)(?<![A-Za-z0-9_])({_TOKEN_KEYS})(\s*:\s*)(?![\s\"'{{\[])[^\s,;]+"),
        rf"\1\2{REDACTED}",
    ),
    # JSON Web Tokens, wherever they appear.
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), REDACTED),
)

# Passcodes written out in invitation texts ("Passcode: 123456"); applied to bodies only, since
# error messages legitimately say "password: must be ...".
_PASSCODE_LINE = re.compile(r"\b(Passcode|Password)(\s*:\s*)(?!\*\*redacted)[^\s\\\"']+")
# One-tap dial strings carry the phone passcode after the meeting id: "+1555,,856#,,,,*582086#".
_ONE_TAP_PASSCODE = re.compile(r"(#,+\*)[0-9]+(#)")


def redact_text(text: str) -> str:
    """Return ``text`` with credentials, token parameters, secret fields and JWTs replaced."""
    for pattern, replacement in _TEXT_RULES:
        text = pattern.sub(replacement, text)
    return text


def redact_url(url: str) -> str:
    """Return ``url`` with secret query parameters (``zak``, ``pwd``, tokens) and a password
    in it (``redis://:secret@host``) replaced."""
    parts = urlsplit(url)
    if parts.password:
        user = parts.username or ""
        parts = parts._replace(netloc=f"{user}:{REDACTED}@" + parts.netloc.rpartition("@")[2])
        url = urlunsplit(parts)
    if not parts.query:
        return url
    query = [
        (k, REDACTED if k.lower() in SECRET_QUERY_PARAMS else v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Return a copy of ``headers`` with credential headers replaced."""
    return {k: (REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}


def redact_body(value: Any) -> Any:
    """Return a deep copy of a decoded JSON body with secret keys replaced."""
    if isinstance(value, Mapping):
        return {
            k: (
                REDACTED
                if str(k).lower() in SECRET_BODY_KEYS and v not in (None, "")
                else redact_body(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact_body(v) for v in value]
    if isinstance(value, str):
        text = _PASSCODE_LINE.sub(rf"\1\2{REDACTED}", redact_text(value))
        return _ONE_TAP_PASSCODE.sub(rf"\1{REDACTED}\2", text)
    return value
