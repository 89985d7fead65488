"""The main menu, and the two small flows it leads to directly: language and help.

(dial)  -> Arogya: your Health ID (ABHA) 1. Create Health ID 2. My Health ID 3. My health
           records 4. Find a doctor or hospital 5. My consents 6. Language (Hindi) 7. Help

On USSD and SMS a consent request waiting for the caller's answer is shown right under the title
(docs/design.md §4: the number is the identity, so no login is needed to see that one is waiting;
answering needs the PIN), always as "8": the numbers a person has learned (1 to 7) never shift.

(dial)  -> Arogya: your Health ID (ABHA) 8. Sanjeevani Hospital asks for your records (1)
           1. Create Health ID 2. My Health ID ...

A verified health worker's phone also gets "9. Enrol someone" (a button on Telegram), from
`flows.workers.entry`: `offer` adds it when the menu is asked, `chosen` takes it first.
A facility's link request waiting on a phone adds "10. <facility> wants to add your visits"
the same way (`flows.link_prompt`).

"My health records" on USSD needs no OTP: the operator proves the caller's number (the network
delivers the dial), and the PIN guards the records (`open_records`).
"""

from __future__ import annotations

from core.healthid import numbers
from core.services import Services
from flows import Flow, Go, Input, Menu, Option, Outcome, Reply, finish, link_prompt, msg
from flows.consent import FLOW as CONSENTS
from flows.consent import open_consents
from flows.consent.entry import first_pending, phone_abhas
from flows.ctx import Ctx
from flows.login import HOME
from flows.records import FLOW as RECORDS
from flows.workers import entry as worker_entry

#: The main menu's flow: where every conversation starts, and "MENU" leads back to.
ROOT = "main"

PENDING = "pending"
#: The pending request's number on the menu: after the seven fixed options, so none of them moves.
PENDING_NUMBER = "8"
#: A facility's name in the menu line is cut here: a Hindi USSD page holds 80 characters, and the
#: line must share the first page with the menu's title (the request's page names it whole).
MENU_NAME_MAX = 20


class MainMenu(Menu[Services]):
    """The fixed options, after the newest consent request waiting on this phone, if any."""

    async def ask(self, ctx: Ctx) -> Reply:
        reply = await worker_entry.offer(ctx, await super().ask(ctx))
        reply = await link_prompt.offer(ctx, reply)
        ctx.data.pop(PENDING, None)
        found = await first_pending(ctx)
        if found is None:
            return reply
        view, count = found
        ctx.data[PENDING] = {"abha": numbers.compact(view.abha_number), "code": view.code}
        line = msg(
            "consent.main.pending",
            number=PENDING_NUMBER,
            hiu=short_name(view.hiu_name),
            count=count,
        )
        return Reply(messages=(*reply.messages, line), choices=reply.choices)

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        held = ctx.data.get(PENDING)
        if held is not None and (answer.text == PENDING_NUMBER or answer.choice == PENDING):
            return Go("request", flow=CONSENTS, data={"abha": held["abha"], "code": held["code"]})
        return (
            worker_entry.chosen(ctx, answer)
            or link_prompt.chosen(ctx, answer)
            or await super().take(ctx, answer)
        )


def short_name(name: str) -> str:
    """A facility's name cut for the menu line, at a word, with ASCII dots: a non-GSM "…" would
    turn an English menu into UCS-2 pages of 80 characters (review D6)."""
    if len(name) <= MENU_NAME_MAX:
        return name
    head = name[: MENU_NAME_MAX - 2]
    cut = head.rsplit(" ", 1)[0] if " " in head else head
    return cut.rstrip(" ,.") + ".."


async def open_records(ctx: Ctx) -> Outcome:
    """ "My health records". On USSD the caller's number is proved by the network, so the
    phone's own ABHA goes straight to its PIN (several: which one; none: how to get one);
    elsewhere (SMS, whose sender can be forged; Telegram) the OTP login comes first."""
    if ctx.channel != "ussd":
        return Go(flow=RECORDS)
    held = await phone_abhas(ctx)
    if not held:
        return finish(msg("consent.no_abha"))
    if len(held) == 1:
        return Go(HOME, flow=RECORDS, data={"abha": held[0]})
    return Go("choose", flow=RECORDS, data={"choices": held})


def main_flow() -> Flow[Services]:
    return Flow[Services](
        ROOT,
        [
            MainMenu(
                "menu",
                "flows.main.welcome",
                [
                    Option("create", "flows.main.create", Go(flow="enrol")),
                    Option("myid", "flows.main.myid", Go(flow="myid")),
                    Option("records", "recordsflow.menu", open_records),
                    Option("find", "find.main.option", Go(flow="find")),
                    Option("consents", "consent.menu", open_consents),
                    Option("language", "flows.main.language", Go(flow="language")),
                    Option("help", "flows.main.help", Go(flow="help")),
                ],
                help_key="flows.main.help_text",
            )
        ],
    )


def language_option(code: str) -> Option[Services]:
    async def chosen(ctx: Ctx) -> Outcome:
        ctx.lang = code
        return finish(msg("engine.language.set"))

    return Option(code, f"engine.language.{code}", chosen)


def language_flow() -> Flow[Services]:
    return Flow[Services](
        "language",
        [Menu("choose", "engine.language.ask", [language_option("en"), language_option("hi")])],
    )


async def back_to_menu(ctx: Ctx) -> Outcome:
    return finish()


def help_flow() -> Flow[Services]:
    return Flow[Services](
        "help",
        [
            Menu(
                "about",
                "flows.main.help_text",
                [
                    Option("ok", "flows.ok", back_to_menu),
                    # "This wasn't me" needs no login: the owner never knew the ABHA's PIN
                    Option("not_me", "disown.help_option", Go(flow="disown")),
                ],
            )
        ],
    )
