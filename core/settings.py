"""Typed settings, read once from the environment by the composition root.

Why one object: every rule that matters (how long an OTP lives, how many ABHAs a phone may hold)
is a number somebody will want to change per deployment, and a test wants to change per case.
With nothing set, Arogya runs embedded: SQLite under ./var/ and in-process state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: A development-only secret; `Settings.uses_dev_secret` lets `serve` warn about it.
DEV_SECRET = "arogya-dev-secret-change-me"  # noqa: S105 (a public placeholder, not a credential)


class Settings(BaseSettings):
    """Every key is documented in settings.example.env."""

    model_config = SettingsConfigDict(env_prefix="AROGYA_", extra="ignore", frozen=True)

    # storage
    database_url: str = Field(
        default="sqlite://var/arogya.sqlite3",
        validation_alias=AliasChoices("DATABASE_URL", "AROGYA_DATABASE_URL"),
    )
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("REDIS_URL", "AROGYA_REDIS_URL")
    )
    #: Redis connections one process may open (core/state/redis.py): a hop holds one only for
    #: a round trip, so 64 carry hundreds of concurrent hops; past it a hop waits for one.
    redis_max_connections: int = Field(default=64, ge=1)
    var_dir: Path = Path("var")

    # secrets
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    aadhaar_hmac_key: SecretStr = SecretStr(DEV_SECRET + "-aadhaar")

    # "development" lets partners' callback URLs point at loopback (over plain http too), for
    # a local test server; anything else ("production") allows only https to public addresses
    env: Literal["development", "production"] = "production"

    # partner API administration (verify facilities, rotate keys); unset = disabled
    admin_token: SecretStr | None = None

    # Health ID
    abha_address_suffix: str = "abdm"
    max_abhas_per_mobile: int = 6
    #: scrypt N for the holder's PIN hashes. The PIN is first keyed with secret_key (see
    #: HealthIdService._peppered), so the key protects it and the cost is defence in depth:
    #: 2^10 (docs/performance.md, "PIN hashing"). A hash stored at another cost still verifies
    #: and is rehashed at this one when its PIN is next typed right.
    pin_hash_cost: int = Field(default=2**10, ge=2)
    #: scrypt N for officers' passwords (council, health workers): not keyed with secret_key,
    #: so their hash cost is their only protection in a stolen database; kept at 2^12.
    password_hash_cost: int = Field(default=2**12, ge=2)
    pin_max_attempts: int = 5
    pin_lockout_seconds: int = 30 * 60

    # Identity registry: "embedded" (this core issues ABHAs) or "abdm" (ABDM's ABHA v3 APIs
    # issue them; core.abdm). abdm needs the gateway (session tokens) and ABHA base URLs and
    # the client credentials ABDM gave this deployment; cm_id is "sbx" or "abdm".
    registry: Literal["embedded", "abdm"] = "embedded"
    abdm_gateway_url: str | None = None
    abdm_abha_url: str | None = None
    abdm_client_id: str | None = None
    abdm_client_secret: SecretStr | None = None
    abdm_cm_id: Literal["sbx", "abdm"] = "sbx"
    #: Seconds to wait for any one ABDM call before telling the person to try again later.
    abdm_timeout_seconds: float = Field(default=10.0, gt=0)

    # OTP (ABDM's rules)
    otp_ttl_seconds: int = 10 * 60
    otp_resend_after_seconds: int = 60
    otp_max_sends: int = 3
    otp_max_attempts: int = 5
    otp_lockout_seconds: int = 30 * 60
    otp_sends_per_mobile_per_hour: int = 10

    # Trust at the edges (issue 15): council sign-in failures one client address may make per
    # window before it is throttled (keep it under half the per-account limit of 5, so that
    # one address alone can never lock an officer out); days of disuse after which a Telegram
    # chat's link to a person lapses and must be proved by OTP again
    council_sign_in_failures_per_source: int = Field(default=2, ge=1)
    channel_link_idle_days: int = Field(default=90, ge=1)

    # records: AES-GCM keyring "kid:base64(32 bytes),..." (first is current); unset derives one
    # key from secret_key, fine for embedded use only
    records_keys: SecretStr | None = None
    records_max_bundle_bytes: int = 5 * 1024 * 1024
    #: Notices (link-request SMS, "new record from ...") one facility may cause a person in a
    #: day; the rest are withheld and audited, not sent (core.records.notices)
    notices_per_facility_per_day: int = Field(default=10, ge=1)

    # consent: how long a request waits for an answer; Ed25519 seeds (base64, comma-separated,
    # the first signs, all are published) for artefacts, unset derives one from secret_key;
    # how often expired requests and grants are swept; HIU callback timeout and attempts
    consent_request_deadline_days: int = 7
    consent_signing_keys: SecretStr | None = None
    consent_sweep_interval_seconds: float = 60.0
    consent_callback_timeout_seconds: float = 10.0
    consent_callback_max_attempts: int = 15
    # "This wasn't me" (core.leaving.disown): an ABHA this young may be deleted by its
    # mobile's OTP alone; an older one needs the ordinary PIN+OTP delete.
    disown_window_days: int = Field(default=30, ge=1, le=365)
    # Health workers' enrolment logs (core.workers.retention): a row is dropped this many days
    # after it began; the beneficiary's mobile in it is masked as soon as the enrolment ends.
    assisted_retention_days: int = Field(default=90, ge=1, le=3650)
    # Enrolments one health worker may begin in a day (India's): her quota, in place of the
    # per-mobile ABHA cap and hourly OTP limit her own phone would otherwise hit.
    assisted_per_worker_per_day: int = Field(default=50, ge=1, le=1000)

    # SMS
    sms_gateway: str = "log"  # "log", "http", "twilio" or "africastalking" (core.sms.adapters)
    # africastalking: the app's username, its API key, an optional sender id, the API base
    africastalking_username: str | None = None
    africastalking_api_key: SecretStr | None = None
    africastalking_sender: str | None = None
    africastalking_api_base: str = "https://api.africastalking.com"
    # twilio: the account, the sender (+E.164 number or an MG... Messaging Service), the API
    # base (a loopback fake in tests); status callbacks go to public_url + /sms/twilio/status
    twilio_account_sid: str | None = None
    twilio_sender: str | None = None
    twilio_api_base: str = "https://api.twilio.com"
    sms_gateway_url: str | None = None
    sms_gateway_token: SecretStr | None = None
    sms_retry_base_seconds: float = 5.0
    sms_retry_max_seconds: float = 300.0
    sms_max_attempts: int = 8
    dlt_entity_id: str = "1101000000000000000"
    dlt_sender: str = "AROGYA"
    # message key -> DLT template id, as JSON; keys left out use core.sms.templates defaults
    dlt_templates: dict[str, str] = Field(default_factory=dict)

    # conversations
    conversation_ttl_seconds: int = 30 * 60
    resume_window_seconds: int = 10 * 60
    ussd_secret: SecretStr | None = None
    ussd_gsm7_page_chars: int = 182
    ussd_ucs2_page_chars: int = 80
    sms_api_token: SecretStr | None = None
    sms_max_segments: int = 3
    twilio_auth_token: SecretStr | None = None
    # the SharedKey secret Twilio signs HMAC_SHA256 webhooks with (unset: the auth token)
    twilio_webhook_signing_key: SecretStr | None = None
    public_url: str | None = None

    # Telegram
    telegram_bot_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "AROGYA_TELEGRAM_BOT_TOKEN"),
    )
    telegram_api_base: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    #: The whole bot's pace for pushes (Telegram's default limit is about 30 a second; a bot
    #: granted more, e.g. by paid broadcasts, or a self-hosted Bot API server, may go faster).
    telegram_messages_per_second: float = Field(default=30.0, gt=0, le=1000)

    # the HTTP server's own limits against slow or greedy clients (arogya/edge.py)
    http_header_timeout_seconds: float = Field(default=10.0, gt=0)
    http_body_timeout_seconds: float = Field(default=60.0, gt=0)
    http_keepalive_seconds: float = Field(default=15.0, gt=0)
    http_connections_per_address: int = Field(default=64, ge=1)

    # logging
    log_level: str = "INFO"

    @model_validator(mode="after")
    def _abdm_complete(self) -> Settings:
        """Fail at start, not at a person's first OTP, when abdm mode lacks a setting."""
        if self.registry == "abdm":
            missing = [
                f"AROGYA_{name.upper()}"
                for name in (
                    "abdm_gateway_url",
                    "abdm_abha_url",
                    "abdm_client_id",
                    "abdm_client_secret",
                )
                if not getattr(self, name)
            ]
            if missing:
                raise ValueError(f"AROGYA_REGISTRY=abdm needs {', '.join(missing)}")
        return self

    @property
    def development(self) -> bool:
        return self.env == "development"

    @property
    def uses_dev_secret(self) -> bool:
        return self.secret_key.get_secret_value() == DEV_SECRET
