"""A HIP's endpoint for `abha.deleted` notices on loopback (`testing.signed_receiver`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from testing.signed_receiver import SignedReceiver, serving

HipServer = SignedReceiver


@asynccontextmanager
async def hip_server() -> AsyncIterator[HipServer]:
    async with serving(SignedReceiver(), "/abdm/hip") as hip:
        yield hip
