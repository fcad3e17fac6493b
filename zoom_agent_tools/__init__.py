"""Zoom meeting and cloud-recording tools for LangChain and LlamaIndex agents.

``import zoom_agent_tools`` loads neither LangChain nor LlamaIndex (the adapters live in
``zoom_agent_tools.langchain`` and ``zoom_agent_tools.llamaindex``), and loads the public
names below on first use, so importing the package stays cheap.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from zoom_agent_tools._http import RetryPolicy
    from zoom_agent_tools.auth import (
        AccessTokenAuth,
        Auth,
        FileTokenStore,
        MemoryTokenStore,
        ServerToServerAuth,
        UserOAuth,
    )
    from zoom_agent_tools.client import ToolResult, ZoomClient
    from zoom_agent_tools.errors import (
        ZoomAPIError,
        ZoomAuthenticationError,
        ZoomBadRequestError,
        ZoomConfigurationError,
        ZoomConflictError,
        ZoomConnectionError,
        ZoomDownloadError,
        ZoomError,
        ZoomNotFoundError,
        ZoomPermissionError,
        ZoomRateLimitError,
        ZoomServerError,
        ZoomTimeoutError,
        ZoomValidationError,
    )
    from zoom_agent_tools.operations import OPERATIONS, Operation, get_operation

_ERRORS = "zoom_agent_tools.errors"
_AUTH = "zoom_agent_tools.auth"
#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "OPERATIONS": "zoom_agent_tools.operations",
    "Operation": "zoom_agent_tools.operations",
    "get_operation": "zoom_agent_tools.operations",
    "RetryPolicy": "zoom_agent_tools._http",
    "ToolResult": "zoom_agent_tools.client",
    "ZoomClient": "zoom_agent_tools.client",
    "AccessTokenAuth": _AUTH,
    "Auth": _AUTH,
    "FileTokenStore": _AUTH,
    "MemoryTokenStore": _AUTH,
    "ServerToServerAuth": _AUTH,
    "UserOAuth": _AUTH,
    "ZoomAPIError": _ERRORS,
    "ZoomAuthenticationError": _ERRORS,
    "ZoomBadRequestError": _ERRORS,
    "ZoomConfigurationError": _ERRORS,
    "ZoomConflictError": _ERRORS,
    "ZoomConnectionError": _ERRORS,
    "ZoomDownloadError": _ERRORS,
    "ZoomError": _ERRORS,
    "ZoomNotFoundError": _ERRORS,
    "ZoomPermissionError": _ERRORS,
    "ZoomRateLimitError": _ERRORS,
    "ZoomServerError": _ERRORS,
    "ZoomTimeoutError": _ERRORS,
    "ZoomValidationError": _ERRORS,
}

__all__ = [
    "OPERATIONS",
    "AccessTokenAuth",
    "Auth",
    "FileTokenStore",
    "MemoryTokenStore",
    "Operation",
    "RetryPolicy",
    "ServerToServerAuth",
    "ToolResult",
    "UserOAuth",
    "ZoomAPIError",
    "ZoomAuthenticationError",
    "ZoomBadRequestError",
    "ZoomClient",
    "ZoomConfigurationError",
    "ZoomConflictError",
    "ZoomConnectionError",
    "ZoomDownloadError",
    "ZoomError",
    "ZoomNotFoundError",
    "ZoomPermissionError",
    "ZoomRateLimitError",
    "ZoomServerError",
    "ZoomTimeoutError",
    "ZoomValidationError",
    "__version__",
    "get_operation",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return __all__
