"""Diagnostic report: each report under its own name, its results with units and reference
ranges, then the conclusion.

    Diagnostic report, 1 Aug 2019
    Doctor: Dr Lakshmi G
    Facility: Max Super Speciality Hospital, Saket
    Hemoglobin [Mass/volume] in Blood:
    - Triglyceride: 1.3 mmol/L
    - Conclusion: Refer to Doctor. To be correlated with further study.

Why each report is its own section: a lab sends panels ("Complete blood count", "Lipid
profile") and the panel's name is the heading a person recognises; it is a clinical term, so
it stays as written.
"""

from __future__ import annotations

from fhir.resources.R4B.diagnosticreport import DiagnosticReport

from core.records.fhir import Document
from core.records.summary.common import build
from core.records.summary.context import Ctx
from core.records.summary.index import concept_text
from core.records.summary.model import Summary
from core.records.summary.sections import Part, composition_parts

ORDER = ("results", "findings", "documents")


def summarise(document: Document, ctx: Ctx) -> Summary:
    parts: list[Part] = []
    reports: list[DiagnosticReport] = []
    for part in composition_parts(document.composition, ctx):
        found = [r for r in part.resources if isinstance(r, DiagnosticReport)]
        reports += found
        rest = [r for r in part.resources if not isinstance(r, DiagnosticReport)]
        if rest:
            parts.append(Part(part.kind, part.title, rest))
    for report in reports or ctx.index.of_type(DiagnosticReport):
        name = concept_text(report.code)
        parts.append(Part(None if name else "results", name, [report]))
    return build(document, ctx, parts, ORDER, ctx.words.lang)
