"""A mobile change through ABDM (`abdm` mode): ABDM's login OTP proves the old mobile, its
profile update proves the new one; a forgotten PIN stays Arogya's own.

    prove_old_mobile      -> POST /v3/profile/login/request/otp  (scope abha-login +
                             mobile-verify, loginHint abha-number): ABDM's OTP to the ABHA's
                             mobile on record
    confirm_mobile_holder -> POST /v3/profile/login/verify, POST /v3/profile/login/verify/user
                             (the X-token), then POST /v3/profile/account/request/otp (X-token,
                             scope abha-profile + mobile-verify, loginHint mobile, the new number
                             encrypted): ABDM's OTP to the new mobile
    finish_mobile_change  -> POST /v3/profile/account/verify (X-token, the same scope, the OTP
                             encrypted); then the local mirror follows (core.healthid.recovery)

Why the X-token is kept: the two OTPs arrive in two turns of a conversation, and ABDM's profile
update must carry the user token of the login that proved the old mobile. It is sealed (AES-GCM
under a subkey of the server's secret, the recovery id as associated data) in the recovery row,
which lives ten minutes and is used once; it is never logged, never in conversation state.

ABDM has no PIN on an ABHA number, so open_mobile_change's PIN check and the whole forgot-PIN
journey are the embedded registry's, on the mirror. The lost-SIM path (an Aadhaar OTP instead
of the old mobile's) is ABDM's login by Aadhaar (`loginHint: aadhaar`), not wired here: it is
refused with a translated reply (`recovery.lost_sim_abdm`, docs/abdm.md).
"""

from __future__ import annotations

from datetime import timedelta

from core.abdm import wire
from core.abdm.client import text_field
from core.abdm.login import LOGIN_SCOPE, AbdmLoggingIn
from core.errors import Conflict, InvalidInput, NotFound
from core.healthid import mobile as mobile_numbers
from core.healthid import numbers
from core.healthid.recovery import MobileChanged
from core.otp.service import OtpTicket
from core.recovery.models import Recovery, RecoveryKind
from core.sms.sealing import Sealer

PROFILE_OTP_PATH = "/v3/profile/account/request/otp"
PROFILE_VERIFY_PATH = "/v3/profile/account/verify"
PROFILE_SCOPE = ["abha-profile", "mobile-verify"]
OTP_LIFE = timedelta(minutes=10)
RESEND_AFTER = timedelta(seconds=60)


class AbdmRecovering(AbdmLoggingIn):
    def _token_sealer(self) -> Sealer:
        secret = self._settings.secret_key.get_secret_value()
        return Sealer(secret, purpose=b"arogya.abdm.x-token.v1")

    def _abdm_ticket(self, txn_id: str, e164: str) -> OtpTicket:
        now = self._clock.now()
        mask = mobile_numbers.mask(e164)
        return OtpTicket(txn_id, e164, mask, now + OTP_LIFE, now + RESEND_AFTER, 1)

    async def prove_old_mobile(self, change_id: str, *, lang: str) -> OtpTicket:
        change = await self._live(change_id, RecoveryKind.MOBILE_CHANGE)
        person = await self._active_person(change.abha_number)
        if person.mobile is None:
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
        await Recovery.filter(id=change.id).update(via="abdm", holder_txn=txn)
        return self._abdm_ticket(txn, person.mobile)

    async def prove_by_aadhaar(self, change_id: str, aadhaar: str, *, lang: str) -> OtpTicket:
        """ABDM's way is a login by Aadhaar OTP, not wired here (docs/abdm.md)."""
        raise Conflict("recovery.lost_sim_abdm")

    async def confirm_mobile_holder(self, txn_id: str, otp: str, *, lang: str) -> OtpTicket:
        change = await self._change_by(holder_txn=txn_id)
        if change.via != "abdm":
            return await super().confirm_mobile_holder(txn_id, otp, lang=lang)
        answer = await self._verify_login_otp(txn_id, otp)
        t_token = text_field(answer, "token", wire.LOGIN_VERIFY_PATH)
        x_token = await self._user_token(t_token, numbers.format(change.abha_number), txn_id)
        new = str(change.new_mobile)
        answer = await self._abdm(
            "POST",
            PROFILE_OTP_PATH,
            {
                "scope": PROFILE_SCOPE,
                "loginHint": "mobile",
                "loginId": await self._encrypt(mobile_numbers.national(new)),
                "otpSystem": "abdm",
            },
            headers={"X-token": f"Bearer {x_token}"},
        )
        new_txn = text_field(answer, "txnId", PROFILE_OTP_PATH)
        await Recovery.filter(id=change.id).update(
            holder_proved_at=self._clock.now(),
            new_txn=new_txn,
            sealed_token=self._token_sealer().seal(x_token, change.id),
        )
        return self._abdm_ticket(new_txn, new)

    async def finish_mobile_change(self, txn_id: str, otp: str, *, channel: str) -> MobileChanged:
        self._check_channel(channel)
        change = await self._change_by(new_txn=txn_id)
        if change.via != "abdm":
            return await super().finish_mobile_change(txn_id, otp, channel=channel)
        if change.holder_proved_at is None or change.sealed_token is None:
            raise Conflict("recovery.not_proved")
        x_token = self._token_sealer().open(change.sealed_token, change.id)
        answer = await self._abdm(
            "POST",
            PROFILE_VERIFY_PATH,
            {
                "scope": PROFILE_SCOPE,
                "authData": {
                    "authMethods": ["otp"],
                    "otp": {"txnId": txn_id, "otpValue": await self._encrypt(otp)},
                },
            },
            headers={"X-token": f"Bearer {x_token}"},
        )
        if answer.get("authResult") != "success":
            raise InvalidInput("abdm.otp_invalid")
        await Recovery.filter(id=change.id).update(sealed_token=None)  # used: forget it
        return await self._move(change, channel)
