"""Prescription: the medicines, each with dose, how often and for how long, and what for.

Prescription, 5 Aug 2016
Doctor: Dr Manju Sengar
Medicines:
- dextromethorphan 90 mg: 1 capsule 2 times a day with food (for cough)
"""

from __future__ import annotations

from fhir.resources.R4B.medicationrequest import MedicationRequest

from core.records.fhir import Document
from core.records.summary.common import standard
from core.records.summary.context import Ctx
from core.records.summary.model import Summary

ORDER = ("medicines", "advice", "follow_up")


def summarise(document: Document, ctx: Ctx) -> Summary:
    return standard(document, ctx, ORDER, fallback={"medicines": MedicationRequest})
