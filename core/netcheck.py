"""Which addresses a partner's callback URL may reach: only public ones, outside development.

Why: a callback URL is a request this server makes on a facility's word. Pointed at a private
network, a link-local address, a cloud metadata service (169.254.169.254, fd00:ec2::254) or the
server's own loopback (an admin port, Redis, a local database) it would make the server a proxy
into places only it can reach (SSRF). Loopback is allowed only in development
(`AROGYA_ENV=development`), for a partner's local test server. The rule is applied to IP
literals (and the name `localhost`) when a URL is registered, and to every address a name
resolves to when a callback is sent (`PublicResolver`), so a name that later resolves inside is
refused too.
"""

from __future__ import annotations

import ipaddress
import socket

from aiohttp.abc import ResolveResult
from aiohttp.resolver import ThreadedResolver

#: Cloud metadata services that are not already link-local.
METADATA = frozenset({ipaddress.ip_address("fd00:ec2::254")})
#: Names that always mean this machine, refused like a loopback address outside development.
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """A loopback IP literal or a name that always means this machine."""
    name = host.lower().rstrip(".")
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def forbidden_address(text: str, *, allow_loopback: bool = False) -> bool:
    """True for an address a callback must not reach; loopback only when `allow_loopback`."""
    if is_loopback(text):
        return not allow_loopback
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False  # a name: judged when it resolves
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:  # ::ffff:10.0.0.5 reaches 10.0.0.5
        return forbidden_address(str(mapped), allow_loopback=allow_loopback)
    return (
        address in METADATA
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


class PublicResolver(ThreadedResolver):
    """Resolves like aiohttp's default, keeping only addresses a callback may reach."""

    def __init__(self, *, allow_loopback: bool = False) -> None:
        super().__init__()
        self._allow_loopback = allow_loopback

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await super().resolve(host, port, family)
        allowed = [
            entry
            for entry in found
            if not forbidden_address(str(entry["host"]), allow_loopback=self._allow_loopback)
        ]
        if not allowed:
            raise OSError(f"{host} resolves only to addresses callbacks may not reach")
        return allowed

    def __repr__(self) -> str:
        return f"PublicResolver(allow_loopback={self._allow_loopback})"
