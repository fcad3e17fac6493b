"""Zoom meeting and cloud-recording tools for LangChain and LlamaIndex agents.

``import zoom_agent_tools`` loads neither LangChain nor LlamaIndex (the adapters live in
``zoom_agent_tools.langchain`` and ``zoom_agent_tools.llamaindex``), and loads the public
names below on first use, so importing the package stays cheap.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # For type checkers; a test checks that these are exactly the names of _EXPORTS.
    from zoom_agent_tools._retry import RetryPolicy as RetryPolicy
    from zoom_agent_tools.auth import AccessTokenAuth as AccessTokenAuth
    from zoom_agent_tools.auth import Auth as Auth
    from zoom_agent_tools.auth import FileTokenStore as FileTokenStore
    from zoom_agent_tools.auth import MemoryTokenStore as MemoryTokenStore
    from zoom_agent_tools.auth import ServerToServerAuth as ServerToServerAuth
    from zoom_agent_tools.auth import StoredTokens as StoredTokens
    from zoom_agent_tools.auth import TokenStore as TokenStore
    from zoom_agent_tools.auth import UserOAuth as UserOAuth
    from zoom_agent_tools.budget import RateBudget as RateBudget
    from zoom_agent_tools.client import ZoomClient as ZoomClient
    from zoom_agent_tools.connecting import sign_in as sign_in
    from zoom_agent_tools.errors import FieldError as FieldError
    from zoom_agent_tools.errors import ZoomAPIError as ZoomAPIError
    from zoom_agent_tools.errors import ZoomAuthenticationError as ZoomAuthenticationError
    from zoom_agent_tools.errors import ZoomBadRequestError as ZoomBadRequestError
    from zoom_agent_tools.errors import ZoomConfigurationError as ZoomConfigurationError
    from zoom_agent_tools.errors import ZoomConflictError as ZoomConflictError
    from zoom_agent_tools.errors import ZoomConnectionError as ZoomConnectionError
    from zoom_agent_tools.errors import ZoomDownloadError as ZoomDownloadError
    from zoom_agent_tools.errors import ZoomError as ZoomError
    from zoom_agent_tools.errors import ZoomNotFoundError as ZoomNotFoundError
    from zoom_agent_tools.errors import ZoomPermissionError as ZoomPermissionError
    from zoom_agent_tools.errors import ZoomRateLimitError as ZoomRateLimitError
    from zoom_agent_tools.errors import ZoomServerError as ZoomServerError
    from zoom_agent_tools.errors import ZoomSignInError as ZoomSignInError
    from zoom_agent_tools.errors import ZoomTimeoutError as ZoomTimeoutError
    from zoom_agent_tools.errors import ZoomUnavailableError as ZoomUnavailableError
    from zoom_agent_tools.errors import ZoomValidationError as ZoomValidationError
    from zoom_agent_tools.models import Absentee as Absentee
    from zoom_agent_tools.models import AISummary as AISummary
    from zoom_agent_tools.models import Attendance as Attendance
    from zoom_agent_tools.models import Attendee as Attendee
    from zoom_agent_tools.models import DownloadedFile as DownloadedFile
    from zoom_agent_tools.models import DownloadResult as DownloadResult
    from zoom_agent_tools.models import FileResult as FileResult
    from zoom_agent_tools.models import PastInstance as PastInstance
    from zoom_agent_tools.models import PastInstances as PastInstances
    from zoom_agent_tools.models import Transcript as Transcript
    from zoom_agent_tools.models import Turn as Turn
    from zoom_agent_tools.operations import OPERATIONS as OPERATIONS
    from zoom_agent_tools.operations import Operation as Operation
    from zoom_agent_tools.operations import get_operation as get_operation

    __version__: str

_AUTH = "zoom_agent_tools.auth"
_ERRORS = "zoom_agent_tools.errors"
_MODELS = "zoom_agent_tools.models"
_OPERATIONS = "zoom_agent_tools.operations"
#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "ZoomClient": "zoom_agent_tools.client",
    "sign_in": "zoom_agent_tools.connecting",
    "RetryPolicy": "zoom_agent_tools._retry",
    "RateBudget": "zoom_agent_tools.budget",
    "OPERATIONS": _OPERATIONS,
    "Operation": _OPERATIONS,
    "get_operation": _OPERATIONS,
    "AccessTokenAuth": _AUTH,
    "Auth": _AUTH,
    "FileTokenStore": _AUTH,
    "MemoryTokenStore": _AUTH,
    "ServerToServerAuth": _AUTH,
    "StoredTokens": _AUTH,
    "TokenStore": _AUTH,
    "UserOAuth": _AUTH,
    "DownloadResult": _MODELS,
    "DownloadedFile": _MODELS,
    "FileResult": _MODELS,
    "AISummary": _MODELS,
    "Absentee": _MODELS,
    "Attendance": _MODELS,
    "Attendee": _MODELS,
    "PastInstance": _MODELS,
    "PastInstances": _MODELS,
    "Transcript": _MODELS,
    "Turn": _MODELS,
    "FieldError": _ERRORS,
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
    "ZoomSignInError": _ERRORS,
    "ZoomTimeoutError": _ERRORS,
    "ZoomUnavailableError": _ERRORS,
    "ZoomValidationError": _ERRORS,
}

__all__ = ["__version__", *_EXPORTS]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def _version() -> str:
    """The installed distribution's version, or ``0+unknown`` when run from a source tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("zoom-agent-tools")
    except PackageNotFoundError:
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _version()
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
