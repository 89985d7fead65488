"""Wellness record: vital signs, body measurements, activity, lifestyle, each as written.

Wellness record, 1 Aug 2019
Vital signs:
- Blood pressure panel with all children optional: Systolic blood pressure 107 mmHg, ...
Body measurements:
- Body mass index (BMI) [Ratio]: 16.2 kg/m2
"""

from __future__ import annotations

from fhir.resources.R4B.observation import Observation

from core.records.fhir import Document
from core.records.summary.common import standard
from core.records.summary.context import Ctx
from core.records.summary.model import Summary

ORDER = ("vitals", "body", "general", "activity", "women", "lifestyle", "findings", "other")


def summarise(document: Document, ctx: Ctx) -> Summary:
    return standard(document, ctx, ORDER, fallback={"vitals": Observation})
