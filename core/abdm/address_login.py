"""Log in by ABHA address in `abdm` mode: ABDM's ABHA-address login (M1 VRFY_ABHA_202).

    start_login  -> POST /v3/phr/web/login/abha/request/otp  (scope abha-address-login +
                    mobile-verify, loginHint abha-address, the address encrypted as loginId,
                    otpSystem abdm): ABDM's OTP to the mobile of that address
    verify_login -> POST /v3/phr/web/login/abha/verify       (the same scope, the OTP
                    encrypted): `authResult`, the user token (`tokens.token`)
                 -> GET  /v3/phr/web/login/profile/abha-profile (X-token): the profile,
                    mirrored locally under its ABHA number, as every other login is

Why this family and not `profile/login`: ABDM's ABHA-number service takes a mobile, an ABHA
number or an Aadhaar as `loginHint`; an address is the PHR service's (NHA's M1 operation list,
"ABHA address login via Mobile OTP"). So a person who types `name@sbx` at "My Health ID" is
logged in on every channel, whether or not Arogya has seen that ABHA before, as in embedded
mode. ABDM names the mobile only masked (its answer's message); the full number comes with the
profile. An address with no ABHA number behind it (a self-declared PHR address) has no place in
the mirror, which is keyed by ABDM's number: it is refused with a translated reply
(`abdm.address_without_number`), the way a mobile-only enrolment is (docs/abdm.md).
"""

from __future__ import annotations

import re
from datetime import timedelta

from core.abdm.client import Json, text_field
from core.abdm.faults import bad_answer
from core.abdm.models import AbdmLogin
from core.abdm.profile import demographics
from core.abdm.recovery import AbdmRecovering
from core.errors import Conflict, InvalidInput
from core.healthid import address as abha_address
from core.healthid import mobile as mobile_numbers
from core.healthid import numbers
from core.healthid.drafts import Draft
from core.healthid.models import Person, PersonStatus
from core.healthid.views import PersonView
from core.otp.service import OtpTicket

PHR_OTP_PATH = "/v3/phr/web/login/abha/request/otp"
PHR_VERIFY_PATH = "/v3/phr/web/login/abha/verify"
PHR_PROFILE_PATH = "/v3/phr/web/login/profile/abha-profile"
ADDRESS_SCOPE = ["abha-address-login", "mobile-verify"]
LOGIN_LIFE = timedelta(minutes=10)
RESEND_AFTER = timedelta(seconds=60)


def phr_profile_as_abha(profile: Json) -> Json:
    """The PHR profile in the field names `core.abdm.profile.demographics` reads (the PHR
    service spells the birth date `dateOfBirth`, or day, month and year apart)."""
    dob = profile.get("dateOfBirth")
    if not dob:
        parts = (profile.get("dayOfBirth"), profile.get("monthOfBirth"), profile.get("yearOfBirth"))
        dob = "-".join(str(part or "") for part in parts)
    return {**profile, "dob": dob}


class AbdmAddressLogin(AbdmRecovering):
    async def start_login(self, identifier: str, *, lang: str, channel: str) -> OtpTicket:
        text = identifier.strip()
        if not any(char.isalpha() for char in text):  # a mobile, a number or an Aadhaar
            return await super().start_login(identifier, lang=lang, channel=channel)
        self._check_channel(channel)
        address = abha_address.parse(text, self._suffix)
        answer = await self._abdm(
            "POST",
            PHR_OTP_PATH,
            {
                "scope": ADDRESS_SCOPE,
                "loginHint": "abha-address",
                "loginId": await self._encrypt(address),
                "otpSystem": "abdm",
            },
        )
        txn = text_field(answer, "txnId", PHR_OTP_PATH)
        ending = re.search(r"(\d{4})\D*$", str(answer.get("message") or ""))
        now = self._clock.now()
        await AbdmLogin.filter(expires_at__lte=now).delete()
        await AbdmLogin.create(
            txn_id=txn, via="address", mobile="", abha_number=None, expires_at=now + LOGIN_LIFE
        )
        masked = "******" + (ending.group(1) if ending else "****")
        return OtpTicket(txn, "", masked, now + LOGIN_LIFE, now + RESEND_AFTER, 1)

    async def verify_login(self, txn_id: str, otp: str, *, channel: str) -> list[PersonView]:
        login = await AbdmLogin.get_or_none(txn_id=txn_id)
        if login is None or login.via != "address":
            return await super().verify_login(txn_id, otp, channel=channel)
        self._check_channel(channel)
        answer = await self._abdm(
            "POST",
            PHR_VERIFY_PATH,
            {
                "scope": ADDRESS_SCOPE,
                "authData": {
                    "authMethods": ["otp"],
                    "otp": {"txnId": txn_id, "otpValue": await self._encrypt(otp)},
                },
            },
        )
        if answer.get("authResult") != "success":
            raise InvalidInput("abdm.otp_invalid")
        tokens = answer.get("tokens")
        x_token = text_field(tokens if isinstance(tokens, dict) else {}, "token", PHR_VERIFY_PATH)
        profile = await self._abdm(
            "GET", PHR_PROFILE_PATH, headers={"X-token": f"Bearer {x_token}"}
        )
        await login.delete()  # the OTP is spent, whatever the profile holds
        number = str(profile.get("abhaNumber") or "")
        if not number:
            raise Conflict("abdm.address_without_number")
        compact = numbers.compact(number)
        if not numbers.is_valid(compact):
            raise bad_answer(PHR_PROFILE_PATH, "abhaNumber")
        person = demographics(phr_profile_as_abha(profile), PHR_PROFILE_PATH)
        try:
            e164 = mobile_numbers.parse(text_field(profile, "mobile", PHR_PROFILE_PATH))
        except InvalidInput:
            raise bad_answer(PHR_PROFILE_PATH, "mobile") from None
        address = profile.get("abhaAddress")
        view = await self._mirror(
            compact, person, Draft(mobile=e164), str(address) if address else None
        )
        stored = await Person.get(abha_number=compact)
        await self._record("abha.login", stored, channel, {"via": "address", "registry": "abdm"})
        return [view] if view.status != PersonStatus.DELETED.value else []
