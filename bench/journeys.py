"""Print the inputs and modelled person time of each feature-phone journey (issue 14).

    .venv/bin/python -m bench.journeys

The measure itself is `testing.journeys` (shared with tests/webhooks/healthid/test_journey_time.py).
"""

from __future__ import annotations

from testing.journeys import measures


def main() -> None:
    for m in measures():
        print(f"{m.journey:34} {m.lang}  {m.inputs:2d} inputs  {m.seconds:5.0f} s")


if __name__ == "__main__":
    main()
