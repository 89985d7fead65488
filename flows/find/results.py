"""The results of a search, one page at a time, with "More results" and "New search".

Why pages inside the step: a district may hold hundreds of verified facilities, and neither a
USSD screen nor an SMS can show them all. The step keeps only the page number in the
conversation (`ctx.data["page"]`) and asks core for that page again when it is shown, so the
state stays small however long the list, and a result verified a minute ago appears at once.
The channel may still split one page over screens (USSD "98. More") or parts (SMS "MORE").

Results are not numbered: the numbers on a page belong to its choices, and a person pressing
"1" must never think they picked the first hospital.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

from core.services import Services
from flows import Choice, Go, Input, Message, Outcome, Reply, Step, match_choice, retry
from flows.ctx import Ctx
from flows.find.area import place_message
from flows.find.common import page_size
from flows.types import MORE_KEY


@dataclass(frozen=True, slots=True)
class Found:
    """One page of a search: a message per result, and how many there are in all."""

    lines: tuple[Message, ...]
    total: int
    has_next: bool


#: Runs the search for (page, page size) with what the flow gathered in `ctx.data`.
Search = Callable[[Ctx, int, int], Awaitable[Found]]

NEXT = Choice("next", "engine.more", key=MORE_KEY)
PREVIOUS = Choice("previous", "find.results.previous")
AGAIN = Choice("again", "find.results.again")


class ResultsStep(Step[Services]):
    """Say `heading(ctx)`, the area and the count, then this page's results."""

    def __init__(
        self, name: str, heading: Callable[[Ctx], Message], search: Search, *, again: str
    ) -> None:
        super().__init__(name, help_key="find.results.help")
        self.heading = heading
        self.search = search
        self.again = again

    async def _page(self, ctx: Ctx) -> tuple[int, Found]:
        page = int(ctx.data.get("page", 1))
        found = await self.search(ctx, page, page_size(ctx))
        if not found.lines and page > 1:  # the list shrank since: show its start
            page = 1
            found = await self.search(ctx, page, page_size(ctx))
        return page, found

    def _choices(self, page: int, found: Found) -> tuple[Choice, ...]:
        return (
            *((PREVIOUS,) if page > 1 else ()),
            AGAIN,
            *((NEXT,) if found.has_next else ()),
        )

    async def ask(self, ctx: Ctx) -> Reply:
        page, found = await self._page(ctx)
        if not found.lines:
            summary = place_message(ctx, "find.results.none")
        else:
            pages = -(-found.total // page_size(ctx))
            summary = place_message(
                ctx, "find.results.count", total=found.total, page=page, pages=pages
            )
        return Reply(
            messages=(self.heading(ctx), summary, *found.lines),
            choices=self._choices(page, found),
        )

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        page, found = await self._page(ctx)
        choices = self._choices(page, found)
        choice = match_choice(choices, answer)
        if choice is None:
            return retry("engine.choose", max=len(choices))
        if choice is AGAIN:
            # The answers stay: the next search overwrites them, and "0" from its first
            # question comes back to these results (emptied, it once crashed the hop).
            ctx.data.pop("page", None)
            return Go(self.again)
        ctx.data["page"] = page + 1 if choice is NEXT else page - 1
        return Go(self.name)

    def targets(self) -> Iterator[str | Go]:
        return iter([self.name, self.again])
