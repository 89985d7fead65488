"""Channel-neutral conversations: flows of steps, run by one engine for USSD, SMS and Telegram.

Writing a flow (see `flows.engine` for a transcript, tests/flows/engine/demo.py for a whole set):

    from flows import Flow, Menu, Option, Prompt, Invalid, end, go, msg

    def parse_year(text: str) -> int:
        if not (text.isdigit() and 1900 <= int(text) <= 2026):
            raise Invalid("demo.year.invalid", min=1900, max=2026)
        return int(text)

    register = Flow("register", [
        Prompt("name", "demo.name.ask", store="name"),
        Prompt("year", "demo.year.ask", parse=parse_year, store="year"),
        Menu("confirm", summary, [Option("yes", "demo.confirm.yes", save),
                                  Option("edit", "demo.confirm.edit", "name")]),
    ])

    engine = Engine([main_menu, register], root="main", services=services, state=store,
                    settings=settings, clock=clock, rng=rng)
    reply = await engine.handle(ConversationKey("ussd", "+919876543210"), Input(text="1"))

Steps return message *keys*; channels translate them (`webhooks.render`).
"""

from flows.engine import Engine
from flows.flow import Context, Flow, FlowError, Invalid, Step
from flows.normalise import Word, global_word, keyword_form, normalise
from flows.outcomes import End, Finish, Go, Next, Outcome, Retry, end, finish, go, retry
from flows.session import Session
from flows.steps import Menu, Option, Pick, Prompt, match_choice
from flows.types import Attachment, Choice, ConversationKey, Handled, Input, Message, Reply, msg

__all__ = [
    "Attachment",
    "Choice",
    "Context",
    "ConversationKey",
    "End",
    "Engine",
    "Finish",
    "Flow",
    "FlowError",
    "Go",
    "Handled",
    "Input",
    "Invalid",
    "Menu",
    "Message",
    "Next",
    "Option",
    "Outcome",
    "Pick",
    "Prompt",
    "Reply",
    "Retry",
    "Session",
    "Step",
    "Word",
    "end",
    "finish",
    "global_word",
    "go",
    "keyword_form",
    "match_choice",
    "msg",
    "normalise",
    "retry",
]
