"""The Health ID card: a PNG whose QR decodes (with zxing-cpp) back to ABDM's card JSON."""

from __future__ import annotations

import io
import json

import zxingcpp
from PIL import Image, ImageFont

from core.healthid import card, numbers
from core.healthid.aadhaar_gateway import synthetic_ekyc
from testing.healthid import HealthIdWiring, enrol_with_aadhaar, enrol_with_mobile, profile


def _decode(png: bytes) -> tuple[Image.Image, dict[str, str]]:
    image = Image.open(io.BytesIO(png))
    image.load()
    codes = zxingcpp.read_barcodes(image)
    assert [code.format for code in codes] == [zxingcpp.BarcodeFormat.QRCode]
    return image, json.loads(codes[0].text)


async def test_an_english_card_carries_abdm_card_json(health: HealthIdWiring) -> None:
    person = await enrol_with_aadhaar(health, "999999990019", "9876543210", handle="ramesh.k1990")
    ekyc = synthetic_ekyc("999999990019", "+919876543210")

    image, payload = _decode(await health.service.card_png(person.abha_number, "en"))

    assert (image.format, image.size) == ("PNG", (card.WIDTH, card.HEIGHT))
    assert payload == {
        "hidn": person.abha_number,
        "hid": "ramesh.k1990@sbx",
        "name": ekyc.name,
        "gender": ekyc.gender,
        "statelgd": str(ekyc.state_lgd),
        "distlgd": str(ekyc.district_lgd),
        "dob": ekyc.birth_date.strftime("%d-%m-%Y"),
        "address": ekyc.address,
        "mobile": "9876543210",
    }
    assert numbers.is_valid(payload["hidn"])


async def test_a_devanagari_name_survives_the_qr_round_trip(health: HealthIdWiring) -> None:
    hindi = profile(first_name="लक्ष्मी", last_name="क्षत्रिय", gender="F", year_of_birth=1988)
    person = await enrol_with_mobile(health, "9812345678", hindi, handle="lakshmi.k88")

    image, payload = _decode(await health.service.card_png(person.abha_number, "hi"))

    assert payload["name"] == "लक्ष्मी क्षत्रिय"
    assert (payload["dob"], payload["gender"], payload["hid"]) == ("1988", "F", "lakshmi.k88@sbx")
    assert (payload["statelgd"], payload["distlgd"]) == ("9", "162")
    assert image.size == (card.WIDTH, card.HEIGHT)


def test_devanagari_is_shaped_into_conjuncts() -> None:
    """With raqm, `क्ष` is one conjunct glyph, narrower than क + virama + ष set side by side."""
    shaped = card._font(devanagari=True, bold=False, size=40)
    path = str(card.FONT_DIR / "NotoSansDevanagari-Regular.ttf")
    unshaped = ImageFont.truetype(path, 40, layout_engine=ImageFont.Layout.BASIC)
    assert shaped.layout_engine == ImageFont.Layout.RAQM
    assert shaped.getlength("क्ष") < unshaped.getlength("क्ष")


def test_text_is_split_into_script_runs_for_the_two_fonts() -> None:
    assert card._runs("ABHA पता") == [(False, "ABHA "), (True, "पता")]
    assert card._runs("लक्ष्मी (Lakshmi)") == [(True, "लक्ष्मी ("), (False, "Lakshmi)")]


def test_a_long_name_is_shrunk_to_fit_not_cut() -> None:
    name = "Venkata Lakshmi Narasimha Subrahmanyeswara Rao"
    qr = {"hidn": "91-2345-6789-0123", "name": name}
    data = card.CardData(name, "91-2345-6789-0123", "venkata.rao@sbx", "M", "1975", qr)
    _, payload = _decode(card.render_png(data, "en"))
    assert payload["name"] == name
