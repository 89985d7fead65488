"""The one refusal `core.errors` has no class for: "who are you?" (HTTP 401).

Why separate from Forbidden (403): a partner whose key is missing, wrong or revoked must fix its
credentials; a partner that is known but not allowed (an unverified facility) must talk to an
administrator. The partner API answers them differently, so core tells them apart.
"""

from __future__ import annotations

from core.errors import ArogyaError


class Unauthenticated(ArogyaError):
    http_status = 401
