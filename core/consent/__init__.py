"""The consent manager: no record leaves without its holder's consent.

A verified facility acting as a health information user (HIU), on behalf of a verified doctor,
asks for a person's records (`requests`); the person is told on their phone (`notice`) and
approves (all, or less than was asked), denies or later revokes with their PIN (`answers`); a
grant becomes one signed artefact per HIP (`artefacts`, `signing`); records flow to the HIU only
within an artefact in force (`scope`, `access`), every release audited; the HIU hears of every
status change through an outbox of callbacks (`callbacks`); requests and grants run out on
their own (`sweeper`).
"""
