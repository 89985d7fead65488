"""The main menu, and the two small flows it leads to directly: language and help.

(dial)  -> Arogya: your Health ID. 1. Create Health ID 2. My Health ID 3. भाषा/Language 4. Help
"""

from __future__ import annotations

from core.services import Services
from flows import Flow, Go, Menu, Option, Outcome, finish, msg
from flows.consent import open_consents
from flows.healthid.common import Ctx

ROOT = "main"


def main_flow() -> Flow[Services]:
    return Flow[Services](
        ROOT,
        [
            Menu(
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
