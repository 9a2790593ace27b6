"""The documents the city issues and hands out (a directive, a petition's receipt, its result,
the Office's periodic report), as plain data in the form of an administrative document, for an
adapter to typeset; and how they are signed and how a signature is checked (the ports;
``adapters.pades`` is their implementation with pyHanko, ``adapters.pdf`` the typesetter with
ReportLab)."""
