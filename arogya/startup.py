"""What `arogya serve` refuses to start with, and why each rule is there.

Why refuse rather than warn: a warning scrolls by, and a server reachable from the network on
the public development key signs consent artefacts anybody can forge, and with an inbound
channel left open lets anybody talk as any phone. On loopback (the embedded quick start) the
development defaults are allowed: only this machine can reach it. Everywhere, an admin token
shorter than 32 characters is refused: it guards the verification of every facility.
"""

from __future__ import annotations

import ipaddress

from core.settings import Settings

MIN_ADMIN_TOKEN_CHARS = 32


def loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name, or every address ("0.0.0.0" is not loopback either)


def refusals(settings: Settings, host: str) -> list[str]:
    """Each setting that stops `serve` on `host`, as a sentence naming it; empty when fine."""
    found: list[str] = []
    token = settings.admin_token.get_secret_value() if settings.admin_token else None
    if token is not None and len(token) < MIN_ADMIN_TOKEN_CHARS:
        found.append(
            f"AROGYA_ADMIN_TOKEN is {len(token)} characters: use at least "
            f"{MIN_ADMIN_TOKEN_CHARS} random ones (or unset it to turn the admin API off)"
        )
    if loopback_host(host) or not settings.uses_dev_secret:
        return found
    # Off loopback on the development key: it is public, and it is what lets /ussd and
    # /sms/twilio take unauthenticated callers on loopback (webhooks.guard).
    found.append("AROGYA_SECRET_KEY is the public development value: set a long random one")
    if settings.ussd_secret is None:
        found.append("AROGYA_USSD_SECRET is not set: /ussd would take anyone as any phone")
    if settings.twilio_auth_token is None:
        found.append(
            "AROGYA_TWILIO_AUTH_TOKEN is not set: /sms/twilio would take unsigned messages"
        )
    return found
