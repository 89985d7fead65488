"""Leaving: deactivating, reactivating and deleting an ABHA, and forgetting a deleted one.

A package above the registries (it reaches Health ID, records and consent), below the flows.
"""
