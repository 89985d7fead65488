"""How a consent reads on a phone: the parameters of the consent messages, in one language.

Why lists are rendered here: a message's parameters are filled in by the channel, but a list of
record kinds ("prescriptions, test reports") is itself made of catalog words, so it is put
together in the conversation's language before it becomes a parameter. Dates are written
20-11-2026 in both languages: short, GSM-7, and unambiguous on an Indian phone.
"""

from __future__ import annotations

from core.consent.terms import day_text, ist_day
from core.consent.views import ConsentView
from locales import translate


def types_text(hi_types: tuple[str, ...], lang: str) -> str:
    return ", ".join(translate(f"consent.hitype.{kind}", lang) for kind in hi_types)


def until_text(view: ConsentView) -> str:
    return day_text(ist_day(view.erase_at))


def request_params(view: ConsentView, lang: str) -> dict[str, str]:
    """Who asks, from where, for what, which dates, why and until when."""
    return {
        "requester": view.requester_name,
        "hiu": view.hiu_name,
        "types": types_text(view.hi_types, lang),
        "from": day_text(view.date_from),
        "to": day_text(view.date_to),
        "purpose": translate(f"consent.purpose.{view.purpose}", lang),
        "until": until_text(view),
        "code": view.code,
    }


def grant_params(view: ConsentView, lang: str) -> dict[str, str]:
    """What a grant in force covers: its artefacts' HIPs, kinds and dates (maybe narrowed)."""
    live = [a for a in view.artefacts if a.status is view.status] or list(view.artefacts)
    kinds = tuple(dict.fromkeys(kind for a in live for kind in a.hi_types)) or view.hi_types
    start = min((a.date_from for a in live), default=view.date_from)
    end = max((a.date_to for a in live), default=view.date_to)
    return {
        "hiu": view.hiu_name,
        "requester": view.requester_name,
        "types": types_text(kinds, lang),
        "from": day_text(start),
        "to": day_text(end),
        "places": ", ".join(a.hip_name for a in live),
        "until": until_text(view),
    }
