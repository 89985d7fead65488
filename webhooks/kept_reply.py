"""A reply kept in a channel's record for paging ("98" / "MORE"), packed when it is large.

Why: USSD and SMS keep the engine's last reply in the conversation's state, so the next page of
it can be shown without asking the flow again; the state must stay under 1 KB (docs/design.md
§3). A reply is message keys, and a list of them repeats the same long keys: "Who saw my
records" keeps five lines, each with a nested message per kind of record
(`{"msg": ["consent.hitype.Prescription"]}`), 1.4 KB of JSON in English. Compressed (zlib, in
base85, whose alphabet needs no escaping in JSON) it is a fraction of that. Small replies, most
of them, stay plain JSON, readable in the store and not worth the CPU.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

#: Replies whose JSON is longer than this are packed.
PACK_OVER = 320
#: The prefix of a packed reply (a plain reply is a JSON object, never a string).
PACKED = "z:"


def pack(reply: dict[str, Any]) -> dict[str, Any] | str:
    """The reply as it is kept: itself, or packed text when its JSON is long."""
    raw = json.dumps(reply, ensure_ascii=False, separators=(",", ":")).encode()
    if len(raw) <= PACK_OVER:
        return reply
    return PACKED + base64.b85encode(zlib.compress(raw, 9)).decode("ascii")


def unpack(kept: Any) -> dict[str, Any]:
    """The reply `pack` kept (plain or packed); {} for nothing kept."""
    if isinstance(kept, str) and kept.startswith(PACKED):
        opened: dict[str, Any] = json.loads(zlib.decompress(base64.b85decode(kept[len(PACKED) :])))
        return opened
    return dict(kept or {})
