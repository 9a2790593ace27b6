"""Projections that turn the event log into read models, exactly once."""
