"""What a step decides after taking an input: the only five things a conversation can do next.

Why a closed set: the engine, not the step, owns history, attempts, the main menu and the end of
a conversation. A step says *where* to go; the engine does the going, the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flows.types import Attachment, Message, msg


@dataclass(frozen=True, slots=True)
class Go:
    """Move on to `step` of `flow` and ask it, saying `say` first.

    `flow=None` stays in this flow; `step=None` means the flow's first step. Data is flow-local:
    entering another flow starts it with `data` (or nothing); staying merges `data` in.
    """

    step: str | None = None
    flow: str | None = None
    say: tuple[Message, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    data: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Next:
    """Move on to the step written after this one in the flow."""

    say: tuple[Message, ...] = ()
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class Retry:
    """Say `error`, then ask this step again. `counts=False` for a notice that is no mistake
    ("a new OTP is on its way"); counted mistakes lead to the offer of help after a few."""

    error: Message
    counts: bool = True


@dataclass(frozen=True, slots=True)
class Finish:
    """This flow is done: say `say`, then show the main menu (the conversation goes on)."""

    say: tuple[Message, ...] = ()
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class End:
    """The conversation is over: say `say` and close (USSD answers `END`)."""

    say: tuple[Message, ...] = ()
    attachments: tuple[Attachment, ...] = ()


Outcome = Go | Next | Retry | Finish | End


def go(
    step: str | None = None,
    *say: Message,
    flow: str | None = None,
    data: Mapping[str, Any] | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> Go:
    """`go("year")`, `go(flow="register")`, `go("pin", msg("healthid.address.saved"))`."""
    return Go(step, flow, say, attachments, data)


def retry(key: str, /, counts: bool = True, **params: Any) -> Retry:
    """`retry("demo.year.invalid", min=1900, max=2026)`."""
    return Retry(msg(key, **params), counts)


def finish(*say: Message, attachments: tuple[Attachment, ...] = ()) -> Finish:
    return Finish(say, attachments)


def end(*say: Message, attachments: tuple[Attachment, ...] = ()) -> End:
    return End(say, attachments)
