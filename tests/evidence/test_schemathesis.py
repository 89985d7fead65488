"""Schemathesis over the partner API of a real `arogya serve`: no check may fail.

CI runs a few examples per operation with a fixed seed in both passes of the suite (well under
a minute); `AROGYA_EVIDENCE=full` (`make evidence`) runs many more and writes the figure
docs/evidence.md reports to var/evidence/schemathesis.txt. The run uses every check
schemathesis has, including negative data (requests the document forbids must be refused with
a 4xx) and positive data (requests it allows must not be refused as malformed); see
tests/evidence/schemathesis.toml for the one adjustment and why.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import aiohttp
import pytest

from testing.facilities import hospital_draft
from testing.services import ArogyaProcess
from tests.evidence.schemathesis_run import Tally, run
from tests.evidence.system import FULL, SmsGatewayFake, server_env

pytestmark = pytest.mark.evidence

ADMIN = "schemathesis-admin-token-0123456789"
SEED = 20261207
EXAMPLES = 300 if FULL else 6


async def facility_key(http: aiohttp.ClientSession, base: str) -> str:
    """A verified facility's key, made over HTTP as a partner would."""
    created = await http.post(f"{base}/api/v1/facilities", json=asdict(hospital_draft()))
    assert created.status == 201, await created.text()
    facility_id = (await created.json())["id"]
    verified = await http.post(
        f"{base}/api/v1/admin/facilities/{facility_id}/verify",
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert verified.status == 200, await verified.text()
    return str((await verified.json())["key"]["api_key"])


def save(line: str) -> None:
    out = Path("var/evidence/schemathesis.txt")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(line + "\n")


async def test_schemathesis_finds_no_failure(
    gateway: SmsGatewayFake, database_url: str, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    env = server_env(gateway.url, database_url, None, AROGYA_ADMIN_TOKEN=ADMIN)
    server = ArogyaProcess(env, log_dir=tmp_path)
    await server.start()
    try:
        key = await facility_key(http, server.url)
        tally = Tally()
        outputs = []
        for headers, tag in (
            ({"Authorization": f"Bearer {ADMIN}"}, ("include", "admin")),
            ({"Authorization": f"Bearer {key}", "X-API-Key": key}, ("exclude", "admin")),
        ):
            code, output, events = await run(
                server.url,
                headers=headers,
                tag=tag,
                seed=SEED,
                examples=EXAMPLES,
                workdir=tmp_path,
            )
            tally.add_events(events)
            outputs.append(output)
            assert code == 0, output[-6000:]
    finally:
        await server.stop()
    print(tally.line())
    if FULL:
        save(tally.line())
    assert not tally.failures, tally.failures[:20]
    assert not tally.errors, tally.errors[:5]
    assert len(tally.operations) >= 20, sorted(tally.operations)
    assert tally.cases > 0
    assert tally.checks > tally.cases
    # aiohttp itself logs the malformed HTTP schemathesis probes with (a NUL in a header); our
    # JSON error middleware logs anything it had to answer with a 500 as "unhandled error"
    assert "unhandled error" not in server.log_text()
