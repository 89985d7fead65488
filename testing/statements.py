"""Count the SQL statements the app runs, by kind (SELECT, INSERT, UPDATE, DELETE, ...).

Why from tortoise's query log: every statement the ORM or a raw `execute_query` sends is logged
by `tortoise.db_client` at DEBUG before it runs, on SQLite and PostgreSQL alike, so one handler
counts both backends without touching a driver. Used by the statement-count test of a
registration and by the benchmark's per-hop probe (bench/probe.py). Transaction control
(BEGIN/COMMIT) is not in that log and is not counted.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from tortoise.log import db_client_logger

_NOT_STATEMENTS = ("Created ", "Closed ")


class StatementCounter(logging.Handler):
    """While entered, `counts` grows by one per statement under its first keyword."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.counts: Counter[str] = Counter()
        self._level = db_client_logger.level
        self._propagate = db_client_logger.propagate
        self._paused = False

    def emit(self, record: logging.LogRecord) -> None:
        if self._paused or str(record.msg).startswith(_NOT_STATEMENTS):
            return  # the harness's own reads, or a connection opened or closed
        args = record.args
        text = str(args[0]) if isinstance(args, tuple) and args else str(record.msg)
        self.counts[text.lstrip("( ").split(" ", 1)[0].upper()] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Not counted while inside: a test's own reads (the phone's SMS inbox) are not the
        server's statements."""
        self._paused = True
        try:
            yield
        finally:
            self._paused = False

    def __enter__(self) -> StatementCounter:
        db_client_logger.addHandler(self)
        db_client_logger.setLevel(logging.DEBUG)
        db_client_logger.propagate = False  # counted here, never written to a log (values!)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        db_client_logger.removeHandler(self)
        db_client_logger.setLevel(self._level)
        db_client_logger.propagate = self._propagate
