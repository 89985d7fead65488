"""Fixtures for tests of the `arogya` command that start its processes (`serve --workers`):
the same SMS gateway fake, redis-server and database as the evidence tests'."""

from __future__ import annotations

from tests.evidence.fixtures import database_url, gateway, redis

__all__ = ["database_url", "gateway", "redis"]
