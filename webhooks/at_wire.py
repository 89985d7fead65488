"""Two things Africa's Talking sends to the USSD callback besides an ordinary hop.

- A dial-string shortcut: `*384*2222*1#` opens a session whose *first* request already has
  `text="1"` (every `*` part after the service code, joined by `*`). It is served as a new
  session followed by those inputs. Only digits can be dialled, so a first request whose text
  holds anything else (`1*Asha`) is not a dial string: it continues a session we no longer
  know, and is told it expired, as before.
- The end-of-session notification: when a session ends, AT posts `sessionId`, `phoneNumber`,
  `status` (Success, Incomplete, Failed), `durationInMillis`, `hopsCount`, `input`,
  `lastAppResponse`, `errorMessage`, `cost`, `date` and no `text`. It is not an input: it is
  logged (a Failed session with AT's error at WARNING) and answered with an empty 200.
"""

from __future__ import annotations

import logging
import re

from multidict import MultiMapping

log = logging.getLogger(__name__)

#: At most this many inputs ride on a dial string (a USSD code is 182 characters at most).
MAX_SHORTCUT_INPUTS = 8
DIAL_STRING = re.compile(rf"\d{{1,20}}(\*\d{{1,20}}){{0,{MAX_SHORTCUT_INPUTS - 1}}}")
SESSION_END_FIELDS = frozenset({"durationInMillis", "hopsCount", "lastAppResponse"})


def dial_shortcut(text: str) -> list[str] | None:
    """The inputs a session's first `text` carries ([] for a plain dial); None if it cannot be
    a dial string."""
    if not text:
        return []
    if not DIAL_STRING.fullmatch(text):
        return None
    return text.split("*")


def is_session_end(form: MultiMapping[str]) -> bool:
    return "text" not in form and "status" in form and bool(SESSION_END_FIELDS & set(form))


def log_session_end(form: MultiMapping[str]) -> None:
    session = form.get("sessionId", "?")[:64]
    status = form.get("status", "?")[:16]
    if status.lower() == "failed":
        log.warning("USSD %s ended: %s (%s)", session, status, form.get("errorMessage", "")[:200])
    else:
        log.info("USSD %s ended: %s after %s hops", session, status, form.get("hopsCount", "?")[:8])
