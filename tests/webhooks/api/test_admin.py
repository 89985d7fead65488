"""The administrator's endpoints: the token, the decisions, and a facility's keys."""

from __future__ import annotations

import pytest

from tests.webhooks.api.conftest import ADMIN_TOKEN, Answer, Api, Serve

ADMIN = "/api/v1/admin/facilities"


async def key_probe(api: Api, key: str | None, header: str = "Authorization") -> Answer:
    """A HIP call that passes authentication only with a good key (then fails on its body)."""
    headers = {}
    if key is not None:
        headers[header] = f"Bearer {key}" if header == "Authorization" else key
    return await api.call("POST", "/api/v1/hip/care-contexts", json_body={}, headers=headers)


async def accepted(api: Api, key: str) -> bool:
    answer = await key_probe(api, key)
    assert answer.status in (401, 422), answer.body
    return answer.status == 422


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, "admin.token_missing"),
        ("Bearer wrong-token", "admin.token_invalid"),
        (f"Basic {ADMIN_TOKEN}", "admin.token_invalid"),
        ("Bearer", "admin.token_invalid"),
    ],
)
async def test_admin_endpoints_refuse_without_the_token(
    api: Api, authorization: str | None, code: str
) -> None:
    facility_id = await api.register()
    headers = {"Authorization": authorization} if authorization else {}
    for method, path in [
        ("GET", ADMIN),
        ("GET", f"{ADMIN}/{facility_id}"),
        ("POST", f"{ADMIN}/{facility_id}/verify"),
        ("POST", f"{ADMIN}/{facility_id}/keys/rotate"),
        ("POST", f"{ADMIN}/{facility_id}/keys/revoke"),
    ]:
        answer = await api.call(method, path, headers=headers)
        assert (answer.status, answer.code) == (401, code), path
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    reject = await api.call(
        "POST", f"{ADMIN}/{facility_id}/reject", json_body={"reason": "x"}, headers=headers
    )
    assert reject.status == 401
    assert (await api.call("GET", f"{ADMIN}/{facility_id}", admin=ADMIN_TOKEN)).body[
        "status"
    ] == "SUBMITTED"


async def test_a_facility_key_is_not_an_admin_token(api: Api, hospital: tuple[str, str]) -> None:
    facility_id, key = hospital
    answer = await api.call("POST", f"{ADMIN}/{facility_id}/keys/rotate", key=key)
    assert (answer.status, answer.code) == (401, "admin.token_invalid")


async def test_without_a_configured_token_there_is_no_administrator(serve: Serve) -> None:
    api = await serve(admin_token=None)
    facility_id = await api.register()
    answer = await api.call("POST", f"{ADMIN}/{facility_id}/verify", admin="")
    assert (answer.status, answer.code) == (403, "admin.disabled")
    answer = await api.call("POST", f"{ADMIN}/{facility_id}/verify", admin=ADMIN_TOKEN)
    assert (answer.status, answer.code) == (403, "admin.disabled")


async def test_verification_shows_the_key_once_and_it_works(api: Api) -> None:
    facility_id = await api.register()
    answer = await api.call("POST", f"{ADMIN}/{facility_id}/verify", admin=ADMIN_TOKEN)
    assert answer.status == 200
    assert answer.headers["Cache-Control"] == "no-store"
    key = answer.body["key"]["api_key"]
    assert key.startswith(f"afk_{answer.body['key']['key_id']}_")
    assert answer.body["facility"]["status"] == "VERIFIED"
    assert await accepted(api, key)
    shown = await api.call("GET", f"{ADMIN}/{facility_id}", admin=ADMIN_TOKEN)
    assert key not in str(shown.body)
    again = await api.call("POST", f"{ADMIN}/{facility_id}/verify", admin=ADMIN_TOKEN)
    assert (again.status, again.code) == (409, "facility.wrong_status")
    assert again.body["error"]["details"] == {"status": "VERIFIED"}
    events = await api.services.audit.events(subject=facility_id, action="facility.verified")
    assert [event.actor for event in events] == ["admin:api"]


async def test_rejection_needs_a_reason(api: Api) -> None:
    facility_id = await api.register()
    reject = f"{ADMIN}/{facility_id}/reject"
    missing = await api.call("POST", reject, json_body={}, admin=ADMIN_TOKEN)
    assert (missing.status, missing.code, missing.body["error"]["paths"]) == (
        422,
        "request.invalid",
        ["reason"],
    )
    short = await api.call("POST", reject, json_body={"reason": " x "}, admin=ADMIN_TOKEN)
    assert (short.status, short.body["error"]["field"]) == (422, "reason")
    no_body = await api.call("POST", reject, admin=ADMIN_TOKEN)
    assert no_body.status == 415
    done = await api.call(
        "POST",
        reject,
        json_body={"reason": "The PIN code does not match the address."},
        admin=ADMIN_TOKEN,
    )
    assert done.status == 200
    assert (done.body["status"], done.body["rejection_reason"]) == (
        "REJECTED",
        "The PIN code does not match the address.",
    )
    verify = await api.call("POST", f"{ADMIN}/{facility_id}/verify", admin=ADMIN_TOKEN)
    assert (verify.status, verify.code) == (409, "facility.wrong_status")
    unknown = await api.call(
        "POST", f"{ADMIN}/IN0900000000/reject", json_body={"reason": "Not real"}, admin=ADMIN_TOKEN
    )
    assert (unknown.status, unknown.code) == (404, "facility.not_found")


async def test_the_queue_lists_one_status_oldest_first(api: Api) -> None:
    first = await api.register(name="First Clinic")
    second = await api.register(name="Second Clinic")
    await api.call("POST", f"{ADMIN}/{first}/verify", admin=ADMIN_TOKEN)
    queue = await api.call("GET", ADMIN, admin=ADMIN_TOKEN)
    assert [item["id"] for item in queue.body["items"]] == [second]
    verified = await api.call("GET", f"{ADMIN}?status=verified", admin=ADMIN_TOKEN)
    assert [item["id"] for item in verified.body["items"]] == [first]
    wrong = await api.call("GET", f"{ADMIN}?status=LIVE", admin=ADMIN_TOKEN)
    assert (wrong.status, wrong.body["error"]["field"]) == (422, "status")


async def test_rotation_replaces_the_key_and_revocation_cuts_off(
    api: Api, hospital: tuple[str, str]
) -> None:
    facility_id, old_key = hospital
    rotated = await api.call("POST", f"{ADMIN}/{facility_id}/keys/rotate", admin=ADMIN_TOKEN)
    assert rotated.status == 200
    assert rotated.headers["Cache-Control"] == "no-store"
    new_key = rotated.body["key"]["api_key"]
    assert new_key != old_key
    assert await accepted(api, new_key)
    stale = await key_probe(api, old_key)
    assert (stale.status, stale.code) == (401, "facility.key_revoked")
    revoked = await api.call("POST", f"{ADMIN}/{facility_id}/keys/revoke", admin=ADMIN_TOKEN)
    assert (revoked.status, revoked.body) == (204, None)
    assert (await key_probe(api, new_key)).code == "facility.key_revoked"
    twice = await api.call("POST", f"{ADMIN}/{facility_id}/keys/revoke", admin=ADMIN_TOKEN)
    assert (twice.status, twice.code) == (409, "facility.no_active_key")
    restored = await api.call("POST", f"{ADMIN}/{facility_id}/keys/rotate", admin=ADMIN_TOKEN)
    assert await accepted(api, restored.body["key"]["api_key"])


async def test_only_a_verified_facility_gets_a_key(api: Api) -> None:
    facility_id = await api.register()
    answer = await api.call("POST", f"{ADMIN}/{facility_id}/keys/rotate", admin=ADMIN_TOKEN)
    assert (answer.status, answer.code) == (403, "facility.not_verified")


async def test_a_facility_rotates_its_own_key(api: Api, hospital: tuple[str, str]) -> None:
    facility_id, old_key = hospital
    own = await api.call("POST", "/api/v1/hip/keys/rotate", headers={"X-API-Key": old_key})
    assert own.status == 200
    assert own.headers["Cache-Control"] == "no-store"
    assert own.body["facility"]["id"] == facility_id
    new_key = own.body["key"]["api_key"]
    assert await accepted(api, new_key)
    assert (await key_probe(api, old_key, header="X-API-Key")).code == "facility.key_revoked"
    replay = await api.call("POST", "/api/v1/hip/keys/rotate", key=old_key)
    assert (replay.status, replay.code) == (401, "facility.key_revoked")
    events = await api.services.audit.events(subject=facility_id, action="facility.key_rotated")
    assert [event.actor for event in events] == [facility_id]
