"""Reminders that arrive (issue 27): what is notified to whom and when, decided from the events
and the working-day calendar (``rules``), told in each person's language (``digest``), and the
port through which a digest leaves as an e-mail (``ports``)."""
