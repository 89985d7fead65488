"""Several server processes on one port: what `arogya serve --workers N` runs.

Why processes and not threads: a hop is Python CPU (the engine, the ORM, the PIN hash), and one
interpreter uses one core; N processes use N. The web processes are stateless once the
conversation state is in Redis (tests/evidence/test_scale_out.py), so each one binds the same
port with `SO_REUSEPORT` and the kernel spreads connections between them.

Exactly one process (index 0) runs the background work (outbox workers, consent sweeper,
housekeeping): those loops claim rows and are safe to run twice, but twice is twice the polling
for nothing. The parent does nothing but start the children, pass SIGTERM/SIGINT on, and stop
them all when one of them dies (a half-running deployment fails closed: the supervisor sees
the exit and restarts the whole).
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from types import FrameType

_PR_SET_PDEATHSIG = 1  # linux/prctl.h

#: How long the children get to finish their hops after SIGTERM before they are killed.
STOP_GRACE_SECONDS = 20.0


def default_workers() -> int:
    """The cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def free_port(host: str) -> int:
    """A port nobody listens on, for `--port 0` with several workers (each child binding port 0
    by itself would get a port of its own)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def run_children(commands: Sequence[Sequence[str]]) -> int:
    """Start one process per command and wait: SIGTERM/SIGINT are passed to all of them; when
    any exits, the others are stopped. Returns the first non-zero exit code, else 0."""
    children = [
        subprocess.Popen(list(command), preexec_fn=_die_with_parent)  # noqa: S603
        for command in commands
    ]
    signalled = False

    def stop_all(signum: int) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        nonlocal signalled
        signalled = True
        stop_all(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        first = _wait_for_any(children)
        if not signalled:
            print(
                f"arogya serve: worker {children.index(first)} exited with {first.returncode}; "
                "stopping the others",
                file=sys.stderr,
                flush=True,
            )
            stop_all(signal.SIGTERM)
        _reap(children)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if not signalled:
        return first.returncode or 1  # a worker that stops by itself is a failure
    stopped = (0, -signal.SIGTERM, -signal.SIGINT)
    return next((child.returncode for child in children if child.returncode not in stopped), 0)


def _die_with_parent() -> None:
    """In the child, before it runs: SIGTERM it when the parent dies, however it dies (a
    `kill -9` of the parent must not leave N orphans serving the port). Linux only; elsewhere
    the parent's own SIGTERM handling is all there is."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return


def _wait_for_any(children: Sequence[subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    """The first child to exit (polled: `os.wait` would also reap what `Popen` must see)."""
    while True:
        for child in children:
            if child.poll() is not None:
                return child
        time.sleep(0.05)


def _reap(children: Sequence[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
