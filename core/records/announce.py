"""Telling a holder that a facility has pushed a new record: "New record from <facility>", by
SMS to the ABHA's mobile (the feature phone's way to hear it) and in every Telegram chat that
proved that mobile. Queued through the notifier's outbox, once per record and recipient (an
idempotent repeat of the push tells nobody twice), and only within the facility's daily notice
budget for the person (core.records.notices): past it the record is stored and listed, and the
notice is withheld and audited instead of sent. The SMS goes once per facility and person in a
quiet window (`NoticeBudget.first_record_sms`): documents pushed back to back make one SMS, not
identical twins; a chat, where each message costs nothing, hears of each record."""

from __future__ import annotations

from core.channels.service import ChannelService
from core.healthid.service import HealthIdService
from core.notify.service import Notifier
from core.records.notices import NoticeBudget
from core.records.views import StoredRecord


async def announce_record(
    stored: StoredRecord,
    *,
    healthid: HealthIdService,
    channels: ChannelService,
    notifier: Notifier,
    notices: NoticeBudget,
) -> None:
    record = stored.record
    if record.facility_id is not None and not await notices.spend(
        record.facility_id, record.abha_number, kind="record", ref=record.id
    ):
        return
    params = {"facility": record.facility_name or ""}
    dedupe = f"record:{record.id}"
    mobile, lang = await healthid.contact_of(record.abha_number)
    if mobile is not None and (
        record.facility_id is None
        or await notices.first_record_sms(record.facility_id, record.abha_number)
    ):
        await notifier.notify("sms", mobile, "notify.record.new", params, lang, dedupe_key=dedupe)
    for chat in await channels.reach(record.abha_number):
        await notifier.notify(
            chat.channel,
            chat.address,
            "notify.record.new.chat",
            params,
            chat.lang,
            dedupe_key=f"{dedupe}:{chat.channel}:{chat.address}",
        )
