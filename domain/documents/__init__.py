"""The city's documents as PDF files: how they are signed and how a signature is checked (the
ports; ``adapters.pades`` is their implementation with pyHanko)."""
