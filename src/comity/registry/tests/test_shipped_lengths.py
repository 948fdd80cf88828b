"""Every shipped registry value fits its column: SQLite ignores ``max_length``, PostgreSQL refuses the row."""

from __future__ import annotations

from dataclasses import asdict

from comity.registry import models
from comity.registry.services import REGISTRY_DIR, read_registry

#: Which model each part of the shipped registry fills.
MODELS = {
    "states": models.State,
    "state_names": models.StateName,
    "organisations": models.Organisation,
    "frameworks": models.PartnershipFramework,
    "memberships": models.Membership,
    "participations": models.Participation,
}


def test_every_shipped_string_fits_its_column() -> None:
    data = read_registry(REGISTRY_DIR)
    too_long = []
    for part, model in MODELS.items():
        limits = {f.name: f.max_length for f in model._meta.concrete_fields if getattr(f, "max_length", None)}
        for row in getattr(data, part):
            for name, value in asdict(row).items():
                if isinstance(value, str) and name in limits and len(value) > limits[name]:
                    too_long.append(f"{part}.{name}: {len(value)} > {limits[name]}")
    assert too_long == []
