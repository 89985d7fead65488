"""Schemathesis, a client nobody here wrote, over `GET /api/v1/openapi.json` of a real
`arogya serve` on loopback: every check, positive and negative data, a fixed seed.

Why the command line and not its pytest plugin: the plugin drives a WSGI/ASGI app in-process
or a URL from a synchronous test, while our app is an aiohttp server; the CLI against the
running process is exactly what a partner's QA would run, and its NDJSON event stream lets the
test count every case and check itself. Two runs share one server: the administrator's routes
with the admin token, every other route with a verified facility's key (sent both as
`Authorization: Bearer` and `X-API-Key`, which the server accepts when they agree). Our own
check (tests/evidence/schemathesis_hooks.py) is loaded into every run and `--checks all` runs it.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "schemathesis.toml"
HOOKS = HERE / "schemathesis_hooks.py"
ST = Path(sys.executable).with_name("st")


@dataclass
class Tally:
    """What one or more runs did, counted from their events."""

    cases: int = 0
    checks: int = 0
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    operations: set[str] = field(default_factory=set)
    seconds: float = 0.0

    def add_events(self, ndjson: Path) -> None:
        for line in ndjson.read_text().splitlines():
            event = json.loads(line)
            (kind, body), *_ = event.items()
            if kind == "ScenarioFinished":
                recorder = body.get("recorder", {})
                self.operations.add(recorder.get("label", "?"))
                self.cases += len(recorder.get("cases", {}))
                for case_id, checks in recorder.get("checks", {}).items():
                    self.checks += len(checks)
                    self.failures += [
                        f"{recorder.get('label')} {case_id}: {check['name']}"
                        for check in checks
                        if check.get("status") == "failure"
                    ]
            elif kind in {"NonFatalError", "FatalError"}:
                self.errors.append(json.dumps(body)[:500])
            elif kind == "EngineFinished":
                self.seconds += float(body.get("running_time", 0.0))

    def line(self) -> str:
        return (
            f"schemathesis: {len(self.operations)} operations, {self.cases} cases, "
            f"{self.checks} checks, {len(self.failures)} failures, {len(self.errors)} errors, "
            f"{self.seconds:.1f} s"
        )


async def run(
    base: str,
    *,
    headers: dict[str, str],
    tag: tuple[str, str],
    seed: int,
    examples: int,
    workdir: Path,
) -> tuple[int, str, Path]:
    """One `st run`; its exit code, its console output and its NDJSON events file."""
    events = workdir / f"events-{tag[0]}-{tag[1]}.ndjson"
    args = [
        str(ST),
        "--config-file",
        str(CONFIG),
        "run",
        f"{base}/api/v1/openapi.json",
        "--checks",
        "all",
        "--mode",
        "all",
        "--seed",
        str(seed),
        "--max-examples",
        str(examples),
        "--workers",
        "1",
        "--no-shrink",
        "--request-timeout",
        "30",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        f"--{tag[0]}-tag",
        tag[1],
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(events),
    ]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    process = await asyncio.create_subprocess_exec(
        *args,
        cwd=workdir,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={
            "PATH": str(ST.parent),
            "NO_COLOR": "1",
            "HOME": str(workdir),
            "SCHEMATHESIS_HOOKS": str(HOOKS),
        },
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode(errors="replace"), events
