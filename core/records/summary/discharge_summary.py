"""Discharge summary: the admission, diagnosis, procedures, medicines and the advice on
discharge, with the follow-up visit.

    Discharge summary, 9 Dec 2016
    Doctor: Dr Harsh Dhave
    Admission:
    - Admitted 5 Dec 2016, discharged 9 Dec 2016
    Diagnosis:
    - Bacterial infection due to Bacillus
    Procedures:
    - Coronary artery bypass grafting on 7 Dec 2016; complication: Bleeding
    Advice on discharge:
    - Active Plan for next 2 months: Actively monitor progress. ...
"""

from __future__ import annotations

from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.procedure import Procedure

from core.records.fhir import Document
from core.records.summary.common import encounter, standard
from core.records.summary.context import Ctx
from core.records.summary.lines import admission_line
from core.records.summary.model import Section, Summary

ORDER = (
    "complaints",
    "diagnosis",
    "history",
    "allergies",
    "findings",
    "results",
    "procedures",
    "medicines",
    "advice",
    "follow_up",
    "vaccines",
    "referral",
    "documents",
)


def summarise(document: Document, ctx: Ctx) -> Summary:
    summary = standard(
        document,
        ctx,
        ORDER,
        diagnosis_from_reasons=False,
        fallback={"procedures": Procedure, "advice": CarePlan},
    )
    visit = encounter(document, ctx)
    admitted = admission_line(visit, ctx) if visit is not None else None
    if admitted is None:
        return summary
    sections = list(summary.sections)
    at = 1 if sections and not sections[0].heading else 0  # after the doctor/facility lines
    sections.insert(at, Section(ctx.words("section.admission"), (admitted,)))
    return Summary(summary.title, tuple(sections), summary.lang)
