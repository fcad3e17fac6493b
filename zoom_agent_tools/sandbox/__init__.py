"""An embedded Zoom-compatible server (Meetings and cloud recordings) for offline use.

The names below load on first use, so that reading ``zoom_agent_tools.sandbox.options`` (the
command line's ``--help`` does) imports no web framework.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zoom_agent_tools.sandbox.app import SandboxApp as SandboxApp
    from zoom_agent_tools.sandbox.clock import ManualClock as ManualClock
    from zoom_agent_tools.sandbox.faults import Fault as Fault
    from zoom_agent_tools.sandbox.faults import FaultInjector as FaultInjector
    from zoom_agent_tools.sandbox.options import SandboxOptions as SandboxOptions
    from zoom_agent_tools.sandbox.seed import DEFAULT_SCOPES as DEFAULT_SCOPES
    from zoom_agent_tools.sandbox.seed import INTELLIGENCE_UUIDS as INTELLIGENCE_UUIDS
    from zoom_agent_tools.sandbox.seed import SPECIAL_UUIDS as SPECIAL_UUIDS
    from zoom_agent_tools.sandbox.seed import TEAM_HOST_EMAIL as TEAM_HOST_EMAIL
    from zoom_agent_tools.sandbox.seed import TEAM_HOST_ID as TEAM_HOST_ID
    from zoom_agent_tools.sandbox.seed import USER_SCOPES as USER_SCOPES
    from zoom_agent_tools.sandbox.server import Sandbox as Sandbox
    from zoom_agent_tools.sandbox.transport import WSGITransport as WSGITransport

# Where each public name lives (a test keeps this equal to the imports above).
_HOMES = {
    "DEFAULT_SCOPES": "seed",
    "INTELLIGENCE_UUIDS": "seed",
    "TEAM_HOST_EMAIL": "seed",
    "TEAM_HOST_ID": "seed",
    "SPECIAL_UUIDS": "seed",
    "USER_SCOPES": "seed",
    "Fault": "faults",
    "FaultInjector": "faults",
    "ManualClock": "clock",
    "Sandbox": "server",
    "SandboxApp": "app",
    "SandboxOptions": "options",
    "WSGITransport": "transport",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
