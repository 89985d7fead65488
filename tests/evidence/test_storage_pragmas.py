"""SQLite runs with `synchronous=NORMAL` (WAL): one of the performance fixes of
docs/performance.md, kept unless the URL says otherwise; other databases' URLs are untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from tortoise import Tortoise

from core.storage import close_storage, init_storage, with_sqlite_defaults

pytestmark = pytest.mark.evidence


def test_sqlite_urls_get_normal_sync_unless_they_name_it() -> None:
    assert (
        with_sqlite_defaults("sqlite://var/a.sqlite3")
        == "sqlite://var/a.sqlite3?synchronous=NORMAL"
    )
    assert with_sqlite_defaults("sqlite://a.db?journal_mode=WAL").endswith("&synchronous=NORMAL")
    assert (
        with_sqlite_defaults("sqlite://a.db?synchronous=FULL") == "sqlite://a.db?synchronous=FULL"
    )
    url = "postgres://u:p@h:5432/db?maxsize=20"
    assert with_sqlite_defaults(url) == url


async def test_an_opened_sqlite_database_commits_without_fsync(tmp_path: Path) -> None:
    await init_storage(f"sqlite://{tmp_path}/p.sqlite3")
    try:
        conn = Tortoise.get_connection("default")
        _, rows = await conn.execute_query("PRAGMA synchronous")
        _, mode = await conn.execute_query("PRAGMA journal_mode")
    finally:
        await close_storage()
    assert rows[0][0] == 1  # NORMAL
    assert mode[0][0] == "wal"
