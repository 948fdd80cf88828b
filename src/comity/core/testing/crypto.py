"""Test support for ``core.crypto``: a key store of the test's own, so a test that rotates or
reads the key file never shares keys with another test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def isolated_keys(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the default provider at a fresh key file under ``tmp_path`` (not yet made); the
    environment's keys are unset so that the file is the store."""
    for name in ("COMITY_MASTER_KEY", "COMITY_PREVIOUS_MASTER_KEYS", "COMITY_SIGNING_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings.COMITY_KEY_PROVIDER = "comity.core.crypto.providers.default_provider"
    settings.COMITY_KEY_FILE = str(tmp_path / "keys" / "keys.json")
    return Path(settings.COMITY_KEY_FILE)
