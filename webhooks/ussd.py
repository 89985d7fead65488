"""`POST /ussd`: Africa's Talking's USSD callback, spoken to the conversation engine.

The gateway posts a form (`sessionId`, `serviceCode`, `phoneNumber`, `networkCode`, `text`)
for every hop and shows our `text/plain` answer: `CON <page>` keeps the session open, `END
<page>` closes it. The newest input is read from `text` as explained in `ussd_session`. A
reply longer than a page is paged (`webhooks.pager`, within the gateway's page budget): "98"
shows the next page and "0" the previous one, without disturbing the conversation; any other
input goes to the engine.

Shared secret: a request must carry `AROGYA_USSD_SECRET`, either in the `X-Ussd-Secret` header
or as the `secret` query parameter (Africa's Talking cannot add headers, so its callback URL is
registered as `https://host/ussd?secret=...`); otherwise 403. Unset, /ussd is closed (403
`ussd.closed`) but to the development quick start on loopback (`webhooks.guard`).

A request we cannot read is refused with `HttpError` (a 4xx with a JSON error, by the app's
middleware); anything that goes wrong on our side answers `END` with a translated "please try
again" (the person redials and may resume).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
from typing import Any

from aiohttp import web

import locales
from core.errors import Unavailable
from core.healthid import held
from core.services import Services
from core.settings import Settings
from flows.session import Session
from flows.types import ConversationKey, Input, Reply
from webhooks import at_wire
from webhooks.errors import HttpError
from webhooks.guard import closed, development_caller
from webhooks.keys import ENGINE, SERVICES, SETTINGS, TRANSLATE
from webhooks.pager import PageBudget, Pager
from webhooks.render import Translate
from webhooks.ussd_language import STORED, dial_language, remember_choice, stored_language
from webhooks.ussd_session import UssdSession
from webhooks.wire import MAX_ID_CHARS, e164, read_form, same_secret, text_field

log = logging.getLogger(__name__)

CHANNEL = "ussd"
SECRET_HEADER = "X-Ussd-Secret"  # noqa: S105 - a header name, not a secret


def setup_ussd(app: web.Application) -> None:
    """Route `POST /ussd`; the app must hold ENGINE and SETTINGS (TRANSLATE optional)."""
    app.router.add_post("/ussd", ussd_callback)


def ussd_pager(settings: Settings, translate: Translate) -> Pager:
    """Pages of the gateway's size (`AROGYA_USSD_*_PAGE_CHARS`), turned by "98" and "0"."""
    budget = PageBudget(settings.ussd_gsm7_page_chars, settings.ussd_ucs2_page_chars)
    return Pager(budget, translate)


async def ussd_callback(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    engine = request.app[ENGINE]
    translate = request.app.get(TRANSLATE, locales.translate)
    _check_secret(request, settings)
    form = await read_form(request)
    if at_wire.is_session_end(form):
        at_wire.log_session_end(form)
        return web.Response(text="", content_type="text/plain")
    session_id = text_field(form, "sessionId", max_chars=MAX_ID_CHARS)
    phone = caller(text_field(form, "phoneNumber", max_chars=32))
    text = text_field(form, "text", required=False)
    network = text_field(form, "networkCode", required=False, max_chars=MAX_ID_CHARS)
    key = ConversationKey(CHANNEL, phone)
    services = request.app.get(SERVICES)
    try:
        async with engine.conversation(key) as convo:
            hop = Hop(convo, ussd_pager(settings, translate), session_id, text_key(settings))
            hop.caller = Caller(services, phone, network)
            body = await hop.answer(text)
    except (Unavailable, TimeoutError):
        log.warning("USSD %s: state store unavailable", session_id, exc_info=True)
        body = "END " + translate("engine.try_again", await engine.language_of(key))
    except Exception:  # a bug must cost this person a redial, never the gateway a 500
        log.exception("USSD %s: hop failed", session_id)
        body = "END " + translate("engine.try_again", await engine.language_of(key))
    return web.Response(text=body, content_type="text/plain")


@functools.lru_cache(maxsize=8192)
def caller(phone_number: str) -> str:
    """The gateway's `phoneNumber` in E.164, remembered: a session sends the same number on every
    hop, and phonenumbers' parse + validate + format was 6 % of a hop's CPU (py-spy, bench/).
    A refusal raises `HttpError` and is not remembered."""
    return e164(phone_number, "phoneNumber")


def text_key(settings: Settings) -> bytes:
    """The key of the digest USSD keeps of the session's `text` (see `ussd_session.digest`)."""
    return _derived(settings.secret_key.get_secret_value())


@functools.lru_cache(maxsize=4)
def _derived(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"arogya:ussd:text", hashlib.sha256).digest()


def _check_secret(request: web.Request, settings: Settings) -> None:
    if settings.ussd_secret is None:
        if development_caller(request, settings):
            return  # the quick start on this machine (webhooks.guard)
        raise closed("/ussd", "ussd.closed", "AROGYA_USSD_SECRET")
    expected = settings.ussd_secret.get_secret_value()
    given = request.headers.get(SECRET_HEADER) or request.query.get("secret")
    if not same_secret(given, expected):
        raise HttpError(403, "ussd.forbidden", "missing or wrong USSD shared secret")


class Caller:
    """Who dials, for the language of a new session (see `webhooks.ussd_language`)."""

    def __init__(self, services: Services | None, phone: str, network: str) -> None:
        self.services = services
        self.phone = phone
        self.network = network


class Hop:
    """One request of one USSD session, inside the held conversation."""

    #: The caller, when known: the language of a new session follows their stored language or
    #: their network's circle, and a language they switch to is stored with their ABHA.
    caller: Caller | None = None

    def __init__(
        self,
        convo: Session[Any],
        pager: Pager,
        session_id: str,
        key: bytes = b"",
    ) -> None:
        self.convo = convo
        self.pager = pager
        self.session_id = session_id
        self.key = key

    async def answer(self, text: str) -> str:
        raw = self.convo.channel.get(CHANNEL)
        session = None
        if isinstance(raw, dict) and raw.get("sid") == self.session_id:
            session = UssdSession.from_json(raw, self.key)
        if session is None:
            carried = at_wire.dial_shortcut(text)
            if carried is None:  # a session we do not know claims typed inputs: expired
                return "END " + self.pager.translate("engine.session_expired", self.convo.lang)
            session = UssdSession.dialled(self.session_id, text, self.key)
            fresh = self.convo.fresh
            with held.remembered():  # the dial writes nothing: one read of the caller's ABHAs
                lang = await self._dial_language()
                dialled = Input(new_session=True, session_id=self.session_id, lang=lang)
                await self._converse(session, dialled)
            if fresh and lang is None and self.caller is not None and not carried:
                # A first caller of unknown circle: "Language / भाषा" first, which a Hindi
                # reader can read (UCS-2, within one page), rather than an English menu.
                ask = Input(text="language", session_id=self.session_id)
                await self._converse(session, ask)
            for carried_input in carried:  # `*384*2222*1#`: the inputs the dial string carries
                await self._converse(session, Input(text=carried_input, session_id=self.session_id))
        elif not session.is_repeat(text):
            newest = session.newest_input(text)
            if newest is None:  # out of step with us: the last `*` part is the best guess
                log.warning("USSD %s: text does not extend the last one", self.session_id)
                newest = text.rsplit("*", 1)[-1]
            session.consume(text)
            turned = self.pager.turn(newest, session.reply, session.page)
            if turned is None:
                await self._converse(session, Input(text=newest, session_id=self.session_id))
            else:
                session.page = turned.number
        self.convo.channel[CHANNEL] = session.to_json()
        await self._keep_language()
        return self._body(session)

    async def _dial_language(self) -> str | None:
        """The stored language of the caller's ABHA, else their circle's for a new caller."""
        self.convo.channel.pop(STORED, None)
        if self.caller is None:
            return None
        stored = await stored_language(self.caller.services, self.caller.phone)
        if stored is not None:
            self.convo.channel[STORED] = stored
        return dial_language(stored, self.caller.network, fresh=self.convo.fresh)

    async def _keep_language(self) -> None:
        """A holder who switched language during the session has it stored for next time."""
        stored = self.convo.channel.get(STORED)
        if self.caller is None or not isinstance(stored, str) or stored == self.convo.lang:
            return
        caller = self.caller
        if await remember_choice(caller.services, caller.phone, stored, self.convo.lang):
            self.convo.channel[STORED] = self.convo.lang

    async def _converse(self, session: UssdSession, answer: Input) -> None:
        handled = await self.convo.handle(answer)
        session.reply = handled.reply.to_json()
        session.page = 0

    def _body(self, session: UssdSession) -> str:
        reply = Reply.from_json(session.reply)
        if reply.silent:
            return "END "
        page = self.pager.page(reply, session.page)
        return ("END " if reply.end and page.last else "CON ") + page.text
