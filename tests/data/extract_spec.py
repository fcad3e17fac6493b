"""Extract the operations this project uses from Zoom's Meetings (and Users) OpenAPI documents.

Usage::

    python tests/data/extract_spec.py PATH/TO/Meetings.json PATH/TO/Users.json [OUTPUT]

``PATH/TO/Meetings.json`` is Zoom's Meetings API OpenAPI 3.0 document, as served at
https://developers.zoom.us/api-hub/meetings/methods/endpoints.json; ``PATH/TO/Users.json`` is
Zoom's Users API document, for Get a user (``GET /users/{userId}``, which ``status`` reads);
see ``SOURCE.md`` for the snapshots this repository was built from. ``OUTPUT`` defaults to
``zoom_meetings_openapi.json`` beside this script. The script is deterministic: the same inputs
give byte-identical output.

What is kept: ``openapi``, ``info``, ``externalDocs``, ``servers``, the path+method
operations below (with path-level parameters), every ``#/components/...`` object they reference
(followed transitively) and ``components.securitySchemes``. The OAuth scheme's scope map, which
lists every scope of the whole Meetings API, is narrowed to the scopes the kept operations name,
so the document stays valid (every scope a ``security`` requirement names is still declared).
Nothing inside a kept operation is changed. An ``x-source`` object records provenance.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

OPERATIONS: tuple[tuple[str, str], ...] = (
    ("/users/{userId}/meetings", "post"),
    ("/users/{userId}/meetings", "get"),
    ("/meetings/{meetingId}", "get"),
    ("/meetings/{meetingId}", "patch"),
    ("/meetings/{meetingId}", "delete"),
    ("/meetings/{meetingId}/invitation", "get"),
    ("/users/{userId}/recordings", "get"),
    ("/meetings/{meetingId}/recordings", "get"),
    ("/meetings/{meetingId}/recordings", "delete"),
    ("/meetings/{meetingId}/recordings/{recordingId}", "delete"),
    ("/past_meetings/{meetingId}/participants", "get"),
    ("/past_meetings/{meetingId}/instances", "get"),
    ("/past_meetings/{meetingId}", "get"),
    ("/meetings/{meetingId}/meeting_summary", "get"),
    ("/meetings/{meetingId}/transcript", "get"),
)

#: Operations of the Users API document, added to the same paths (same servers and schemes).
USERS_OPERATIONS: tuple[tuple[str, str], ...] = (("/users/{userId}", "get"),)

SOURCE_URL = "https://developers.zoom.us/api-hub/meetings/methods/endpoints.json"
SOURCE_SHA256 = "b4541039f52b514546c21a6d0a24db6ee28827fc49544fc3c19e0c839fd68e36"
USERS_SOURCE = (
    "github.com/herooftimeandspace/zoompy @ 7314fc01307c8b44637ccd909bf668c088278d67, "
    "src/zoom_sdk/endpoints/accounts/Users.json"
)
USERS_SOURCE_SHA256 = "7840911a1541b1c6666ddaf833a8de703c4e974631c00ac8ab018a97bb4e513d"
PATH_LEVEL_KEYS = ("summary", "description", "parameters", "servers")


def _refs(node: Any) -> set[str]:
    """Every ``$ref`` string anywhere inside ``node``."""
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref)
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _resolve(document: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are supported, got {ref!r}")
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _copy_component(out: dict[str, Any], ref: str, value: Any) -> None:
    parts = ref[2:].split("/")
    node = out
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _scopes_named(paths: dict[str, Any]) -> set[str]:
    scopes: set[str] = set()
    for item in paths.values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for requirement in operation.get("security", []):
                for names in requirement.values():
                    scopes.update(names)
    return scopes


def _take(
    document: dict[str, Any], operations: tuple[tuple[str, str], ...], paths: dict[str, Any]
) -> None:
    for path, method in operations:
        item = document["paths"][path]
        kept = paths.setdefault(path, {k: item[k] for k in PATH_LEVEL_KEYS if k in item})
        kept[method] = item[method]


def _components(document: dict[str, Any], paths: dict[str, Any], out: dict[str, Any]) -> None:
    pending = _refs(paths)
    done: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in done:
            continue
        done.add(ref)
        value = _resolve(document, ref)
        _copy_component(out, ref, value)
        pending |= _refs(value) - done


def _narrowed_schemes(document: dict[str, Any], paths: dict[str, Any]) -> dict[str, Any]:
    schemes: dict[str, Any] = json.loads(
        json.dumps(document.get("components", {}).get("securitySchemes", {}))
    )
    named = _scopes_named(paths)
    for scheme in schemes.values():
        for flow in scheme.get("flows", {}).values():
            if "scopes" in flow:
                flow["scopes"] = {k: v for k, v in flow["scopes"].items() if k in named}
    return schemes


def extract(
    document: dict[str, Any],
    source_sha256: str,
    users: dict[str, Any] | None = None,
    users_sha256: str = "",
) -> dict[str, Any]:
    """Return the trimmed OpenAPI document; ``users`` adds ``USERS_OPERATIONS``."""
    paths: dict[str, Any] = {}
    _take(document, OPERATIONS, paths)

    out: dict[str, Any] = {"openapi": document["openapi"], "info": document["info"]}
    for key in ("externalDocs", "servers"):
        if key in document:
            out[key] = document[key]
    out["x-source"] = {
        "description": (
            "Subset of Zoom's Meetings API OpenAPI document: the operations "
            "zoom-agent-tools uses, their referenced components, and the security schemes "
            "(OAuth scope map narrowed to the scopes those operations name). Generated by "
            "tests/data/extract_spec.py; operation content is unchanged."
        ),
        "url": SOURCE_URL,
        "snapshot": "~2026-03-10",
        "sha256": source_sha256,
    }
    out["paths"] = paths
    _components(document, paths, out)
    components = out.setdefault("components", {})
    components["securitySchemes"] = _narrowed_schemes(document, paths)
    if users is None:
        return out

    user_paths: dict[str, Any] = {}
    _take(users, USERS_OPERATIONS, user_paths)
    out["x-source"]["also"] = [
        {
            "description": "Get a user, unchanged, from Zoom's Users API OpenAPI document "
            f"(info.title {users['info']['title']!r}, version {users['info']['version']!r}), "
            "with the scopes it names added to the same OAuth scheme.",
            "source": USERS_SOURCE,
            "sha256": users_sha256,
            "operations": [f"{m.upper()} {p}" for p, m in USERS_OPERATIONS],
        }
    ]
    for path, item in user_paths.items():
        paths.setdefault(path, {}).update(item)
    _components(users, user_paths, out)
    for name, scheme in _narrowed_schemes(users, user_paths).items():
        mine = components["securitySchemes"].setdefault(name, scheme)
        for flow_name, flow in scheme.get("flows", {}).items():
            if "scopes" in flow:
                mine["flows"][flow_name]["scopes"].update(flow["scopes"])
    return out


def _read(path: Path, expected: str) -> tuple[dict[str, Any], str]:
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != expected:
        print(f"warning: {path} sha256 {digest} differs from the documented snapshot")
    return json.loads(raw), digest


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print(__doc__)
        return 2
    meetings, digest = _read(Path(argv[1]), SOURCE_SHA256)
    users, users_digest = _read(Path(argv[2]), USERS_SOURCE_SHA256)
    target = (
        Path(argv[3]) if len(argv) == 4 else Path(__file__).with_name("zoom_meetings_openapi.json")
    )
    trimmed = extract(meetings, digest, users, users_digest)
    target.write_text(json.dumps(trimmed, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target} ({len(trimmed['paths'])} paths)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
