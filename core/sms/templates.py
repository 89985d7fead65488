"""Which DLT template each SMS message key is sent under.

Why: TRAI's TCCCPR 2018 lets an operator deliver a commercial SMS in India only under a template
registered on the DLT platform (entity id, sender header, 19-digit template id), and drops the
rest silently. So every message key maps to a template id, and sending a key without one is a
programming error caught before anything is written, not a message lost at the operator.

The ids below are placeholders of the right shape; a deployment registers its own templates and
overrides them per key with `AROGYA_DLT_TEMPLATES='{"sms.otp": "1107..."}'`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.settings import Settings

#: The catch-all template under which conversational replies (rendered pages) are sent.
REPLY_TEMPLATE_KEY = "sms.reply"


@dataclass(frozen=True, slots=True)
class Template:
    """A registered SMS template. `sensitive` texts never reach a log line."""

    key: str
    default_id: str
    sensitive: bool
    #: The parameters the catalog text uses; the catalog tests hold both languages to this.
    params: frozenset[str]


#: Every SMS Arogya sends. Sensitive: an OTP is a secret; the others carry a name and an ABHA
#: number, which are personal data and have no business in a log aggregator.
TEMPLATES: Mapping[str, Template] = {
    t.key: t
    for t in (
        Template("sms.otp", "1107176000000000101", True, frozenset({"otp", "minutes"})),
        # a doctor proving their mobile for the professionals registry, not for an ABHA
        Template("sms.otp.hpr", "1107176000000000104", True, frozenset({"otp", "minutes"})),
        Template(
            "sms.card_details",
            "1107176000000000102",
            True,
            frozenset({"name", "abha_number", "address"}),
        ),
        Template("sms.welcome", "1107176000000000103", True, frozenset({"name", "abha_number"})),
        # an ABHA made with a mobile alone has an ABHA address and no number (ABDM's rule)
        Template(
            "sms.card_details_address", "1107176000000000105", True, frozenset({"name", "address"})
        ),
        Template(
            "sms.welcome_address", "1107176000000000106", True, frozenset({"name", "address"})
        ),
        # The old number told that its ABHA moved to another mobile (core.healthid.recovery)
        Template(
            "sms.mobile_changed",
            "1107176000000000107",
            True,
            frozenset({"abha_number", "mobile"}),
        ),
        # deactivate / reactivate / delete done (core.leaving), in the holder's language
        Template("sms.leave.deactivate", "1107176000000000108", True, frozenset({"abha_number"})),
        Template("sms.leave.reactivate", "1107176000000000109", True, frozenset({"abha_number"})),
        Template("sms.leave.delete", "1107176000000000110", True, frozenset({"abha_number"})),
        # abdm mode: turned off at ABDM, and turned on again only in the ABHA app
        Template(
            "sms.leave.deactivate_abdm", "1107176000000001601", True, frozenset({"abha_number"})
        ),
        Template(
            "hpr.notice.verified",
            "1107176000000000201",
            True,
            frozenset({"name", "hpr_id", "hpr_address", "council"}),
        ),
        Template(
            "hpr.notice.rejected",
            "1107176000000000202",
            True,
            frozenset({"name", "council", "reason"}),
        ),
        # A facility asks to add visits to the ABHA: its name and the code (core.records.linking)
        Template(
            "sms.link.code",
            "1107176000000000501",
            True,
            frozenset({"facility", "code", "minutes"}),
        ),
        Template("notify.record.new", "1107176000000000301", True, frozenset({"facility"})),
        # A HIU asks to see records: who, what, which dates, why, until when, and the code to
        # answer with ("YES 4F7K"); names are clipped to fit (core.consent.notice).
        Template(
            "consent.notice.request",
            "1107176000000000401",
            True,
            frozenset({"requester", "hiu", "types", "from", "to", "purpose", "until", "code"}),
        ),
        # A health worker proving her mobile, and the officer's decision on her (core.workers)
        Template("sms.otp.worker", "1107176000000000601", True, frozenset({"otp", "minutes"})),
        Template(
            "workers.notice.verified", "1107176000000000602", True, frozenset({"name", "worker_id"})
        ),
        Template(
            "workers.notice.rejected", "1107176000000000603", True, frozenset({"name", "reason"})
        ),
        Template(
            "workers.notice.withdrawn", "1107176000000000604", True, frozenset({"name", "reason"})
        ),
        # The conversational reply: a registered "{#var#}" template that carries a rendered
        # flow page (menus, prompts) sent in answer to the person's own message.
        Template(REPLY_TEMPLATE_KEY, "1107176000000000100", True, frozenset()),
    )
}

#: Parameter names whose values are secrets: never stored in clear in the outbox's params column.
SECRET_PARAMS: frozenset[str] = frozenset({"otp", "code", "pin"})


class MissingTemplate(LookupError):
    """A message key with no DLT template: the operator would drop it, so refuse to send it."""


def template_id(message_key: str, settings: Settings) -> str:
    """The template id for `message_key`: the deployment's override, else the default."""
    override = settings.dlt_templates.get(message_key)
    if override:
        return override
    template = TEMPLATES.get(message_key)
    if template is None:
        raise MissingTemplate(f"no DLT template registered for SMS key {message_key!r}")
    return template.default_id


def loggable_template_ids(settings: Settings) -> frozenset[str]:
    """Template ids whose text a `LogGateway` may write to the log (none of today's)."""
    return frozenset(
        template_id(key, settings) for key, template in TEMPLATES.items() if not template.sensitive
    )
