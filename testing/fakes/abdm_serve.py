"""Run the loopback ABDM on its own, for `arogya chat` / `arogya serve` in abdm mode.

    .venv/bin/python -m testing.fakes.abdm_serve --port 8090 --mobile 9876543210

prints the settings to export, then every OTP it "sends" (UIDAI's to the Aadhaar-linked
mobile, ABDM's to a communication mobile), so a person at a terminal can type it into the chat.
UIDAI's published test UIDs (999999990019, ...26, ...42, ...57) are residents whose Aadhaar is
linked to `--mobile`. It uses the wall clock, as the real ABDM checks `TIMESTAMP` against its own.
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime

from aiohttp import web

from testing.fakes.abdm import CLIENT_ID, CLIENT_SECRET, FakeAbdm
from testing.fakes.abdm_people import Resident, SentOtp

TEST_UIDS = {
    "999999990019": ("Shivshankar", "Choudhury", date(1990, 3, 12), "M"),
    "999999990026": ("Sunil", "Joshi", date(1954, 5, 9), "M"),
    "999999990042": ("Kamla", "Devi", date(1962, 8, 21), "F"),
    "999999990057": ("Asha", "Verma", date(1995, 1, 30), "F"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--mobile", default="9876543210", help="the Aadhaar-linked mobile")
    args = parser.parse_args()
    fake = FakeAbdm(lambda: datetime.now(UTC))
    for uid, (first, last, birth, gender) in TEST_UIDS.items():
        fake.people.residents[uid] = Resident(first, last, birth, gender, args.mobile)

    def show(otp: SentOtp) -> None:
        print(f"ABDM OTP to ******{otp.mobile[-4:]}: {otp.otp}", flush=True)

    fake.people.on_send = show
    base = f"http://127.0.0.1:{args.port}"
    print(
        f"export AROGYA_REGISTRY=abdm AROGYA_ABDM_GATEWAY_URL={base} "
        f"AROGYA_ABDM_ABHA_URL={base}/abha/api AROGYA_ABDM_CLIENT_ID={CLIENT_ID} "
        f"AROGYA_ABDM_CLIENT_SECRET={CLIENT_SECRET} AROGYA_ABDM_CM_ID=sbx "
        "AROGYA_ABHA_ADDRESS_SUFFIX=sbx",
        flush=True,
    )
    web.run_app(fake.app, host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
