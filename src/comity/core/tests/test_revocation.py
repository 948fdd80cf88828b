"""Revocation takes effect on the next request, on every channel.

Each trial makes a record readable by a user, reads it once (the positive control), revokes the
access one of four ways — raising the label, removing the user's nation from the releasability,
the nation leaving the group the label releases to, deactivating the user — and reads again
through one channel chosen at random (API detail, API list, the record's page, the CSV export,
the change log). A read that still names the record is stale. The trials are seeded, so a failure
repeats; ``COMITY_REVOCATION_TRIALS`` sets their number (``make verify`` runs 1,000).
"""

from __future__ import annotations

import os
import random
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from comity.core import services
from comity.core.labels import label_from_marking
from comity.core.models import User
from comity.core.testing.factories import make_user
from comity.engagements.models import Exercise
from comity.engagements.services import engagement_update
from comity.engagements.tests.helpers import make_exercise
from comity.registry.models import Participation

pytestmark = pytest.mark.django_db

TRIALS = int(os.environ.get("COMITY_REVOCATION_TRIALS", "60"))

#: Each way of revoking: the label the record starts under, the user's nation, and the change.
REVOCATIONS = ("raise-label", "drop-nation", "leave-group", "deactivate")

CHANNELS = {
    "api-detail": "/api/engagements/exercises/{key}/",
    "api-list": "/api/engagements/exercises/?q={key}",
    "page": "/engagements/exercises/{key}/",
    "export": "/api/engagements/exercises/export/?q={key}&export_format=csv",
    "change-log": "/api/core/audit/?object_type=exercise&limit=1000",
}


def _read(client: Client, channel: str, key: str) -> tuple[int, str]:
    response = client.get(CHANNELS[channel].format(key=key))
    return response.status_code, response.content.decode()


def _start(kind: str, index: int) -> tuple[str, User, Any]:
    """A record the new user may read, and the change that takes the reading away."""
    key, title = f"rv-{index}", f"Revoked {index} zq"
    if kind == "raise-label":
        make_exercise(key, title=title, label="NATO RESTRICTED REL TO NATO")
        user = make_user("NLD", "RESTRICTED", username=f"rv-user-{index}")

        def revoke() -> None:
            _relabel(key, "NATO SECRET")

    elif kind == "drop-nation":
        make_exercise(key, title=title, label="NATO SECRET REL TO NLD, FIN")
        user = make_user("FIN", "SECRET", username=f"rv-user-{index}")

        def revoke() -> None:
            _relabel(key, "NATO SECRET REL TO NLD")

    elif kind == "leave-group":
        make_exercise(key, title=title, label="NATO UNCLASSIFIED REL TO PFP, NATO")
        user = make_user("UKR", "RESTRICTED", username=f"rv-user-{index}")

        def revoke() -> None:
            Participation.objects.filter(framework__code="PFP", state__iso3="UKR", end__isnull=True).update(
                end=timezone.localdate() - timedelta(days=1)
            )

    else:
        make_exercise(key, title=title, label="PUBLIC")
        user = make_user("NLD", "SECRET", username=f"rv-user-{index}")

        def revoke() -> None:
            services.user_deactivate(acting_user=None, user=User.objects.get(pk=user.pk))

    return key, user, revoke


def _relabel(key: str, marking: str) -> None:
    record = Exercise.objects.get(key=key)
    engagement_update(acting_user=None, engagement=record, values={"label": label_from_marking(marking)})


def test_no_stale_read_after_revocation() -> None:
    rng = random.Random(20261202)
    spells = Participation.objects.filter(framework__code="PFP", state__iso3="UKR")
    ends = dict(spells.values_list("pk", "end"))
    assert ends and None in ends.values(), "Ukraine is a PfP participant today in the shipped registry"
    stale: list[str] = []
    for index in range(TRIALS):
        kind, channel = REVOCATIONS[index % len(REVOCATIONS)], rng.choice(list(CHANNELS))
        key, user, revoke = _start(kind, index)
        client = Client()
        client.force_login(user)
        status, before = _read(client, channel, key)
        assert status == 200 and f"Revoked {index} zq" in before, f"trial {index} ({kind}, {channel}) never saw it"
        revoke()
        status, after = _read(client, channel, key)
        if f"Revoked {index} zq" in after:
            stale.append(f"trial {index}: {kind} via {channel} ({status})")
        for pk, end in ends.items():
            spells.filter(pk=pk).update(end=end)
    assert not stale, f"{len(stale)} stale reads of {TRIALS}: {stale[:5]}"
