"""The notice that asks a person about a request: its words, made to fit one short SMS.

Why fitted here: the notice says who asks, from which facility, for what, which dates, why and
until when, and how to answer ("reply YES 4F7K or NO 4F7K"), in at most two SMS segments in
English and three in Hindi (each extra segment is paid for, and long texts arrive split on
cheap phones). Names are the only free text, and a facility name may run to 200 characters, so
the names are clipped until the text fits; if the record types alone are too long, they are
counted instead of listed. English texts are kept to the GSM-7 alphabet (a Devanagari or
accented name is transliterated), since one such character would halve an English SMS.

The same notice carries Approve/Deny buttons for Telegram, whose callback data is the very text
an SMS answer would be, so every channel answers through one path.
"""

from __future__ import annotations

import unicodedata

from core.consent.terms import day_text, ist_day
from core.consent.views import ConsentView
from core.healthid.translit import to_latin
from core.notify.buttons import says
from core.sms.encoding import GSM7_BASIC, sms_size
from locales import translate

NOTICE_KEY = "consent.notice.request"
#: The same notice where the channel has buttons and no length limit worth the name (Telegram).
CHAT_NOTICE_KEY = "consent.notice.chat"
#: The most segments a notice may take, per language.
MAX_SEGMENTS = {"en": 2, "hi": 3}
NAME_WIDTHS = (40, 30, 22, 16, 12, 8)


def gsm_safe(text: str) -> str:
    """`text` in GSM-7 letters: Devanagari transliterated, accents dropped, the rest removed."""
    decomposed = unicodedata.normalize("NFKD", to_latin(text))
    kept = "".join(ch for ch in decomposed if ch in GSM7_BASIC and ch not in "\r\n")
    return " ".join(kept.split())


def clip(text: str, width: int) -> str:
    """`text` cut to `width` at a word boundary when there is one (review D10: a name cut
    mid-word, "Sanjeevani Multispecia", reads as a typo)."""
    if len(text) <= width:
        return text
    head = text[:width]
    if text[width] != " " and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,.-")


def type_labels(hi_types: tuple[str, ...], lang: str) -> str:
    return ", ".join(translate(f"consent.hitype.{kind}", lang) for kind in hi_types)


def fits(params: dict[str, str], lang: str) -> bool:
    text = translate(NOTICE_KEY, lang, **params)
    return sms_size(text).segments <= MAX_SEGMENTS.get(lang, 2)


def chat_params(view: ConsentView, lang: str) -> dict[str, str]:
    """The notice's parameters as a chat shows them: names whole, every type listed."""
    return {
        "requester": view.requester_name,
        "hiu": view.hiu_name,
        "types": type_labels(view.hi_types, lang),
        "purpose": translate(f"consent.purpose.{view.purpose}", lang),
        "from": day_text(view.date_from),
        "to": day_text(view.date_to),
        "until": day_text(ist_day(view.erase_at)),
        "code": view.code,
    }


def notice_params(view: ConsentView, lang: str) -> dict[str, str]:
    """The notice's parameters in `lang`, clipped so the rendered SMS fits its budget."""
    requester, hiu = view.requester_name, view.hiu_name
    if lang == "en":
        requester, hiu = gsm_safe(requester) or "-", gsm_safe(hiu) or "-"
    fixed = {
        key: value
        for key, value in chat_params(view, lang).items()
        if key not in ("requester", "hiu", "types")
    }
    listed = type_labels(view.hi_types, lang)
    counted = translate("consent.types.count", lang, count=len(view.hi_types))
    params: dict[str, str] = {}
    for types in (listed, counted):
        for width in NAME_WIDTHS:
            params = {
                **fixed,
                "types": types,
                "requester": clip(requester, width),
                "hiu": clip(hiu, width),
            }
            if fits(params, lang):
                return params
    return params  # the catalog tests prove the shortest form fits


def answer_buttons(code: str) -> list[list[dict[str, str]]]:
    """Approve / Deny, sending what an SMS answer would say."""
    return [
        [
            {"label": "consent.button.approve", "data": says(f"YES {code}")},
            {"label": "consent.button.deny", "data": says(f"NO {code}")},
        ]
    ]
