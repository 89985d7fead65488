"""The loopback ABDM's deactivation and deletion of an ABHA, by the holder's X-token.

As integrators quote NHA's ABHA v3 SOP (deactivate / delete an ABHA number): both are the
profile update pair that also changes a mobile, told apart by `scope`:

- `POST /v3/profile/account/request/otp` with `X-token`, scope `abha-profile` + `de-activate`
  (or + `delete`), loginHint `abha-number`, loginId the number (with its dashes) RSA-encrypted,
  otpSystem `abdm`: ABDM's OTP to the ABHA's mobile, and a txnId;
- `POST /v3/profile/account/verify` with `X-token`, the same scope, `authData` {authMethods
  ["otp"], otp {txnId, otpValue}} and `reasons` (a non-empty list): `authResult` success and
  the ABHA is DEACTIVATED, or gone. A wrong OTP is `authResult: failed`; five wrong are
  ABDM-1100; a used, expired or foreign txnId is ABDM-1017; a scope other than the request's
  is refused; a deactivated ABHA cannot be deactivated again (ABDM-1134).

Why a middleware and not two more routes: the paths are the mobile update's
(`testing.fakes.abdm_profile`), which keeps them; this one takes only the leave scopes and
runs inside the wire checks (`FakeAbdm._wire`). A deleted ABHA's X-token reads ABDM-1114 on
`GET /v3/profile/account`, as a login for it would, and its used transaction ABDM-1017.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from testing.fakes.abdm_people import MAX_OTP_ATTEMPTS

if TYPE_CHECKING:
    from testing.fakes.abdm import FakeAbdm, Handler

SCOPES = {
    ("abha-profile", "de-activate"): "deactivate",
    ("abha-profile", "delete"): "delete",
}


def add_leave_routes(fake: FakeAbdm, prefix: str) -> None:
    from testing.fakes.abdm import _json, bad_fields, fault

    ask_path = f"{prefix}/profile/account/request/otp"
    verify_path = f"{prefix}/profile/account/verify"
    account_path = f"{prefix}/profile/account"
    #: Numbers of the ABHAs deleted here (gone from `people.abhas`).
    deleted = fake.deleted_abhas

    def holder(request: web.Request) -> str | None:
        token = request.headers.get("X-token", "").removeprefix("Bearer ")
        return fake.x_tokens.get(token)

    def action_of(body: dict[str, Any]) -> str | None:
        scope = body.get("scope")
        return SCOPES.get(tuple(scope)) if isinstance(scope, list) else None

    async def ask(request: web.Request, number: str, body: dict[str, Any]) -> web.Response:
        action = action_of(body)
        if body.get("otpSystem") != "abdm":
            return bad_fields(otpSystem="Invalid OTP System")
        if body.get("loginHint") != "abha-number":
            return bad_fields(loginHint="Invalid Login Hint")
        if fake.decrypt(body.get("loginId")) != number:
            return bad_fields(loginId="Invalid LoginId")
        abha = fake.people.abhas[number]
        if abha.status != "ACTIVE" and action == "deactivate":
            return fault(400, "ABDM-1134", "ABHA number is not active")
        if abha.mobile is None:
            return fault(400, "ABDM-1114", "ABHA Number not found.")
        txn = fake.people.open_txn(f"profile-{action}", fake.now(), to=abha.mobile, abha=number)
        message = f"OTP is sent to Mobile number ending with ******{abha.mobile[-4:]}"
        return web.json_response({"txnId": txn.id, "message": message})

    async def verify(request: web.Request, number: str, body: dict[str, Any]) -> web.Response:
        action = action_of(body)
        auth = body.get("authData")
        otp = auth.get("otp") if isinstance(auth, dict) else None
        if not isinstance(auth, dict) or not isinstance(otp, dict):
            return bad_fields(authData="Invalid Auth Data")
        if auth.get("authMethods") != ["otp"]:
            return bad_fields(authMethods="Invalid Auth Methods")
        reasons = body.get("reasons")
        if not (isinstance(reasons, list) and reasons and all(isinstance(r, str) for r in reasons)):
            return bad_fields(reasons="Reasons cannot be null or empty")
        value = fake.decrypt(otp.get("otpValue"))
        if value is None:
            return bad_fields(otpValue="Invalid OTP Value")
        txn = fake.people.txns.get(str(otp.get("txnId")))
        if (
            txn is None
            or txn.kind != f"profile-{action}"
            or txn.abha != number
            or txn.used
            or txn.expires_at <= fake.now()
        ):
            return fault(400, "ABDM-1017", "Invalid Transaction Id")
        if txn.attempts >= MAX_OTP_ATTEMPTS:
            return fault(400, "ABDM-1100", "Exceeded maximum number of attempts for OTP match")
        if value != txn.otp:
            txn.attempts += 1
            return web.json_response(
                {"txnId": txn.id, "authResult": "failed", "message": "Entered OTP is incorrect."}
            )
        txn.used = True
        if action == "deactivate":
            fake.people.abhas[number].status = "DEACTIVATED"
            message = "ABHA number deactivated successfully"
        else:
            del fake.people.abhas[number]
            deleted.add(number)
            message = "ABHA number deleted successfully"
        return web.json_response({"txnId": txn.id, "authResult": "success", "message": message})

    @web.middleware
    async def leaving(request: web.Request, handler: Handler) -> web.StreamResponse:
        number = holder(request)
        if request.method == "GET" and request.path == account_path and number in deleted:
            return fault(400, "ABDM-1114", "ABHA Number not found.")
        if request.method != "POST" or request.path not in (ask_path, verify_path):
            result: web.StreamResponse = await handler(request)
            return result
        body = await _json(request)
        if action_of(body) is None:  # the mobile update's scopes: its own routes
            passed: web.StreamResponse = await handler(request)
            return passed
        if number is None or (number in deleted and request.path == ask_path):
            return fault(401, "ABDM-1158", "Invalid X-Token")
        if request.path == ask_path:
            return await ask(request, number, body)
        return await verify(request, number, body)

    fake.app.middlewares.append(leaving)
