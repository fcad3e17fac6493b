"""An embedded Zoom-compatible server (Meetings and cloud recordings) for offline use."""

from zoom_agent_tools.sandbox.app import SandboxApp, create_app
from zoom_agent_tools.sandbox.clock import ManualClock
from zoom_agent_tools.sandbox.faults import Fault, FaultInjector
from zoom_agent_tools.sandbox.seed import (
    DEFAULT_SCOPES,
    INTELLIGENCE_UUIDS,
    SPECIAL_UUIDS,
    TEAM_HOST_EMAIL,
    TEAM_HOST_ID,
    USER_SCOPES,
)
from zoom_agent_tools.sandbox.server import Sandbox, serve

__all__ = [
    "DEFAULT_SCOPES",
    "INTELLIGENCE_UUIDS",
    "SPECIAL_UUIDS",
    "TEAM_HOST_EMAIL",
    "TEAM_HOST_ID",
    "USER_SCOPES",
    "Fault",
    "FaultInjector",
    "ManualClock",
    "Sandbox",
    "SandboxApp",
    "create_app",
    "serve",
]
