"""Twilio's webhook signatures judged by Twilio's own library: whatever its `RequestValidator`
signs (SHA-1 or SHA-256, the URL with or without `:443`) is accepted, anything else is 403."""

from __future__ import annotations

import pytest
from twilio.request_validator import HMAC_SHA1, HMAC_SHA256, RequestValidator

from tests.webhooks.conftest import TWILIO_TOKEN, Serve
from tests.webhooks.phones import RecordingSms

PUBLIC = "https://arogya.example.in"
SHARED_KEY = "twilio-shared-key-secret-0123456789"
FORM = {"MessageSid": "SM77", "From": "+919876543210", "To": "+15005550006", "Body": "Hi"}
SETTINGS = "X-Twilio-Webhooks-Signature-Settings"


@pytest.mark.parametrize(
    ("signed_url", "algorithm", "key"),
    [
        (f"{PUBLIC}/sms/twilio", HMAC_SHA1, TWILIO_TOKEN),
        (f"{PUBLIC}:443/sms/twilio", HMAC_SHA1, TWILIO_TOKEN),
        (f"{PUBLIC}/sms/twilio", HMAC_SHA256, SHARED_KEY),
        (f"{PUBLIC}:443/sms/twilio", HMAC_SHA256, SHARED_KEY),
    ],
)
async def test_what_twilio_signs_is_accepted(
    serve: Serve, outbox: RecordingSms, signed_url: str, algorithm: str, key: str
) -> None:
    client = await serve(
        twilio_auth_token=TWILIO_TOKEN,
        public_url=f"{PUBLIC}/",
        twilio_webhook_signing_key=SHARED_KEY,
    )
    validator = RequestValidator(key)
    signature = validator.compute_signature(signed_url, FORM, algorithm)
    assert validator.validate(f"{PUBLIC}/sms/twilio", FORM, signature, algorithm)
    headers = {"X-Twilio-Signature": signature}
    if algorithm == HMAC_SHA256:
        headers[SETTINGS] = f"key=webhooks_sharedkey_1,algorithm={algorithm}"
    response = await client.post("/sms/twilio", data=FORM, headers=headers)
    assert response.status == 200, await response.text()
    assert len(outbox.sent) == 1


async def test_what_twilio_would_not_accept_is_refused(serve: Serve) -> None:
    client = await serve(
        twilio_auth_token=TWILIO_TOKEN,
        public_url=f"{PUBLIC}/",
        twilio_webhook_signing_key=SHARED_KEY,
    )
    url = f"{PUBLIC}/sms/twilio"
    sha256 = RequestValidator(SHARED_KEY).compute_signature(url, FORM, HMAC_SHA256)
    sha1 = RequestValidator(TWILIO_TOKEN).compute_signature(url, FORM, HMAC_SHA1)
    wrong_port = RequestValidator(TWILIO_TOKEN).compute_signature(f"{PUBLIC}:8443/sms/twilio", FORM)
    cases = [
        ({"X-Twilio-Signature": sha256}, "SHA-256 without the settings header"),
        ({"X-Twilio-Signature": sha1, SETTINGS: "key=k,algorithm=HMAC_SHA256"}, "SHA-1 as 256"),
        ({"X-Twilio-Signature": sha256, SETTINGS: "key=k,algorithm=HMAC_SHA512"}, "unknown"),
        ({"X-Twilio-Signature": wrong_port}, "another port"),
        ({}, "no signature"),
    ]
    for headers, why in cases:
        response = await client.post("/sms/twilio", data=FORM, headers=headers)
        assert response.status == 403, why
