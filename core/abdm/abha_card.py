"""ABDM's own ABHA card in `abdm` mode (M1's CRT_ABHA_114): fetched with the holder's token.

    GET /v3/profile/account/abha-card  (X-token)  the card, an image (or a PDF)
    GET /v3/profile/account/qrCode     (X-token)  the QR alone, when the card came as a PDF

Why it is fetched late: a channel shows the card after the conversation that made or found the
ABHA (the Telegram photo after "Create ABHA", a notice with the card attached), while ABDM's
card needs the holder's user token (X-token), which exists only right after an enrolment
(`enrol/byAadhaar` answers it) or a login (`verify/user`, or the Aadhaar login's `verify`).
Every such token passes through `_abdm`, which keeps the latest one of each ABHA, sealed,
until it expires (`core.abdm.cards.models`). `card_png` then fetches ABDM's card once with it
and keeps the card, so USSD and SMS, which never show a card, cost no card call at all.

What a person gets, in order: ABDM's card fetched with a live token, else the ABDM card kept
from before, else Arogya's card rendered from the mirror (as in embedded mode: a card is shown
even when ABDM cannot be asked). A card ABDM sends as a PDF cannot be a Telegram photo, so
then ABDM's QR (`qrCode`) is printed on Arogya's card in its place. A token ABDM refuses is
dropped; a mobile change drops the kept card (ABDM's card prints the mobile).
"""

from __future__ import annotations

import asyncio
import base64
import io
import logging
from datetime import timedelta

from PIL import Image, UnidentifiedImageError
from tortoise.exceptions import IntegrityError

from core.abdm import wire
from core.abdm.cards.models import AbdmCard, AbdmUserToken
from core.abdm.client import Json
from core.abdm.faults import AbdmRefused, bad_answer, to_error
from core.abdm.recovery import AbdmRecovering
from core.errors import ArogyaError, RemoteUnavailable
from core.healthid import card as card_render
from core.healthid import numbers
from core.healthid.recovery import MobileChanged
from core.sms.sealing import Sealer

log = logging.getLogger(__name__)

#: How long a user token is kept: under ABDM's `expiresIn` (1800 s) with a margin, so a
#: kept token is never sent after ABDM has let it lapse.
USER_TOKEN_LIFE = timedelta(minutes=25)
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
PDF = b"%PDF-"
#: No card is larger (ABDM's is about 1000 x 650); anything else is not a card.
MAX_SIDE = 4000


def as_png(raw: bytes) -> bytes | None:
    """`raw` as PNG bytes if it is a readable PNG or JPEG image, else None."""
    if not (raw.startswith(PNG) or raw.startswith(JPEG)):
        return None
    try:
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            if max(image.size) > MAX_SIDE:
                return None
            if raw.startswith(PNG):
                return raw
            out = io.BytesIO()
            image.convert("RGB").save(out, format="PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


class AbdmCarding(AbdmRecovering):
    def _sealer(self, what: bytes) -> Sealer:
        secret = self._settings.secret_key.get_secret_value()
        return Sealer(secret, purpose=b"arogya.abdm." + what + b".v1")

    # --- the user token, kept as it passes ---------------------------------------------------

    async def _abdm(
        self,
        method: str,
        path: str,
        body: Json | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> Json:
        answer = await super()._abdm(method, path, body, headers=headers)
        if method == "GET" and path == wire.PROFILE_PATH and headers and "X-token" in headers:
            # a login's X-token just read this ABHA's profile: it acts for that ABHA
            token = headers["X-token"].removeprefix("Bearer ")
            await self._keep_user_token(answer.get("ABHANumber"), token)
        elif path == wire.ENROL_BY_AADHAAR_PATH:
            tokens, profile = answer.get("tokens"), answer.get("ABHAProfile")
            if isinstance(tokens, dict) and isinstance(profile, dict):
                await self._keep_user_token(profile.get("ABHANumber"), tokens.get("token"))
        return answer

    async def _keep_user_token(self, number: object, token: object) -> None:
        """The latest X-token of an ABHA, sealed; an answer without both is left alone (the
        caller reads the answer and says what is wrong with it)."""
        if not isinstance(number, str) or not isinstance(token, str) or not token:
            return
        compact = numbers.compact(number)
        if not numbers.is_valid(compact):
            return
        now = self._clock.now()
        await AbdmUserToken.filter(expires_at__lte=now).delete()
        values = {
            "sealed": self._sealer(b"user-token").seal(token, compact),
            "obtained_at": now,
            "expires_at": now + USER_TOKEN_LIFE,
        }
        try:
            await AbdmUserToken.update_or_create(defaults=values, abha_number=compact)
        except IntegrityError:  # a concurrent login kept its own token first: as good
            log.info("a user token was kept concurrently; this one is not")

    async def _live_token(self, number: str) -> AbdmUserToken | None:
        return await AbdmUserToken.get_or_none(abha_number=number, expires_at__gt=self._clock.now())

    # --- the card ----------------------------------------------------------------------------

    async def card_png(self, abha_number: str, lang: str) -> bytes:
        """ABDM's card (fetched now, or kept), else Arogya's from the mirror (module doc)."""
        person = await self._active_person(abha_number)
        number = person.abha_number
        kept = await AbdmCard.get_or_none(abha_number=number)
        token = await self._live_token(number)
        if token is not None and (kept is None or kept.fetched_at < token.obtained_at):
            try:
                x_token = self._sealer(b"user-token").open(token.sealed, number)
                kept = await self._fetch_card(number, x_token)
            except ArogyaError as refusal:
                log.warning("ABDM's card not fetched (%s): a kept or local card", refusal.code)
                if not isinstance(refusal, RemoteUnavailable):  # the token is no good
                    await AbdmUserToken.filter(abha_number=number).delete()
        if kept is None:
            return await super().card_png(abha_number, lang)
        image = base64.b64decode(self._sealer(b"card").open(kept.sealed, number))
        if kept.kind == "card":
            return image
        data = card_render.card_data(person)
        return await asyncio.to_thread(card_render.render_png, data, lang, image)

    async def _fetch_file(self, path: str, x_token: str) -> tuple[bytes, str]:
        try:
            return await self._client.call_binary(path, extra={"X-token": f"Bearer {x_token}"})
        except AbdmRefused as refused:
            raise to_error(refused) from None

    async def _fetch_card(self, number: str, x_token: str) -> AbdmCard:
        """ABDM's card (or, for a PDF, its QR), checked to be an image, then kept sealed."""
        path, kind = wire.CARD_PATH, "card"
        raw, media = await self._fetch_file(path, x_token)
        if raw.startswith(PDF):
            path, kind = wire.QR_PATH, "qr"
            raw, media = await self._fetch_file(path, x_token)
        png = await asyncio.to_thread(as_png, raw)
        if png is None:
            raise bad_answer(path, f"not an image ({media})")
        values = {
            "kind": kind,
            "sealed": self._sealer(b"card").seal(base64.b64encode(png).decode(), number),
            "fetched_at": self._clock.now(),
        }
        try:
            card, _ = await AbdmCard.update_or_create(defaults=values, abha_number=number)
        except IntegrityError:  # fetched concurrently for another chat: theirs is as good
            card = await AbdmCard.get(abha_number=number)
        return card

    # --- what makes a kept card stale ---------------------------------------------------------

    async def finish_mobile_change(self, txn_id: str, otp: str, *, channel: str) -> MobileChanged:
        """ABDM's card prints the mobile: the kept card and token go with the old one."""
        changed = await super().finish_mobile_change(txn_id, otp, channel=channel)
        await self.forget_card(changed.person.abha_number)
        return changed

    async def forget_card(self, abha_number: str) -> None:
        """Drop the kept card and user token of an ABHA whose card no longer holds (a mobile
        change, a deactivation, a deletion: a deleted ABHA's card must not outlive it)."""
        number = numbers.compact(abha_number)
        await AbdmCard.filter(abha_number=number).delete()
        await AbdmUserToken.filter(abha_number=number).delete()
