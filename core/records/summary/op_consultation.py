"""OP consultation: complaints, examination findings, diagnosis, medicines, tests advised and
follow-up, in the order a doctor's note reads.

    OP consultation, 4 Jan 2024
    Doctor: doctor desk
    Facility: Demo Hospital, Gujarat
    Complaints:
    - Human rabies
    Examination findings:
    - Height: 170 CM
    ...
    Medicines:
    - Faroeze 200 mg oral tablet(...): (1)-Twice a day (Duration:7)
"""

from __future__ import annotations

from fhir.resources.R4B.medicationrequest import MedicationRequest

from core.records.fhir import Document
from core.records.summary.common import standard
from core.records.summary.context import Ctx
from core.records.summary.model import Summary

ORDER = (
    "complaints",
    "history",
    "allergies",
    "findings",
    "diagnosis",
    "medicines",
    "tests_advised",
    "procedures",
    "vaccines",
    "vaccines_due",
    "follow_up",
    "advice",
    "referral",
    "documents",
)


def summarise(document: Document, ctx: Ctx) -> Summary:
    return standard(
        document,
        ctx,
        ORDER,
        diagnosis_from_reasons=True,
        fallback={"medicines": MedicationRequest},
    )
