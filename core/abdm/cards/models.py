"""What the `abdm` adapter keeps so a channel can show ABDM's own ABHA card.

Why a table: ABDM's card (`GET /v3/profile/account/abha-card`) needs the holder's user token
(X-token), which exists only right after an enrolment or a login, while a channel asks for the
card later (a Telegram photo after the last step, a notice with the card attached). So the
adapter keeps the latest X-token of each ABHA until it expires (30 minutes at most), and the
card once fetched. Both are sealed (AES-GCM under a subkey of the server's secret, the ABHA
number as associated data): a database dump shows neither a usable token nor a person's card.
Both go when the ABHA changes at ABDM (a mobile change) and are replaced by the next login.

No `;` in docstrings or `#:` comments here (they become SQL comments, see core.healthid.models).
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class AbdmUserToken(Model):
    """The latest user token ABDM gave for an ABHA, sealed, deleted or replaced once stale."""

    abha_number = fields.CharField(max_length=14, primary_key=True)
    sealed = fields.TextField()
    obtained_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "abdm_user_token"


class AbdmCard(Model):
    """ABDM's card of an ABHA (kind card), or its QR when the card came as a PDF (kind qr)."""

    abha_number = fields.CharField(max_length=14, primary_key=True)
    kind = fields.CharField(max_length=8)
    sealed = fields.TextField()
    fetched_at = fields.DatetimeField()

    class Meta:
        table = "abdm_card"
