"""Profile changes in `abdm` mode: the language (Arogya's own) changes on every channel; an
e-mail or a postal address, which ABDM holds for a KYC-verified ABHA, is refused with a
translated reply before anything is written."""

from __future__ import annotations

import pytest

from core.clock import FrozenClock
from core.errors import Conflict, NotFound
from core.healthid.models import Person
from core.services import Services
from locales import translate
from tests.webhooks.abdm.conftest import Abdm, AbdmUssdPhone, Running
from tests.webhooks.abdm.test_faults import finish, start
from tests.webhooks.abdm.test_login import ELSEWHERE, made_elsewhere


async def test_the_language_changes_on_ussd_in_abdm_mode(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    made_elsewhere(abdm)
    phone = AbdmUssdPhone(running, abdm, clock)
    await phone.dial()
    for text in ("2", "1", "{otp}"):
        await phone.send(text)
    assert await phone.send("4") == "CON Language / भाषा\n1. English\n2. हिंदी"
    home = await phone.send("2")
    assert home.startswith("CON भाषा: हिंदी।\nनमस्ते Kamla"), home
    kamla = await Person.get(abha_number=ELSEWHERE.replace("-", ""))
    assert kamla.language == "hi"


@pytest.mark.parametrize(
    "change", [{"email": "kamla@example.org"}, {"address": "House 4, Main Road, Dehri"}]
)
async def test_an_email_or_address_is_refused_and_nothing_written(
    registry: Services, abdm: Abdm, change: dict[str, str]
) -> None:
    number = await finish(registry, abdm, await start(registry))
    before = await Person.get(abha_number=number)
    with pytest.raises(Conflict) as refused:
        await registry.healthid.update_profile(number, channel="sms", **change)
    assert refused.value.code == "abdm.profile_not_offered"
    after = await Person.get(abha_number=number)
    assert (after.email, after.address_line) == (before.email, before.address_line)
    for lang in ("en", "hi"):
        assert translate("error.abdm.profile_not_offered", lang) != "error.abdm.profile_not_offered"


async def test_an_unknown_abha_is_still_not_found(registry: Services) -> None:
    with pytest.raises(NotFound) as none:
        await registry.healthid.update_profile("91200000000006", email=None, channel="sms")
    assert none.value.code == "abha.not_found"
