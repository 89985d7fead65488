"""Log in / find my ABHA through ABDM: by mobile (every ABHA it holds), ABHA number or Aadhaar.

    start_login  -> POST /v3/profile/login/request/otp  (scope abha-login + mobile-verify,
                    loginHint mobile | abha-number, loginId encrypted, otpSystem abdm)
    verify_login -> POST /v3/profile/login/verify       (OTP encrypted): `accounts`, a T-token
                 -> POST /v3/profile/login/verify/user  (T-token, one account): its X-token
                 -> GET  /v3/profile/account            (X-token): the profile, mirrored

Why the profile of each account: the flows go on to "My Health ID", records and consent,
which read the local mirror; an ABHA made elsewhere (the ABHA app, a hospital) is mirrored
the first time its holder logs in here. The user tokens are used at once; the last of each
ABHA is kept sealed a while only to fetch ABDM's card (`core.abdm.abha_card`).
By Aadhaar (loginHint `aadhaar`, scope `abha-login` + `aadhaar-verify`, otpSystem `aadhaar`):
UIDAI's OTP; `verify` answers the one ABHA's X-token itself, then its profile is mirrored.
ABHA-address login is ABDM's PHR API family (`/v3/phr/web/login/...`), not this one: it is
`core.abdm.address_login`, which takes every identifier with a letter in it before this does.
"""

from __future__ import annotations

import re
from datetime import timedelta

from core.abdm import wire
from core.abdm.client import Json, text_field
from core.abdm.enrol import AbdmEnrolling
from core.abdm.faults import bad_answer
from core.abdm.models import AbdmLogin
from core.abdm.profile import demographics
from core.errors import InvalidInput, NotFound
from core.healthid import aadhaar as aadhaar_numbers
from core.healthid import mobile as mobile_numbers
from core.healthid import numbers
from core.healthid.drafts import Draft
from core.healthid.models import Person, PersonStatus
from core.healthid.views import PersonView
from core.otp.service import OtpTicket

LOGIN_SCOPE = ["abha-login", "mobile-verify"]
#: Find my ABHA / log in by Aadhaar: UIDAI's OTP ("Login via Aadhaar number", VRFY_ABHA_4xx).
AADHAAR_LOGIN_SCOPE = ["abha-login", "aadhaar-verify"]
#: An Aadhaar's length: 12 digits are an Aadhaar at login (a mobile has 10, a number 14).
AADHAAR_DIGITS = 12
LOGIN_LIFE = timedelta(minutes=10)


class AbdmLoggingIn(AbdmEnrolling):
    async def start_login(self, identifier: str, *, lang: str, channel: str) -> OtpTicket:
        self._check_channel(channel)
        text = identifier.strip()
        digits = numbers.compact(text)
        if len(digits) == AADHAAR_DIGITS and digits.isdigit():
            return await self._start_aadhaar_login(aadhaar_numbers.parse(digits))
        number: str | None = None
        if len(digits) == numbers.LENGTH:
            number = numbers.parse(digits)
            mirrored = await Person.get_or_none(abha_number=number)
            if mirrored is None or mirrored.mobile is None:
                raise NotFound("abha.not_found")
            e164 = mirrored.mobile
        else:
            e164 = mobile_numbers.parse(text)
        hint, login_id = ("abha-number", numbers.format(number)) if number else ("mobile", e164[3:])
        answer = await self._abdm(
            "POST",
            wire.LOGIN_OTP_PATH,
            {
                "scope": LOGIN_SCOPE,
                "loginHint": hint,
                "loginId": await self._encrypt(login_id),
                "otpSystem": "abdm",
            },
        )
        txn = text_field(answer, "txnId", wire.LOGIN_OTP_PATH)
        now = self._clock.now()
        await AbdmLogin.filter(expires_at__lte=now).delete()
        await AbdmLogin.create(
            txn_id=txn,
            via="number" if number else "mobile",
            mobile=e164,
            abha_number=number,
            expires_at=now + LOGIN_LIFE,
        )
        return OtpTicket(
            txn, e164, mobile_numbers.mask(e164), now + LOGIN_LIFE, now + timedelta(seconds=60), 1
        )

    async def _start_aadhaar_login(self, aadhaar: str) -> OtpTicket:
        """Find my ABHA by Aadhaar: UIDAI's OTP to the Aadhaar's mobile, which ABDM names only
        masked; the full mobile comes with the profile once the OTP is verified."""
        answer = await self._abdm(
            "POST",
            wire.LOGIN_OTP_PATH,
            {
                "scope": AADHAAR_LOGIN_SCOPE,
                "loginHint": "aadhaar",
                "loginId": await self._encrypt(aadhaar),
                "otpSystem": "aadhaar",
            },
        )
        txn = text_field(answer, "txnId", wire.LOGIN_OTP_PATH)
        ending = re.search(r"(\d{4})\D*$", str(answer.get("message") or ""))
        now = self._clock.now()
        await AbdmLogin.filter(expires_at__lte=now).delete()
        await AbdmLogin.create(
            txn_id=txn, via="aadhaar", mobile="", abha_number=None, expires_at=now + LOGIN_LIFE
        )
        masked = "******" + (ending.group(1) if ending else "****")
        resend = now + timedelta(seconds=60)
        return OtpTicket(txn, "", masked, now + LOGIN_LIFE, resend, 1)

    async def _verify_aadhaar_login(
        self, login: AbdmLogin, otp: str, channel: str
    ) -> list[PersonView]:
        """The Aadhaar's one ABHA: ABDM answers the X-token itself (no account to pick)."""
        answer = await self._abdm(
            "POST",
            wire.LOGIN_VERIFY_PATH,
            {
                "scope": AADHAAR_LOGIN_SCOPE,
                "authData": {
                    "authMethods": ["otp"],
                    "otp": {"txnId": login.txn_id, "otpValue": await self._encrypt(otp)},
                },
            },
        )
        if answer.get("authResult") != "success":
            raise InvalidInput("abdm.otp_invalid")
        x_token = text_field(answer, "token", wire.LOGIN_VERIFY_PATH)
        profile: Json = await self._abdm(
            "GET", wire.PROFILE_PATH, headers={"X-token": f"Bearer {x_token}"}
        )
        person = demographics(profile, wire.PROFILE_PATH)
        compact = numbers.compact(text_field(profile, "ABHANumber", wire.PROFILE_PATH))
        if not numbers.is_valid(compact):
            raise bad_answer(wire.PROFILE_PATH, "ABHANumber")
        try:
            e164 = mobile_numbers.parse(text_field(profile, "mobile", wire.PROFILE_PATH))
        except InvalidInput:
            raise bad_answer(wire.PROFILE_PATH, "mobile") from None
        address = profile.get("preferredAbhaAddress")
        holder = Draft(mobile=e164)
        view = await self._mirror(compact, person, holder, str(address) if address else None)
        await login.delete()
        stored = await Person.get(abha_number=compact)
        await self._record("abha.login", stored, channel, {"via": "aadhaar", "registry": "abdm"})
        return [view] if view.status != PersonStatus.DELETED.value else []

    async def _verify_login_otp(self, txn_id: str, otp: str) -> Json:
        """`profile/login/verify` of a mobile or ABHA-number login's OTP (encrypted), its answer
        when ABDM says `success`; one place for the login, the mobile change and leaving."""
        answer: Json = await self._abdm(
            "POST",
            wire.LOGIN_VERIFY_PATH,
            {
                "scope": LOGIN_SCOPE,
                "authData": {
                    "authMethods": ["otp"],
                    "otp": {"txnId": txn_id, "otpValue": await self._encrypt(otp)},
                },
            },
        )
        if answer.get("authResult") != "success":
            raise InvalidInput("abdm.otp_invalid")
        return answer

    async def _user_token(self, t_token: str, number: str, txn_id: str) -> str:
        """`profile/login/verify/user`: the X-token of one account (`number`, with its dashes)
        of a verified login, from the login's T-token."""
        user = await self._abdm(
            "POST",
            wire.LOGIN_USER_PATH,
            {"ABHANumber": number, "txnId": txn_id},
            headers={"T-token": f"Bearer {t_token}"},
        )
        return text_field(user, "token", wire.LOGIN_USER_PATH)

    async def verify_login(self, txn_id: str, otp: str, *, channel: str) -> list[PersonView]:
        self._check_channel(channel)
        login = await AbdmLogin.get_or_none(txn_id=txn_id)
        if login is None:
            return await super().verify_login(txn_id, otp, channel=channel)
        if login.via == "aadhaar":
            return await self._verify_aadhaar_login(login, otp, channel)
        answer = await self._verify_login_otp(txn_id, otp)
        accounts = answer.get("accounts")
        if not isinstance(accounts, list):
            raise bad_answer(wire.LOGIN_VERIFY_PATH, "accounts")
        t_token = text_field(answer, "token", wire.LOGIN_VERIFY_PATH)
        people: list[PersonView] = []
        for account in accounts:
            if not isinstance(account, dict):
                raise bad_answer(wire.LOGIN_VERIFY_PATH, "accounts")
            number = text_field(account, "ABHANumber", wire.LOGIN_VERIFY_PATH)
            if login.abha_number and numbers.compact(number) != login.abha_number:
                continue
            people.append(await self._mirror_account(txn_id, t_token, number, login.mobile))
        await login.delete()
        if not people:
            raise NotFound("abha.not_found")
        for person in people:
            stored = await Person.get(abha_number=numbers.compact(person.abha_number))
            await self._record(
                "abha.login", stored, channel, {"via": login.via, "registry": "abdm"}
            )
        return [p for p in people if p.status != PersonStatus.DELETED.value]

    async def _mirror_account(
        self, txn_id: str, t_token: str, number: str, e164: str
    ) -> PersonView:
        """One account of the list: its X-token, its profile, the local mirror refreshed."""
        x_token = await self._user_token(t_token, number, txn_id)
        profile: Json = await self._abdm(
            "GET", wire.PROFILE_PATH, headers={"X-token": f"Bearer {x_token}"}
        )
        person = demographics(profile, wire.PROFILE_PATH)
        compact = numbers.compact(text_field(profile, "ABHANumber", wire.PROFILE_PATH))
        if not numbers.is_valid(compact):
            raise bad_answer(wire.PROFILE_PATH, "ABHANumber")
        address = profile.get("preferredAbhaAddress")
        holder = Draft(mobile=e164)
        return await self._mirror(compact, person, holder, str(address) if address else None)
