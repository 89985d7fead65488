"""Invoice (a bill): what kind of bill, each item with its quantity and price, and the total.

Why its own reader: an InvoiceRecord's Composition has one section that points at a FHIR
`Invoice`, whose line items point at `ChargeItem`s, which point at the product (a Medication)
or name the service themselves. A person wants "what did I pay for, and how much", so the
chain is followed to names a reader knows; amounts are shown as written (no arithmetic: a bill
says what it says), in rupees when the currency is INR.

    Bill, 22 Aug 2023
    Doctor: Dr. DEF
    Bill no. CA/5842: Pharmacy
    Items:
    - Paracetamol 1 g oral tablet x 1 Tablet: Rs. 80
    Total: Rs. 2575
"""

from __future__ import annotations

from fhir.resources.R4B.chargeitem import ChargeItem
from fhir.resources.R4B.invoice import Invoice, InvoiceLineItem
from fhir.resources.R4B.medication import Medication
from fhir.resources.R4B.money import Money

from core.records.fhir import Document
from core.records.summary.common import intro, title
from core.records.summary.context import Ctx
from core.records.summary.index import clean, concept_text
from core.records.summary.model import Section, Summary
from core.records.summary.sections import MAX_LINES


def _invoices(document: Document, ctx: Ctx) -> list[Invoice]:
    """The Invoices the Composition's sections point at; every Invoice when they point at none."""
    found = [
        resource
        for section in document.composition.section or []
        for resource in ctx.index.resolve_all(section.entry)
        if isinstance(resource, Invoice)
    ]
    return found or ctx.index.of_type(Invoice)


def money(amount: Money | None, ctx: Ctx) -> str | None:
    if amount is None or amount.value is None:
        return None
    value = ctx.words.number(amount.value)
    currency = clean(amount.currency)
    if currency is None or currency == "INR":
        return ctx.words("money.inr", value=value)
    return f"{value} {currency}"


def _item_name(item: InvoiceLineItem, ctx: Ctx) -> tuple[str | None, str | None]:
    """(what was charged for, how many) of a line item."""
    concept = item.chargeItemCodeableConcept
    if concept is not None:
        return concept_text(concept), None
    charge = ctx.index.resolve(item.chargeItemReference)
    if not isinstance(charge, ChargeItem):
        return clean(item.chargeItemReference.display if item.chargeItemReference else None), None
    product = ctx.index.resolve(charge.productReference)
    name = None
    if isinstance(product, Medication):
        name = concept_text(product.code)
    name = name or concept_text(charge.productCodeableConcept) or concept_text(charge.code)
    quantity = charge.quantity
    count = None
    if quantity is not None and quantity.value is not None:
        unit = clean(quantity.unit)
        count = ctx.words.number(quantity.value) + (f" {unit}" if unit else "")
    return name, count


def _price(item: InvoiceLineItem, ctx: Ctx) -> str | None:
    """The line's base price (ABDM's "Rate"), else its first price component."""
    components = item.priceComponent or []
    base = next((part for part in components if part.type == "base"), None)
    chosen = base or (components[0] if components else None)
    return money(chosen.amount, ctx) if chosen is not None else None


def _item_line(item: InvoiceLineItem, ctx: Ctx) -> str | None:
    name, count = _item_name(item, ctx)
    if name is None:
        return None
    if count:
        name = ctx.words("line.times", name=name, count=count)
    price = _price(item, ctx)
    return ctx.words("line.value", name=name, value=price) if price else name


def _heading_line(invoice: Invoice, ctx: Ctx) -> str | None:
    kind = concept_text(invoice.type)
    number = next((clean(ident.value) for ident in invoice.identifier or [] if ident.value), None)
    if number and kind:
        return ctx.words("line.bill_number", number=number, kind=kind)
    if number:
        return ctx.words("line.bill_number_only", number=number)
    return kind


def summarise(document: Document, ctx: Ctx) -> Summary:
    sections: list[Section] = []
    lead = intro(document, ctx)
    if lead is not None:
        sections.append(lead)
    for invoice in _invoices(document, ctx):
        heading = _heading_line(invoice, ctx)
        if heading:
            sections.append(Section("", (heading,)))
        items = [line for line in map(lambda i: _item_line(i, ctx), invoice.lineItem or []) if line]
        if len(items) > MAX_LINES:
            hidden = len(items) - (MAX_LINES - 1)
            items = [*items[: MAX_LINES - 1], ctx.words("line.more", count=hidden)]
        if items:
            sections.append(Section(ctx.words("section.bill_items"), tuple(items)))
        total = money(invoice.totalGross or invoice.totalNet, ctx)
        if total:
            sections.append(Section("", (ctx.words("line.total", amount=total),)))
    return Summary(title(document, ctx), tuple(sections), ctx.words.lang)
