"""`ConsentService`: the consent manager's one door (see docs/core-api.md, "Consent").

    requested = await consent.request(hiu, ask)                  # a HIU asks (partner API)
    await consent.grant(abha, requested.request.code, "4826", channel="ussd")
    page = await consent.fetch(hiu, artefact_id)                 # records leave, audited
    await consent.revoke(abha, code, "4826", channel="sms")      # the next fetch is refused

The methods live in four mixins, one idea each: a HIU asking (`RequestSteps`), a person
answering (`AnswerSteps`), records leaving under an artefact and who saw them (`AccessSteps`),
and time running out (`SweepSteps`). Who may see what is decided in one module,
`core.consent.scope`.
"""

from __future__ import annotations

import random

from core.audit.service import AuditLog
from core.channels.service import ChannelService
from core.clock import Clock
from core.consent.access import AccessSteps
from core.consent.answers import AnswerSteps
from core.consent.callbacks import CallbackOutbox
from core.consent.erasure import ErasureSteps
from core.consent.requests import Requested, RequestSteps
from core.consent.signing import signer_from_settings
from core.consent.sweeper import SweepSteps
from core.healthid.service import HealthIdService
from core.notify.service import Notifier
from core.professionals.service import ProfessionalService
from core.records.service import RecordService
from core.settings import Settings

__all__ = ["ConsentService", "Requested", "build_consent"]


class ConsentService(RequestSteps, AnswerSteps, AccessSteps, SweepSteps, ErasureSteps):
    async def close(self) -> None:
        """Release the callback outbox's HTTP client."""
        await self.callbacks.close()


def build_consent(
    settings: Settings,
    clock: Clock,
    rng: random.Random,
    audit: AuditLog,
    *,
    healthid: HealthIdService,
    records: RecordService,
    professionals: ProfessionalService,
    notifier: Notifier,
    channels: ChannelService,
) -> ConsentService:
    """The service as `build_services` wires it: signing keys and callback limits from settings."""
    keys = settings.consent_signing_keys
    signer = signer_from_settings(
        keys.get_secret_value() if keys else None, settings.secret_key.get_secret_value()
    )
    callbacks = CallbackOutbox(
        clock,
        rng,
        signer,
        timeout_seconds=settings.consent_callback_timeout_seconds,
        max_attempts=settings.consent_callback_max_attempts,
        allow_loopback=settings.development,
    )
    return ConsentService(
        settings,
        clock,
        rng,
        audit,
        healthid=healthid,
        records=records,
        professionals=professionals,
        notifier=notifier,
        channels=channels,
        signer=signer,
        callbacks=callbacks,
    )
