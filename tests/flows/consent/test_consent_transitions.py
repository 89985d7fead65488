"""The consent steps declare where they lead, so the engine's start-up check covers them.

Why: a consent step that leads to a step renamed or dropped would otherwise fail only when a
person reached it, mid-answer to a request for their records. Declared, it fails at start-up
like every other flow's (`Engine` checks each step's `targets()`).
"""

from __future__ import annotations

from typing import cast

import pytest

from core.services import Services
from core.settings import Settings
from core.state import StateStore
from flows import Engine, Flow, FlowError
from flows.consent import FLOW, consent_flows
from flows.registry import ROOT, all_flows


def start(flows: list[Flow[Services]], state: StateStore, settings: Settings) -> Engine[Services]:
    return Engine(flows, ROOT, services=cast(Services, None), state=state, settings=settings)


def consents() -> Flow[Services]:
    [flow] = consent_flows()
    return flow


def test_every_consent_step_declares_where_it_leads() -> None:
    silent = [step.name for step in consents().steps if not list(step.targets())]
    assert silent == []


def test_every_flow_starts_with_every_transition_known(
    state: StateStore, settings: Settings
) -> None:
    start(all_flows(), state, settings)


@pytest.mark.parametrize("missing", [step.name for step in consents().steps][1:])
def test_a_consent_transition_to_a_missing_step_fails_at_startup(
    missing: str, state: StateStore, settings: Settings
) -> None:
    """Drop any step but the first (the flow's entry): some consent step still names it."""
    others = [flow for flow in all_flows() if flow.name != FLOW]
    kept = Flow[Services](FLOW, [step for step in consents().steps if step.name != missing])
    with pytest.raises(FlowError, match=rf"^{FLOW}\.\w+ leads to unknown {FLOW}\.{missing}$"):
        start([*others, kept], state, settings)
