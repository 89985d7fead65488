"""A NUL character anywhere a request carries text (path, query, form field, JSON string) is
refused at the door with a JSON 4xx: PostgreSQL text cannot hold one, and on PostgreSQL the
first query to meet it raised instead (fuzzing found `GET /api/v1/hiu/consent-requests/%00`).
Run on both backends, like the whole suite."""

from __future__ import annotations

import pytest

from tests.running import Running


async def refused(answer: object) -> None:
    status = answer.status  # type: ignore[attr-defined]
    body = await answer.json()  # type: ignore[attr-defined]
    assert (status, body["error"]["code"]) == (422, "request.nul_character"), body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/hiu/consent-requests/%00",
        "/api/v1/facilities/IN%0009",
        "/api/v1/facilities?q=a%00b",
        "/api/v1/professionals/%00",
        "/council/sign-in?next=%00",
    ],
)
async def test_a_nul_in_the_path_or_query_is_refused(running: Running, path: str) -> None:
    await refused(await running.client.get(path))


async def test_a_nul_in_a_form_field_or_a_json_string_is_refused(running: Running) -> None:
    form = {
        "sessionId": "s-1",
        "serviceCode": "*384*2222#",
        "phoneNumber": "+919876543210",
        "text": "1\x00",
    }
    await refused(await running.client.post("/ussd", data=form))
    body = b'{"name": "Sanjeevani\\u0000 Hospital"}'
    headers = {"Content-Type": "application/json"}
    await refused(await running.client.post("/api/v1/facilities", data=body, headers=headers))


async def test_text_without_nul_still_flows(running: Running) -> None:
    answer = await running.client.get("/api/v1/facilities?q=sanjeevani")
    assert answer.status == 200
