"""Bulk-load people into `healthid_person` on PostgreSQL, for the registration-at-scale bench.

Why generate_series: a million rows through the ORM would take an hour; one INSERT ... SELECT
from generate_series makes them in the database in seconds, unique where the table wants it
(ABHA number, address, Aadhaar HMAC) and each with its own mobile, so the hot queries of an
enrolment (mobile cap, address clashes) run against a realistically full table and its indexes.
The bench's own callers use `+9170...` numbers; these people get `+9180...`.
"""

from __future__ import annotations

import time

_INSERT = """
INSERT INTO healthid_person (
    abha_number, address, aadhaar_hmac, aadhaar_last4, first_name, last_name, gender,
    year_of_birth, state_lgd, district_lgd, pin_code, mobile, kyc, language, pin_failures,
    status, created_at, updated_at)
SELECT lpad(g::text, 14, '0'), 'bulk.' || g || '@abdm', md5(g::text) || md5('x' || g::text),
       lpad((g % 10000)::text, 4, '0'), 'Bulk', 'Person', 'F', 1940 + g % 70, 9, 110,
       '110001', '+9180' || lpad(g::text, 8, '0'), 'self_declared', 'en', 0, 'active',
       now(), now()
FROM generate_series($1::bigint, $2::bigint) AS g
"""


async def load_persons(database_url: str, first: int, last: int) -> float:
    """Insert people numbered `first`..`last` (inclusive) and ANALYZE; returns the seconds."""
    import asyncpg

    started = time.perf_counter()
    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        if last >= first:
            await conn.execute(_INSERT, first, last)
        await conn.execute("ANALYZE healthid_person")
    finally:
        await conn.close()
    return time.perf_counter() - started


async def count_persons(database_url: str) -> int:
    import asyncpg

    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        return int(await conn.fetchval("SELECT count(*) FROM healthid_person"))
    finally:
        await conn.close()
