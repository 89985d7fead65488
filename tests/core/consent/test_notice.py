"""The SMS notice: everything a person needs to decide, in at most two segments in English and
three in Hindi, whatever the names; English stays GSM-7; the code to answer with is always
there; and the answer buttons carry the same words an SMS answer would."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from core.consent.models import ConsentStatus
from core.consent.notice import NOTICE_KEY, answer_buttons, clip, gsm_safe, notice_params
from core.consent.terms import HI_TYPES, PURPOSES
from core.consent.views import ConsentView
from core.sms.encoding import Encoding, sms_size
from locales import translate

NAMES = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=200
) | st.sampled_from(["Dr. Meera Iyer", "डॉ. मीरा अय्यर", "Śrī Ḱṛṣṇa Hospital", "X" * 200])


def view(requester: str, hiu: str, hi_types: tuple[str, ...], purpose: str) -> ConsentView:
    moment = datetime(2026, 1, 15, tzinfo=UTC)
    return ConsentView(
        id="r",
        code="4F7K",
        abha_number="91-5555-1234-5678",
        hiu_id="IN0912345678",
        hiu_name=hiu,
        hiu_request_id="q",
        purpose=purpose,
        purpose_text=None,
        requester_name=requester,
        requester_council="NMC",
        requester_number="MH1001",
        hi_types=hi_types,
        access_mode="VIEW",
        date_from=date(2024, 1, 1),
        date_to=date(2026, 11, 20),
        erase_at=datetime(2026, 12, 20, tzinfo=UTC),
        frequency={},
        status=ConsentStatus.REQUESTED,
        deadline=moment,
        created_at=moment,
        decided_at=None,
        updated_at=moment,
    )


@settings(max_examples=150)
@given(
    requester=NAMES,
    hiu=NAMES,
    hi_types=st.lists(st.sampled_from(HI_TYPES), min_size=1, max_size=8, unique=True),
    purpose=st.sampled_from(PURPOSES),
    lang=st.sampled_from(["en", "hi"]),
)
def test_the_notice_fits_and_says_everything(
    requester: str, hiu: str, hi_types: list[str], purpose: str, lang: str
) -> None:
    text = translate(
        NOTICE_KEY, lang, **notice_params(view(requester, hiu, tuple(hi_types), purpose), lang)
    )
    size = sms_size(text)
    assert size.segments <= (2 if lang == "en" else 3), text
    if lang == "en":
        assert size.encoding is Encoding.GSM7, text
    for part in ("YES 4F7K", "NO 4F7K", "01-01-2024", "20-11-2026", "20-12-2026"):
        assert part in text


def test_the_fixture_notice_reads_whole_in_both_languages() -> None:
    request = view(
        "Dr. Meera Iyer",
        "Sanjeevani Hospital",
        ("OPConsultation", "Prescription", "DiagnosticReport"),
        "CAREMGT",
    )
    english = translate(NOTICE_KEY, "en", **notice_params(request, "en"))
    assert english == (
        "Dr. Meera Iyer at Sanjeevani Hospital asks to see your OPD notes, prescriptions, test "
        "reports (01-01-2024 to 20-11-2026) for your care, until 20-12-2026. Reply YES 4F7K "
        "or NO 4F7K. -Arogya"
    )
    hindi = translate(NOTICE_KEY, "hi", **notice_params(request, "hi"))
    assert "ओपीडी परामर्श, दवा के पर्चे, जाँच रिपोर्ट" in hindi
    assert sms_size(hindi).segments == 3


def test_names_are_made_gsm7_for_english() -> None:
    assert gsm_safe("संजीवनी अस्पताल") == "sanjivni aspatal"
    assert gsm_safe("Śrī Ḱṛṣṇa  Hospital\n") == "Sri Krsna Hospital"
    assert gsm_safe("🏥") == ""


def test_the_buttons_send_what_an_sms_answer_says() -> None:
    assert answer_buttons("4F7K") == [
        [
            {"label": "consent.button.approve", "data": "say:YES 4F7K"},
            {"label": "consent.button.deny", "data": "say:NO 4F7K"},
        ]
    ]


def test_a_long_name_is_clipped_at_a_word() -> None:
    assert clip("Sanjeevani Multispeciality Hospital", 22) == "Sanjeevani"
    assert clip("Sanjeevani Multispeciality Hospital", 26) == "Sanjeevani Multispeciality"
    assert clip("Short", 22) == "Short"
