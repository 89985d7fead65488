"""Finding things inside a bundle: resolving references and reading coded values as text.

Why one index: a Composition points at its entries by reference, and bundles spell references
three ways (`Patient/RVH9999`, `urn:uuid:...`, an absolute URL); every renderer resolves them,
so they are resolved in one place, the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource

R = TypeVar("R", bound=Resource)


class BundleIndex:
    def __init__(self, bundle: Bundle) -> None:
        self.resources: list[Resource] = []
        self._by_reference: dict[str, Resource] = {}
        for entry in bundle.entry or []:
            resource = entry.resource
            if not isinstance(resource, Resource):
                continue
            self.resources.append(resource)
            if entry.fullUrl:
                self._by_reference[str(entry.fullUrl)] = resource
            if resource.id:
                self._by_reference[f"{resource.get_resource_type()}/{resource.id}"] = resource

    def resolve(self, reference: Reference | None) -> Resource | None:
        if reference is None or not reference.reference:
            return None
        text = str(reference.reference)
        found = self._by_reference.get(text)
        if found is None and "/" in text:  # an absolute URL ending in Type/id
            found = self._by_reference.get("/".join(text.rstrip("/").split("/")[-2:]))
        return found

    def resolve_all(self, references: Iterable[Reference] | None) -> list[Resource]:
        found = (self.resolve(reference) for reference in references or [])
        return [resource for resource in found if resource is not None]

    def of_type(self, kind: type[R]) -> list[R]:
        return [resource for resource in self.resources if isinstance(resource, kind)]

    def name_of(self, reference: Reference | None) -> str | None:
        """A person's or an organisation's name for a reference (its display as a fallback)."""
        if reference is None:
            return None
        resource = self.resolve(reference)
        if isinstance(resource, Practitioner):
            name = human_name(resource.name)
            if name:
                return name
        if isinstance(resource, Organization) and resource.name:
            return clean(resource.name)
        return clean(reference.display)


def clean(text: Any) -> str | None:
    """Trimmed single-spaced text, or None for nothing (bundles pad values: " Intravenous")."""
    if not isinstance(text, str):
        return None
    tidy = " ".join(text.split())
    return tidy or None


def concept_text(concept: CodeableConcept | None) -> str | None:
    """What a coded value says to a reader: its text, else a coding's display, else a code."""
    if concept is None:
        return None
    text = clean(concept.text)
    if text:
        return text
    codings = concept.coding or []
    for coding in codings:
        if clean(coding.display):
            return clean(coding.display)
    for coding in codings:
        if clean(coding.code):
            return clean(coding.code)
    return None


def concepts_text(concepts: Iterable[CodeableConcept] | None) -> str | None:
    texts = [text for text in map(concept_text, concepts or []) if text]
    return ", ".join(dict.fromkeys(texts)) or None


def human_name(names: Iterable[HumanName] | None) -> str | None:
    """`Dr Manju Sengar`: prefix and name, without qualifications."""
    for name in names or []:
        given = [part for part in name.given or [] if part]
        core = clean(name.text) or clean(" ".join([*given, name.family or ""]))
        if core:
            prefix = clean(" ".join(part for part in name.prefix or [] if part))
            return f"{prefix} {core}" if prefix and not core.startswith(prefix) else core
    return None
