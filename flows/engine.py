"""The conversation engine: `reply = await engine.handle(key, Input(...))`, on any channel.

Why it looks like this: USSD, SMS and Telegram all deliver one input at a time, maybe twice,
maybe twenty at once, to any of N processes. So every turn is load -> step -> save under the
conversation's lock in the shared state store; a delivery id already handled is answered from
cache with the very same reply and has no second effect; and state is written only after a turn
succeeded, so an outage costs a "please try again", never progress. The engine never sends
anything: it returns what to say, and the channel delivers it (and renders the keys).

Channels that keep bookkeeping of their own (USSD paging) use `engine.conversation(key)`, which
holds the lock around their record and the turn together; `process` is that, for one input.

A conversation on USSD with the test flows of tests/flows/engine/demo.py (the golden transcripts in
tests/golden/demo/ hold the whole of it):

    (dial)  -> CON Welcome to the demo. 1. Register 2. Pick a fruit 3. About 4. Quit
    1       -> CON Your name?                                        (register.name)
    Asha    -> CON Year of birth?                                    (register.year)
    20O1    -> CON Please type a year from 1900 to 2026. Year of birth?     (Retry)
    back    -> CON Your name?                                        (history)
    HINDI   -> CON भाषा: हिंदी। आपका नाम?                               (a global word)
    आशा     -> CON जन्म का वर्ष?
    १९९०     -> CON उपनाम चुनें: 1. आशा1 2. आशा7 3. आशा42              (Devanagari digits; Pick)
    2       -> CON आशा, जन्म 1990, उपनाम आशा7। सही है? 1. हाँ, सहेजें 2. बदलें
    1       -> END धन्यवाद, आशा। आपका नंबर R1 है।                       (End)
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import AsyncIterator, Callable, Collection, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Generic

from core.clock import Clock, SystemClock, system_random
from core.errors import Unavailable
from core.settings import Settings
from core.state import StateStore
from core.state.holding import hold
from flows.flow import Flow, FlowError, S
from flows.normalise import keyword_form
from flows.outcomes import Go
from flows.session import Session
from flows.turn import Catcher, Runtime
from flows.types import ConversationKey, Handled, Input, Reply, msg
from locales import normalise_language

log = logging.getLogger(__name__)


class Engine(Generic[S]):
    """Runs `flows` (the one named `root` is the main menu) for every conversation.

    `shortcuts` maps a keyword (any case or script) to where it leads, e.g.
    `{"ABHA": Go(flow="healthid")}`. `catchers` recognise free-standing text (a consent answer
    by code) at the main menu or a cold start. `opt_out_channels` are those where STOP/START
    apply.
    """

    def __init__(
        self,
        flows: Iterable[Flow[S]],
        root: str,
        *,
        services: S,
        state: StateStore,
        settings: Settings,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        ids: Callable[[], str] | None = None,
        shortcuts: Mapping[str, Go] | None = None,
        catchers: Sequence[Catcher[S]] = (),
        opt_out_channels: Collection[str] = ("sms",),
        max_attempts: int = 3,
        default_lang: str = "en",
        lock_timeout: float = 10.0,
    ) -> None:
        registry = {flow.name: flow for flow in flows}
        if root not in registry:
            raise FlowError(f"the root flow {root!r} is not among the flows")
        _check_targets(registry)
        self._state = state
        self._settings = settings
        self._lock_timeout = lock_timeout
        self._rt = Runtime(
            flows=registry,
            root=root,
            services=services,
            clock=clock or SystemClock(),
            rng=rng or system_random(),
            ids=ids or (lambda: uuid.uuid4().hex),
            shortcuts={keyword_form(word): go for word, go in (shortcuts or {}).items()},
            catchers=tuple(catchers),
            opt_out_channels=frozenset(opt_out_channels),
            max_attempts=max_attempts,
            conversation_ttl=settings.conversation_ttl_seconds,
            resume_window=settings.resume_window_seconds,
            default_lang=normalise_language(default_lang),
        )

    @property
    def state(self) -> StateStore:
        """The store conversations live in."""
        return self._state

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def flows(self) -> Mapping[str, Flow[S]]:
        return self._rt.flows

    async def handle(self, key: ConversationKey, answer: Input) -> Reply:
        return (await self.process(key, answer)).reply

    async def process(self, key: ConversationKey, answer: Input) -> Handled:
        """One delivery, start to finish; never raises for a person's input or an outage."""
        try:
            async with self.conversation(key) as convo:
                return await convo.handle(answer)
        except (Unavailable, TimeoutError):
            log.warning("state store unavailable for %s", key.state_key(), exc_info=True)
        lang = normalise_language(answer.lang or self._rt.default_lang)
        return Handled(Reply(messages=(msg("engine.try_again"),), end=True, lang=lang))

    @asynccontextmanager
    async def conversation(self, key: ConversationKey) -> AsyncIterator[Session[S]]:
        """Hold one conversation: its lock, its state read once and written once on the way
        out (not at all if the block raises). Raises `Unavailable`/`TimeoutError` when the
        store is down or the lock stays taken; `process` turns those into "try again"."""
        state_key = key.state_key()
        async with hold(self._state, state_key, timeout=self._lock_timeout) as held:
            raw = held.value
            session = Session(self._rt, self._state, key, raw if isinstance(raw, dict) else None)
            yield session
            for name, value, ttl in session.writes():
                held.write(name, value, ttl)

    async def is_opted_out(self, key: ConversationKey) -> bool:
        """Has this subject sent STOP (and not START)? Notices must not go to them.

        Raises `Unavailable` when the store is down: a notifier should retry, not guess.
        """
        raw = await self._state.get_json(key.state_key())
        return bool(raw and raw.get("opted_out"))

    async def language_of(self, key: ConversationKey) -> str:
        """The conversation's language, or the default when there is none (or no store)."""
        try:
            raw = await self._state.get_json(key.state_key())
        except Unavailable:
            raw = None
        return normalise_language(str(raw.get("lang")) if raw else self._rt.default_lang)

    async def forget(self, key: ConversationKey) -> None:
        """Drop the conversation (a person's erasure request; tests)."""
        await self._state.delete(key.state_key())


def _check_targets(flows: Mapping[str, Flow[S]]) -> None:
    """Every step name a flow mentions statically must exist: a typo fails at startup."""
    for flow in flows.values():
        for step in flow.steps:
            for target in step.targets():
                go = Go(target) if isinstance(target, str) else target
                name = go.flow or flow.name
                if name not in flows or (go.step is not None and go.step not in flows[name]):
                    raise FlowError(f"{flow.name}.{step.name} leads to unknown {name}.{go.step}")
