"""Reads for views and the CLI: the user's visible labels and memberships from the database,
handed to the pure analytics in ``comity.events.analytics``.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from comity.events import analytics, engines, store
from comity.events.services import default_root

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.desk import DeskItem
    from comity.core.models import User


def visible_label_ids(user: User | AnonymousUser | None) -> list[int]:
    """Label ids the user may see; ``None`` is the system (the CLI without ``--as``): every label."""
    from comity.core import selectors
    from comity.core.models import ConfidentialityLabel

    if user is None:
        return sorted(ConfidentialityLabel.objects.values_list("pk", flat=True))
    return sorted(selectors.visible_label_ids(user))


def group_codes() -> set[str]:
    """Codes that name groups: organisations (NATO, EU) and partnership frameworks (PFP, ...)."""
    from comity.registry.models import Organisation, PartnershipFramework

    return set(Organisation.objects.values_list("code", flat=True)) | set(
        PartnershipFramework.objects.values_list("code", flat=True)
    )


def membership_table() -> ir.Table:
    """Organisation memberships and framework participations as (group, iso3, start, end) rows.

    A participation without a start date counts from its framework's establishment where that
    is known, and from always otherwise (the registry's own rule in ``participations_on``).
    The same rows give the same table, so that queries over it keep their compiled statements.
    """
    from comity.registry.models import Membership, Participation

    rows = [
        (m.organisation.code, m.state.iso3, m.joined, m.left)
        for m in Membership.objects.select_related("organisation", "state")
    ] + [
        (p.framework.code, p.state.iso3, p.start or p.framework.established, p.end)
        for p in Participation.objects.select_related("framework", "state")
    ]
    return _membership_memtable(tuple(rows))


@lru_cache(maxsize=4)
def _membership_memtable(rows: tuple[tuple[str, str, date | None, date | None], ...]) -> ir.Table:
    schema = analytics.MEMBERSHIP_SCHEMA
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return ibis.memtable(
        pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(columns, schema, strict=True)], schema=schema)
    )


def dyad_series(
    user: User | AnonymousUser | None,
    source: str,
    target: str,
    freq: str,
    start: date | None = None,
    end: date | None = None,
    *,
    engine: str = "duckdb",
    root_only: bool = False,
    root: Path | None = None,
) -> pa.Table:
    """The directed series ``source -> target`` over the events ``user`` may see (the empty series,
    without an engine query, while nothing is stored: pages that draw many series stay quick)."""
    root = root or default_root()
    if not store.has_events(root):
        return analytics.SERIES_SCHEMA.empty_table()
    con = engines.connect(engine)
    return analytics.dyad_series(
        store.events_table(con, root),
        membership_table(),
        source=source.upper(),
        target=target.upper(),
        freq=freq,
        visible_label_ids=visible_label_ids(user),
        start=start,
        end=end,
        root_only=root_only,
        groups=group_codes(),
    )


def tension_alerts(
    user: User | AnonymousUser | None,
    freq: str,
    dyads: list[tuple[str, str]] | None = None,
    rule: analytics.AlertRule | None = None,
    *,
    engine: str = "duckdb",
    limit: int = 20,
    root: Path | None = None,
    start: date | None = None,
    end: date | None = None,
) -> pa.Table:
    """The top tension alerts over the events ``user`` may see (see ``analytics.AlertRule``)."""
    con = engines.connect(engine)
    return analytics.tension_alerts(
        store.events_table(con, root or default_root()),
        membership_table(),
        freq=freq,
        visible_label_ids=visible_label_ids(user),
        dyads=[(s.upper(), t.upper()) for s, t in dyads] if dyads else None,
        rule=rule,
        start=start,
        end=end,
        limit=limit,
        groups=group_codes(),
    )


class DyadEvents:
    """The events behind one point of a series, counted and sliced in the engine.

    Shaped like a queryset for DRF's paginators: ``count()`` and ``[start:stop]`` each run one
    engine query, so a page never loads more rows than it shows.
    """

    def __init__(self, expression: ir.Table) -> None:
        self._expression = expression

    def count(self) -> int:
        return int(self._expression.count().to_pyarrow().as_py())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict[str, object]]:
        start = window.start or 0
        rows = self._expression.limit(None if window.stop is None else window.stop - start, offset=start)
        return rows.to_pyarrow().to_pylist()


def dyad_events(
    user: User | AnonymousUser | None,
    source: str,
    target: str,
    start: date | None = None,
    end: date | None = None,
    *,
    root_only: bool = False,
    root: Path | None = None,
) -> DyadEvents:
    """The events ``user`` may see that ``dyad_series`` counts for ``source -> target`` (DuckDB)."""
    con = engines.connect("duckdb")
    return DyadEvents(
        analytics.dyad_event_rows(
            store.events_table(con, root or default_root()),
            membership_table(),
            source=source.upper(),
            target=target.upper(),
            visible_label_ids=visible_label_ids(user),
            start=start,
            end=end,
            root_only=root_only,
            groups=group_codes(),
        )
    )


def country_tension(
    user: User | AnonymousUser | None,
    start: date | None = None,
    end: date | None = None,
    *,
    by: str = "actor",
    root: Path | None = None,
) -> pa.Table:
    """Conflict intensity per country over the events ``user`` may see (DuckDB)."""
    con = engines.connect("duckdb")
    return analytics.country_tension(
        store.events_table(con, root or default_root()),
        visible_label_ids=visible_label_ids(user),
        start=start,
        end=end,
        by=by,
    )


def store_summary(user: User | AnonymousUser | None, *, root: Path | None = None) -> list[dict[str, object]]:
    """Per label the user may see: its events in the store, first and last day."""
    con = engines.connect("duckdb")
    return analytics.store_summary(
        store.events_table(con, root or default_root()), visible_label_ids=visible_label_ids(user)
    )


# --- the desk's panel (``core.desk``; offered by ``EventsConfig.desk_panels``) ----------------------

#: The frequency the desk's alerts are computed at (the alerts page's default too).
DESK_ALERT_FREQ = "week"
#: How many of the strongest alerts over all pairs are read before those of followed nations are
#: kept; the engine ranks by z, the desk then shows the latest of those first.
DESK_ALERT_POOL = 500


def followed_nations(user: User | AnonymousUser) -> frozenset[str]:
    """The nations the user follows: their own and every nation of its groups today (NATO, EU,
    a partnership framework). There is no per-user follow list; docs/desk.md says why."""
    from django.conf import settings
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from comity.core.selectors import group_resolver

    nation = getattr(user, "nationality", "") or ""
    if not nation:
        return frozenset()
    today = timezone.localdate()
    members = import_string(settings.COMITY_GROUP_MEMBERS)
    return frozenset({nation}).union(*(members(group, today) for group in group_resolver()(nation, today)))


def followed_alerts(user: User | AnonymousUser, *, root: Path | None = None) -> list[dict[str, object]]:
    """Tension alerts over the events ``user`` may see in which a followed nation is a party,
    latest period first."""
    followed = followed_nations(user)
    if not followed:
        return []
    rows = tension_alerts(user, DESK_ALERT_FREQ, limit=DESK_ALERT_POOL, root=root).to_pylist()
    ours = [row for row in rows if row["source"] in followed or row["target"] in followed]
    return sorted(ours, key=lambda row: (str(row["period"]), float(row["z"])), reverse=True)


def desk_alerts(user: User | AnonymousUser, limit: int | None) -> list[DeskItem]:
    """The desk's "tension alerts" panel (``followed_alerts``). An alert is derived from events,
    so it carries the labels of all the event data the user may see (``store_summary``): never
    below its sources, as the alerts page's banner counts them too."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from comity.core.desk import DeskItem
    from comity.core.models import ConfidentialityLabel

    alerts = followed_alerts(user)[:limit]
    if not alerts:
        return []
    label_ids = [row["label_id"] for row in store_summary(user)]
    labels = tuple(
        ConfidentialityLabel.objects.filter(pk__in=label_ids)
        .select_related("policy", "classification")
        .prefetch_related("categories__values")
    )
    dyad = reverse("events:dyad")
    return [
        DeskItem(
            text=f"{row['period']}: {row['source']} → {row['target']}, {row['conflict']} conflict events "
            f"(z {float(row['z']):.1f})",
            labels=labels,
            url=f"{dyad}?{urlencode({'source': row['source'], 'target': row['target'], 'freq': DESK_ALERT_FREQ})}",
        )
        for row in alerts
    ]
