"""A check schemathesis loads (SCHEMATHESIS_HOOKS) for tests/evidence/test_schemathesis.py:
a request the OpenAPI document allows is never refused for its shape.

Why a check of our own: `positive_data_acceptance` can only be told which statuses a valid
request may get, and 422 must stay among them, because a registry refuses some well-formed
requests for domain reasons (a wrong OTP, a district outside its state: `otp.invalid`,
`facility.invalid`). Those answers carry their own codes; `request.invalid` is only ever the
JSON Schema check of `webhooks.api.bodies.parse_model`. So a generated, schema-valid request
that gets `request.invalid` means the document promised a shape the server does not accept,
which is exactly what a partner's generated client would trip over.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response

#: The codes that refuse a request for its shape alone (`webhooks.api.bodies.parse_model`, and
#: a query parameter the operation does not declare).
SHAPE_REFUSALS = frozenset({"request.invalid", "request.unknown_parameter"})


def _code(response: Response) -> str | None:
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else None


@schemathesis.check
def schema_valid_request_not_refused_for_shape(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """Fail when a positive (schema-valid) case is answered 422 with a shape code."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    code = _code(response)
    if code in SHAPE_REFUSALS:
        raise AssertionError(
            f"A schema-valid request was refused as malformed ({code}): {response.content[:300]!r}"
        )
    return None
