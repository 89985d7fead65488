"""One process that opens SQLite and then PostgreSQL under the same connection name must write
PostgreSQL's SQL: tortoise caches each table's INSERT by connection name, not by dialect, and
the second pass of the suite (and any tool that opens a scratch SQLite first) does exactly this.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.audit.models import AuditEvent
from core.storage import close_storage, init_storage, migrate
from tests.conftest import POSTGRES_URL


async def write_one(url: str) -> None:
    await init_storage(url)
    try:
        await AuditEvent.create(
            at=datetime(2026, 1, 15, tzinfo=UTC),
            action="test.write",
            actor="test",
            subject="switch",
            channel="test",
        )
        assert await AuditEvent.filter(subject="switch").count() >= 1
    finally:
        await close_storage()


@pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (pass 2 of the suite)")
async def test_sqlite_then_postgres_in_one_process(database_template: str, tmp_path: Path) -> None:
    sqlite = f"sqlite://{tmp_path / 'first.sqlite3'}"
    await migrate(sqlite)
    await write_one(sqlite)
    await write_one(database_template)  # before the fix: asyncpg saw SQLite's `?` placeholders
