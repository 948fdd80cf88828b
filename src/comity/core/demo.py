"""The demo users for ``comity demo``: core's demo step (see ``core.steps``).

Users of different nations, clearances and roles, so that the demo records the other apps add
in their own demo steps (``registry.demo``, ``engagements.demo``, ``events.demo``) visibly show
different things to different people.
"""

from __future__ import annotations

from dataclasses import dataclass

from comity.core import services
from comity.core.models import User
from comity.core.roles import role_grant

DEMO_PASSWORD = "comity-demo-2026"  # noqa: S105 - printed by `make demo` on purpose; demo accounts only


@dataclass(frozen=True)
class DemoUser:
    username: str
    nation: str
    clearance: str | None
    description: str
    staff: bool = False
    #: (role, scope) pairs; see ``core.authority`` for what each role may do.
    roles: tuple[tuple[str, str], ...] = ()


DEMO_USERS = (
    DemoUser(
        "admin", "BEL", "TOP SECRET", "Administrator: manages accounts", staff=True, roles=(("administrator", "NATO"),)
    ),
    DemoUser("analyst.nld", "NLD", "SECRET", "Netherlands analyst, editor for NLD", roles=(("editor", "NLD"),)),
    DemoUser("approver.nld", "NLD", "SECRET", "Netherlands desk head, approver for NLD", roles=(("approver", "NLD"),)),
    DemoUser("attache.fin", "FIN", "RESTRICTED", "Finnish attaché, editor for FIN", roles=(("editor", "FIN"),)),
    DemoUser(
        "officer.ukr",
        "UKR",
        "UNCLASSIFIED",
        "Ukrainian liaison officer (partner), editor for UKR",
        roles=(("editor", "UKR"),),
    ),
    DemoUser(
        "staff.nato",
        "BEL",
        "SECRET",
        "NATO partnership staff, programme manager",
        roles=(("programme_manager", "NATO"), ("editor", "NATO")),
    ),
    DemoUser("guest", "AUT", None, "Austrian guest, read-only", roles=(("viewer", "AUT"),)),
)


def demo_users_load() -> None:
    """Create the demo users with their clearances and roles (idempotent)."""
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = services.user_create(
                acting_user=None,
                username=spec.username,
                nationality=spec.nation,
                password=DEMO_PASSWORD,
                is_staff=spec.staff,
                is_superuser=spec.staff,
            )
            user.first_name = spec.description
            user.save(update_fields=["first_name"])
        if spec.clearance:
            services.user_set_clearance(acting_user=None, user=user, policy="NATO", level=spec.clearance)
        for role, scope in spec.roles:
            role_grant(acting_user=None, user=user, role=role, scope=scope)


def demo_users() -> list[User]:
    """The demo users that exist, in the order of ``DEMO_USERS`` (the order the demo prints)."""
    by_name = User.objects.in_bulk([spec.username for spec in DEMO_USERS], field_name="username")
    return [by_name[spec.username] for spec in DEMO_USERS if spec.username in by_name]
