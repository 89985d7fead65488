"""Outbound SMS: encoding and segment arithmetic, the outbox, and the gateway adapters."""
