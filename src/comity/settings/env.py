"""Typed readers for ``COMITY_*`` environment variables.

Kept apart from the settings modules so that the CLI can find the data directory before Django
is configured.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs


def env_str(name: str, default: str = "") -> str:
    """Return the variable, or ``default`` when it is unset or empty."""
    return os.environ.get(name, "") or default


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no variable; anything but a clear 'true' spelling is false."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list, ignoring blanks."""
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """The directory holding the embedded database, analytic stores and keys.

    ``COMITY_DATA_DIR`` wins; otherwise the per-user data directory of the platform.
    """
    configured = env_str("COMITY_DATA_DIR")
    path = Path(configured) if configured else Path(platformdirs.user_data_dir("comity", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def persistent_secret_key(directory: Path) -> str:
    """Return the installation's secret key, creating it on first use.

    An embedded installation has no operator to set ``COMITY_SECRET_KEY``; a random key kept in
    the data directory (readable by the owner only) keeps sessions valid across restarts without
    ever shipping a default key.
    """
    key_file = directory / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


def env_int(name: str, default: int) -> int:
    """Read an integer variable, failing loudly on a malformed value."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc
