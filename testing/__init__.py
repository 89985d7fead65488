"""The test harness the suite (tests/) and the benchmarks (bench/) share.

Why a package of its own: tests/ and bench/ each import it and never each other, so either can
be moved, run or left out without the other. It holds the fakes of services this machine cannot
reach (`testing.fakes`: Telegram's Bot API), the throwaway real processes (`testing.services`:
Redis, PostgreSQL, `arogya serve`), the builders of a small world through the real services
(`testing.world` and the helpers it stands on) and the golden-transcript runner
(`testing.golden`). Like tests/ and bench/ it is importable from the repository root and is not
part of the installed distribution.
"""
