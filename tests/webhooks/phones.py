"""Phones that speak to the real HTTP endpoints, as a gateway would on a person's behalf.

`UssdPhone` posts Africa's Talking callbacks (cumulative `text`) and checks every page against
its budget; `SmsPhone` posts Twilio webhooks (signed when a token is given) or the JSON form,
and returns the SMS the outbox port sent back. Both satisfy `testing.golden.Phone`, so the Health
ID transcripts can reuse them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.test_utils import TestClient

from core.clock import FrozenClock
from webhooks.pager import PageBudget
from webhooks.sms import twilio_signature

Client = TestClient[web.Request, web.Application]


@dataclass(frozen=True, slots=True)
class SentSms:
    to: str
    text: str
    lang: str
    template_key: str


@dataclass
class RecordingSms:
    """The SMS port's fake: keeps what would have gone to the outbox; can be made to fail."""

    sent: list[SentSms] = field(default_factory=list)
    failing: bool = False

    async def send_text(self, to: str, text: str, *, lang: str, template_key: str) -> str:
        if self.failing:
            raise ConnectionError("outbox database unreachable")
        self.sent.append(SentSms(to, text, lang, template_key))
        return f"outbox-{len(self.sent)}"

    def texts_to(self, phone: str) -> list[str]:
        return [sms.text for sms in self.sent if sms.to == phone]


#: A network whose circle speaks English (Airtel Karnataka): a caller with no stored language
#: starts in English there. HINDI_CIRCLE (Airtel Delhi) starts in Hindi.
ENGLISH_CIRCLE = "40445"
HINDI_CIRCLE = "40410"


class UssdPhone:
    def __init__(
        self,
        client: Client,
        clock: FrozenClock,
        phone: str = "+919876543210",
        budget: PageBudget | None = None,
        secret: str | None = None,
        network: str = ENGLISH_CIRCLE,
    ) -> None:
        self.client = client
        self.clock = clock
        self.phone = phone
        self.network = network
        self.budget = budget or PageBudget()
        self.secret = secret
        self.sessions = 0
        self.session_id = ""
        self.inputs: list[str] = []

    async def dial(self) -> list[str]:
        self.sessions += 1
        self.session_id = f"ATUid_{self.phone[-4:]}_{self.sessions}"
        self.inputs = []
        return [await self.post("")]

    async def send(self, text: str) -> list[str]:
        self.inputs.append(text)
        return [await self.post("*".join(self.inputs))]

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    async def post(self, text: str) -> str:
        form = {
            "sessionId": self.session_id,
            "serviceCode": "*384*14#",
            "phoneNumber": self.phone,
            "networkCode": self.network,
            "text": text,
        }
        headers = {"X-Ussd-Secret": self.secret} if self.secret else {}
        response = await self.client.post("/ussd", data=form, headers=headers)
        body = await response.text()
        assert response.status == 200, body
        assert response.content_type == "text/plain"
        assert body.startswith(("CON ", "END ")), body
        assert self.budget.fits(body[4:]), f"page over budget: {body!r}"
        return body


class SmsPhone:
    def __init__(
        self,
        client: Client,
        outbox: RecordingSms,
        clock: FrozenClock,
        phone: str = "+919876543210",
        *,
        route: str = "twilio",
        twilio_token: str | None = None,
        api_token: str | None = None,
    ) -> None:
        self.client = client
        self.outbox = outbox
        self.clock = clock
        self.phone = phone
        self.route = route
        self.twilio_token = twilio_token
        self.api_token = api_token
        self.count = 0

    async def dial(self) -> list[str]:
        raise AssertionError("SMS has no sessions to dial")

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    async def send(self, text: str) -> list[str]:
        before = len(self.outbox.sent)
        self.count += 1
        if self.route == "twilio":
            await self.post_twilio(text, f"SM{self.phone[-4:]}{self.count:028d}")
        else:
            await self.post_json(text, f"msg-{self.count}")
        return [sms.text for sms in self.outbox.sent[before:] if sms.to == self.phone]

    async def post_twilio(self, text: str, sid: str) -> None:
        form = {
            "MessageSid": sid,
            "AccountSid": "AC" + "0" * 32,
            "From": self.phone,
            "To": "+15005550006",
            "Body": text,
        }
        headers = {}
        if self.twilio_token:
            url = str(self.client.make_url("/sms/twilio"))
            headers["X-Twilio-Signature"] = twilio_signature(self.twilio_token, url, form.items())
        response = await self.client.post("/sms/twilio", data=form, headers=headers)
        body = await response.text()
        assert response.status == 200, body
        assert response.content_type == "text/xml"

    async def post_json(self, text: str, message_id: str) -> None:
        payload = {"id": message_id, "from": self.phone, "to": "56161", "text": text}
        headers = {"Authorization": f"Bearer {self.api_token}"}
        response = await self.client.post("/sms", json=payload, headers=headers)
        assert response.status == 200, await response.text()
