"""Health document record: the document's title and each attached file, with its kind and
size (a person on USSD cannot open a PDF, but should know one is there, and how big it is).

    Health document, 1 Aug 2019
    Title: Health Document Record
    Attached documents:
    - Surgical Pathology Report: PDF, 116 KB
"""

from __future__ import annotations

from fhir.resources.R4B.documentreference import DocumentReference

from core.records.fhir import Document
from core.records.summary.common import standard
from core.records.summary.context import Ctx
from core.records.summary.index import clean
from core.records.summary.model import Section, Summary

ORDER = ("documents",)


def summarise(document: Document, ctx: Ctx) -> Summary:
    summary = standard(document, ctx, ORDER, fallback={"documents": DocumentReference})
    name = clean(document.composition.title)
    if name is None:
        return summary
    line = ctx.words("line.document_title", title=name)
    sections = list(summary.sections)
    if sections and not sections[0].heading:
        sections[0] = Section("", (line, *sections[0].lines))
    else:
        sections.insert(0, Section("", (line,)))
    return Summary(summary.title, tuple(sections), summary.lang)
