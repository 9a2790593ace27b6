"""What an attacker or a careless client tried, each kept as a test on SQLite and PostgreSQL."""
