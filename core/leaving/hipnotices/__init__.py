"""The outbox of deletion notices to HIPs (`abha.deleted`), a tortoise app of its own."""
