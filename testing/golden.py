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

Where they are: tests/golden/<flow>/<channel>_<what>_<lang>.json, one folder per flow the
transcript walks (healthid, records, find, doctors, demo), the channel (ussd, sms, telegram)
first in the name; `scripts(flow, *channels)` lists them and `each_script` parametrizes a test
over them.

Hooking it in: the root conftest (tests/conftest.py) registers `--update-golden` with
`add_golden_option(parser)`; tests get the flag from `wants_update(config)`. Wrap a phone in
`Weighed` to also hold the conversation's stored state under 1 KB after every hop. Phones for
the real endpoints are in tests/webhooks/phones.py (`UssdPhone`, `SmsPhone`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import pytest

from core.state import StateStore

OPTION = "--update-golden"
#: docs/design.md §3: a conversation's state stays under 1 KB.
STATE_BUDGET_BYTES = 1024
ENV = "AROGYA_UPDATE_GOLDEN"
#: Every transcript, one folder per flow.
GOLDEN_DIR = Path(__file__).resolve().parents[1] / "tests" / "golden"
CHANNELS = ("ussd", "sms", "telegram")


class Phone(Protocol):
    """A channel driver: what a phone would see for each action."""

    async def dial(self) -> list[str]: ...

    async def send(self, text: str) -> list[str]: ...

    def advance(self, seconds: float) -> None: ...


def add_golden_option(parser: pytest.Parser) -> None:
    """Register `--update-golden` (the root conftest does, once for the whole suite)."""
    parser.addoption(
        OPTION, action="store_true", default=False, help="re-record golden transcripts"
    )


def wants_update(config: pytest.Config) -> bool:
    return bool(config.getoption(OPTION, default=False)) or os.environ.get(ENV) == "1"


def scripts(flow: str, *channels: str) -> list[Path]:
    """The transcripts of `flow` on `channels` (every channel when none is named), by name."""
    folder = GOLDEN_DIR / flow
    if not folder.is_dir():
        raise FileNotFoundError(f"no golden transcripts for flow {flow!r} in {GOLDEN_DIR}")
    wanted = channels or CHANNELS
    unknown = set(wanted) - set(CHANNELS)
    assert not unknown, f"unknown channels {sorted(unknown)}"
    found = sorted(folder.glob("*.json"))
    stray = [path.name for path in found if channel_of(path) not in CHANNELS]
    assert not stray, f"{folder}: name each transcript <channel>_<what>_<lang>.json: {stray}"
    return [path for path in found if channel_of(path) in wanted]


def channel_of(path: Path) -> str:
    """The channel a transcript is played on: the first word of its file name."""
    return path.stem.split("_", 1)[0]


def each_script(paths: list[Path]) -> pytest.MarkDecorator:
    """Parametrize a test over `paths` as `path`, each test named by its file's stem."""
    return pytest.mark.parametrize("path", paths, ids=[path.stem for path in paths])


def assert_recorded(path: Path) -> None:
    """Every hop that is not a clock move has its `expect` (a new script was re-recorded)."""
    hops = load(path)["hops"]
    assert all("expect" in hop for hop in hops if "advance" not in hop), path.name


async def _perform(phone: Phone, hop: dict[str, Any]) -> list[str] | None:
    if "advance" in hop:
        phone.advance(float(hop["advance"]))
        return None
    if hop.get("dial"):
        return await phone.dial()
    return await phone.send(str(hop["send"]))


#: Rewrites one side of a comparison hop by hop (it may keep state between hops).
Normaliser = Callable[[list[str]], list[str]]


async def replay(
    path: Path,
    phone: Phone,
    *,
    update: bool,
    normaliser: Callable[[], Normaliser] | None = None,
) -> None:
    """Play the script's inputs into `phone`, comparing after every hop (or re-recording).

    With `normaliser`, a factory, what the phone showed and what the script expects are each
    passed through their own normaliser before they are compared; such a replay checks a
    recording made elsewhere and never re-records it (the same script against another
    registry, tests/webhooks/healthid/registries.py)."""
    script = load(path)
    recorded: list[dict[str, Any]] = []
    same: Normaliser = _as_is
    expected: Normaliser = _as_is
    if normaliser is not None:
        same, expected, update = normaliser(), normaliser(), False
    hint = "a difference the normaliser keeps" if normaliser else f"re-record with pytest {OPTION}"
    for index, hop in enumerate(script["hops"]):
        seen = await _perform(phone, hop)
        entry = {name: value for name, value in hop.items() if name != "expect"}
        if seen is not None:
            entry["expect"] = seen
            if not update:
                assert "expect" in hop, f"{path.name} hop {index} ({_label(hop)}) not recorded"
                got, want = same(seen), expected(list(hop["expect"]))
                assert got == want, (
                    f"{path.name} hop {index} ({_label(hop)}):\n"
                    f"  expected {json.dumps(want, ensure_ascii=False)}\n"
                    f"  got      {json.dumps(got, ensure_ascii=False)}\n"
                    f"  (intended? {hint})"
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


def _as_is(lines: list[str]) -> list[str]:
    return lines


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
