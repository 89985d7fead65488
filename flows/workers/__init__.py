"""Health workers on the phone: registering as one, and enrolling people on their behalf."""
