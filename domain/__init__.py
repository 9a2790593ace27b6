"""The directive lifecycle as event-sourced aggregates, and the application service that runs it.

Nothing here knows about HTTP, SQL or the command line: dependencies point inward.
"""
