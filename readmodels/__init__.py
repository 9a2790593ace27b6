"""Queries over the read models, one interface with a PostgreSQL and a SQLite implementation."""
