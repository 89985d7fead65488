"""What an ABDM enrolment in progress keeps beside its `EnrolmentDraft`.

Why a table: ABDM issues the ABHA number when the Aadhaar OTP is verified, before the person
has chosen an address; the number, ABDM's transaction id and which call is in flight must
survive a USSD hop, another process and a timeout. `pending` names the call sent and not yet
answered: a retry after a timeout reads it and takes ABDM's "already exists" answer as this
enrolment's own, so no second ABHA is ever made.

No `;` in docstrings or `#:` comments here (they become SQL comments; see core.healthid.models).
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class AbdmEnrolment(Model):
    """ABDM's side of one enrolment draft, deleted with it when the ABHA is finished."""

    draft_id = fields.CharField(max_length=32, primary_key=True)
    txn_id = fields.CharField(max_length=64, unique=True)
    abha_number = fields.CharField(max_length=14, null=True)
    address = fields.CharField(max_length=40, null=True)
    pending = fields.CharField(max_length=16, null=True)
    mobile_pending = fields.BooleanField(default=False)
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "abdm_enrolment"


class AbdmLogin(Model):
    """A login OTP ABDM sent: how the person named their ABHA, and the mobile it stands for."""

    txn_id = fields.CharField(max_length=64, primary_key=True)
    via = fields.CharField(max_length=16)
    mobile = fields.CharField(max_length=16)
    abha_number = fields.CharField(max_length=14, null=True)
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "abdm_login"
