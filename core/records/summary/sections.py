"""From a Composition's sections to titled groups of lines, in the order a reader expects.

Why classify by code first: a section's SNOMED code says what it holds in any language, while
its title is whatever the hospital typed ("Presenting Problems", "Chief Complaints"). A known
code (or, for wellness records, which ABDM leaves uncoded, a known title) gets a translated
heading; anything else keeps its own title, as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from fhir.resources.R4B.composition import Composition
from fhir.resources.R4B.immunizationrecommendation import ImmunizationRecommendation
from fhir.resources.R4B.resource import Resource

from core.records.summary.context import Ctx
from core.records.summary.index import clean
from core.records.summary.lines import resource_lines
from core.records.summary.model import Section

#: A section shows at most this many lines, then "and N more".
MAX_LINES = 12

#: Composition.section.code (NRCeS IG; ProjectEKA uses the same codes) -> what it holds.
SECTION_CODES: dict[str, str] = {
    "422843007": "complaints",
    "371529009": "history",
    "1003642006": "history",
    "425044008": "findings",
    "404684003": "findings",
    "722446000": "allergies",
    "721963009": "tests_advised",
    "721912009": "medicines",
    "440545006": "medicines",
    "1003606003": "medicines",
    "371525003": "procedures",
    "1003640003": "procedures",
    "736271009": "follow_up",
    "734163000": "advice",
    "306206005": "referral",
    "721981007": "results",
    "41000179103": "vaccines",
    "371530004": "documents",
    "373942005": "documents",
    "419891008": "documents",
}

#: Lower-cased section titles -> what they hold (wellness records carry no section codes).
SECTION_TITLES: dict[str, str] = {
    "vital signs": "vitals",
    "body measurement": "body",
    "body measurements": "body",
    "physical activity": "activity",
    "general assessment": "general",
    "women health": "women",
    "women's health": "women",
    "lifestyle": "lifestyle",
    "other observations": "other",
}


@dataclass
class Part:
    """Resources to show under one heading: a known `kind`, or a hospital's own `title`."""

    kind: str | None
    title: str | None = None
    resources: list[Resource] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.kind or f"title:{self.title}"


def classify(code: str | None, title: str | None, resources: list[Resource]) -> str | None:
    kind = SECTION_CODES.get(code or "") or SECTION_TITLES.get((title or "").casefold())
    if (
        kind == "vaccines"
        and resources
        and all(isinstance(resource, ImmunizationRecommendation) for resource in resources)
    ):
        return "vaccines_due"
    return kind


def composition_parts(composition: Composition, ctx: Ctx) -> list[Part]:
    """The Composition's sections (and their nested sections), classified."""
    parts: list[Part] = []
    pending = list(composition.section or [])
    while pending:
        section = pending.pop(0)
        resources = ctx.index.resolve_all(section.entry)
        codings = section.code.coding or [] if section.code else []
        code = next((str(c.code) for c in codings if c.code), None)
        title = clean(section.title)
        if title:
            title = title.lstrip("# ").strip() or None
        if resources:
            parts.append(Part(classify(code, title, resources), title, resources))
        pending[0:0] = section.section or []
    return parts


def merge(parts: Iterable[Part]) -> dict[str, Part]:
    """One part per key, resources in first-seen order, each resource once."""
    merged: dict[str, Part] = {}
    seen: set[int] = set()
    for part in parts:
        target = merged.setdefault(part.key, Part(part.kind, part.title))
        for resource in part.resources:
            if id(resource) not in seen:
                seen.add(id(resource))
                target.resources.append(resource)
    return merged


def heading(part: Part, ctx: Ctx) -> str:
    if part.kind is not None:
        return ctx.words(f"section.{part.kind}")
    return part.title or ctx.words("section.other")


def render(part: Part, ctx: Ctx) -> Section | None:
    lines = list(dict.fromkeys(line for r in part.resources for line in resource_lines(r, ctx)))
    if not lines:
        return None
    if len(lines) > MAX_LINES:
        hidden = len(lines) - (MAX_LINES - 1)
        lines = [*lines[: MAX_LINES - 1], ctx.words("line.more", count=hidden)]
    return Section(heading(part, ctx), tuple(lines))


def ordered_sections(parts: Iterable[Part], order: Iterable[str], ctx: Ctx) -> list[Section]:
    """Merged parts as sections: kinds in `order` first, then the rest as they came."""
    merged = merge(parts)
    keys = [key for key in order if key in merged]
    keys += [key for key in merged if key not in keys]
    rendered = (render(merged[key], ctx) for key in keys)
    return [section for section in rendered if section is not None]
