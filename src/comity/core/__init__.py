"""Core: confidentiality labels, users and clearances, the change log, shared UI pieces."""
