"""Zoom meeting and cloud-recording tools for LangChain and LlamaIndex agents.

``import zoom_agent_tools`` loads neither LangChain nor LlamaIndex: the adapters live in
``zoom_agent_tools.langchain`` and ``zoom_agent_tools.llamaindex``.
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"

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

logging.getLogger(__name__).addHandler(logging.NullHandler())

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
