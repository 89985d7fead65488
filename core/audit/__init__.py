"""The append-only audit log of who did what to which Health ID, on which channel."""
