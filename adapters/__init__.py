"""Adapters: the PostgreSQL and SQLite implementations of the domain's ports and of the stores
that live beside the event log (credentials, idempotency keys, rate limits)."""
