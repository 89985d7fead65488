"""The bench-only deterministic OTP: the engine's injectable randomness, with one answer fixed.

Why: a load generator of several processes cannot share one SMS inbox, and waiting on an
inbox puts the client's own loop in the measurement. The engine takes its randomness as a
`random.Random` (production: `secrets.SystemRandom`); this one is seeded from the OS like any
other (so salts, ids and ABHA numbers stay unique across the server's processes) and differs in
one place only: the six-digit draw `core.otp.codes.new_code` makes returns `BENCH_OTP`. The OTP
is still generated, hashed, stored, rate-limited and sent by SMS as in production.

Never wired outside bench/: `bench.ussd_server` passes it to `running_system(rng=...)`.
"""

from __future__ import annotations

import random

from core.otp.codes import CODE_DIGITS

BENCH_OTP = "246810"


class FixedOtpRandom(random.Random):
    """OS-seeded randomness whose draw of a whole OTP (`randrange(10**6)`) is `BENCH_OTP`."""

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None and start == 10**CODE_DIGITS:
            return int(BENCH_OTP)
        return super().randrange(start, stop, step)
