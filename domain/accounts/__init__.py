"""User accounts and the credentials kept beside the log."""
