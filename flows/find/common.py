"""What the "find" conversations share: a pick from a list longer than a screen, list sizes
that suit each channel, and how a phone number or a long name is shown in a list.

Why a paged pick of our own: facility types (12), specialisations (22), states (36) and medical
councils (32) are all closed lists too long for one USSD screen. Like the Health ID's place
step, a page holds six and "7. More" shows the next six, so every number stays one key to
press and the conversation keeps only an offset, never the list (but the channel keeps the
page on screen, so a page of data-labelled options is kept shorter). Unlike it, a person may also
type an option's code (`ent`, `MH`, `hospital`) from any page, and a step may accept typed
text of its own (a PIN code, a district's name) before the numbers are judged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence

import phonenumbers

from core.services import Services
from flows import Choice, Go, Input, Outcome, Reply, Step, match_choice, retry
from flows.ctx import Ctx
from flows.normalise import keyword_form
from flows.steps import Text, say
from flows.types import MORE_KEY

#: Decides where a chosen option (its id) leads.
Chosen = Callable[[Ctx, str], Awaitable[Outcome]]
#: Judges typed text first; None lets the numbers and codes be tried.
Typed = Callable[[Ctx, str], Awaitable[Outcome | None]]

MORE = "more"
#: Results a list page holds. A USSD screen holds one listing (and the last reply is kept in the
#: conversation's state, which must stay under 1 KB); an SMS reply two; a chat window more.
PAGE_SIZES = {"ussd": 1, "sms": 2}
DEFAULT_PAGE_SIZE = 5
#: Longest name or address shown in a list: keeps a page readable and the saved reply small.
SHOWN_CHARS = 48


def page_size(ctx: Ctx) -> int:
    return PAGE_SIZES.get(ctx.channel, DEFAULT_PAGE_SIZE)


def shown(text: str, limit: int = SHOWN_CHARS) -> str:
    """`text` cut to `limit` characters at a space, marked with ASCII dots (a `…` would make
    an English SMS UCS-2 and halve its length)."""
    if len(text) <= limit:
        return text
    head = text[: limit - 3].rsplit(" ", 1)[0] or text[: limit - 3]
    return head.rstrip(" ,;.-") + "..."


def dialable(e164: str) -> str:
    """`+915222635000` -> `0522 263 5000`: the way an Indian phone dials it."""
    try:
        number = phonenumbers.parse(e164, "IN")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class PagedPick(Step[Services]):
    """Choose one of `options` (computed when asked), `per_page` a page with "More".

    Six suit options labelled by catalog keys; a list whose labels are data (place names,
    three bytes a Devanagari letter in the saved reply) takes five, to stay under 1 KB.
    """

    def __init__(
        self,
        name: str,
        prompt: Text[Services],
        options: Callable[[Ctx], Sequence[Choice]],
        *,
        then: Chosen,
        typed: Typed | None = None,
        retry_key: str = "engine.choose",
        help_key: str | None = None,
        per_page: int = 6,
    ) -> None:
        super().__init__(name, help_key=help_key)
        self.per_page = per_page
        self.prompt = prompt
        self.options = options
        self.then = then
        self.typed = typed
        self.retry_key = retry_key
        self._offset = f"{name}_at"

    def page(self, ctx: Ctx) -> tuple[Choice, ...]:
        options = tuple(self.options(ctx))
        if len(options) <= self.per_page + 1:  # one more fits where "More" would go
            return options
        offset = int(ctx.data.get(self._offset, 0))
        shown_now = options[offset : offset + self.per_page] or options[: self.per_page]
        return (*shown_now, Choice(MORE, "engine.more", key=MORE_KEY))

    async def ask(self, ctx: Ctx) -> Reply:
        return Reply(messages=(say(ctx, self.prompt),), choices=self.page(ctx))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        page = self.page(ctx)
        choice = match_choice(page, answer)
        if choice is None and answer.choice is None and answer.text:
            if self.typed is not None:
                outcome = await self.typed(ctx, answer.text)
                if outcome is not None:
                    ctx.data.pop(self._offset, None)
                    return outcome
            choice = self._by_code(ctx, answer.word)
        if choice is None:
            return retry(self.retry_key, max=len(page))
        if choice.id == MORE:
            offset = int(ctx.data.get(self._offset, 0)) + self.per_page
            ctx.data[self._offset] = offset if offset < len(self.options(ctx)) else 0
            return Go(self.name)
        ctx.data.pop(self._offset, None)
        return await self.then(ctx, choice.id)

    def _by_code(self, ctx: Ctx, word: str) -> Choice | None:
        """An option named by its code from any page (`ent`, `mh`), never by a number."""
        if not word or word.isdigit():
            return None
        return next((c for c in self.options(ctx) if keyword_form(c.id) == word), None)

    def targets(self) -> Iterator[str | Go]:
        return iter([self.name])
