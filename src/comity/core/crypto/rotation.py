"""Master key rotation: re-wrap every data key under a new master key, in batches, online.

``rotate`` first decides whether it starts a rotation or resumes one: while any data key is
still wrapped by a master key other than the active one, the last rotation is unfinished (it was
interrupted, or the environment's keys were changed by the operator) and it carries on under the
active key; otherwise it asks the provider for a new master key and starts. Each batch is one
transaction that unwraps the batch's data keys with their old master key and wraps them with the
new one; the blobs themselves are never touched (the data keys inside them do not change).

Nothing stops during a rotation: the old master key stays in the key store, so an ``unseal``
reads a data key under whichever master key its row names at that moment, and new ``seal`` calls
wrap under the new key as soon as it is active. An interrupted rotation has committed whole
batches only, and running it again resumes. The old key leaves the store only by ``prune``, which
drops a non-active key only once it wraps nothing (run it after the rotation, once requests that
began under the old key have ended).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from comity.core.crypto.envelope import unwrap, wrap
from comity.core.crypto.providers import MasterKey, key_provider
from comity.core.models import DataKey

#: Data keys re-wrapped per transaction: small enough to hold row locks briefly.
BATCH_SIZE = 500


@dataclass(frozen=True, slots=True)
class RotationReport:
    master_key_id: str
    started: bool
    rewrapped: int
    batches: int
    remaining: int

    @property
    def complete(self) -> bool:
        return self.remaining == 0


def _pending(active_id: str) -> int:
    return DataKey.objects.exclude(master_key_id=active_id).count()


def _rewrap_batch(active: MasterKey, batch_size: int) -> int:
    """Re-wrap up to ``batch_size`` data keys under ``active`` in one transaction; how many."""
    provider = key_provider()
    with transaction.atomic():
        rows = list(DataKey.objects.select_for_update().exclude(master_key_id=active.id).order_by("pk")[:batch_size])
        for row in rows:
            old = MasterKey(row.master_key_id, provider.master_key(row.master_key_id))
            row.wrapped = wrap(active, row.pk, unwrap(old, row.pk, row.wrapped))
            row.master_key_id = active.id
        DataKey.objects.bulk_update(rows, ["master_key_id", "wrapped"])
    return len(rows)


def rotate(*, batch_size: int = BATCH_SIZE, max_batches: int | None = None) -> RotationReport:
    """Start or resume a rotation (see the module); stop after ``max_batches`` when given."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    provider = key_provider()
    active = provider.active_master_key()
    started = _pending(active.id) == 0
    if started:
        provider.introduce_master_key()
        active = provider.active_master_key()
    rewrapped = batches = 0
    while max_batches is None or batches < max_batches:
        done = _rewrap_batch(active, batch_size)
        if done == 0:
            break
        rewrapped += done
        batches += 1
    return RotationReport(active.id, started, rewrapped, batches, _pending(active.id))


def key_status() -> dict[str, object]:
    """How many data keys each master key wraps: the held keys (active first), then any master
    key the data keys name that the store lacks (``held: false``: those blobs cannot be read)."""
    provider = key_provider()
    active = provider.active_master_key().id
    counts = dict(DataKey.objects.values_list("master_key_id").annotate(n=Count("pk")).order_by())
    held = provider.master_key_ids()
    keys = [{"id": kid, "active": kid == active, "held": True, "wraps": counts.get(kid, 0)} for kid in held]
    keys += [
        {"id": kid, "active": False, "held": False, "wraps": n} for kid, n in sorted(counts.items()) if kid not in held
    ]
    return {"keys": keys, "total": sum(counts.values())}


def prune() -> list[str]:
    """Drop from the store every master key that is not active and wraps no data key; their ids."""
    provider = key_provider()
    active = provider.active_master_key().id
    wrapping = set(DataKey.objects.values_list("master_key_id", flat=True).distinct())
    dropped = [kid for kid in provider.master_key_ids() if kid != active and kid not in wrapping]
    for kid in dropped:
        provider.forget_master_key(kid)
    return dropped
