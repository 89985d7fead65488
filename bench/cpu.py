"""Server CPU from `/proc`, for a process and every process under it.

Why the tree: `arogya serve --workers N` is a parent and N children, and a figure read from one
pid would miss most of the work. Why `schedstat`: it counts nanoseconds on the CPU per thread
(the aiosqlite and `to_thread` threads included), where `/proc/<pid>/stat` counts 10 ms ticks.
"""

from __future__ import annotations

from pathlib import Path


def descendants(pid: int) -> list[int]:
    """`pid` and every process under it, now."""
    found = [pid]
    for parent in found:  # grows while iterating: a breadth-first walk
        for task in Path(f"/proc/{parent}/task").glob("*"):
            children = task / "children"
            if children.exists():
                found += [int(child) for child in children.read_text().split()]
    return found


def cpu_seconds(pid: int) -> float:
    """CPU time of every thread of `pid` (0 when it has gone)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return total / 1e9


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of `pid` and its descendants (while they run: read before they exit)."""
    return sum(cpu_seconds(each) for each in descendants(pid))
