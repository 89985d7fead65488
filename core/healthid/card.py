"""The Health ID card: a PNG a person can keep, print or show at a hospital counter.

What is on it: name, ABHA number, ABHA address, gender, date (or year) of birth, and a QR code
whose JSON uses ABDM's card keys (`hidn`, `hid`, `name`, `gender`, `statelgd`, `distlgd`,
`dob`, `address`, `mobile`), so a facility's ABDM scanner can register the person from it. The
mobile is in the QR, as on ABDM's own cards, because that is what the scanner registers.

Why two fonts and raqm: a Hindi name needs Devanagari shaping (conjuncts such as `क्ष`, vowel
signs placed before their consonant), which only a complex-text layout engine does; Pillow's
raqm layout does it with the Noto Devanagari font. Text is split into script runs so Latin
parts use Noto Sans; runs share a baseline.

Why ASCII JSON in the QR: a QR code in byte mode carries no charset, and scanners guess; with
`\\u` escapes the payload is pure ASCII and every JSON parser recovers the Devanagari exactly.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from core.healthid import mobile as mobile_numbers
from core.healthid import numbers
from core.healthid.models import Kyc, Person
from locales import normalise_language, translate

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
WIDTH, HEIGHT = 1012, 638  # ID-1 (credit card) proportions at 300 dpi
NAVY, SAFFRON, GREEN = (11, 61, 145), (245, 130, 32), (19, 136, 8)
INK, MUTED, PAPER = (22, 28, 45), (96, 106, 128), (255, 255, 255)


@dataclass(frozen=True, slots=True)
class CardData:
    name: str
    abha_number: str | None  # formatted; None for an ABHA address alone (no KYC, no number)
    address: str
    gender: str  # M, F, O
    birth: str  # DD-MM-YYYY, or YYYY when only the year is known
    qr: dict[str, str]

    @property
    def birth_is_full(self) -> bool:
        return len(self.birth) > 4


def card_data(person: Person) -> CardData:
    names = (person.first_name, person.middle_name, person.last_name)
    name = " ".join(part for part in names if part)
    if person.month_of_birth and person.day_of_birth:
        birth = f"{person.day_of_birth:02d}-{person.month_of_birth:02d}-{person.year_of_birth}"
    else:
        birth = str(person.year_of_birth)
    gender = person.gender.value if person.gender else ""
    # ABDM issues a number only after KYC: a self-declared ABHA's key is never printed
    number = numbers.format(person.abha_number) if person.kyc is Kyc.VERIFIED else None
    qr = {
        "hidn": number or "",
        "hid": person.address,
        "name": name,
        "gender": gender,
        "statelgd": str(person.state_lgd or ""),
        "distlgd": str(person.district_lgd or ""),
        "dob": birth,
        "address": person.address_line or "",
        "mobile": mobile_numbers.national(person.mobile) if person.mobile else "",
    }
    return CardData(name, number, person.address, gender, birth, qr)


def _font(devanagari: bool, bold: bool, size: int) -> ImageFont.FreeTypeFont:
    family = "NotoSansDevanagari" if devanagari else "NotoSans"
    path = FONT_DIR / f"{family}-{'Bold' if bold else 'Regular'}.ttf"
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def _is_devanagari(char: str) -> bool:
    return "\u0900" <= char <= "\u097f" or "\ua8e0" <= char <= "\ua8ff"


def _runs(text: str) -> list[tuple[bool, str]]:
    """Split into (is_devanagari, text) runs; spaces and punctuation stay with their run."""
    runs: list[tuple[bool, str]] = []
    for char in text:
        script = _is_devanagari(char) if char.isalpha() or _is_devanagari(char) else None
        if runs and (script is None or script == runs[-1][0]):
            runs[-1] = (runs[-1][0], runs[-1][1] + char)
        else:
            runs.append((bool(script), char))
    return runs


def _text_width(text: str, size: int, bold: bool) -> float:
    return sum(_font(deva, bold, size).getlength(run) for deva, run in _runs(text))


def _draw_text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    *,
    size: int,
    bold: bool = False,
    fill: tuple[int, int, int] = INK,
    max_width: float | None = None,
) -> None:
    """Draw mixed-script text on one baseline at `xy`, shrinking it to fit `max_width`."""
    while max_width is not None and size > 14 and _text_width(text, size, bold) > max_width:
        size -= 2
    x, y = xy
    for deva, run in _runs(text):
        font = _font(deva, bold, size)
        draw.text((x, y), run, font=font, fill=fill, anchor="ls")
        x += font.getlength(run)


def _qr_image(payload: dict[str, str], size: int) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(json.dumps(payload, ensure_ascii=True, separators=(",", ":")))
    code.make(fit=True)
    image: Image.Image = code.make_image(fill_color="black", back_color="white").get_image()
    image = image.convert("RGB")
    return image.resize((size, size), Image.Resampling.NEAREST)


def render_png(data: CardData, lang: str, qr_png: bytes | None = None) -> bytes:
    """The card as PNG bytes, labels in `lang` (en or hi); `qr_png` is a QR image to print
    instead of the one made from `data.qr` (ABDM's own, in `abdm` mode: core.abdm.abha_card)."""
    lang = normalise_language(lang)

    def label(key: str) -> str:
        return translate(f"healthid.card.{key}", lang)

    card = Image.new("RGB", (WIDTH, HEIGHT), (233, 238, 246))
    draw = ImageDraw.Draw(card)
    draw.rounded_rectangle(
        (8, 8, WIDTH - 8, HEIGHT - 8), radius=28, fill=PAPER, outline=NAVY, width=3
    )
    draw.rounded_rectangle((8, 8, WIDTH - 8, 132), radius=28, fill=NAVY)
    draw.rectangle((8, 100, WIDTH - 8, 132), fill=NAVY)
    for index, colour in enumerate((SAFFRON, PAPER, GREEN)):
        draw.rectangle((8, 132 + index * 6, WIDTH - 8, 138 + index * 6), fill=colour)
    _draw_text(draw, (40, 66), label("title"), size=34, bold=True, fill=PAPER, max_width=900)
    _draw_text(draw, (40, 108), label("subtitle"), size=22, fill=(208, 222, 255))

    left, top, column = 40, 200, 600
    _draw_text(draw, (left, top), label("name"), size=20, fill=MUTED)
    _draw_text(draw, (left, top + 46), data.name, size=40, bold=True, max_width=column)
    if data.abha_number is not None:
        _draw_text(draw, (left, top + 100), label("abha_number"), size=20, fill=MUTED)
        _draw_text(draw, (left, top + 146), data.abha_number, size=40, bold=True, fill=NAVY)
        _draw_text(draw, (left, top + 200), label("abha_address"), size=20, fill=MUTED)
        _draw_text(draw, (left, top + 240), data.address, size=30, max_width=column)
    else:  # an ABHA address alone: it takes the number's place
        _draw_text(draw, (left, top + 100), label("abha_address"), size=20, fill=MUTED)
        _draw_text(
            draw, (left, top + 146), data.address, size=34, bold=True, fill=NAVY, max_width=column
        )
    birth_key = "dob" if data.birth_is_full else "yob"
    _draw_text(draw, (left, top + 294), label("gender"), size=20, fill=MUTED)
    _draw_text(draw, (left + 300, top + 294), label(birth_key), size=20, fill=MUTED)
    gender = label(f"gender.{data.gender}") if data.gender else "-"
    _draw_text(draw, (left, top + 334), gender, size=30, max_width=280)
    _draw_text(draw, (left + 300, top + 334), data.birth, size=30)

    qr_size, qr_left = 300, WIDTH - 40 - 300
    if qr_png is None:
        qr = _qr_image(data.qr, qr_size)
    else:
        qr = Image.open(io.BytesIO(qr_png)).convert("RGB")
        qr = qr.resize((qr_size, qr_size), Image.Resampling.NEAREST)
    card.paste(qr, (qr_left, 178))
    draw.rectangle((qr_left - 1, 177, qr_left + qr_size, 178 + qr_size), outline=(200, 206, 218))
    scan = label("scan")
    scan_width = _text_width(scan, 18, False)
    _draw_text(draw, (qr_left + (qr_size - scan_width) / 2, 510), scan, size=18, fill=MUTED)
    draw.line((40, 560, WIDTH - 40, 560), fill=(220, 225, 235), width=2)
    _draw_text(draw, (40, 600), label("footer"), size=18, fill=MUTED, max_width=WIDTH - 80)

    out = io.BytesIO()
    card.save(out, format="PNG", optimize=True)
    return out.getvalue()
