"""Done when: on USSD in Hindi, a person gets an ABHA number issued by (loopback) ABDM.

The journey is the same conversation the embedded registry runs (tests/golden/healthid/
ussd_aadhaar_short_hi.json: a caller on a Hindi circle, Hindi from the first page, a one-screen
consent, no "this number?"); only who issues the number differs, and the Aadhaar OTP comes from
UIDAI through ABDM (the fake's sink) instead of Arogya's own SMS.
"""

from __future__ import annotations

from core.clock import FrozenClock
from core.healthid import numbers
from core.healthid.models import Kyc, Person
from core.identity.port import IdentityRegistry
from core.services import build_services
from tests.conftest import make_settings
from tests.webhooks.abdm.conftest import AADHAAR, Abdm, AbdmUssdPhone, Running
from tests.webhooks.phones import HINDI_CIRCLE

# Create, with Aadhaar, consent (1. हाँ), the Aadhaar (Devanagari digits), the OTP, the first
# suggested address, the PIN twice, create. JOURNEY[:4] ends on the Aadhaar OTP question.
JOURNEY = ("1", "1", "1", "९९९९९९९९००२६", "{otp}", "1", "4826", "4826", "1")


def hindi_phone(running: Running, abdm: Abdm, clock: FrozenClock) -> AbdmUssdPhone:
    """A first-time caller on Airtel Delhi: the circle makes the session Hindi from the dial."""
    return AbdmUssdPhone(running, abdm, clock, network=HINDI_CIRCLE)


async def enrol(phone: AbdmUssdPhone) -> list[str]:
    pages = [await phone.dial()]
    for text in JOURNEY:
        pages.append(await phone.send(text))
    return pages


async def test_hindi_ussd_enrolment_gets_the_number_abdm_issued(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    pages = await enrol(hindi_phone(running, abdm, clock))
    assert pages[0].startswith("CON आरोग्य – आभा\n1. आभा कार्ड बनाएँ")  # Hindi from the dial
    assert pages[2].startswith("CON आधार से आभा बनाने और OTP से जाँच के लिए सहमत हैं?\n1. हाँ")
    assert pages[4] == (
        "CON आधार XXXX-XXXX-0026: OTP भेजा।\n******3210 पर आया OTP लिखें\n1. OTP फिर भेजें"
    )
    assert pages[5] == (  # "type my own" on the same screen: two suggestions on a phone
        "CON आभा पता चुनें:\n1. suniljoshi1954@sbx\n2. sunil.joshi54@sbx\n3. खुद लिखें"
    )
    assert pages[8].startswith("CON क्या यह सही है? Sunil Joshi, जन्म 09-05-1954")
    issued = abdm.fake.people.abha_of(AADHAAR)
    assert issued is not None
    assert issued.addresses == ["suniljoshi1954@sbx"]
    assert issued.mobile == "9876543210"  # the Aadhaar-linked mobile: linked at once
    assert pages[-1] == f"END आभा तैयार! आभा नंबर {issued.number}, आभा पता suniljoshi1954@sbx"
    # The local mirror that records and consent stand on: ABDM's number, KYC verified.
    mirror = await Person.get(abha_number=numbers.compact(issued.number))
    assert (mirror.kyc, mirror.address, mirror.mobile) == (
        Kyc.VERIFIED, "suniljoshi1954@sbx", "+919876543210")  # fmt: skip
    assert mirror.pin_hash is not None
    assert mirror.aadhaar_last4 == "0026"
    # The wire: one gateway session for the whole journey, every ABDM step called once.
    assert abdm.fake.sessions == 1
    paths = [path.removeprefix("/abha/api/v3") for path in abdm.fake.calls]
    assert paths == [
        "/api/hiecm/gateway/v3/sessions", "/profile/public/certificate",
        "/enrollment/request/otp", "/enrollment/enrol/byAadhaar",
        "/enrollment/enrol/suggestion", "/enrollment/enrol/abha-address",
    ]  # fmt: skip


async def test_the_same_aadhaar_again_is_offered_its_abha_not_given_a_second(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    await enrol(hindi_phone(running, abdm, clock))
    again = hindi_phone(running, abdm, clock)
    pages = [await again.dial()]
    for text in ("1", "1", "1", "999999990026", "{otp}"):
        pages.append(await again.send(text))
    issued = abdm.fake.people.abha_of(AADHAAR)
    assert issued is not None
    assert len(abdm.fake.people.abhas) == 1
    assert issued.number in pages[-1]


async def test_embedded_is_the_default_with_no_settings(db: str) -> None:
    async with build_services(make_settings()) as services:
        registry: IdentityRegistry = services.healthid  # both adapters satisfy the port
        assert type(registry).__name__ == "HealthIdService"


async def test_a_slow_abdm_is_said_in_hindi_and_the_person_carries_on(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    """ABDM answers after the timeout: "not answering, try again in a few minutes", the OTP
    question again; the retry (Aadhaar typed again: the used transaction is over) ends with
    the one ABHA ABDM made."""
    phone = hindi_phone(running, abdm, clock)
    await phone.dial()
    for text in JOURNEY[:4]:
        await phone.send(text)
    abdm.fake.delay["/abha/api/v3/enrollment/enrol/byAadhaar"] = 3.5
    slow = await phone.send("{otp}")
    assert slow.startswith("CON राष्ट्रीय आभा सेवा जवाब नहीं दे रही है।")
    del abdm.fake.delay["/abha/api/v3/enrollment/enrol/byAadhaar"]
    assert "आधार" in await phone.send("{otp}")  # the same code: type the Aadhaar again
    await phone.send("999999990026")
    pages = [await phone.send(text) for text in ("{otp}", "1", "4826", "4826", "1")]
    issued = abdm.fake.people.abha_of(AADHAAR)
    assert issued is not None
    assert len(abdm.fake.people.abhas) == 1
    assert pages[-1].startswith(f"END आभा तैयार! आभा नंबर {issued.number}")


async def test_send_again_for_the_aadhaar_otp_asks_for_the_aadhaar_again(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    """CRT_ABHA_106: ABDM has no resend call and Arogya never kept the Aadhaar, so "send
    again" asks for it; the new request's OTP then goes on as usual."""
    phone = hindi_phone(running, abdm, clock)
    await phone.dial()
    for text in JOURNEY[:4]:
        await phone.send(text)
    asked = await phone.send("1")  # 1. Send OTP again (on the OTP page)
    assert "आधार" in asked
    await phone.send("999999990026")
    assert abdm.fake.calls.count("/abha/api/v3/enrollment/request/otp") == 2
    assert (await phone.send("{otp}")).startswith("CON आभा पता चुनें:")


async def test_abdm_down_while_asking_for_the_address_is_said_and_the_otp_step_repeats(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    """The suggestions are fetched when the address question is asked; ABDM down then is said
    in Hindi, nothing is saved, and the same code typed again carries on (verified once)."""
    phone = hindi_phone(running, abdm, clock)
    await phone.dial()
    for text in JOURNEY[:4]:
        await phone.send(text)
    abdm.fake.fail_next["/abha/api/v3/enrollment/enrol/suggestion"] = (
        503,
        {"error": {"code": "ABDM-1019", "message": "Dependent Service Unavailable"}},
    )
    down = await phone.send("{otp}")
    assert down.startswith("CON राष्ट्रीय आभा सेवा जवाब नहीं दे रही है।")
    assert (await phone.send("{otp}")).startswith("CON आभा पता चुनें:")
    assert abdm.fake.calls.count("/abha/api/v3/enrollment/enrol/byAadhaar") == 1


async def test_mobile_only_is_refused_rather_than_a_number_that_works_nowhere(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    phone = hindi_phone(running, abdm, clock)
    await phone.dial()
    await phone.send("1")  # create
    refused = await phone.send("2")  # with mobile only: on USSD the caller's own, no question
    assert refused.startswith("CON राष्ट्रीय सेवा से आभा के लिए आधार चाहिए।")
    assert not await Person.exists()
    assert abdm.fake.calls == []
