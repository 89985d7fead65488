"""The language a USSD dial starts in, and keeping a person's stored language in step.

Why here and not in the conversation state: state lives an hour (or until a restart with the
in-process store), but a person who chose Hindi once must get Hindi on every dial. So a new
session asks, in this order:

1. the stored language of the ABHA(s) this phone holds (the newest one's, if several);
2. the telecom circle of the gateway's `networkCode` (Hindi circles get Hindi), for a phone
   with no ABHA and no conversation yet;
3. otherwise nothing: the conversation's own language, or the engine's default.

When a person who holds an ABHA switches language on USSD (menu, or the word HINDI/ENGLISH), the
new choice is written to their ABHA(s), so the next dial, after any restart, speaks it.
"""

from __future__ import annotations

import logging

from core.errors import ArogyaError, Unavailable
from core.services import Services
from locales import normalise_language
from webhooks.circles import language_of_network

log = logging.getLogger(__name__)

#: Where the language stored for this phone's ABHA(s) is remembered in the USSD channel record.
STORED = "stored_lang"


async def stored_language(services: Services | None, phone: str) -> str | None:
    """The language kept with this phone's newest ABHA, or None (no ABHA, or no database)."""
    if services is None:
        return None
    try:
        held = await services.healthid.by_mobile(phone)
    except (ArogyaError, Unavailable, OSError):
        log.warning("USSD: stored language of %s unavailable", phone[-4:], exc_info=True)
        return None
    return normalise_language(held[-1].language) if held else None


def dial_language(stored: str | None, network_code: str, *, fresh: bool) -> str | None:
    """The language to start a new session in: the stored one, else (for a conversation that
    does not exist yet) the circle's, else None (keep the conversation's own)."""
    if stored is not None:
        return stored
    return language_of_network(network_code) if fresh else None


async def remember_choice(services: Services | None, phone: str, stored: str, lang: str) -> bool:
    """The person switched language: store it with their ABHA(s). True when written."""
    if services is None or stored == lang:
        return False
    try:
        for person in await services.healthid.by_mobile(phone):
            await services.healthid.update_profile(
                person.abha_number, language=lang, channel="ussd"
            )
    except (ArogyaError, Unavailable, OSError):
        log.warning("USSD: could not store the language of %s", phone[-4:], exc_info=True)
        return False
    return True
