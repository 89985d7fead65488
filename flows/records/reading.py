"""One record, opened and shown as its summary in the reader's language.

Why it is shown in parts on USSD and SMS: those channels keep the reply on screen inside the
conversation's saved state (to page it with "98"), and that state must stay under 1 KB
(docs/design.md §3). The conversation itself, the channel's record of the session and the reply's
keys take about 700 bytes of it, while a Hindi discharge summary alone is 1.2 KB of UTF-8. So a
phone gets the summary a part at a time ("1. Read on (2/5)"); Telegram gets it whole, and one more
choice, "Download the FHIR file (JSON)": only when that is taken does the reply (the same record
again) carry the original document as an attachment, for the channel to send as a file. Each
download is a read of its own, audited by the channel that sends the file.

Why opened once per showing, not per part: every opening goes through
`RecordService.read_record`, which writes `record.read` to the audit log. The conversation keeps
only the record's id and the part showing (`open`, `part`, `parts`); the parts of the record
being read are kept beside it, under their own key (`recview:<channel>:<subject>`), for as long
as a dropped session may be resumed, and forgotten as soon as the person is back at the list.
So reading on, "help" and "back" do not open the record again; a new language does (the summary
is rendered anew), as does coming back after the parts expired, and each of those is audited.
The kept parts are summary text, like the reply on screen the channels keep, for minutes; the
FHIR bundle itself never leaves the sealed store.

    Prescription, 5 Aug 2016
    Doctor: Dr Manju Sengar
    Medicines:
    - dextromethorphan 90 mg: 1 capsule 2 times a day with food (for cough)
    1. Back to my records
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from core.errors import NotFound
from core.healthid import numbers
from core.services import Services
from core.sms.encoding import PART_LIMIT, Encoding, encoding_of, length_in_units
from core.sms.encoding import fits as sms_fits
from flows import Attachment, Choice, Go, Input, Outcome, Reply, Step, msg, retry
from flows.ctx import Ctx, is_phone_channel
from flows.records.parts import Fits, size, split_summary, within
from flows.records.phrases import Room
from flows.steps import match_choice
from flows.types import MORE_KEY

#: UTF-8 bytes of summary text a part may carry: what the 1 KB state has left once the
#: conversation (its id, data, way back) and the reply's frame are in it, with room for an error
#: or the help said before the part. USSD keeps a session record of its own beside the reply
#: (its id twice, the text consumed); SMS keeps only the reply, and only when it is too long for
#: one message. The tests weigh every hop with production-length ids.
PART_BYTES: dict[str, int] = {"ussd": 160, "sms": 330}
#: Characters of an SMS reply a part leaves to the choices after it ("1. Read on (2/4)" and
#: "2. Back to my records"), so that a part and its choices go as one message.
SMS_CHOICES_ROOM = 45
#: Characters of a USSD screen a line of a record leaves to the pager's "98. More" and
#: "0. Back" beside it (and their line breaks), so that the pager keeps the line whole.
USSD_NAV_ROOM = 17
#: The store kind under which the parts of the record being read are kept.
VIEW = "recview"
#: The attachment a channel resolves to the record's FHIR bundle, sent as a file.
FHIR_DOCUMENT = "fhir_document"


def part_budget(ctx: Ctx) -> Fits | None:
    """What a part may hold. A phone channel keeps the reply on screen in the state, and on SMS
    a part should also go as one message (of `sms_max_segments` segments, in whichever encoding
    its text needs); a channel that keeps no reply (Telegram) shows the whole summary."""
    max_bytes = PART_BYTES.get(ctx.channel)
    if max_bytes is None:
        return None
    if ctx.channel != "sms":
        return within(max_bytes)
    segments = ctx.services.settings.sms_max_segments
    gsm7 = segments * PART_LIMIT[Encoding.GSM7] - SMS_CHOICES_ROOM
    ucs2 = segments * PART_LIMIT[Encoding.UCS2] - SMS_CHOICES_ROOM

    def fits(texts: list[str]) -> bool:
        text = "\n".join(texts)
        return size(texts) <= max_bytes and sms_fits(text, gsm7_limit=gsm7, ucs2_limit=ucs2)

    return fits


def line_room(ctx: Ctx) -> Room | None:
    """How much a line leaves free on a USSD screen (review D17: a line the pager cut at its
    last word left "(1)-Twice a" on one screen and "(cough के लिए)" alone on the next). A Hindi
    page is UCS-2 whatever the line (its "98. आगे" is Devanagari), so 80 characters; an
    English one is 182 unless the line itself needs UCS-2. Other channels have no screen."""
    if ctx.channel != "ussd":
        return None
    settings = ctx.services.settings
    gsm7, ucs2 = settings.ussd_gsm7_page_chars, settings.ussd_ucs2_page_chars
    unicode = ctx.lang != "en"

    def room(text: str) -> int:
        encoding = Encoding.UCS2 if unicode else encoding_of(text)
        limit = ucs2 if encoding is Encoding.UCS2 else gsm7
        return limit - USSD_NAV_ROOM - length_in_units(text, encoding)

    return room


async def record_parts(ctx: Ctx) -> list[list[str]]:
    """The open record's summary in parts: kept ones when they are this record's in this
    language, else the record opened (and audited) and cut anew."""
    store, key = ctx.services.state, ctx.key.state_key(VIEW)
    record_id, abha = str(ctx.data["open"]), str(ctx.data["abha"])
    kept: Any = await store.get_json(key)
    if isinstance(kept, dict) and kept.get("id") == record_id and kept.get("lang") == ctx.lang:
        return [[str(line) for line in part] for part in kept["parts"]]
    opened = await ctx.services.records.read_record(record_id, reader=abha, channel=ctx.channel)
    if numbers.compact(opened.record.abha_number) != abha:  # only ids we listed get here
        raise NotFound("records.not_found")
    parts = split_summary(opened.summary(ctx.lang), part_budget(ctx), line_room(ctx))
    if len(parts) > 1:
        view = {"id": record_id, "lang": ctx.lang, "parts": parts}
        await store.set_json(key, view, ctx.services.settings.resume_window_seconds)
    return parts


async def forget_record(ctx: Ctx) -> None:
    """The record is closed: its parts leave the store and its place leaves the data."""
    for name in ("open", "part", "parts", "file"):
        ctx.data.pop(name, None)
    await ctx.services.state.delete(ctx.key.state_key(VIEW))


class RecordStep(Step[Services]):
    def __init__(self, name: str = "record") -> None:
        super().__init__(name, help_key="recordsflow.record.help")

    async def ask(self, ctx: Ctx) -> Reply:
        parts = await record_parts(ctx)
        index = min(int(ctx.data.get("part", 0)), len(parts) - 1)
        ctx.data.update(part=index, parts=len(parts))
        text = msg("engine.verbatim", text="\n".join(parts[index]))
        document: tuple[Attachment, ...] = ()
        if ctx.data.pop("file", None):  # the download was asked for: this reply carries it
            document = (Attachment(FHIR_DOCUMENT, str(ctx.data["open"])),)
        return Reply(messages=(text,), choices=self._offered(ctx), attachments=document)

    def _offered(self, ctx: Ctx) -> tuple[Choice, ...]:
        part, parts = int(ctx.data.get("part", 0)), int(ctx.data.get("parts", 1))
        offered: list[Choice] = []
        if part + 1 < parts:
            more = {"n": part + 2, "total": parts}
            offered.append(Choice("next", "recordsflow.next", more, key=MORE_KEY))
        if not is_phone_channel(ctx):  # a phone could not take a file
            offered.append(Choice("file", "recordsflow.fhir_file"))
        offered.append(Choice("list", "recordsflow.to_list"))
        return tuple(offered)

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        offered = self._offered(ctx)
        choice = match_choice(offered, answer)
        if choice is None:
            return retry("engine.choose", max=len(offered))
        if choice.id == "next":
            ctx.data["part"] = int(ctx.data["part"]) + 1
            return Go(self.name)
        if choice.id == "file":
            ctx.data["file"] = 1  # shown again, this time with the document
            return Go(self.name)
        return Go("list")

    def targets(self) -> Iterator[str | Go]:
        return iter(["list"])
