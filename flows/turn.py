"""One turn of a conversation: an input in, a reply out, the state moved on.

Why separate from the engine: the engine deals with the store (locks, duplicates, outages);
this module is the pure conversational rule book, in the order it applies:

1. opt-out (SMS): after STOP only START is heard;
2. a new USSD session, or a conversation that is new or ended: start at the main menu, or offer
   to resume a dropped one; a conversation idle past its TTL says it expired;
3. global words (menu, back, help, language, hindi, english) and shortcuts (`ABHA`);
4. catchers, only where the person is not answering a question of ours (a conversation that is
   new, ended, expired, or at the main menu), or wherever it stands for an input the channel
   marks `unprompted` (a notice's button): text that stands on its own, like "YES 4F7K" in
   reply to a consent notice, is taken by the catcher that knows it;
5. an engine question that is pending (resume? trouble? which language?);
6. otherwise the step takes the input, and its outcome is applied.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Generic

from core.clock import Clock
from core.errors import ArogyaError, Pending, RemoteUnavailable, Unavailable
from flows.conversation import Conversation
from flows.flow import Context, Flow, FlowError, Invalid, S
from flows.normalise import Word, global_word
from flows.outcomes import End, Finish, Go, Next, Outcome, Retry
from flows.steps import match_choice
from flows.types import Choice, ConversationKey, Input, Message, Reply, msg
from locales import normalise_language

#: The engine's own questions, with their numbered answers.
MODE_QUESTIONS: Mapping[str, tuple[Message, tuple[Choice, ...]]] = {
    "resume": (
        msg("engine.resume.ask"),
        (Choice("continue", "engine.resume.yes"), Choice("restart", "engine.resume.no")),
    ),
    "rescue": (
        msg("engine.rescue.ask"),
        (
            Choice("retry", "engine.rescue.retry"),
            Choice("help", "engine.rescue.help"),
            Choice("menu", "engine.rescue.menu"),
        ),
    ),
    "language": (
        msg("engine.language.ask"),
        (Choice("en", "engine.language.en"), Choice("hi", "engine.language.hi")),
    ),
}
DEFAULT_HELP = "engine.help"

#: Offered the input at the main menu or a cold start; returns where it leads, or None
#: when the text is not its kind.
Catcher = Callable[[Context[S], Input], Awaitable[Outcome | None]]


@dataclass(frozen=True, slots=True)
class Runtime(Generic[S]):
    """What every turn needs, fixed when the engine is built."""

    flows: Mapping[str, Flow[S]]
    root: str
    services: S
    clock: Clock
    rng: random.Random
    ids: Callable[[], str]
    shortcuts: Mapping[str, Go]
    catchers: tuple[Catcher[S], ...]
    opt_out_channels: frozenset[str]
    max_attempts: int
    conversation_ttl: int
    resume_window: int
    default_lang: str

    def now(self) -> int:
        """Epoch seconds from the injected clock: every rule about time uses this."""
        return int(self.clock.now().timestamp())


class Turn(Generic[S]):
    def __init__(self, rt: Runtime[S], key: ConversationKey, conv: Conversation, now: int) -> None:
        self.rt = rt
        self.key = key
        self.conv = conv
        self.now = now
        #: False when the turn changed nothing worth writing (an opted-out number's message).
        self.save = True

    async def run(self, answer: Input) -> Reply:
        conv, rt = self.conv, self.rt
        word = self.keypad_word(answer) if answer.choice is None else None
        if self.key.channel in rt.opt_out_channels:
            if word is Word.STOP and not conv.opted_out:
                conv.reset(*self.home)
                conv.idle, conv.opted_out = True, True
                return Reply.of(msg("engine.stopped"))
            if conv.opted_out:
                if word is not Word.START:
                    self.save = False
                    return Reply()
                conv.opted_out = False
                return (await self.start(None, answer)).after(msg("engine.started"))
        elif word in (Word.STOP, Word.START):
            word = None  # ordinary text where there is no opt-out
        if answer.unprompted:
            caught = await self.catch_unprompted(answer)
            if caught is not None:
                return caught
        if answer.new_session or answer.session_id not in (None, conv.session):
            conv.session = answer.session_id
            if answer.new_session and answer.lang:  # the channel knows the caller's language
                conv.lang = normalise_language(answer.lang)
            if self.resumable():
                conv.mode = "resume"
                return self.ask_mode("resume")
            return await self.start(word, answer)
        if conv.idle:
            return await self.start(word, answer)
        if self.now - conv.updated > rt.conversation_ttl and not self.at_home:
            return (await self.start(None, answer)).after(msg("engine.expired"))
        if word is not None:
            return await self.on_word(word)
        if answer.word in rt.shortcuts:
            conv.reset(*self.home)
            return await self.apply(rt.shortcuts[answer.word])
        if self.at_home:
            caught = await self.catch(answer)
            if caught is not None:
                return caught
        if conv.mode is not None:
            return await self.on_mode(conv.mode, answer)
        return await self.on_step(answer)

    def keypad_word(self, answer: Input) -> Word | None:
        """A global word, typed or keyed: "00" is the main menu everywhere, and "0" goes back
        wherever the step does not take 0 as an answer ("0 if none"), so a keypad user learns
        the two once (review D7)."""
        if answer.text == "00":
            return Word.MENU
        if answer.text == "0" and not self.step_takes_zero():
            return Word.BACK
        return global_word(answer.text)

    def step_takes_zero(self) -> bool:
        conv = self.conv
        flow = self.rt.flows.get(conv.flow)
        if conv.mode is not None or flow is None or conv.step not in flow:
            return False
        return flow.step(conv.step).takes_zero

    @property
    def home(self) -> tuple[str, str]:
        return self.rt.root, self.rt.flows[self.rt.root].entry

    @property
    def at_home(self) -> bool:
        return (self.conv.flow, self.conv.step) == self.home and self.conv.mode is None

    def resumable(self) -> bool:
        conv = self.conv
        recent = self.now - conv.updated <= self.rt.resume_window
        return recent and not conv.idle and (conv.flow, conv.step) != self.home

    async def start(self, word: Word | None, answer: Input) -> Reply:
        """Begin at the main menu; a first message that is a keyword is obeyed, other text is
        not taken as an answer to a question the person has not seen yet."""
        self.conv.reset(*self.home)
        if word is not None:
            return await self.on_word(word)
        if answer.word in self.rt.shortcuts:
            return await self.apply(self.rt.shortcuts[answer.word])
        caught = await self.catch(answer)
        return caught if caught is not None else await self.ask()

    async def catch_unprompted(self, answer: Input) -> Reply | None:
        """A message of its own, from wherever the conversation stands: an ended or expired one
        starts afresh first; an engine question (resume?) is dropped, the step it interrupts
        stays in the history."""
        conv = self.conv
        before = vars(conv).copy()
        if conv.idle or self.now - conv.updated > self.rt.conversation_ttl:
            conv.reset(*self.home)
        conv.mode = None
        caught = await self.catch(answer)
        if caught is None:
            vars(conv).update(before)  # not a message we know: the usual rules decide
        return caught

    async def catch(self, answer: Input) -> Reply | None:
        """The first catcher that recognises the input decides the turn."""
        if not (answer.text or answer.choice):
            return None  # a bare dial or an empty message: nothing to recognise
        for catcher in self.rt.catchers:
            ctx = self.context()
            try:
                outcome = await catcher(ctx, answer)
            except Unavailable:
                return (await self.ask()).after(msg("engine.try_again"))
            except ArogyaError as error:
                return (await self.ask()).after(msg(f"error.{error.code}", **error.params))
            if outcome is not None:
                self.conv.data, self.conv.lang = ctx.data, ctx.lang
                return await self.apply(outcome)
        return None

    def ask_mode(self, mode: str) -> Reply:
        question, choices = MODE_QUESTIONS[mode]
        return Reply(messages=(question,), choices=choices)

    def context(self) -> Context[S]:
        conv = self.conv
        return Context(
            services=self.rt.services,
            key=self.key,
            flow=conv.flow,
            step=conv.step,
            lang=conv.lang,
            data=dict(conv.data),  # a failed turn is never saved, so no deeper copy is needed
            clock=self.rt.clock,
            rng=self.rt.rng,
            ids=self.rt.ids,
        )

    async def ask(self) -> Reply:
        """The pending question: the engine's own, or the current step's."""
        conv = self.conv
        if conv.mode is not None:
            return self.ask_mode(conv.mode)
        flow = self.rt.flows.get(conv.flow)
        if flow is None or conv.step not in flow:
            conv.reset(*self.home)  # the flows changed under a saved conversation
            flow = self.rt.flows[conv.flow]
        ctx = self.context()
        reply = await flow.step(conv.step).ask(ctx)
        conv.data = ctx.data
        return reply

    def help_key(self) -> str:
        flow = self.rt.flows.get(self.conv.flow)
        if self.conv.mode is not None or flow is None or self.conv.step not in flow:
            return DEFAULT_HELP
        return flow.step(self.conv.step).help_key or flow.help_key or DEFAULT_HELP

    async def on_word(self, word: Word) -> Reply:
        conv = self.conv
        if word in (Word.MENU, Word.START):
            conv.reset(*self.home)
            return await self.ask()
        if word is Word.HELP:
            return (await self.ask()).after(msg(self.help_key()))
        if word is Word.LANGUAGE:
            conv.mode = "language"
            return self.ask_mode("language")
        if word in (Word.HINDI, Word.ENGLISH):
            conv.lang = "hi" if word is Word.HINDI else "en"
            if conv.mode == "language":
                conv.mode = None
            return (await self.ask()).after(msg("engine.language.set"))
        # Word.BACK: out of an engine question first, then along the history.
        if conv.mode is not None:
            conv.mode = None
        elif conv.history:
            flow, step = conv.history[-1]
            conv.history = conv.history[:-1]
            conv.move(flow, step, remember=False)
        else:
            return (await self.ask()).after(msg("engine.back.none"))
        return await self.ask()

    async def on_mode(self, mode: str, answer: Input) -> Reply:
        conv = self.conv
        _, choices = MODE_QUESTIONS[mode]
        choice = match_choice(choices, answer)
        if choice is None:
            return self.ask_mode(mode).after(msg("engine.choose", max=len(choices)))
        conv.mode = None
        if choice.id in ("restart", "menu"):
            conv.reset(*self.home)
        elif choice.id in ("retry", "help"):
            conv.attempts = 0
        elif mode == "language":
            conv.lang = choice.id
            return (await self.ask()).after(msg("engine.language.set"))
        reply = await self.ask()
        return reply.after(msg(self.help_key())) if choice.id == "help" else reply

    async def on_step(self, answer: Input) -> Reply:
        conv = self.conv
        flow = self.rt.flows.get(conv.flow)
        if flow is None or conv.step not in flow:
            return await self.start(None, answer)
        ctx = self.context()
        outcome: Outcome
        try:
            outcome = await flow.step(conv.step).take(ctx, answer)
        except Invalid as refusal:
            outcome = Retry(Message(refusal.key, refusal.params))
        except (RemoteUnavailable, Pending) as error:  # ABDM slow, or one more code: no mistake
            outcome = Retry(msg(f"error.{error.code}", **error.params), counts=False)
        except Unavailable:
            outcome = Retry(msg("engine.try_again"), counts=False)
        except ArogyaError as error:
            outcome = Retry(msg(f"error.{error.code}", **error.params))
        conv.data, conv.lang = ctx.data, ctx.lang
        return await self.apply(outcome)

    async def apply(self, outcome: Outcome) -> Reply:
        conv, flows = self.conv, self.rt.flows
        if isinstance(outcome, Retry):
            conv.attempts += outcome.counts
            if conv.attempts >= self.rt.max_attempts:
                conv.mode = "rescue"
                return self.ask_mode("rescue").after(outcome.error)
            return (await self.ask()).after(outcome.error)
        if isinstance(outcome, Next):
            outcome = Go(flows[conv.flow].after(conv.step), None, outcome.say, outcome.attachments)
        if isinstance(outcome, Go):
            flow = outcome.flow or conv.flow
            if flow not in flows:
                raise FlowError(f"no flow {flow!r}")
            step = outcome.step or flows[flow].entry
            flows[flow].step(step)  # fails loudly on a typo
            kept = conv.data if flow == conv.flow else {}
            conv.move(flow, step)
            conv.data = {**kept, **(outcome.data or {})}
            return (await self.ask()).after(*outcome.say, attachments=outcome.attachments)
        conv.reset(*self.home)
        if isinstance(outcome, Finish):
            return (await self.ask()).after(*outcome.say, attachments=outcome.attachments)
        assert isinstance(outcome, End)
        conv.idle = True
        return Reply(messages=outcome.say, attachments=outcome.attachments, end=True)
