"""One-time passwords by SMS: codes kept only as keyed hashes, ABDM's expiry and lockout rules."""
