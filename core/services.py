"""The container of core services, built once by the composition root (or a test).

Why a container: flows reach the world only through core services handed to them
(docs/design.md §3); passing one typed object keeps every dependency explicit without
module-level globals.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

from core.audit.service import AuditLog
from core.channels.service import ChannelService
from core.clock import Clock, SystemClock, system_random
from core.consent.service import ConsentService, build_consent
from core.facilities.service import FacilityService
from core.healthid.aadhaar_gateway import AadhaarGateway, SandboxAadhaarGateway
from core.healthid.service import HealthIdService
from core.healthid.welcome import Welcome
from core.identity.port import build_registry
from core.leaving.hip_notices import HipNoticeOutbox
from core.leaving.service import LeaveService
from core.notify.service import Notifier
from core.otp.service import OtpService
from core.professionals.service import ProfessionalService
from core.records.link_notice import LinkChats
from core.records.linking import LinkService
from core.records.notices import NoticeBudget
from core.records.service import RecordService
from core.records.vault import keyring_from_settings
from core.settings import Settings
from core.sms.adapters import OUTBOUND_ADAPTERS
from core.sms.gateways import HttpGateway, LogGateway, SmsGateway
from core.sms.outbox import SmsService
from core.state import StateStore
from core.state.memory import MemoryStateStore
from core.workers.assisted import AssistedEnrolments
from core.workers.service import WorkerService


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    clock: Clock
    rng: random.Random
    state: StateStore
    sms: SmsService
    otp: OtpService
    audit: AuditLog
    aadhaar: AadhaarGateway
    #: The identity port (core.identity.port): embedded, or the abdm adapter, a subclass.
    healthid: HealthIdService
    facilities: FacilityService
    records: RecordService
    #: Link tokens: the person's say-so before a facility links visits to their ABHA.
    links: LinkService
    #: How many notices one facility may make a person receive in a day (the rest withheld).
    notices: NoticeBudget
    notifier: Notifier
    professionals: ProfessionalService
    #: Chats (Telegram) tied to a verified mobile, and the language each chose.
    channels: ChannelService
    #: Consent requests, grants, artefacts and the records they release.
    consent: ConsentService
    #: What follows a new Health ID: the welcome SMS, and the chat it was created in tied to it.
    welcome: Welcome
    #: Health workers (ASHA, ANM, CHO), their officers, and what they enrol for others.
    workers: WorkerService
    #: Deactivate, reactivate, delete (PIN + OTP), and the purge after a deletion's grace period.
    leaving: LeaveService


def open_state_store(settings: Settings) -> StateStore:
    """Redis when REDIS_URL is set (shared by N processes), else in-process (embedded)."""
    if settings.redis_url:
        from core.state.redis import RedisStateStore

        return RedisStateStore.from_url(
            settings.redis_url, max_connections=settings.redis_max_connections
        )
    return MemoryStateStore()


@asynccontextmanager
async def build_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    state: StateStore | None = None,
    sms_gateway: SmsGateway | None = None,
) -> AsyncIterator[Services]:
    """Wire every core service; storage must already be initialised (core.storage)."""
    clock = clock or SystemClock()
    rng = rng or system_random()
    async with AsyncExitStack() as stack:
        if state is None:
            state = open_state_store(settings)
            stack.push_async_callback(state.close)
        if sms_gateway is None:
            if settings.sms_gateway == "http":
                http_gateway = HttpGateway(settings)
                stack.push_async_callback(http_gateway.close)
                sms_gateway = http_gateway
            elif settings.sms_gateway in OUTBOUND_ADAPTERS:
                adapter = OUTBOUND_ADAPTERS[settings.sms_gateway](settings)
                stack.push_async_callback(adapter.close)
                sms_gateway = adapter
            else:
                sms_gateway = LogGateway()
        sms = SmsService(settings, clock, sms_gateway, rng, max_attempts=settings.sms_max_attempts)
        otp = OtpService(settings, clock, rng, sms, state=state)
        await otp.prepare()  # once per process, not once per OTP
        audit = AuditLog(clock)
        aadhaar = SandboxAadhaarGateway(otp)
        # The identity port's adapter: embedded (default) or abdm (AROGYA_REGISTRY).
        healthid = build_registry(settings, clock, rng, otp, aadhaar, audit, state)
        stack.push_async_callback(healthid.close)
        secret = settings.secret_key.get_secret_value()
        records_keys = settings.records_keys.get_secret_value() if settings.records_keys else None
        notices = NoticeBudget(
            secret, state, audit, clock, per_day=settings.notices_per_facility_per_day
        )
        notifier = Notifier(clock, rng)
        channels = ChannelService(
            clock, audit, idle=timedelta(days=settings.channel_link_idle_days)
        )
        links = LinkService(
            secret,
            clock,
            rng,
            state,
            sms,
            notices,
            chats=LinkChats(channels, notifier),
            audit=audit,
            abha_address_suffix=settings.abha_address_suffix,
        )
        records = RecordService(
            clock,
            rng,
            audit,
            keyring_from_settings(records_keys, secret),
            links,
            digest_secret=secret,
            max_bundle_bytes=settings.records_max_bundle_bytes,
            abha_address_suffix=settings.abha_address_suffix,
        )
        professionals = ProfessionalService(
            settings, clock, rng, otp, audit, notifier=notifier, state=state
        )
        consent = build_consent(
            settings,
            clock,
            rng,
            audit,
            healthid=healthid,
            records=records,
            professionals=professionals,
            notifier=notifier,
            channels=channels,
        )
        stack.push_async_callback(consent.close)
        hip_notices = HipNoticeOutbox(
            clock,
            rng,
            consent.signer,
            timeout_seconds=settings.consent_callback_timeout_seconds,
            max_attempts=settings.consent_callback_max_attempts,
            allow_loopback=settings.development,
        )
        stack.push_async_callback(hip_notices.close)
        facilities = FacilityService(clock, rng, audit, development=settings.development)
        workers = WorkerService(
            clock,
            rng,
            otp,
            audit,
            facilities,
            sms,
            AssistedEnrolments(settings, clock, rng, audit, sms, healthid),
            officer_hash_cost=settings.password_hash_cost,
        )
        yield Services(
            settings=settings,
            clock=clock,
            rng=rng,
            state=state,
            sms=sms,
            otp=otp,
            audit=audit,
            aadhaar=aadhaar,
            healthid=healthid,
            facilities=facilities,
            records=records,
            links=links,
            notices=notices,
            notifier=notifier,
            professionals=professionals,
            channels=channels,
            consent=consent,
            welcome=Welcome(sms, channels),
            workers=workers,
            leaving=LeaveService(
                clock,
                otp,
                sms,
                audit,
                healthid,
                consent,
                hip_notices,
                disown_window_days=settings.disown_window_days,
                national=settings.registry == "abdm",
            ),
        )
