"""A holder and their records on the running system, and what each record must say.

`FACTS` are clinical facts of each ABDM example bundle (names and values the bundle writes,
shown as written in both languages) and `WORDS` a label each summary says in each language: a
test that reads a record over a phone finds them in what the phone showed.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.clock import FrozenClock
from core.facilities.views import FacilityView
from core.healthid.views import PersonView
from core.records.fhir import parse_document
from core.records.summary import Summary, summarise
from core.records.views import RecordView
from core.services import Services
from testing.facilities import verified_facility
from testing.golden import Weighed
from testing.healthid import enrol_with_mobile, profile
from testing.linking import held_token
from testing.records import FIXTURES, PUSHABLE, VISIT, fixture
from tests.running import Running
from tests.webhooks.api.conftest import health_id
from tests.webhooks.journey_phones import PHONE, JourneySmsPhone, JourneyUssdPhone
from tests.webhooks.phones import UssdPhone

PIN = "4826"
MOBILE = "98765 43210"

#: Facts each summary must show, whatever the language: the bundle's own words.
FACTS: dict[str, tuple[str, ...]] = {
    "MAXRVH9999PrescriptionDoc20160805.json": ("dextromethorphan 90 mg", "Dr Manju Sengar"),
    "MAXLIVNO10DiagnosticReportDoc20190801.json": (
        "Triglyceride: 1.3 mmol/L",
        "Refer to Doctor. To be correlated with further study.",
    ),
    "MAXRVH1012OPConsultationDoc20190807.json": (
        "tramadol and paracetamol 500 mg",
        "Fever with bodyache",
    ),
    "OP_Consultation_fhir_bundle.json": (
        "Faroeze 200 mg oral tablet",
        "Lassa fever",
        "Diazepam",
        "ZN staining for AFB",
    ),
    "MAXRVH1003ImmunizationDoc20190801.json": ("Rotavirus Vaccine", "1XXYTZZ"),
    "MAXLIVNO99WellnessRecordDoc20190801.json": (
        "Systolic blood pressure 107 mmHg",
        "142 mg/dL",
        "Never smoked tobacco",
    ),
    "MAXLIVNO15DischargeSummaryDoc20161209.json": (
        "Coronary artery bypass grafting",
        "Bacterial infection due to Bacillus",
        "Penicillin G",
    ),
    "MAXLIVNO99HealthDocumentRecordDoc20190801.json": ("Surgical Pathology Report", "116 KB"),
}

#: One label per summary in each language: the reader's language, not the bundle's.
WORDS: dict[str, dict[str, str]] = {
    "MAXRVH9999PrescriptionDoc20160805.json": {"en": "Medicines:", "hi": "दवाइयाँ:"},
    "MAXLIVNO10DiagnosticReportDoc20190801.json": {"en": "Conclusion:", "hi": "निष्कर्ष:"},
    "MAXRVH1012OPConsultationDoc20190807.json": {"en": "Diagnosis:", "hi": "निदान"},
    "OP_Consultation_fhir_bundle.json": {"en": "Tests advised:", "hi": "करवाने को कहा है:"},
    "MAXRVH1003ImmunizationDoc20190801.json": {"en": "Vaccines given:", "hi": "लगाए गए टीके:"},
    "MAXLIVNO99WellnessRecordDoc20190801.json": {"en": "Lifestyle:", "hi": "जीवनशैली:"},
    "MAXLIVNO15DischargeSummaryDoc20161209.json": {
        "en": "Advice on discharge:",
        "hi": "छुट्टी के समय सलाह:",
    },
    "MAXLIVNO99HealthDocumentRecordDoc20190801.json": {
        "en": "Attached documents:",
        "hi": "साथ लगे दस्तावेज़:",
    },
}


@dataclass(frozen=True)
class Holder:
    person: PersonView
    #: Fixture file name -> the record stored from it.
    records: dict[str, RecordView]

    @property
    def abha(self) -> str:
        return self.person.abha_number.replace("-", "")


async def enrol_holder(
    services: Services, *, pin: str | None = PIN, lang: str = "en"
) -> PersonView:
    return await enrol_with_mobile(
        health_id(services), MOBILE, profile(), handle="sunita.devi", pin=pin, lang=lang
    )


async def push_every_fixture(
    services: Services, person: PersonView, facility: FacilityView | None = None
) -> dict[str, RecordView]:
    """Link a care context per example bundle and push the bundle, as a verified HIP does."""
    if facility is None:
        facility, _ = await verified_facility(services.facilities)
    return {
        name: await push(services, person, name, f"VISIT-{number}", facility)
        for number, name in enumerate(FIXTURES, 1)
    }


async def push(
    services: Services, person: PersonView, name: str, reference: str, facility: FacilityView
) -> RecordView:
    """One example bundle, pushed for `person` under a new care context `reference`."""
    token = await held_token(services.links, services.sms, facility, person)
    await services.records.link_care_context(
        facility,
        link_token=token,
        reference=reference,
        display=f"Visit {reference}",
        hi_type=PUSHABLE[name],
        date=VISIT,
    )
    return (await services.records.store_document(facility, reference, fixture(name))).record


def summary_of(name: str, lang: str) -> Summary:
    """The summary of a fixture, computed without opening (and auditing) a record."""
    raw = fixture(name)
    return summarise(parse_document(raw, max_bytes=len(raw)), lang)


def summary_lines(name: str, lang: str) -> list[str]:
    return summary_of(name, lang).lines()


class GatewayUssdPhone(UssdPhone):
    """A USSD phone whose sessions have ids as long as Africa's Talking's."""

    async def dial(self) -> list[str]:
        self.sessions += 1
        self.session_id = f"ATUid_{self.sessions:032x}"
        self.inputs = []
        return [await self.post("")]


async def phone_on(channel: str, running: Running, clock: FrozenClock) -> Weighed:
    """A journey phone on `channel`, weighed after every hop, that has read its SMS so far (the
    enrolment's OTP is not part of a records journey)."""
    phone: JourneyUssdPhone | JourneySmsPhone
    if channel == "ussd":
        phone = JourneyUssdPhone(running.client, running.services, clock)
        phone.ussd = GatewayUssdPhone(running.client, clock, PHONE)
    else:
        phone = JourneySmsPhone(running.client, running.services, clock)
    await phone.inbox.new(replies=True)
    return Weighed(phone, running.services.state, f"conv:{channel}:{PHONE}")
