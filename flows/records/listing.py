"""The holder's records, newest first, a few at a time, optionally of one type only.

Why the list is checked before a number is taken: the list is asked for again on every "More
records", "back" and language switch, and a facility may push a record between the list being
shown and a number being typed. So a short fingerprint of the page on screen (its ids and the
total) is kept, and "2" opens the record that was second on the screen the person saw; if the
page has changed since, the person is told and shown the new one. A fingerprint, not the ids:
the state also holds the list on screen and must stay under 1 KB. Listing opens nothing, so
it is not audited; opening a record is (`flows.records.reading`).

    Your records (8), newest first:
    1. OP consultation 04-01-2024  2. OP consultation 07-08-2019  3. Health document 01-08-2019
    4. Choose a type  98. More
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from core.facilities.paging import Page
from core.records.hitypes import HiType
from core.records.views import RecordView
from core.services import Services
from flows import Choice, Go, Input, Menu, Message, Option, Outcome, Reply, Step, msg, retry
from flows.ctx import Ctx, is_phone_channel
from flows.records.reading import forget_record
from flows.steps import match_choice
from flows.types import MORE_KEY

#: A word per type: the type menu's choice ids (so "lab" or "vaccine" may be typed by SMS) and
#: the filter kept in the data. Short, because the state holds the menu on screen, ids and all.
TYPE_WORDS: dict[HiType, str] = {
    HiType.PRESCRIPTION: "rx",
    HiType.DIAGNOSTIC_REPORT: "lab",
    HiType.OP_CONSULTATION: "opd",
    HiType.DISCHARGE_SUMMARY: "discharge",
    HiType.IMMUNIZATION_RECORD: "vaccine",
    HiType.HEALTH_DOCUMENT_RECORD: "document",
    HiType.WELLNESS_RECORD: "wellness",
    HiType.INVOICE: "bill",
}
TYPE_OF_WORD = {word: kind for kind, word in TYPE_WORDS.items()}
#: Records a page on a phone: few enough that the list on screen stays well inside the 1 KB
#: state (a Hindi USSD screen shows two or three of them anyway).
PAGE_SIZE = 3
#: On a chat, where each record is a button and the screen scrolls.
CHAT_PAGE_SIZE = 8


def page_size(ctx: Ctx) -> int:
    return PAGE_SIZE if is_phone_channel(ctx) else CHAT_PAGE_SIZE


def fingerprint(page: Page[RecordView]) -> str:
    """Eight hex characters that change when the page's records or the total do."""
    seen = f"{page.total}:" + ",".join(record.id for record in page.items)
    return hashlib.blake2b(seen.encode(), digest_size=4).hexdigest()


def item_choice(number: int, record: RecordView) -> Choice:
    """`Prescription 05-08-2016`: the type in the reader's language, the date in digits."""
    label = {"date": record.date.strftime("%d-%m-%Y")}
    return Choice(str(number), f"recordsflow.item.{record.hi_type.value}", label)


def tail(page: Page[RecordView]) -> tuple[Choice, ...]:
    """ "Choose a type", then "98. More" when there are more pages (the one "more" key, D11)."""
    more = (Choice("more", "engine.more", key=MORE_KEY),) if page.pages > 1 else ()
    return (Choice("types", "recordsflow.list.filter"), *more)


class RecordListStep(Step[Services]):
    """Kept in `ctx.data`: `at` (the page number), `type` (the filter's word, if any) and `seen`
    (the fingerprint of the page on screen)."""

    def __init__(self, name: str = "list") -> None:
        super().__init__(name, help_key="recordsflow.list.help")

    async def _page(self, ctx: Ctx) -> Page[RecordView]:
        records = ctx.services.records
        at = max(1, int(ctx.data.get("at", 1)))
        kind = self._kind(ctx)
        page = await records.list_records(
            ctx.data["abha"], hi_type=kind, page=at, page_size=page_size(ctx)
        )
        if not page.items and at > 1:  # fewer records than when the page was chosen
            ctx.data["at"] = 1
            page = await records.list_records(
                ctx.data["abha"], hi_type=kind, page_size=page_size(ctx)
            )
        return page

    async def ask(self, ctx: Ctx) -> Reply:
        page = await self._page(ctx)
        await forget_record(ctx)  # back at the list: nothing of an opened record stays
        ctx.data["seen"] = fingerprint(page)
        items = tuple(item_choice(n, record) for n, record in enumerate(page.items, 1))
        return Reply(messages=(self._heading(ctx, page),), choices=(*items, *tail(page)))

    def _kind(self, ctx: Ctx) -> HiType | None:
        word = ctx.data.get("type")
        return None if word is None else TYPE_OF_WORD[str(word)]

    def _heading(self, ctx: Ctx, page: Page[RecordView]) -> Message:
        kind = self._kind(ctx)
        if not page.items:
            return msg("recordsflow.list.none_of_type")
        if kind is None:
            return msg("recordsflow.list.all", total=page.total)
        return msg(f"recordsflow.list.{kind.value}", total=page.total)

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        page = await self._page(ctx)
        if fingerprint(page) != ctx.data.get("seen"):
            return retry("recordsflow.list.changed", counts=False)
        offered = (*(Choice(str(n), "") for n in range(1, len(page.items) + 1)), *tail(page))
        choice = match_choice(offered, answer)
        if choice is None:
            return retry("engine.choose", max=len(offered))
        if choice.id == "types":
            return Go("types")
        if choice.id == "more":
            ctx.data["at"] = page.page % page.pages + 1
            return Go(self.name)
        del ctx.data["seen"]
        ctx.data.update(open=page.items[int(choice.id) - 1].id, part=0)
        return Go("record")

    def targets(self) -> Iterator[str | Go]:
        return iter(["types", "record"])


def type_option(kind: HiType | None) -> Option[Services]:
    async def chosen(ctx: Ctx) -> Outcome:
        if kind is None:
            ctx.data.pop("type", None)
        else:
            ctx.data["type"] = TYPE_WORDS[kind]
        ctx.data["at"] = 1
        return Go("list")

    if kind is None:
        return Option("all", "recordsflow.types.all", chosen)
    return Option(TYPE_WORDS[kind], f"records.type.{kind.value}", chosen)


def types_menu(name: str = "types") -> Menu[Services]:
    """Every HI type ABDM names, labelled as `core.records` labels them, and "All records"."""
    options = [type_option(None), *(type_option(kind) for kind in HiType)]
    return Menu(name, "recordsflow.types.ask", options, help_key="recordsflow.types.help")
