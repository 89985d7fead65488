"""How a consent reads on a phone: the parameters of the consent messages.

Why nested keys: a list of record kinds ("prescriptions, test reports") and a purpose ("your
care") are catalog words themselves, so they are handed over as message keys (`kinds`,
`msg("consent.purpose...")`) and said by the renderer in the reader's language, like the
message around them (`locales.translate`). Dates are written 20-11-2026 in both languages:
short, GSM-7, and unambiguous on an Indian phone.
"""

from __future__ import annotations

from core.consent.terms import day_text, ist_day
from core.consent.views import ConsentView
from flows import Message, msg
from flows.types import Param


def kinds(hi_types: tuple[str, ...]) -> tuple[Message, ...]:
    """The kinds of records, read as a list ("prescriptions, test reports")."""
    return tuple(msg(f"consent.hitype.{kind}") for kind in hi_types)


def until_text(view: ConsentView) -> str:
    return day_text(ist_day(view.erase_at))


def request_params(view: ConsentView) -> dict[str, Param]:
    """Who asks, from where, for what, which dates, why and until when."""
    return {
        "requester": view.requester_name,
        "hiu": view.hiu_name,
        "types": kinds(view.hi_types),
        "from": day_text(view.date_from),
        "to": day_text(view.date_to),
        "purpose": msg(f"consent.purpose.{view.purpose}"),
        "until": until_text(view),
        "code": view.code,
    }


def grant_params(view: ConsentView) -> dict[str, Param]:
    """What a grant in force covers: its artefacts' HIPs, kinds and dates (maybe narrowed)."""
    live = [a for a in view.artefacts if a.status is view.status] or list(view.artefacts)
    shared = tuple(dict.fromkeys(kind for a in live for kind in a.hi_types)) or view.hi_types
    start = min((a.date_from for a in live), default=view.date_from)
    end = max((a.date_to for a in live), default=view.date_to)
    return {
        "hiu": view.hiu_name,
        "requester": view.requester_name,
        "types": kinds(shared),
        "from": day_text(start),
        "to": day_text(end),
        "places": ", ".join(a.hip_name for a in live),
        "until": until_text(view),
    }
