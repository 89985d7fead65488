"""What linking an Aadhaar to an ABHA address keeps between its OTP and its check.

Why a table: ABDM issues an ABHA number only after KYC, so an ABHA made with a mobile alone is
an ABHA address until its holder proves their Aadhaar by OTP. The Aadhaar is typed once, when
the OTP is asked for, and never kept: only its keyed hash and last four digits wait here, for
one OTP's lifetime, so that the check (maybe in another process, a USSD hop later) knows which
Aadhaar and which ABHA the OTP stands for. Its own app, so no other registry's migrations move.

No `;` in docstrings or `#:` comments here (they become SQL comments; see core.healthid.models).
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class AadhaarLink(Model):
    """An Aadhaar OTP sent to link an ABHA address or to find an ABHA, deleted once answered."""

    txn_id = fields.CharField(max_length=64, primary_key=True)
    purpose = fields.CharField(max_length=8, default="link")  # link, or login (find my ABHA)
    abha_number = fields.CharField(max_length=14)  # the ABHA's internal key, compact
    aadhaar_hmac = fields.CharField(max_length=64)
    aadhaar_last4 = fields.CharField(max_length=4)
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "identity_aadhaar_link"
