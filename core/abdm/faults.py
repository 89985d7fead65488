"""ABDM's refusals, said as the same typed errors the embedded registry raises.

Why a table: a person on a feature phone must hear the same words for a wrong OTP or a full
mobile whichever registry is behind the flows; only a fault the embedded registry cannot have
(the national service down, slow, or answering nonsense) gets words of its own (`abdm.*`,
locales/*/LC_MESSAGES/abdm.po). A code not in the table is logged (code only) and said as
`abdm.refused`, never as a 500.

Codes from NHA's M1 notes (nha-in/docs .../abdm-m1/references/debug.md) and the enrolment
API (`HIS-2018` "Ensure correct Aadhaar Information"); `ABDM-1114` is "ABHA not found" as this
project's issue names it (the M1 notes record 1114 for a DigiLocker name mismatch on other
calls; on login by mobile no ABHA is the only reading).
"""

from __future__ import annotations

import logging

from core.abdm.wire import AbdmFault
from core.errors import (
    ArogyaError,
    Conflict,
    InvalidInput,
    Locked,
    NotFound,
    RemoteUnavailable,
)

log = logging.getLogger(__name__)


class AbdmRefused(Exception):
    """ABDM answered with an error body; `core.abdm.registry` turns it into an ArogyaError."""

    def __init__(self, fault: AbdmFault, path: str) -> None:
        super().__init__(f"{path}: {fault.status} {fault.code or ','.join(fault.fields)}")
        self.fault = fault
        self.path = path


def unavailable() -> RemoteUnavailable:
    """ABDM did not answer in time, or could not be reached: progress is kept, try later."""
    return RemoteUnavailable("abdm.unavailable")


def bad_answer(path: str, what: str) -> RemoteUnavailable:
    """ABDM answered 2xx with something unreadable: logged by field name, never by value."""
    log.warning("ABDM %s: malformed answer (%s)", path, what)
    return RemoteUnavailable("abdm.bad_answer")


#: ABDM code -> the error a person hears. Lockouts carry no wait in ABDM's answer: a fresh
#: transaction is the recovery (NHA), so "minutes" is the OTP's life.
_BY_CODE: dict[str, ArogyaError] = {
    "ABDM-1100": Locked("abdm.otp_locked"),
    "ABDM-1101": Conflict("address.taken"),
    "ABDM-1017": Conflict("aadhaar.txn_expired"),
    "ABDM-1013": InvalidInput("abha.invalid"),
    "ABDM-1114": NotFound("abha.not_found"),
    "ABDM-1124": Conflict("mobile.cap_reached", limit=6),
    "ABDM-1134": Conflict("abha.inactive"),
    "ABDM-1407": Conflict("abha.inactive"),
    "ABDM-1022": RemoteUnavailable("abdm.busy"),
    "HIS-2018": InvalidInput("aadhaar.invalid"),
}
#: UIDAI codes that ABDM-1204 passes through in its message ("UIDAI Error code : 400 : ...").
_UIDAI: dict[str, ArogyaError] = {
    "400": InvalidInput("abdm.otp_invalid"),  # invalid OTP value
    "403": Locked("abdm.otp_locked"),  # OTP attempts exhausted
    "561": Conflict("aadhaar.txn_expired"),  # request expired
    "998": InvalidInput("aadhaar.invalid"),  # invalid Aadhaar number
}
_RETRY_LATER = frozenset(
    {
        "ABDM-1019",
        "ABDM-1029",
        "ABDM-1034",
        "ABDM-1048",
        "ABDM-1108",
        "ABDM-1200",
        "ABDM-1201",
        "ABDM-1206",
        "ABDM-1220",
        "ABDM-1226",
    }
)


def _copy(error: ArogyaError) -> ArogyaError:
    return type(error)(error.code, **error.params)


def to_error(refused: AbdmRefused) -> ArogyaError:
    """The typed error for an ABDM refusal (a fresh instance each time)."""
    fault = refused.fault
    if fault.code in _BY_CODE:
        return _copy(_BY_CODE[fault.code])
    if fault.code == "ABDM-1204":
        for uidai, error in _UIDAI.items():
            if f": {uidai} :" in fault.message or f"code : {uidai}" in fault.message:
                return _copy(error)
    if fault.code in _RETRY_LATER or fault.status >= 500 or fault.status == 429:
        log.warning("ABDM %s: %d %s, said as unavailable", refused.path, fault.status, fault.code)
        return unavailable()
    if fault.status == 401 or fault.code in ("900900", "900901", "ABDM-1094", "ABDM-9999"):
        log.error(
            "ABDM %s: credentials refused (%s): check AROGYA_ABDM_CLIENT_*",
            refused.path,
            fault.code or fault.status,
        )
        return unavailable()
    if "otpValue" in fault.fields:
        return InvalidInput("abdm.otp_invalid")
    if "txnId" in fault.fields:
        return Conflict("aadhaar.txn_expired")
    log.warning(
        "ABDM %s: refused %d %s %s", refused.path, fault.status, fault.code, ",".join(fault.fields)
    )
    return Conflict("abdm.refused")
