"""`ProfessionalService`: the HPR ("Digi Doctor") registry's one entry point.

A doctor proves their mobile with an OTP (`start_mobile_verification`, `verify_mobile`, or the
caller's own `OtpService` calls with purpose `MOBILE_OTP_PURPOSE`), then `register`s with the id
of that verified transaction. The registry checks the proof itself (right purpose, used, same
mobile, recent, never used for another registration), so no channel can skip it by asserting
"verified". The registration waits (PENDING) until an officer of its council verifies or rejects
it (`core.professionals.decisions`); only VERIFIED doctors are searchable or may request consent.

Example (a test or the partner API):

    ticket = await registry.start_mobile_verification("+919876543210", "en")
    await registry.verify_mobile(ticket.txn_id, "123456")
    doctor = await registry.register(application, mobile_txn_id=ticket.txn_id,
                                     channel="api", actor="partner:IN0000000001")
"""

from __future__ import annotations

import random
from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.audit.service import AuditLog
from core.clock import Clock
from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.healthid import mobile as mobiles
from core.otp.models import OtpStatus
from core.otp.service import OtpService, OtpTicket
from core.professionals import decisions
from core.professionals.application import Application, clean, clean_registration_number
from core.professionals.councils import parse_council
from core.professionals.hfr import HfrDirectory
from core.professionals.identifiers import generate_hpr_id, handle_candidates, parse_hpr_id
from core.professionals.models import PlaceOfWork, Professional, ProfessionalStatus
from core.professionals.officers import Decider, OfficerAccounts
from core.professionals.ports import FacilityCard, FacilityDirectory, Notifier
from core.professionals.queries import page_bounds, views_of
from core.professionals.search import find_doctors
from core.professionals.sessions import OfficerSessions
from core.professionals.views import DoctorListing, Page, ProfessionalView, view_of
from core.settings import Settings
from core.state import StateStore

MOBILE_OTP_PURPOSE = "hpr.mobile"
#: How long after the OTP was verified its transaction still proves the mobile.
MOBILE_PROOF_WINDOW = timedelta(minutes=30)
_ID_ATTEMPTS = 5


class ProfessionalService:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        rng: random.Random,
        otp: OtpService,
        audit: AuditLog,
        *,
        notifier: Notifier,
        facilities: FacilityDirectory | None = None,
        state: StateStore | None = None,
    ) -> None:
        self._clock = clock
        self._rng = rng
        self._otp = otp
        self._audit = audit
        self._facilities = facilities or HfrDirectory()
        #: Officer accounts and console sessions; passwords have their own (unkeyed) cost.
        #: Sign-in strikes in `state` (the shared store; an in-process one when not given).
        self.officers = OfficerAccounts(
            clock,
            rng,
            audit,
            state=state,
            hash_cost=settings.password_hash_cost,
            failures_per_source=settings.council_sign_in_failures_per_source,
        )
        self.sessions = OfficerSessions(clock, rng)
        self.decisions = decisions.CouncilDecisions(clock, audit, notifier)

    # -- mobile proof ------------------------------------------------------------------------

    async def start_mobile_verification(self, mobile: str, lang: str) -> OtpTicket:
        """Send the OTP that proves `mobile`. Errors: `mobile.invalid`, `otp.locked`,
        `otp.rate_limited`."""
        return await self._otp.start(
            mobiles.parse(mobile), MOBILE_OTP_PURPOSE, lang, message_key="sms.otp.hpr"
        )

    async def verify_mobile(self, txn_id: str, code: str) -> OtpTicket:
        """Check the code; the transaction id then proves the mobile for `register`."""
        return await self._otp.verify(txn_id, code)

    async def _check_mobile_proof(self, txn_id: str, mobile: str) -> None:
        txn = await self._otp.find(txn_id)
        fresh_after = self._clock.now() - MOBILE_PROOF_WINDOW
        if (
            txn is None
            or txn.purpose != MOBILE_OTP_PURPOSE
            or txn.status is not OtpStatus.USED
            or txn.mobile != mobile
            or txn.verified_at is None
            or txn.verified_at < fresh_after
        ):
            raise Forbidden("hpr.mobile_unverified")
        if await Professional.exists(mobile_txn_id=txn_id):
            raise Conflict("hpr.mobile_proof_used")

    # -- registration ------------------------------------------------------------------------

    async def register(
        self, application: Application, *, mobile_txn_id: str, channel: str, actor: str
    ) -> ProfessionalView:
        """A new PENDING registration. Errors: `hpr.invalid` (field), `hpr.council_unknown`,
        `mobile.invalid`, `hpr.mobile_unverified`, `hpr.mobile_proof_used`,
        `hpr.facility_unknown` (facility_id), `hpr.duplicate_registration`, `hpr.handle_taken`.
        """
        app = clean(application, self._clock.now().date())
        await self._check_mobile_proof(mobile_txn_id, app.mobile)
        missing = await self._facilities.missing(app.facility_ids)
        if missing:
            raise InvalidInput("hpr.facility_unknown", facility_id=missing[0])
        for _ in range(_ID_ATTEMPTS):
            await self._refuse_duplicates(app, mobile_txn_id)
            handle = app.handle or await self._free_handle(app.name)
            try:
                return await self._insert(app, handle, mobile_txn_id, channel, actor)
            except IntegrityError:
                continue  # a racing registration, or a rare random id collision: look again
        raise Conflict("hpr.duplicate_registration")

    async def _refuse_duplicates(self, app: Application, mobile_txn_id: str) -> None:
        if await Professional.exists(
            council=app.council, registration_number=app.registration_number
        ):
            raise Conflict("hpr.duplicate_registration")
        if await Professional.exists(mobile_txn_id=mobile_txn_id):
            raise Conflict("hpr.mobile_proof_used")
        if app.handle and await Professional.exists(handle=app.handle):
            raise Conflict("hpr.handle_taken", handle=app.handle)

    async def _free_handle(self, name: str) -> str:
        candidates = handle_candidates(name, self._rng)
        rows = await Professional.filter(handle__in=candidates).values("handle")
        taken = {row["handle"] for row in rows}
        free = [handle for handle in candidates if handle not in taken]
        return free[0] if free else handle_candidates(name, self._rng, count=12)[-1]

    async def _insert(
        self, app: Application, handle: str, txn_id: str, channel: str, actor: str
    ) -> ProfessionalView:
        now = self._clock.now()
        async with in_transaction():
            row = await Professional.create(
                hpr_id=generate_hpr_id(self._rng),
                handle=handle,
                name=app.name,
                mobile=app.mobile,
                mobile_txn_id=txn_id,
                email=app.email,
                council=app.council,
                registration_number=app.registration_number,
                registration_year=app.registration_year,
                qualifications=[
                    {
                        "degree": q.degree,
                        "institution": q.institution,
                        "university": q.university,
                        "year": q.year,
                    }
                    for q in app.qualifications
                ],
                specialisation=app.specialisation,
                system_of_medicine=app.system_of_medicine,
                years_of_experience=app.years_of_experience,
                language=app.language,
                notify_channel=app.notify_channel,
                notify_address=app.notify_address or app.mobile,
                registered_channel=channel,
                registered_by=actor,
                created_at=now,
                updated_at=now,
            )
            for position, facility_id in enumerate(app.facility_ids):
                await PlaceOfWork.create(
                    professional=row, facility_id=facility_id, position=position
                )
            await self._audit.record(
                "hpr.registered",
                actor=actor,
                subject=row.hpr_id,
                channel=channel,
                detail={"council": row.council},
            )
        return view_of(row, app.facility_ids)

    # -- reading -----------------------------------------------------------------------------

    async def get(self, hpr_id: str) -> ProfessionalView:
        """Errors: `hpr.not_found`."""
        row = await Professional.get_or_none(hpr_id=parse_hpr_id(hpr_id))
        if row is None:
            raise NotFound("hpr.not_found")
        return (await views_of([row]))[0]

    async def get_for_council(self, hpr_id: str, council: str) -> ProfessionalView:
        """Like `get`, but another council's registration is `hpr.not_found`: an officer must
        not even learn that it exists."""
        view = await self.get(hpr_id)
        if view.council != council:
            raise NotFound("hpr.not_found")
        return view

    async def by_mobile(self, mobile: str) -> list[ProfessionalView]:
        """Every registration made with this (E.164) mobile, oldest first."""
        return list(await views_of(await Professional.filter(mobile=mobile).order_by("id")))

    async def by_registration(self, council: str, registration_number: str) -> ProfessionalView:
        """Errors: `hpr.council_unknown`, `hpr.invalid`, `hpr.not_found`."""
        row = await Professional.get_or_none(
            council=parse_council(council),
            registration_number=clean_registration_number(registration_number),
        )
        if row is None:
            raise NotFound("hpr.not_found")
        return (await views_of([row]))[0]

    async def is_verified_requester(self, council: str, registration_number: str) -> bool:
        """True only for a VERIFIED doctor: the consent manager's check on a requester."""
        try:
            view = await self.by_registration(council, registration_number)
        except (InvalidInput, NotFound):
            return False
        return view.status is ProfessionalStatus.VERIFIED

    async def requester_at(
        self, council: str, registration_number: str, facility_id: str
    ) -> ProfessionalView:
        """The VERIFIED doctor a consent request names, if they work at the asking facility.

        Why: the person decides on the name the notice shows, so it must be the registry's (a
        HIU's free text could say anyone), and a facility may ask only in the name of its own
        doctors. Errors: `consent.requester_not_verified`, `consent.requester_not_at_hiu`.
        """
        try:
            view = await self.by_registration(council, registration_number)
        except (InvalidInput, NotFound):
            raise Forbidden("consent.requester_not_verified") from None
        if view.status is not ProfessionalStatus.VERIFIED:
            raise Forbidden("consent.requester_not_verified")
        if facility_id not in view.facility_ids:
            raise Forbidden("consent.requester_not_at_hiu")
        return view

    async def pending(
        self, council: str, *, page: int = 1, per_page: int = 20
    ) -> Page[ProfessionalView]:
        """A council's queue, oldest registration first."""
        offset, limit = page_bounds(page, per_page)
        query = Professional.filter(council=council, status=ProfessionalStatus.PENDING)
        rows = await query.order_by("created_at", "id").offset(offset).limit(limit)
        return Page(await views_of(rows), page, per_page, await query.count())

    async def history(
        self, council: str, *, page: int = 1, per_page: int = 20
    ) -> Page[ProfessionalView]:
        """A council's decisions, newest first."""
        offset, limit = page_bounds(page, per_page)
        query = Professional.filter(
            council=council,
            status__in=[ProfessionalStatus.VERIFIED, ProfessionalStatus.REJECTED],
        )
        rows = await query.order_by("-decided_at", "-id").offset(offset).limit(limit)
        return Page(await views_of(rows), page, per_page, await query.count())

    # -- decisions ---------------------------------------------------------------------------

    async def verify(self, hpr_id: str, officer: Decider, *, channel: str) -> ProfessionalView:
        """Errors: `hpr.not_found`, `hpr.other_council`, `hpr.already_decided`."""
        row = await self.decisions.decide(parse_hpr_id(hpr_id), officer, None, channel=channel)
        return (await views_of([row]))[0]

    async def reject(
        self, hpr_id: str, officer: Decider, reason: str, *, channel: str
    ) -> ProfessionalView:
        """Errors: as `verify`, and `hpr.invalid` (field reason) for a missing reason."""
        row = await self.decisions.decide(parse_hpr_id(hpr_id), officer, reason, channel=channel)
        return (await views_of([row]))[0]

    # -- find a doctor -----------------------------------------------------------------------

    async def search(
        self,
        specialisation: str,
        *,
        district: int | None = None,
        pincode: str | None = None,
        page: int = 1,
        per_page: int = 5,
    ) -> Page[DoctorListing]:
        """VERIFIED doctors of a specialisation at VERIFIED facilities in a district (LGD
        code) or PIN code area; see `core.professionals.search`."""
        return await find_doctors(
            self._facilities,
            specialisation,
            district=district,
            pincode=pincode,
            page=page,
            per_page=per_page,
        )

    async def places_of(self, doctor: ProfessionalView) -> list[tuple[str, FacilityCard | None]]:
        """A doctor's places of work in order, with the HFR card of each VERIFIED one."""
        cards = await self._facilities.cards(doctor.facility_ids)
        return [(facility_id, cards.get(facility_id)) for facility_id in doctor.facility_ids]
