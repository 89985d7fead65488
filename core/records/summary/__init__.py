"""Summaries: a FHIR document as a few short lines a person can read on any phone.

One module per HI type decides what matters and in what order; shared modules render resources
(`lines`, `dosage`), read sections (`sections`) and hold the words (`words`). Clinical terms
(drug and test names, units, values) stay as the bundle wrote them; labels, dates and
connecting words come from the `records` catalogs in the reader's language.

    summary = summarise(parse_document(body), "hi")
    summary.title, summary.sections, summary.text()
"""

from __future__ import annotations

from collections.abc import Callable

from core.records.fhir import Document
from core.records.hitypes import HiType
from core.records.summary import (
    diagnostic_report,
    discharge_summary,
    health_document,
    immunization,
    invoice,
    op_consultation,
    prescription,
    wellness,
)
from core.records.summary.context import Ctx
from core.records.summary.index import BundleIndex
from core.records.summary.model import Section, Summary
from core.records.summary.words import Words

SUMMARISERS: dict[HiType, Callable[[Document, Ctx], Summary]] = {
    HiType.PRESCRIPTION: prescription.summarise,
    HiType.DIAGNOSTIC_REPORT: diagnostic_report.summarise,
    HiType.OP_CONSULTATION: op_consultation.summarise,
    HiType.DISCHARGE_SUMMARY: discharge_summary.summarise,
    HiType.IMMUNIZATION_RECORD: immunization.summarise,
    HiType.WELLNESS_RECORD: wellness.summarise,
    HiType.HEALTH_DOCUMENT_RECORD: health_document.summarise,
    HiType.INVOICE: invoice.summarise,
}


def summarise(document: Document, lang: str) -> Summary:
    ctx = Ctx(BundleIndex(document.bundle), Words(lang))
    return SUMMARISERS[document.hi_type](document, ctx)


__all__ = ["Section", "Summary", "summarise"]
