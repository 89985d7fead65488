"""Fail closed: an inbound channel without its credential refuses every caller.

Why the one exception: the embedded quick start (`./run serve`, then `arogya chat --url
http://127.0.0.1:8080`) must work with no settings. It runs on the public development secret
key, which `arogya serve` refuses off loopback (arogya/startup.py), so "development key and a
caller on this machine" is exactly the quick start; anything else without the credential gets a
403 that names the setting, and a log line at a bounded rate (a closed door knocked on a
thousand times a second must not fill the disk).
"""

from __future__ import annotations

import ipaddress
import logging
import time

from aiohttp import web

from core.settings import Settings
from webhooks.errors import HttpError

log = logging.getLogger(__name__)

#: At most one "closed" log line per channel in this many seconds.
LOG_EVERY_SECONDS = 60.0
_last_logged: dict[str, float] = {}


def is_loopback(address: str | None) -> bool:
    if not address:
        return False
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return address == "localhost"


def development_caller(request: web.Request, settings: Settings) -> bool:
    """The quick start: the development key, and a caller on this machine."""
    return settings.uses_dev_secret and is_loopback(request.remote)


def closed(channel: str, code: str, setting: str) -> HttpError:
    """The refusal of a channel whose credential is not set; logged at a bounded rate."""
    now = time.monotonic()
    if now - _last_logged.get(channel, -LOG_EVERY_SECONDS) >= LOG_EVERY_SECONDS:
        _last_logged[channel] = now
        log.warning("%s refused a request: it is closed until %s is set", channel, setting)
    return HttpError(403, code, f"{channel} is closed: {setting} is not set")
