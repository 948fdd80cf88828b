"""Fixtures shared by core's label tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from comity.core import markings

LABEL_FIXTURES = Path(__file__).parent / "data" / "labels"


@pytest.fixture
def rules_policy(db: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The made-up TEST policy of ``data/labels/rules.spif`` installed as a policy is: its SPIF
    beside the shipped ones, and synced into the database."""
    from comity.core.services import security_policy_sync
    from comity.core.spif import read_spif

    spif_dir = tmp_path / "spif"
    spif_dir.mkdir()
    for spif in (*markings.SPIF_DIR.glob("*.spif"), LABEL_FIXTURES / "rules.spif"):
        shutil.copy(spif, spif_dir / spif.name)
    monkeypatch.setattr(markings, "SPIF_DIR", spif_dir)
    markings.forget_policies()
    security_policy_sync(acting_user=None, definition=read_spif(LABEL_FIXTURES / "rules.spif"))
    yield
    markings.forget_policies()
