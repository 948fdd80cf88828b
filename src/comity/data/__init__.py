"""Real public data that comity ships, each file with its provenance in ``SOURCES.md``."""

from pathlib import Path

PACKAGE_DATA = Path(__file__).resolve().parent
