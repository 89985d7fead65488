"""`AbdmRegistry`: the `abdm` adapter of the identity port (`core.identity.port`).

Enrolment by Aadhaar OTP (`core.abdm.enrol`), log in / find my ABHA (`core.abdm.login`) and a
mobile change (`core.abdm.recovery`) go to ABDM's ABHA v3; everything else is the embedded
registry applied to the local mirror of each ABDM ABHA (see `core.abdm.enrol` for why the
mirror exists).
"""

from __future__ import annotations

from core.abdm.recovery import AbdmRecovering


class AbdmRegistry(AbdmRecovering):
    """The whole adapter; built by `core.identity.port.build_registry` for AROGYA_REGISTRY=abdm."""
