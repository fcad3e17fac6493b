"""Where a credential may go: a URL's origin read exactly as requests connects to it.

Parsers disagree on odd URLs: ``https://evil.example\\@zoom.us/`` is ``zoom.us`` to
``urllib.parse`` but ``evil.example`` to urllib3, which requests uses. So a URL that is to
receive a token must be plain enough that every parser reads the same host: printable ASCII,
no backslash, no user info, no percent-encoding or non-ASCII in the host. Its origin is then
taken from the URL requests prepares, as requests' HTTPAdapter takes it to pick a connection.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from zoom_agent_tools.errors import ZoomConfigurationError

__all__ = [
    "ZOOM_DOMAINS",
    "Origin",
    "RefusedURL",
    "TokenHosts",
    "configured_origin",
    "is_loopback",
    "origin_of",
    "shown_url",
]

#: Zoom's own domains: tokens go to these and their subdomains, over https on port 443.
ZOOM_DOMAINS = ("zoom.us", "zoom.com", "zoomgov.com")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_URL = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<authority>[^/?#]*)(?P<rest>.*)")
# Host names of letters, digits and hyphens in non-empty labels (no trailing dot), or an IP
# literal in brackets; an optional numeric port. Anything else could be read two ways.
_AUTHORITY = re.compile(
    r"(?P<host>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::(?P<port>[0-9]{1,5}))?"
)


class RefusedURL(ValueError):
    """A URL that must not receive a credential; the message says why."""


@dataclass(frozen=True)
class Origin:
    """Scheme, host and port: where a request is sent."""

    scheme: str
    host: str  # lower case; an IPv6 address without brackets
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = _DEFAULT_PORTS.get(self.scheme)
        return f"{self.scheme}://{host}" + ("" if self.port == default else f":{self.port}")

    @property
    def in_zoom_domain(self) -> bool:
        """Whether the host is one of Zoom's domains or a subdomain of one."""
        return any(self.host == d or self.host.endswith("." + d) for d in ZOOM_DOMAINS)

    @property
    def is_zoom(self) -> bool:
        """Whether this is one of Zoom's hosts, reached the only way Zoom serves them."""
        return self.in_zoom_domain and self.scheme == "https" and self.port == 443


def is_loopback(host: str) -> bool:
    """Whether ``host`` is ``localhost`` or a loopback IP address."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def shown_url(url: str) -> str:
    """``url`` fit for a message: short, user info and query left out, odd characters escaped."""
    text = re.sub(r"(//)[^/?#]*@", r"\1***@", url.split("?", 1)[0])
    text = text if len(text) <= 120 else text[:117] + "..."
    return "".join(ch if " " <= ch <= "~" else ch.encode("unicode_escape").decode() for ch in text)


def origin_of(url: str) -> Origin:
    """The origin requests will connect to for ``url``.

    Raises RefusedURL for any URL that parsers could read differently.
    """
    if not isinstance(url, str) or not url:
        raise RefusedURL("it is empty")
    if any(not ("!" <= ch <= "~") for ch in url):
        raise RefusedURL("it contains whitespace, a control character or a non-ASCII character")
    if "\\" in url:
        raise RefusedURL("it contains a backslash")
    match = _URL.fullmatch(url)
    scheme = match["scheme"].lower() if match else ""
    if match is None or scheme not in _DEFAULT_PORTS:
        raise RefusedURL("it is not an absolute http or https URL")
    authority = match["authority"]
    if "@" in authority:
        raise RefusedURL("it carries user info (user@host)")
    if "%" in authority:
        raise RefusedURL("its host is percent-encoded")
    parts = _AUTHORITY.fullmatch(authority)
    if parts is None:
        raise RefusedURL("its host is not a plain host name or IP address")
    port = int(parts["port"]) if parts["port"] else _DEFAULT_PORTS[scheme]
    if not 0 < port < 65536:
        raise RefusedURL("its port is out of range")
    origin = Origin(scheme, parts["host"].strip("[]").lower(), port)
    if _connected_origin(url) != origin:
        raise RefusedURL("requests would connect to a different host than the URL names")
    return origin


def _connected_origin(url: str) -> Origin | None:
    """The origin of ``url`` as requests prepares it and its HTTPAdapter connects to it."""
    from requests.exceptions import RequestException
    from requests.models import PreparedRequest

    prepared = PreparedRequest()
    try:
        prepared.prepare_url(url, None)
        parts = urlsplit(prepared.url or "")
        scheme = parts.scheme.lower()
        port = parts.port or _DEFAULT_PORTS.get(scheme, 0)
    except (RequestException, ValueError):
        return None
    return Origin(scheme, (parts.hostname or "").lower(), port)


def configured_origin(url: str, setting: str, *, example: str) -> Origin:
    """The origin of an endpoint the developer configured to receive credentials.

    It must read unambiguously, use https (plain http only on loopback, for the sandbox), and
    reach Zoom's own domains the way Zoom serves them. ``setting`` names the option in errors,
    ``example`` is a good value for it.
    """
    try:
        origin = origin_of(url)
    except RefusedURL as exc:
        raise ZoomConfigurationError(
            f"{setting} {shown_url(url)!r} cannot be used: {exc}.",
            suggestion=f"Set {setting} to a plain https URL such as {example}.",
        ) from None
    if origin.in_zoom_domain and not origin.is_zoom:
        raise ZoomConfigurationError(
            f"{setting} {shown_url(url)!r} cannot be used: Zoom's hosts are reached over https "
            "on port 443 only.",
            suggestion=f"Use https://{origin.host} in {setting}.",
        )
    if origin.scheme == "http" and not is_loopback(origin.host):
        raise ZoomConfigurationError(
            f"{setting} {shown_url(url)!r} cannot be used: plain http would send credentials "
            "in clear text.",
            suggestion=f"Use https in {setting}; plain http is accepted on loopback only "
            "(the sandbox).",
        )
    return origin


@dataclass(frozen=True)
class TokenHosts:
    """The origins trusted with a token: Zoom's own hosts, and origins the developer chose."""

    trusted: frozenset[Origin] = frozenset()

    @classmethod
    def configure(cls, api_base_url: str, extra_hosts: Iterable[str] = ()) -> TokenHosts:
        """Zoom's hosts, the API's origin, and ``extra_hosts`` (``host`` for https, or
        ``scheme://host[:port]``)."""
        example = "https://api.zoom.us/v2"
        trusted = {configured_origin(api_base_url, "base_url (ZOOM_API_BASE_URL)", example=example)}
        for entry in extra_hosts:
            url = entry if "://" in entry else f"https://{entry}"
            trusted.add(configured_origin(url, "download_hosts", example="files.example.com"))
        return cls(frozenset(trusted))

    def check(self, url: str) -> Origin:
        """The origin of ``url``; RefusedURL unless it may receive the token."""
        origin = origin_of(url)
        if origin.is_zoom or origin in self.trusted:
            return origin
        if origin.in_zoom_domain:
            raise RefusedURL(f"{origin} is not https on port 443, the only way Zoom serves files")
        raise RefusedURL(f"{origin} is not one of Zoom's hosts")

    def allows(self, url: str) -> bool:
        """Whether ``url`` may receive the token."""
        try:
            self.check(url)
        except RefusedURL:
            return False
        return True
