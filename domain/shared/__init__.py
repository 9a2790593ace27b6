"""The shared kernel: what every context uses (clock, codec, actors, texts, the errors' base, the
Merkle tree and signed notes)."""
