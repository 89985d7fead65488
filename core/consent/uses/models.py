"""One row per artefact and frequency window: how many fetches that window has had."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class FetchWindow(Model):
    """Fetches counted in one window of an artefact's `frequency` (core.consent.frequency)."""

    #: "<artefact id>:<window number>", windows counted from the grant.
    id = fields.CharField(primary_key=True, max_length=64)
    artefact_id = fields.CharField(max_length=36, db_index=True)
    count = fields.IntField(default=0)
    ends_at = fields.DatetimeField(description="When this window ends and the count starts over.")

    class Meta:
        table = "consent_fetch_window"
        table_description = "Fetches under one consent artefact in one window of its frequency."
