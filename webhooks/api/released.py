"""Released records as the HIU receives them: each bundle's bytes exactly as the HIP pushed
them, and a mark on any bundle that is not valid FHIR R4.

Why splice bytes: FHIR decimals are exact (`7.50` is not `7.5`, `1.5E3` is not `1500.0`, and
a long decimal is not a float). Parsing a stored bundle into Python and serialising it again
changes all three, so the answer is made with a unique placeholder where each bundle goes, and
the stored bytes (valid JSON: they were parsed on the way in) replace the placeholder.

Why a mark and not a refusal: a bundle accepted under the tolerance table (core.records.fhir,
a missing `ImmunizationRecommendation.recommendation.forecastStatus` from ProjectEKA-style
HIPs) is the person's record and may be released, but it fails R4 validation as sent. Its
entry says so: `fhirR4Valid: false` and the R4 paths it lacks in `fhirR4Problems`, so an HIU
that validates strictly knows before it tries.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence

from aiohttp import web
from pydantic import BaseModel

from core.records.fhir import parse_document


def r4_problems(raw: bytes) -> list[str]:
    """The R4 paths a stored bundle lacks (accepted under the tolerance table); [] when the
    bundle is valid R4 as stored."""
    return list(parse_document(raw, max_bytes=max(len(raw), 1)).warnings)


def verbatim_json(body: BaseModel, path: str, raws: Sequence[bytes]) -> bytes:
    """`body` as JSON, with `body[path][i]["bundle"]` replaced by `raws[i]` byte for byte."""
    data = body.model_dump(mode="json", by_alias=True)
    token = secrets.token_hex(16)
    entries = data[path]
    for index, entry in enumerate(entries):
        entry["bundle"] = f"verbatim-{token}-{index}"
    text = json.dumps(data, ensure_ascii=False).encode()
    for index, raw in enumerate(raws):
        placeholder = json.dumps(f"verbatim-{token}-{index}").encode()
        text = text.replace(placeholder, raw.strip(), 1)
    return text


def verbatim_reply(
    body: BaseModel, path: str, raws: Sequence[bytes], headers: dict[str, str]
) -> web.Response:
    return web.Response(
        body=verbatim_json(body, path, raws),
        content_type="application/json",
        charset="utf-8",
        headers=headers,
    )
