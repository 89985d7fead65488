"""The loopback ABDM's ABHA card and QR: `GET /v3/profile/account/abha-card` and `/qrCode`.

As published (nha-in/docs .../abdm-m1, "Retrieve ABHA card image" and "Get ABHA QR code"): a
GET with the gateway token and the holder's `X-token` (from an enrolment or a login), no body;
200 is the file itself, 400 "Invalid X-token" for a token it did not issue. The card is a real
PNG drawn here (ABDM's layout is not published, so only its contents are ABDM's: name, ABHA
number, address, gender, birth date, mobile and a QR), the QR a real PNG whose JSON uses the
keys ABDM's card QR carries. Some integrators record the card as a PDF: `desk.as_pdf` makes this
fake answer one, so the client's PDF path is tested too.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

import qrcode
from aiohttp import web
from PIL import Image, ImageDraw

from testing.fakes.abdm_people import Abha

if TYPE_CHECKING:
    from testing.fakes.abdm import FakeAbdm

#: The smallest PDF a viewer opens: one empty page.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 190]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class CardDesk:
    """What the card routes served, and how a test wants the next card."""

    def __init__(self) -> None:
        self.as_pdf = False
        #: Every file served, in order (a test compares what the phone got with these).
        self.served: list[bytes] = []


def qr_payload(fake: FakeAbdm, abha: Abha) -> dict[str, str]:
    """The JSON of ABDM's card QR (its published keys)."""
    who = fake.people.residents[abha.aadhaar]
    return {
        "hidn": abha.number,
        "hid": abha.addresses[0] if abha.addresses else "",
        "name": f"{who.first_name} {who.last_name}",
        "gender": who.gender,
        "statelgd": who.state_code,
        "distlgd": who.district_code,
        "dob": who.birth.strftime("%d-%m-%Y"),
        "address": who.address,
        "mobile": abha.mobile or "",
    }


def qr_png(fake: FakeAbdm, abha: Abha) -> bytes:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(json.dumps(qr_payload(fake, abha), separators=(",", ":")))
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def card_png(fake: FakeAbdm, abha: Abha) -> bytes:
    payload = qr_payload(fake, abha)
    card = Image.new("RGB", (1016, 638), (255, 255, 255))
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 1016, 90), fill=(24, 58, 120))
    draw.text((30, 30), "Ayushman Bharat Health Account (ABHA)", fill=(255, 255, 255))
    lines = [
        ("Name", payload["name"]),
        ("ABHA number", payload["hidn"]),
        ("ABHA address", payload["hid"]),
        ("Gender", payload["gender"]),
        ("Date of birth", payload["dob"]),
        ("Mobile", payload["mobile"]),
    ]
    for row, (label, value) in enumerate(lines):
        draw.text((30, 130 + row * 60), f"{label}: {value}", fill=(0, 0, 0))
    qr = Image.open(io.BytesIO(qr_png(fake, abha))).resize((300, 300))
    card.paste(qr, (680, 150))
    out = io.BytesIO()
    card.save(out, format="PNG")
    return out.getvalue()


def add_card_routes(fake: FakeAbdm, prefix: str) -> CardDesk:
    from testing.fakes.abdm import fault

    desk = CardDesk()

    def holder(request: web.Request) -> Abha | None:
        token = request.headers.get("X-token", "").removeprefix("Bearer ")
        number = fake.x_tokens.get(token)
        return fake.people.abhas.get(number) if number else None

    async def abha_card(request: web.Request) -> web.Response:
        abha = holder(request)
        if abha is None:
            return fault(400, "ABDM-1158", "Invalid X-token")
        if desk.as_pdf:
            body, media = PDF, "application/pdf"
        else:
            body, media = card_png(fake, abha), "image/png"
        desk.served.append(body)
        return web.Response(body=body, content_type=media)

    async def qr_code(request: web.Request) -> web.Response:
        abha = holder(request)
        if abha is None:
            return fault(400, "ABDM-1158", "Invalid X-token")
        body = qr_png(fake, abha)
        desk.served.append(body)
        return web.Response(body=body, content_type="image/png")

    fake.app.router.add_get(f"{prefix}/profile/account/abha-card", abha_card)
    fake.app.router.add_get(f"{prefix}/profile/account/qrCode", qr_code)
    return desk
