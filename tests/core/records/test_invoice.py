"""Invoice, ABDM's eighth HI type: recognised by NRCeS's InvoiceRecord shape, summarised as a
bill a person can read (what was charged, how many, at what price, the total), in both
languages, and refused when the Composition is not an invoice record.
"""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.composition import Composition
from fhir.resources.R4B.invoice import Invoice

from core.errors import InvalidInput
from core.records.fhir import parse_document
from core.records.hitypes import HiType
from core.records.summary import Summary, summarise
from testing.records import fixture

NAME = "ArogyaInvoiceRecordDoc20241120.json"


def summary(lang: str, raw: bytes | None = None) -> Summary:
    return summarise(parse_document(raw or fixture(NAME)), lang)


def test_the_fixture_is_a_valid_r4_document_bundle_of_the_invoice_record_shape() -> None:
    bundle = Bundle.model_validate_json(fixture(NAME))
    assert bundle.type == "document"
    entries = bundle.entry or []
    composition = entries[0].resource
    assert isinstance(composition, Composition)
    assert composition.type.text == "Invoice Record"
    sections = composition.section or []
    assert [entry.type for entry in sections[0].entry or []] == ["Invoice"]
    assert any(isinstance(entry.resource, Invoice) for entry in entries)
    assert parse_document(fixture(NAME)).hi_type is HiType.INVOICE


def test_the_bill_in_english() -> None:
    assert summary("en").lines() == [
        "Bill, 20 Nov 2024",
        "Doctor: Dr Kavita Rao",
        "Facility: Primary Health Centre, Rampur",
        "Bill no. PHC-RMP/2024/0417: Consultation",
        "Items:",
        "- Consultation x 1 Visit: Rs. 150",
        "- Paracetamol 1 g oral tablet x 10 Tablet: Rs. 42",
        "- Oral rehydration salts x 1 Bottle: Rs. 36",
        "Total: Rs. 234.8",
    ]


def test_the_bill_in_hindi_keeps_names_as_written() -> None:
    lines = summary("hi").lines()
    assert lines[0] == "बिल, 20 नवंबर 2024"
    assert "बिल नंबर PHC-RMP/2024/0417: Consultation" in lines
    assert "- Paracetamol 1 g oral tablet x 10 Tablet: 42 रुपये" in lines
    assert lines[-1] == "कुल: 234.8 रुपये"


def test_a_bill_without_totals_numbers_or_prices_says_what_it_has() -> None:
    data = json.loads(fixture(NAME))
    invoice = next(
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Invoice"
    )
    del invoice["identifier"], invoice["totalNet"], invoice["totalGross"]
    for item in invoice["lineItem"]:
        item.pop("priceComponent")
    invoice["totalNet"] = {"value": 90, "currency": "USD"}
    lines = summary("en", json.dumps(data).encode()).lines()
    assert "Consultation" in lines  # the kind alone, without a number
    assert "- Oral rehydration salts x 1 Bottle" in lines  # no price: no ": Rs."
    assert lines[-1] == "Total: 90 USD"  # a currency other than rupees, as written


def test_a_composition_that_says_only_invoice_is_not_recognised() -> None:
    data = json.loads(fixture(NAME))
    data["entry"][0]["resource"]["type"] = {"text": "Invoice"}  # not the profile's text
    with pytest.raises(InvalidInput) as caught:
        parse_document(json.dumps(data).encode())
    assert caught.value.code == "records.unknown_type"
