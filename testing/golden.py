"""Golden conversation transcripts: a JSON file of inputs and the pages expected after each.

Why (goflow's habit): a conversation's wording is its behaviour. A transcript shows the whole
exchange as a person sees it, a change shows up as a readable diff in review, and an intended
change is re-recorded with `pytest --update-golden` (or `AROGYA_UPDATE_GOLDEN=1`) rather than
by hand-editing expectations.

A file looks like:

    {"description": "...", "hops": [
        {"dial": true, "expect": ["CON Welcome ..."]},
        {"send": "1", "expect": ["CON Your name?"]},
        {"advance": 660},
        {"send": "Asha", "expect": [...]}]}

`dial` starts a new USSD session, `send` delivers one input, `advance` moves the frozen clock
(seconds) and expects nothing. `expect` is what the phone shows after the hop: USSD bodies
(`CON`/`END` + page), or the SMS texts sent to the phone (none when it stays silent). Writing a
new script means writing the inputs with no `expect` and running with `--update-golden`.

Hooking it in: a conftest calls `add_golden_option(parser)` from `pytest_addoption`; tests get
the flag from `wants_update(config)`. Wrap a phone in `Weighed` to also hold the conversation's
stored state under 1 KB after every hop. Phones for the real endpoints are in
tests/webhooks/phones.py (`UssdPhone`, `SmsPhone`).
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any, Protocol

import pytest

from core.state import StateStore

OPTION = "--update-golden"
#: DESIGN §3: a conversation's state stays under 1 KB.
STATE_BUDGET_BYTES = 1024
ENV = "AROGYA_UPDATE_GOLDEN"


class Phone(Protocol):
    """A channel driver: what a phone would see for each action."""

    async def dial(self) -> list[str]: ...

    async def send(self, text: str) -> list[str]: ...

    def advance(self, seconds: float) -> None: ...


def add_golden_option(parser: pytest.Parser) -> None:
    """Register `--update-golden` once, whichever conftest asks first."""
    with contextlib.suppress(ValueError):  # another conftest already added it
        parser.addoption(
            OPTION, action="store_true", default=False, help="re-record golden transcripts"
        )


def wants_update(config: pytest.Config) -> bool:
    return bool(config.getoption(OPTION, default=False)) or os.environ.get(ENV) == "1"


async def _perform(phone: Phone, hop: dict[str, Any]) -> list[str] | None:
    if "advance" in hop:
        phone.advance(float(hop["advance"]))
        return None
    if hop.get("dial"):
        return await phone.dial()
    return await phone.send(str(hop["send"]))


async def replay(path: Path, phone: Phone, *, update: bool) -> None:
    """Play the script's inputs into `phone`, comparing after every hop (or re-recording)."""
    script = load(path)
    recorded: list[dict[str, Any]] = []
    for index, hop in enumerate(script["hops"]):
        seen = await _perform(phone, hop)
        entry = {name: value for name, value in hop.items() if name != "expect"}
        if seen is not None:
            entry["expect"] = seen
            if not update:
                assert seen == hop.get("expect"), (
                    f"{path.name} hop {index} ({_label(hop)}):\n"
                    f"  expected {json.dumps(hop.get('expect'), ensure_ascii=False)}\n"
                    f"  got      {json.dumps(seen, ensure_ascii=False)}\n"
                    f"  (intended? re-record with pytest {OPTION})"
                )
        recorded.append(entry)
    if update:
        script["hops"] = recorded
        save(path, script)


def load(path: Path) -> dict[str, Any]:
    script: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return script


def save(path: Path, script: dict[str, Any]) -> None:
    path.write_text(json.dumps(script, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _label(hop: dict[str, Any]) -> str:
    if hop.get("dial"):
        return "dial"
    return f"send {hop.get('send')!r}"


class Weighed:
    """A phone whose conversation state is weighed after every hop."""

    def __init__(self, phone: Phone, state: StateStore, key: str) -> None:
        self.phone = phone
        self.state = state
        self.key = key
        self.heaviest = 0

    async def _weigh(self, seen: list[str]) -> list[str]:
        raw = await self.state.get_json(self.key)
        size = len(json.dumps(raw, ensure_ascii=False).encode())
        assert size < STATE_BUDGET_BYTES, (size, raw)
        self.heaviest = max(self.heaviest, size)
        return seen

    async def dial(self) -> list[str]:
        return await self._weigh(await self.phone.dial())

    async def send(self, text: str) -> list[str]:
        return await self._weigh(await self.phone.send(text))

    def advance(self, seconds: float) -> None:
        self.phone.advance(seconds)
