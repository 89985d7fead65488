"""ABDM network mode: ABHA numbers issued by the National Health Authority's ABHA v3 APIs.

`client` speaks ABDM's wire (gateway session, headers, encryption), `faults` says ABDM's
refusals as the registry's typed errors, `registry` is the `abdm` adapter of the identity port
(`core.identity.port`), and `models` keeps what an enrolment in progress owes ABDM (its
transaction, and the ABHA number once ABDM issued it). See docs/abdm.md.
"""
