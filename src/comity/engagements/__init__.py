"""Engagements: the system of record for the tools of military diplomacy."""
