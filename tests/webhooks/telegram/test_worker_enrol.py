"""A health worker on Telegram: she registers in the chat (her mobile proved by OTP there), an
officer verifies her, her main menu gains "Enrol someone", she enrols a person with no phone by
a spoken consent and gets the printable slip (ABHA number, address, QR) as a photo, her day's
list shows it; once her verification is withdrawn the button is gone."""

from __future__ import annotations

import io
import json

import zxingcpp
from PIL import Image

from core.healthid.models import Person
from testing.fakes.telegram_updates import user
from tests.webhooks.telegram.phone import Telegram, TelegramPhone
from tests.webhooks.workers.helpers import district_officer

SUNITA = user(830001, "Sunita", language_code="en")
REGISTER = [
    "/start",
    "WORKER",
    "tap: ASHA",
    "Sunita Devi",
    "tap: A block or district (LGD code)",
    "162",
    "share",
    "{otp}",
    "tap: Submit",
]
ENROL_WITHOUT_PHONE = [
    "tap: Enrol someone new",
    "tap: No phone: read consent aloud",
    "tap: Yes, they agreed",
    "{otp}",
    "Kamla Devi",
    "tap: Female",
    "1975",
    "226001",
    "1",
    "4826",
    "4826",
    "tap: Create my ABHA",
]


async def test_a_verified_worker_enrols_someone_and_gets_the_slip(telegram: Telegram) -> None:
    phone = TelegramPhone(telegram, SUNITA)
    for action in REGISTER:
        await phone.send(action)
    workers = telegram.services.workers
    worker = await workers.by_mobile(phone.mobile)
    assert worker is not None
    seen = await phone.send("/start")
    assert not any("Enrol someone" in line for line in seen)  # pending: the ordinary menu

    officer = await district_officer(telegram.services)
    await workers.verify(worker.worker_id, officer, channel="web")
    seen = await phone.send("/start")
    assert any("Enrol someone" in line for line in seen), seen
    await phone.send("tap: Enrol someone")
    for action in ENROL_WITHOUT_PHONE:
        seen = await phone.send(action)

    [person] = await Person.filter(first_name="Kamla")
    assert person.mobile is None  # her phone holds none of the people she enrols
    [png] = telegram.api.photos(SUNITA["id"])
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    payload = json.loads(code.text)
    assert payload["hid"] == person.address
    assert payload["hidn"] == ""  # no Aadhaar: an ABHA address, no number (ABDM's rule)
    assert await workers.assisted.registered_by(person.abha_number) == worker.worker_id
    assert seen[0].startswith("photo 1012x638: Health ID card\nABHA address: "), seen  # the slip
    assert seen[1].startswith("ABHA made: "), seen

    await phone.send("/start")
    await phone.send("tap: Enrol someone")
    day = await phone.send("tap: Today's list")
    assert day[0].startswith("Today: 1\n"), day
    assert day[0].endswith(" no phone: ABHA made"), day

    await workers.withdraw(worker.worker_id, officer, "left the programme", channel="web")
    seen = await phone.send("/start")
    assert not any("Enrol someone" in line for line in seen), seen
