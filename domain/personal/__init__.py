"""Personal data as a context of its own: the erasures ordered of persons sealed in the log
(``erasure.py``). How persons are sealed, and the vault's port, are in the shared kernel
(``domain.shared.personal``, ``domain.shared.sealing``), since every context that records a
person uses them."""
