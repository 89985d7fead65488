"""Arogya's domain: the registries, consent, records, OTP and storage.

Nothing in here knows about conversations or channels (docs/design.md §1); everything here can be
used alone from a test, a script or the partner API.
"""
