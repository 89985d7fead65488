"""Which addresses a partner's callback URL may reach: the public internet, and loopback.

Why: a callback URL is a request this server makes on a facility's word. Pointed at a private
network, a link-local address or a cloud metadata service (169.254.169.254, fd00:ec2::254) it
would make the server a proxy into places only it can reach (SSRF). Loopback stays allowed for
a partner's local test server (plain http only there, core.facilities.draft). The rule is
applied to IP literals when a URL is registered, and to every address a name resolves to when
a callback is sent (`PublicResolver`), so a name that later resolves inside is refused too.
"""

from __future__ import annotations

import ipaddress
import socket

from aiohttp.abc import ResolveResult
from aiohttp.resolver import ThreadedResolver

#: Cloud metadata services that are not already link-local.
METADATA = frozenset({ipaddress.ip_address("fd00:ec2::254")})


def forbidden_address(text: str) -> bool:
    """True for an address a callback must not reach (loopback is allowed, see above)."""
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False  # a name: judged when it resolves
    if address.is_loopback:
        return False
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

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await super().resolve(host, port, family)
        allowed = [entry for entry in found if not forbidden_address(str(entry["host"]))]
        if not allowed:
            raise OSError(f"{host} resolves only to addresses callbacks may not reach")
        return allowed

    def __repr__(self) -> str:
        return "PublicResolver()"
