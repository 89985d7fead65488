"""A small world for consent tests, built through the real services: a person with a PIN, a
verified doctor, verified facilities acting as HIUs and HIPs, and records dated where a test
wants them.

Why through the services: a consent is only as good as the records and registries it stands on,
so the records are pushed as FHIR documents (validated, sealed) and the doctor is verified by a
council officer, exactly as in production.

    world = World(services)
    person = await world.person()
    hiu = await world.facility("Sanjeevani Hospital", callback_url=None)
    record = await world.record(hip, person, HiType.PRESCRIPTION, date(2025, 3, 1))
    doctor = await world.doctor(works_at=[hiu])
    requested = await services.consent.request(hiu, world.ask(hiu, person))
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from core.consent.ask import ConsentAsk
from core.facilities.views import FacilityView
from core.healthid.views import PersonView
from core.records.hitypes import HiType
from core.records.views import RecordView
from core.services import Services
from testing.facilities import hospital_draft
from testing.healthid import HealthIdWiring, enrol_with_mobile, profile
from testing.linking import held_token
from testing.professionals import PASSWORD, application
from testing.records import ALL_FIXTURES, FIXTURE_DIR

PIN = "4826"
PHONE = "+919876543210"
#: The doctor of the ABDM fixture: "REGNO" MH1001 with the NMC (https://www.mciindia.org).
DOCTOR_COUNCIL = "NMC"
DOCTOR_NUMBER = "MH1001"
#: The world's doctor as the registry holds them: the name a consent notice shows.
DOCTOR_NAME = "Dr. Meera Iyer"
DOCTOR_SYSTEM = "https://www.mciindia.org"
ABDM_FIXTURE = FIXTURE_DIR.parent / "consent" / "consent-request.json"

#: One ABDM sample bundle per HI type, to be re-dated.
BUNDLE_OF: dict[HiType, str] = {}
for _name, _kind in ALL_FIXTURES.items():
    BUNDLE_OF.setdefault(_kind, _name)


def bundle(kind: HiType, day: date) -> bytes:
    """The ABDM sample document of `kind`, its Composition dated `day` (IST)."""
    data = json.loads((FIXTURE_DIR / BUNDLE_OF[kind]).read_text(encoding="utf-8"))
    data["entry"][0]["resource"]["date"] = f"{day.isoformat()}T10:00:00+05:30"
    return json.dumps(data).encode()


def health_wiring(services: Services) -> HealthIdWiring:
    from core.healthid.aadhaar_gateway import SandboxAadhaarGateway
    from core.healthid.drafts import DraftStore
    from core.sms.gateways import LogGateway

    assert isinstance(services.aadhaar, SandboxAadhaarGateway)
    return HealthIdWiring(
        services.healthid,
        services.otp,
        services.sms,
        LogGateway(),
        services.aadhaar,
        services.audit,
        DraftStore(services.state, services.settings.conversation_ttl_seconds),
    )


@dataclass
class World:
    services: Services

    def __post_init__(self) -> None:
        self._counter = itertools.count(1)

    async def person(
        self,
        mobile: str = PHONE,
        *,
        handle: str = "asha.devi91",
        first_name: str = "Asha",
        pin: str | None = PIN,
        lang: str = "en",
    ) -> PersonView:
        return await enrol_with_mobile(
            health_wiring(self.services),
            mobile,
            profile(first_name=first_name),
            handle=handle,
            pin=pin,
            lang=lang,
        )

    async def facility(self, name: str, *, callback_url: str | None = None) -> FacilityView:
        draft = hospital_draft(name=name, callback_url=callback_url)
        facilities = self.services.facilities
        registered = await facilities.register(draft, actor="cli", submit=True)
        await facilities.verify(registered.id, admin="admin:test")
        return await facilities.get(registered.id)

    async def record(
        self, hip: FacilityView, person: PersonView, kind: HiType, day: date
    ) -> RecordView:
        """One visit at `hip` on `day`, with its document of `kind` dated that day."""
        reference = f"V-{next(self._counter)}"
        records = self.services.records
        token = await held_token(self.services.links, self.services.sms, hip, person)
        await records.link_care_context(
            hip,
            link_token=token,
            reference=reference,
            display=f"Visit {reference}",
            hi_type=kind,
            date=day,
        )
        stored = await records.store_document(hip, reference, bundle(kind, day))
        return stored.record

    async def doctor(
        self,
        *,
        council: str = DOCTOR_COUNCIL,
        number: str = DOCTOR_NUMBER,
        mobile: str = "+919811112222",
        verified: bool = True,
        works_at: Sequence[FacilityView | str] = (),
        name: str = DOCTOR_NAME,
    ) -> str:
        """Register a doctor (mobile proved by OTP) and have the council verify them.

        A facility asks for consent only in the name of a doctor who works there
        (core.consent.requests), so a HIU's doctor names it in `works_at`."""
        registry = self.services.professionals
        ticket = await registry.start_mobile_verification(mobile, "en")
        otp = await last_sms_code(self.services, mobile)
        await registry.verify_mobile(ticket.txn_id, otp)
        places = tuple(f if isinstance(f, str) else f.id for f in works_at)
        app = application(
            mobile=mobile,
            council=council,
            registration_number=number,
            facility_ids=places,
            name=name,
        )
        doctor = await registry.register(
            app, mobile_txn_id=ticket.txn_id, channel="api", actor="partner:test"
        )
        if verified:
            officer = await registry.officers.create(
                council, f"{council.lower()}.{next(self._counter)}", PASSWORD
            )
            await registry.verify(doctor.hpr_id, officer, channel="web")
        return doctor.hpr_id


async def last_sms_code(services: Services, mobile: str) -> str:
    import re

    for row in reversed(await services.sms.sent_to(mobile)):
        found = re.search(r"\b(\d{6})\b", row.text)
        if found:
            return found.group(1)
    raise AssertionError(f"no code sent to {mobile}")


def ask(
    hiu: FacilityView,
    patient: str,
    *,
    ref: str = "req-1",
    hi_types: tuple[str, ...] = ("OPConsultation", "Prescription", "DiagnosticReport"),
    start: date = date(2024, 1, 1),
    end: date = date(2025, 12, 31),
    erase_at: datetime | None = None,
    purpose: str = "CAREMGT",
    **changes: Any,
) -> ConsentAsk:
    """A valid ask from `hiu` for `patient` (an ABHA number or address); change any field."""
    base = ConsentAsk(
        request_ref=ref,
        purpose=purpose,
        patient=patient,
        hiu_id=hiu.id,
        requester_name=DOCTOR_NAME,
        requester_type="REGNO",
        requester_number=DOCTOR_NUMBER,
        requester_system=DOCTOR_SYSTEM,
        hi_types=hi_types,
        access_mode="VIEW",
        date_from=datetime(start.year, start.month, start.day, tzinfo=UTC),
        date_to=datetime(end.year, end.month, end.day, tzinfo=UTC),
        erase_at=erase_at or datetime(2026, 6, 30, tzinfo=UTC),
        frequency_unit="HOUR",
        frequency_value=1,
        frequency_repeats=0,
        purpose_text="Care Management",
    )
    return replace(base, **changes)


def abdm_body(hiu_id: str, patient: str, **consent: Any) -> dict[str, Any]:
    """The ABDM fixture's body, for `hiu_id` and `patient`, with dates a frozen clock accepts."""
    body: dict[str, Any] = json.loads(ABDM_FIXTURE.read_text(encoding="utf-8"))
    body["consent"]["hiu"]["id"] = hiu_id
    body["consent"]["patient"]["id"] = patient
    body["consent"]["permission"]["dateRange"] = {
        "from": "2024-01-01T00:00:00.000Z",
        "to": "2025-12-31T00:00:00.000Z",
    }
    body["consent"]["permission"]["dataEraseAt"] = "2026-06-30T00:00:00.000Z"
    body["consent"].update(consent)
    return body


def day_after(moment: datetime, days: int) -> datetime:
    return moment + timedelta(days=days)
