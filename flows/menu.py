"""The main menu, and the two small flows it leads to directly: language and help.

(dial)  -> Arogya: your Health ID (ABHA) 1. Create Health ID 2. My Health ID 3. My health
           records 4. Find a doctor or hospital 5. My consents 6. Language (Hindi) 7. Help

On USSD and SMS a consent request waiting for the caller's answer comes first (docs/design.md §4:
the number is the identity, so no login is needed to see that one is waiting; answering needs the
PIN). A feature phone gets the request's SMS too, but a person who dials in should not have to find
it in "My consents":

(dial)  -> Arogya: your Health ID (ABHA) 1. Sanjeevani Hospital asks to see your records
           (1 waiting) 2. Create Health ID 3. My Health ID ...
"""

from __future__ import annotations

from core.healthid import numbers
from core.services import Services
from flows import Choice, Flow, Go, Input, Menu, Option, Outcome, Reply, finish, msg, retry
from flows.consent import FLOW as CONSENTS
from flows.consent import open_consents
from flows.consent.entry import first_pending
from flows.ctx import Ctx
from flows.steps import match_choice

#: The main menu's flow: where every conversation starts, and "MENU" leads back to.
ROOT = "main"

PENDING = "pending"
#: A facility's name in the menu line is cut here: a Hindi USSD page holds 80 characters, and the
#: line must share the first page with the menu's title (the request's page names it whole).
MENU_NAME_MAX = 20


class MainMenu(Menu[Services]):
    """The fixed options, after the newest consent request waiting on this phone, if any."""

    async def ask(self, ctx: Ctx) -> Reply:
        reply = await super().ask(ctx)
        ctx.data.pop(PENDING, None)
        found = await first_pending(ctx)
        if found is None:
            return reply
        view, count = found
        name = view.hiu_name
        if len(name) > MENU_NAME_MAX:
            name = name[: MENU_NAME_MAX - 1].rstrip() + "…"
        ctx.data[PENDING] = {
            "abha": numbers.compact(view.abha_number),
            "code": view.code,
            "hiu": name,
            "count": count,
        }
        return Reply(messages=reply.messages, choices=(self._pending(ctx), *reply.choices))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        if PENDING not in ctx.data:
            return await super().take(ctx, answer)
        pending = self._pending(ctx)
        choices = (pending, *(Choice(option.id, option.label) for option in self.options))
        choice = match_choice(choices, answer)
        if choice is None:
            return retry("engine.choose", max=len(choices))
        if choice.id == PENDING:
            held = ctx.data[PENDING]
            return Go("request", flow=CONSENTS, data={"abha": held["abha"], "code": held["code"]})
        return await super().take(ctx, Input(choice=choice.id, lang=answer.lang))

    @staticmethod
    def _pending(ctx: Ctx) -> Choice:
        held = ctx.data[PENDING]
        return Choice(PENDING, "consent.main.pending", {"hiu": held["hiu"], "count": held["count"]})


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
                    Option("records", "recordsflow.menu", Go(flow="records")),
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
        [Menu("about", "flows.main.help_text", [Option("ok", "flows.ok", back_to_menu)])],
    )
