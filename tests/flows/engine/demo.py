"""A tiny flow set that exercises every engine feature, and a catalog for its words.

Why not the Health ID flows: the engine and the channels must be proven on their own, with
flows small enough to read in one screen. The shapes are those the Health ID flows need: a
main menu, a prompt with validation, dynamic suggestions (`Pick`, like ABHA addresses), a
summary to confirm, a core call that can refuse or be down, a long menu that must paginate
and a long text that must split.

    (dial)  -> Welcome to the demo. 1. Register 2. Pick a fruit 3. About 4. Quit
    1       -> Your name?
    Asha    -> Year of birth?
    १९९०     -> Choose a nickname: 1. asha1 2. asha7 3. asha42
    2       -> Asha, born 1990, nickname asha7. Correct? 1. Yes, save 2. Change
    1       -> END Thank you, Asha. Your number is R1.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import locales
from core.clock import Clock
from core.errors import Conflict, Unavailable
from core.settings import Settings
from core.state import StateStore
from flows import (
    Context,
    End,
    Engine,
    Flow,
    Go,
    Invalid,
    Menu,
    Message,
    Option,
    Outcome,
    Pick,
    Prompt,
    end,
    finish,
    msg,
)

FRUITS = (
    "apple",
    "banana",
    "mango",
    "guava",
    "papaya",
    "orange",
    "grapes",
    "pomegranate",
    "watermelon",
    "pineapple",
    "lychee",
    "jackfruit",
)
YEARS = (1900, 2026)


def is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


@dataclass
class DemoServices:
    """The "core" of the demo: records registrations so tests can count effects."""

    registered: list[tuple[str, int, str]] = field(default_factory=list)
    down: bool = False

    async def suggest(self, name: str) -> list[str]:
        base = "".join(ch for ch in name.casefold() if ch.isalnum() or is_mark(ch)) or "user"
        return [f"{base}{n}" for n in (1, 7, 42)]

    async def register(self, name: str, year: int, handle: str) -> str:
        if self.down:
            raise Unavailable("demo.down")
        if name.casefold() == "taken":
            raise Conflict("demo.taken", name=name)
        self.registered.append((name, year, handle))
        return f"R{len(self.registered)}"


def parse_name(text: str) -> str:
    if not 2 <= len(text) <= 40 or any(ch.isdigit() for ch in text):
        raise Invalid("demo.name.invalid")
    return text


def parse_year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and YEARS[0] <= int(text) <= YEARS[1]):
        raise Invalid("demo.year.invalid", min=YEARS[0], max=YEARS[1])
    return int(text)


def summary(ctx: Context[DemoServices]) -> Message:
    data = ctx.data
    return msg("demo.confirm", name=data["name"], year=data["year"], handle=data["handle"])


async def suggestions(ctx: Context[DemoServices]) -> Sequence[str]:
    return await ctx.services.suggest(ctx.data["name"])


async def save(ctx: Context[DemoServices]) -> Outcome:
    data = ctx.data
    ref = await ctx.services.register(data["name"], data["year"], data["handle"])
    return end(msg("demo.done", name=data["name"], ref=ref))


async def quit_demo(ctx: Context[DemoServices]) -> End:
    return end(msg("demo.bye"))


async def picked(ctx: Context[DemoServices]) -> Outcome:
    return finish(msg("demo.fruit.picked"))


def demo_flows() -> list[Flow[DemoServices]]:
    main = Flow[DemoServices](
        "main",
        [
            Menu(
                "menu",
                "demo.menu",
                [
                    Option("register", "demo.menu.register", Go(flow="register")),
                    Option("fruit", "demo.menu.fruit", Go(flow="fruit")),
                    Option("about", "demo.menu.about", Go(flow="about")),
                    Option("quit", "demo.menu.quit", quit_demo),
                ],
            )
        ],
    )
    register = Flow[DemoServices](
        "register",
        [
            Prompt(
                "name", "demo.name.ask", parse=parse_name, store="name", help_key="demo.name.help"
            ),
            Prompt("year", "demo.year.ask", parse=parse_year, store="year"),
            Pick("handle", "demo.handle.ask", suggestions, store="handle"),
            Menu(
                "confirm",
                summary,
                [
                    Option("yes", "demo.confirm.yes", save),
                    Option("edit", "demo.confirm.edit", "name"),
                ],
            ),
        ],
    )
    fruit = Flow[DemoServices](
        "fruit",
        [Menu("pick", "demo.fruit.ask", [Option(f, f"demo.fruit.{f}", picked) for f in FRUITS])],
    )
    about = Flow[DemoServices](
        "about",
        [Menu("text", "demo.about.text", [Option("ok", "demo.about.ok", picked_about)])],
    )
    return [main, register, fruit, about]


async def picked_about(ctx: Context[DemoServices]) -> Outcome:
    return finish()


def counter_ids() -> Callable[[], str]:
    numbers = itertools.count(1)
    return lambda: f"c{next(numbers)}"


def demo_engine(
    state: StateStore,
    settings: Settings,
    clock: Clock,
    services: DemoServices | None = None,
    **options: Any,
) -> Engine[DemoServices]:
    """The demo flows on a deterministic engine (ids and randomness fixed)."""
    return Engine(
        demo_flows(),
        "main",
        services=services or DemoServices(),
        state=state,
        settings=settings,
        clock=clock,
        rng=random.Random(7),
        ids=counter_ids(),
        shortcuts={"FRUIT": Go(flow="fruit"), "फल": Go(flow="fruit")},
        **options,
    )


ABOUT_EN = (
    "This demo shows how a conversation reaches a feature phone. Every step asks one question "
    "and waits for one answer. The same words reach USSD, SMS and Telegram, in Hindi and "
    "English. A long text like this one does not fit one USSD page, so it is split into pages "
    "at spaces, never cut off. Send 98 to see the next page and 0 to go back. At any step you "
    "can send MENU, BACK, HELP or LANGUAGE."
)
ABOUT_HI = (
    "यह डेमो दिखाता है कि बातचीत एक साधारण फ़ोन तक कैसे पहुँचती है। हर कदम एक सवाल पूछता है और एक "
    "जवाब का इंतज़ार करता है। यही शब्द USSD, SMS और टेलीग्राम पर हिंदी और अंग्रेज़ी में पहुँचते हैं। "
    "अगला पन्ना देखने के लिए 98 और पिछले के लिए 0 भेजें।"
)

CATALOG: dict[str, dict[str, str]] = {
    "en": {
        "demo.menu": "Welcome to the demo.",
        "demo.menu.register": "Register",
        "demo.menu.fruit": "Pick a fruit",
        "demo.menu.about": "About",
        "demo.menu.quit": "Quit",
        "demo.name.ask": "Your name?",
        "demo.name.help": "Type your name as on your ID card, for example Asha Devi.",
        "demo.name.invalid": "Please type a name of 2 to 40 letters.",
        "demo.year.ask": "Year of birth?",
        "demo.year.invalid": "Please type a year from {min} to {max}.",
        "demo.handle.ask": "Choose a nickname:",
        "demo.confirm": "{name}, born {year}, nickname {handle}. Correct?",
        "demo.confirm.yes": "Yes, save",
        "demo.confirm.edit": "Change",
        "demo.done": "Thank you, {name}. Your number is {ref}.",
        "error.demo.taken": "The name {name} is taken.",
        "demo.fruit.ask": "Which fruit do you like best?",
        "demo.fruit.picked": "Good choice!",
        "demo.about.text": ABOUT_EN,
        "demo.about.ok": "OK",
        "demo.bye": "Goodbye.",
    }
    | {
        f"demo.fruit.{f}": f"{f.capitalize()} from {place}"
        for f, place in zip(
            FRUITS,
            (
                "Kashmir",
                "Jalgaon",
                "Ratnagiri",
                "Prayagraj",
                "Andhra",
                "Nagpur",
                "Nashik",
                "Solapur",
                "Karnataka",
                "Tripura",
                "Muzaffarpur",
                "Kerala",
            ),
            strict=True,
        )
    },
    "hi": {
        "demo.menu": "डेमो में आपका स्वागत है।",
        "demo.menu.register": "पंजीकरण",
        "demo.menu.fruit": "फल चुनें",
        "demo.menu.about": "जानकारी",
        "demo.menu.quit": "बाहर निकलें",
        "demo.name.ask": "आपका नाम?",
        "demo.name.help": "पहचान पत्र जैसा अपना नाम लिखें, जैसे आशा देवी।",
        "demo.name.invalid": "कृपया 2 से 40 अक्षरों का नाम लिखें।",
        "demo.year.ask": "जन्म का वर्ष?",
        "demo.year.invalid": "कृपया {min} से {max} तक का वर्ष लिखें।",
        "demo.handle.ask": "उपनाम चुनें:",
        "demo.confirm": "{name}, जन्म {year}, उपनाम {handle}। सही है?",
        "demo.confirm.yes": "हाँ, सहेजें",
        "demo.confirm.edit": "बदलें",
        "demo.done": "धन्यवाद, {name}। आपका नंबर {ref} है।",
        "error.demo.taken": "{name} नाम पहले से लिया जा चुका है।",
        "demo.fruit.ask": "आपको कौन-सा फल सबसे अच्छा लगता है?",
        "demo.fruit.picked": "बढ़िया चुनाव!",
        "demo.about.text": ABOUT_HI,
        "demo.about.ok": "ठीक है",
        "demo.bye": "अलविदा।",
    }
    | {
        f"demo.fruit.{f}": name
        for f, name in zip(
            FRUITS,
            (
                "कश्मीर का सेब",
                "जलगाँव का केला",
                "रत्नागिरी का आम",
                "प्रयागराज का अमरूद",
                "आंध्र का पपीता",
                "नागपुर का संतरा",
                "नासिक के अंगूर",
                "सोलापुर का अनार",
                "कर्नाटक का तरबूज़",
                "त्रिपुरा का अनानास",
                "मुज़फ़्फ़रपुर की लीची",
                "केरल का कटहल",
            ),
            strict=True,
        )
    },
}


def demo_translate(key: str, lang: str | None = None, /, **params: Any) -> str:
    """The demo's words layered over the real catalogs (which hold the engine's words)."""
    template = CATALOG[locales.normalise_language(lang)].get(key)
    if template is None:
        return locales.translate(key, lang, **params)
    return template.format_map(params)
