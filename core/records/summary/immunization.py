"""Immunization record: each vaccine with its dose and date, then any vaccines due.

Immunization record, 1 Aug 2019
Doctor: Dr Laxmikanth J
Vaccines given:
- Tuberculosis - Live Attenuated, dose 2nd, 1 Aug 2019
- Rotavirus Vaccine, dose 2nd, 1 Aug 2019, batch 1XXYTZZ
"""

from __future__ import annotations

from fhir.resources.R4B.immunization import Immunization
from fhir.resources.R4B.immunizationrecommendation import ImmunizationRecommendation

from core.records.fhir import Document
from core.records.summary.common import standard
from core.records.summary.context import Ctx
from core.records.summary.model import Summary

ORDER = ("vaccines", "vaccines_due")


def summarise(document: Document, ctx: Ctx) -> Summary:
    return standard(
        document,
        ctx,
        ORDER,
        fallback={"vaccines": Immunization, "vaccines_due": ImmunizationRecommendation},
    )
