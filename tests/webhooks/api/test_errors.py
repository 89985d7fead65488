"""Every write of the partner API, sent a body it cannot read, answers the documented JSON
refusal (a 4xx from the shared middleware in `webhooks.errors`), never a 500."""

from __future__ import annotations

import re

import pytest

from tests.webhooks.api.conftest import ADMIN_TOKEN, Api

BODIES = [
    (b"{not json", "application/json"),
    (b"\xff\xfe\x00\x01", "application/json"),
    (b"", "application/json"),
    (b"[1, 2, 3]", "application/json"),
    (b"a=1&b=2", "application/x-www-form-urlencoded"),
    (b"<Bundle/>", "application/xml"),
]
CALLERS = {
    "nobody": {},
    "admin": {"Authorization": f"Bearer {ADMIN_TOKEN}"},
    "a wrong key": {"Authorization": "Bearer not-a-key"},
}


@pytest.mark.parametrize("caller", sorted(CALLERS))
async def test_a_body_it_cannot_read_is_a_json_4xx_on_every_write(api: Api, caller: str) -> None:
    writes = [
        re.sub(r"\{[^}]+\}", "IN0000000001", path)
        for path, operations in api.document["paths"].items()
        if "post" in operations
    ]
    assert len(writes) > 5
    codes: set[str] = set()
    for path in writes:
        for body, content_type in BODIES:
            headers = {**CALLERS[caller], "Content-Type": content_type, "Accept-Language": "hi"}
            response = await api.client.post(path, data=body, headers=headers)
            where = f"{caller} POST {path} {body!r}"
            assert 400 <= response.status < 500, where
            assert response.content_type == "application/json", where
            error = (await response.json())["error"]
            assert {"code", "message"} <= set(error), where
            assert error["message"] != error["code"], where  # a catalog message, in Hindi
            assert error["code"] != "http.404", where  # the route is there: its refusal
            codes.add(error["code"])
    if caller == "nobody":
        assert {"request.malformed_json", "request.unsupported_media_type"} <= codes, codes
