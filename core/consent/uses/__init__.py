"""How often a HIU has fetched under each consent artefact (ABDM's `frequency`), per window.

A tortoise app of its own (`consentuse`) so the count is in the database with the artefact it
limits: durable across restarts and shared by every process, unlike a state-store counter.
"""
