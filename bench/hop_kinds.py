"""Server CPU and SQL statements per hop, by hop kind, from the probe (bench/probe.py).

The probe server is driven one hop at a time (one session after another), so each response's
`X-Bench-Cpu-Us` is that hop's CPU. A hop's kind: "PIN" when it hashed the PIN (the second
typing of the PIN, which also writes it), "DB" when it ran SQL, else "state-only" (the state
store round trips, the engine, the rendering). Printed per hop and per registration.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import aiohttp

from bench.phones import HOPS, USSD_SECRET
from bench.probe import CPU_HEADER, STATEMENTS_HEADER, parse_statements

PIN = "4826"
KINDS = ("state-only", "DB", "PIN")


@dataclass
class HopCost:
    label: str
    cpu_us: list[int] = field(default_factory=list)
    statements: Counter[str] = field(default_factory=Counter)
    sessions: int = 0

    @property
    def kind(self) -> str:
        if not self.statements:
            return "state-only"
        return "PIN" if self.label == f"PIN again ({PIN})" else "DB"


@dataclass
class Probe:
    hops: list[HopCost]
    registrations: int

    def per_registration_ms(self) -> float:
        return sum(statistics.median(h.cpu_us) for h in self.hops) / 1000

    def by_kind(self) -> dict[str, tuple[int, float]]:
        """kind -> (hops of that kind in a registration, median CPU ms of such a hop)."""
        out: dict[str, tuple[int, float]] = {}
        for kind in KINDS:
            costs = [c for h in self.hops if h.kind == kind for c in h.cpu_us]
            count = sum(h.kind == kind for h in self.hops)
            out[kind] = (count, statistics.median(costs) / 1000 if costs else 0.0)
        return out

    def statements(self) -> Counter[str]:
        """Statements of one registration, by kind (the median registration's: all are alike)."""
        total: Counter[str] = Counter()
        for hop in self.hops:
            for kind, count in hop.statements.items():
                total[kind] += round(count / max(1, hop.sessions))
        return total

    def table(self) -> str:
        lines = [
            "| hop | kind | server CPU ms (median) | SQL statements |",
            "| --- | --- | ---: | --- |",
        ]
        for hop in self.hops:
            per = {k: round(v / max(1, hop.sessions)) for k, v in sorted(hop.statements.items())}
            sql = ", ".join(f"{k} {v}" for k, v in per.items()) or "-"
            ms = statistics.median(hop.cpu_us) / 1000
            lines.append(f"| {hop.label} | {hop.kind} | {ms:.2f} | {sql} |")
        return "\n".join(lines)


def _labels() -> list[str]:
    names = ["dial", "menu: 1", "without Aadhaar: 2 (OTP sent)", "OTP", "name", "gender", "year"]
    names += ["PIN code", "address", f"PIN ({PIN})", f"PIN again ({PIN})", "confirm"]
    assert len(names) == len(HOPS) + 1
    return names


async def probe(url: str, registrations: int, first_phone: int, otp: str) -> Probe:
    """`registrations` sequential registrations against a `--probe` server."""
    costs = [HopCost(label) for label in _labels()]
    per_hop: dict[int, list[Counter[str]]] = defaultdict(list)
    async with aiohttp.ClientSession() as http:
        for n in range(registrations):
            phone = f"+9170{first_phone + n:08d}"
            inputs: list[str] = []
            steps = ["", *HOPS]
            for index, step in enumerate(steps):
                if step == "{otp}":
                    step = otp
                if step == "Asha":
                    step = "Asha" + "".join(chr(ord("a") + int(d)) for d in phone[-6:])
                if index:
                    inputs.append(step)
                form = {
                    "sessionId": f"probe-{phone}",
                    "serviceCode": "*384#",
                    "phoneNumber": phone,
                    "networkCode": "40445",
                    "text": "*".join(inputs),
                }
                headers = {"X-Ussd-Secret": USSD_SECRET}
                async with http.post(url, data=form, headers=headers) as response:
                    body = await response.text()
                    if response.status != 200:
                        raise RuntimeError(f"probe hop {index} failed: {response.status} {body}")
                    costs[index].cpu_us.append(int(response.headers[CPU_HEADER]))
                    ran = parse_statements(response.headers.get(STATEMENTS_HEADER, ""))
                    per_hop[index].append(ran)
            if not body.startswith("END"):
                raise RuntimeError(f"probe registration did not complete: {body!r}")
    for index, runs in per_hop.items():
        costs[index].sessions = len(runs)
        for ran in runs:
            costs[index].statements.update(ran)
    return Probe(costs, registrations)
