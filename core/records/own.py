"""A person's own document (a photo of a prescription, a lab PDF) as an ABDM record.

Why wrap it in FHIR: a self-uploaded file then lists, opens, summarises, is audited and will be
shared under consent exactly like a facility's record, as a HealthDocumentRecord: a document
Bundle whose Composition (SNOMED 419891008, "record artifact") points at a DocumentReference
carrying the file. The file's first bytes must match its declared type, so a renamed
executable is not stored as a "PDF".
"""

from __future__ import annotations

import base64
import json
import random
import uuid
from datetime import datetime
from typing import Any

from core.errors import InvalidInput
from core.healthid import numbers

#: Accepted types and the bytes every such file starts with.
CONTENT_TYPES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
SNOMED = "http://snomed.info/sct"
RECORD_ARTIFACT = "419891008"
ABHA_SYSTEM = "https://healthid.ndhm.gov.in"


def check_file(content_type: object, data: object) -> str:
    """The normalised content type of an acceptable file, or `records.unsupported_content`."""
    kind = content_type.split(";")[0].strip().lower() if isinstance(content_type, str) else ""
    magic = CONTENT_TYPES.get(kind)
    if magic is None or not isinstance(data, bytes) or not data.startswith(magic):
        raise InvalidInput("records.unsupported_content")
    return kind


def own_document_bundle(
    abha_number: str, title: str, content_type: str, data: bytes, now: datetime, rng: random.Random
) -> bytes:
    """The FHIR R4 document bundle for one self-uploaded file (`now` in the person's zone)."""

    def urn() -> str:
        return f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}"

    bundle_id, composition, patient, document = urn(), urn(), urn(), urn()
    stamp = now.isoformat(timespec="seconds")
    artifact = {
        "coding": [{"system": SNOMED, "code": RECORD_ARTIFACT, "display": "Record artifact"}]
    }
    entries: list[tuple[str, dict[str, Any]]] = [
        (
            composition,
            {
                "resourceType": "Composition",
                "status": "final",
                "type": artifact,
                "title": title,
                "subject": {"reference": patient},
                "date": stamp,
                "author": [{"reference": patient}],
                "section": [
                    {
                        "title": "Health documents",
                        "code": artifact,
                        "entry": [{"reference": document}],
                    }
                ],
            },
        ),
        (
            patient,
            {
                "resourceType": "Patient",
                "identifier": [{"system": ABHA_SYSTEM, "value": numbers.format(abha_number)}],
            },
        ),
        (
            document,
            {
                "resourceType": "DocumentReference",
                "status": "current",
                "description": title,
                "subject": {"reference": patient},
                "date": stamp,
                "content": [
                    {
                        "attachment": {
                            "contentType": content_type,
                            "title": title,
                            "size": len(data),
                            "creation": stamp,
                            "data": base64.b64encode(data).decode(),
                        }
                    }
                ],
            },
        ),
    ]
    bundle = {
        "resourceType": "Bundle",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": bundle_id},
        "type": "document",
        "timestamp": stamp,
        "entry": [
            {"fullUrl": url, "resource": {**resource, "id": url.removeprefix("urn:uuid:")}}
            for url, resource in entries
        ],
    }
    return json.dumps(bundle, ensure_ascii=False, separators=(",", ":")).encode()
