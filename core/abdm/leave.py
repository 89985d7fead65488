"""Deactivating and deleting an ABHA at ABDM (`abdm` mode): ABDM decides, the mirror follows.

ABHA v3 does both as a profile update, which needs the holder's user token (X-token), so the
holder proves the ABHA's mobile twice, with two ABDM OTPs to the same mobile:

    start_leave   -> POST /v3/profile/login/request/otp  (scope abha-login + mobile-verify,
                     loginHint abha-number, the number encrypted, otpSystem abdm): OTP 1
    confirm_leave -> OTP 1: POST /v3/profile/login/verify, POST /v3/profile/login/verify/user
                     (T-token -> X-token), then POST /v3/profile/account/request/otp (X-token,
                     scope abha-profile + de-activate | delete, loginHint abha-number): OTP 2,
                     said as `Pending` (the same OTP step asks for the second code)
                  -> OTP 2: POST /v3/profile/account/verify (X-token, the same scope, the OTP
                     encrypted, `reasons`); only when ABDM answers success does the local
                     mirror change (the caller's `apply`, run under the same lock)

Sources: NHA's ABHA v3 SOP as integrators quote it (scopes `["abha-profile","de-activate"]`
and `["abha-profile","delete"]` on `profile/account/request/otp` + `/verify`); NHA's own M1
operation list (nha-in/docs .../abdm-m1/references/integrate.md) names the two paths but not
these scopes, so the shapes are the integrators' and are marked unconfirmed in docs/abdm.md.
Reactivation is not wired: its v3 shape (a login scope `re-activate`) appears in no NHA page
this project can read, so a reactivation in this mode is refused (`abdm.reactivate_not_offered`).

What one leave keeps between the two turns lives in the state store for ten minutes under the
first OTP's txnId: the step, ABDM's second txnId and the X-token sealed (AES-GCM, the txnId as
associated data). Never logged. A retry after ABDM went quiet (`sent` set, no answer) that ABDM
then refuses as a used transaction reads the ABHA's status at ABDM before anything local
changes: one effect, and never a mirror ahead of ABDM.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from core.abdm import wire
from core.abdm.client import Json, text_field
from core.abdm.faults import AbdmRefused, to_error, unavailable
from core.abdm.login import LOGIN_SCOPE
from core.abdm.recovery import PROFILE_OTP_PATH, PROFILE_VERIFY_PATH, AbdmRecovering
from core.errors import Conflict, InvalidInput, NotFound, Pending
from core.healthid import mobile as mobile_numbers
from core.healthid import numbers
from core.healthid.models import Person
from core.otp.service import OtpTicket
from core.state import StateStore
from core.state.memory import MemoryStateStore

#: The profile-update scope of each action ABDM offers here.
SCOPES: dict[str, list[str]] = {
    "deactivate": ["abha-profile", "de-activate"],
    "delete": ["abha-profile", "delete"],
}
#: Why, as ABDM's `reasons` carries it: the holder asked, through this service.
REASONS = ["Requested by the ABHA holder"]
LEAVE_LIFE = timedelta(minutes=10)
#: What ABDM's profile says of an ABHA each action has reached.
REACHED = {"deactivate": "DEACTIVATED", "delete": "DELETED"}
Apply = Callable[[str, str], Awaitable[None]]


def _key(txn_id: str) -> str:
    return f"abdm-leave:{txn_id}"


class AbdmLeaving(AbdmRecovering):
    def __init__(self, *args: Any, state: StateStore | None = None, **kwargs: Any) -> None:
        super().__init__(*args, state=state, **kwargs)
        #: Where each leave waits between its two OTPs (the shared store in production).
        self._leaves: StateStore = state if state is not None else MemoryStateStore()

    def _ttl(self) -> float:
        return LEAVE_LIFE.total_seconds()

    async def start_leave(self, abha_number: str, action: str, *, lang: str) -> OtpTicket:
        """ABDM's login OTP to the ABHA's mobile (the caller checked the PIN and the status)."""
        if action not in SCOPES:
            raise Conflict("abdm.reactivate_not_offered")
        person = await Person.get(abha_number=numbers.parse(abha_number))
        if person.mobile is None:  # pragma: no cover - only tombstones lose the mobile
            raise NotFound("abha.not_found")
        answer = await self._abdm(
            "POST",
            wire.LOGIN_OTP_PATH,
            {
                "scope": LOGIN_SCOPE,
                "loginHint": "abha-number",
                "loginId": await self._encrypt(numbers.format(person.abha_number)),
                "otpSystem": "abdm",
            },
        )
        txn = text_field(answer, "txnId", wire.LOGIN_OTP_PATH)
        leave = {"action": action, "abha": person.abha_number, "step": "login"}
        await self._leave_state().set_json(_key(txn), leave, self._ttl())
        return self._abdm_ticket(txn, person.mobile)

    def _leave_state(self) -> StateStore:
        return self._leaves

    async def confirm_leave(self, txn_id: str, otp: str, apply: Apply) -> str:
        """One of the two OTPs. The first asks ABDM for the second (`Pending`); the second
        makes ABDM act, then `apply(action, abha_number)` changes the mirror. A delivery of a
        leave already done returns its action and changes nothing. Errors: `abdm.*`,
        `otp.unknown`, `aadhaar.txn_expired`."""
        state = self._leave_state()
        async with state.lock(_key(txn_id) + ":lock", timeout=30.0):
            leave = await state.get_json(_key(txn_id))
            if leave is None:
                raise NotFound("otp.unknown")
            if leave.get("applied"):
                return str(leave["action"])
            if leave["step"] == "login":
                await self._second_otp(txn_id, otp, leave)
            if not leave.get("abdm_done"):
                await self._act(txn_id, otp, leave)
            await apply(str(leave["action"]), str(leave["abha"]))
            leave["applied"] = True
            await state.set_json(_key(txn_id), leave, self._ttl())
            return str(leave["action"])

    async def _second_otp(self, txn_id: str, otp: str, leave: dict[str, Any]) -> None:
        """OTP 1 proved the mobile: the X-token, then ABDM's OTP for the action itself."""
        answer = await self._verify_login_otp(txn_id, otp)
        t_token = text_field(answer, "token", wire.LOGIN_VERIFY_PATH)
        number = numbers.format(str(leave["abha"]))
        x_token = await self._user_token(t_token, number, txn_id)
        asked = await self._abdm(
            "POST",
            PROFILE_OTP_PATH,
            {
                "scope": SCOPES[str(leave["action"])],
                "loginHint": "abha-number",
                "loginId": await self._encrypt(number),
                "otpSystem": "abdm",
            },
            headers={"X-token": f"Bearer {x_token}"},
        )
        leave["step"] = "action"
        leave["action_txn"] = text_field(asked, "txnId", PROFILE_OTP_PATH)
        leave["sealed"] = self._token_sealer().seal(x_token, txn_id)
        await self._leave_state().set_json(_key(txn_id), leave, self._ttl())
        person = await Person.get(abha_number=str(leave["abha"]))
        raise Pending("abdm.leave_second_otp", mobile=mobile_numbers.mask(person.mobile or ""))

    async def _act(self, txn_id: str, otp: str, leave: dict[str, Any]) -> None:
        """OTP 2: ABDM deactivates or deletes. `sent` marks a call that may have acted."""
        x_token = self._token_sealer().open(str(leave["sealed"]), txn_id)
        action = str(leave["action"])
        retried = bool(leave.get("sent"))
        leave["sent"] = True
        await self._leave_state().set_json(_key(txn_id), leave, self._ttl())
        body: Json = {
            "scope": SCOPES[action],
            "authData": {
                "authMethods": ["otp"],
                "otp": {"txnId": leave["action_txn"], "otpValue": await self._encrypt(otp)},
            },
            "reasons": REASONS,
        }
        try:
            answer = await self._client.call(
                "POST", PROFILE_VERIFY_PATH, body, extra={"X-token": f"Bearer {x_token}"}
            )
        except AbdmRefused as refused:
            fault = refused.fault
            if not (retried and (fault.code == "ABDM-1017" or fault.status == 401)):
                raise to_error(refused) from None
            # The transaction is used (or the X-token is, with the ABHA it named): the call
            # that went quiet acted, or it never will. ABDM's profile says which.
            if not await self._reached(x_token, action):
                raise to_error(refused) from None
            answer = {"authResult": "success"}
        if answer.get("authResult") != "success":
            leave["sent"] = False  # ABDM answered, and did nothing
            await self._leave_state().set_json(_key(txn_id), leave, self._ttl())
            raise InvalidInput("abdm.otp_invalid")
        leave["abdm_done"] = True
        await self._leave_state().set_json(_key(txn_id), leave, self._ttl())

    async def _reached(self, x_token: str, action: str) -> bool:
        """Whether ABDM's profile says the action is done (a deleted ABHA may be gone)."""
        try:
            profile = await self._client.call(
                "GET", wire.PROFILE_PATH, extra={"X-token": f"Bearer {x_token}"}
            )
        except AbdmRefused as refused:
            if action == "delete" and refused.fault.code == "ABDM-1114":
                return True
            raise unavailable() from None
        return str(profile.get("abhaStatus") or "").upper() == REACHED[action]
