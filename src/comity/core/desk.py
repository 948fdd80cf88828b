"""The desk: the signed-in user's home page, assembled from panels that the apps offer.

``core`` imports no domain app (``core/tests/test_steps.py``), so it cannot ask the engagements
which records need attention. Instead, as with ``core.steps``, an app's ``AppConfig`` may define

``desk_panels(self) -> list[Panel]``
    The panels the app puts on the desk, in the order they show. A panel's ``items`` is a
    selector-backed function ``(user, limit) -> list[DeskItem]``: it reads through
    ``visible_to(user)`` (or ``core.selectors.audit_entries_visible``) like every other list, so
    a record the user may not see is absent, and it returns at most ``limit`` items (every item
    when ``limit`` is ``None``), most pressing first.

The home view visits the apps in ``INSTALLED_APPS`` order. Every item carries the labels it is
kept under (its record's label, or for a derived item such as a tension alert, the labels of the
sources it was computed from); pages render the least upper bound of them as its marking and
record them for the page banner, the API returns the same marking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from comity.core.banner import bound_marking
from comity.core.steps import apps_offering

if TYPE_CHECKING:
    from comity.core.models import ConfidentialityLabel, User

DESK_PANELS = "desk_panels"
#: How many items each panel shows on the desk; the Needs attention page shows all of them.
DESK_LIMIT = 5


@dataclass(frozen=True)
class DeskItem:
    """One line of a panel: plain text (rendered escaped), where it leads, and its labels."""

    text: str
    labels: tuple[ConfidentialityLabel, ...]
    url: str = ""
    when: date | None = None

    @property
    def marking(self) -> str:
        """The item's marking: the least upper bound of its labels (PUBLIC for none)."""
        return bound_marking(self.labels)[0]


ItemsSelector = Callable[["User", int | None], list[DeskItem]]


@dataclass(frozen=True)
class Panel:
    """A panel of the desk: a stable key (the API's and the page's anchor), a title, the
    selector that reads its items, and whether its items need the user to act (those panels make
    up the Needs attention page; the others only inform)."""

    key: str
    title: str
    items: ItemsSelector
    empty: str = "Nothing here."
    needs_attention: bool = True
    more_url: str = ""


@dataclass(frozen=True)
class PanelView:
    """A panel as read for one user: its items and whether there are more than were read."""

    panel: Panel
    items: list[DeskItem]
    more: bool


def desk_panels() -> list[Panel]:
    """Every app's panels, in ``INSTALLED_APPS`` order."""
    return [panel for config in apps_offering(DESK_PANELS) for panel in getattr(config, DESK_PANELS)()]


def desk_read(user: User, *, limit: int | None = DESK_LIMIT, attention_only: bool = False) -> list[PanelView]:
    """The panels with ``user``'s items, at most ``limit`` each (all when ``None``)."""
    views = []
    for panel in desk_panels():
        if attention_only and not panel.needs_attention:
            continue
        items = panel.items(user, None if limit is None else limit + 1)
        more = limit is not None and len(items) > limit
        views.append(PanelView(panel=panel, items=items[:limit] if limit is not None else items, more=more))
    return views
