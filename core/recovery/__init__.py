"""Recovering an ABHA: a forgotten PIN, a changed or lost SIM (the `recovery` tortoise app).

The rules live in `core.healthid.recovery` (a part of the Health ID service, so both identity
adapters offer them); this package holds only what they keep between the turns of a
conversation: one `Recovery` row per attempt.
"""
