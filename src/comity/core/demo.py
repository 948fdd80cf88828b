"""Demo users and demo records for ``make demo``.

The demo records are clearly marked as demonstration content (they hold no real information);
they exist so that users of different nations and clearances visibly see different things.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from comity.core import services
from comity.core.authority import Role
from comity.core.labels import label_from_marking
from comity.core.models import User
from comity.core.permissions import holds_role
from comity.core.roles import role_grant
from comity.core.selectors import may_see_label

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

DEMO_NOTE_BODY = (
    "Demonstration record created by `comity demo` to show label-based access. It holds no real information."
)

#: (state, title, label marking): each label admits a different set of demo users.
DEMO_NOTES = (
    ("EST", "Demo: public note on Estonia", "PUBLIC"),
    ("LTU", "Demo: NATO UNCLASSIFIED note", "NATO UNCLASSIFIED"),
    ("LVA", "Demo: NATO RESTRICTED note releasable to NATO", "NATO RESTRICTED REL TO NATO"),
    ("FIN", "Demo: NATO RESTRICTED note releasable to FIN and SWE", "NATO RESTRICTED REL TO FIN, SWE"),
    ("UKR", "Demo: NATO UNCLASSIFIED note releasable to PfP partners", "NATO UNCLASSIFIED REL TO PFP"),
    ("NLD", "Demo: NATO SECRET note releasable to NLD only", "NATO SECRET REL TO NLD"),
    ("POL", "Demo: NATO CONFIDENTIAL note releasable to NATO", "NATO CONFIDENTIAL REL TO NATO"),
)


#: Demo exercises (clearly not real): (key, title, label marking, participants). The first
#: participant leads, so it owns the record and its editors may change it.
DEMO_EXERCISES = (
    (
        "demo-restricted-staff-exercise",
        "Demo: staff exercise (NATO RESTRICTED)",
        "NATO RESTRICTED REL TO NATO",
        "NLD;BEL",
    ),
    ("demo-nordic-table-top", "Demo: Nordic table-top (REL TO FIN, SWE)", "NATO RESTRICTED REL TO FIN, SWE", "FIN;SWE"),
    ("demo-partner-workshop", "Demo: partner workshop (REL TO PFP)", "NATO UNCLASSIFIED REL TO PFP", "UKR;AUT"),
    (
        "demo-secret-planning-conference",
        "Demo: planning conference (NATO SECRET REL TO NLD)",
        "NATO SECRET REL TO NLD",
        "NLD",
    ),
)


def _demo_exercises() -> None:
    from comity.engagements.importing import ParsedFile, check_row
    from comity.engagements.services import exercises_import

    this_year = date.today().year
    rows = [
        check_row(
            index,
            {
                "key": key,
                "title": title,
                "label": marking,
                "participants": participants,
                "lead": participants.split(";")[0],
                "status": "planned",
                "start_date": f"{this_year + 1}-0{index}-10",
                "end_date": f"{this_year + 1}-0{index}-14",
                "domain": "joint",
                "source": "comity demo data (not a real record)",
            },
            date.today(),
        )
        for index, (key, title, marking, participants) in enumerate(DEMO_EXERCISES, start=1)
    ]
    exercises_import(acting_user=None, parsed=ParsedFile(rows=rows))


def _demo_programme() -> None:
    """A demo cooperation menu and a demo programme for Ukraine, to walk the PRIME workflow."""
    from comity.engagements.models import MenuItem, PartnerProgramme
    from comity.registry.models import State

    for code, title in (
        ("demo-staff-officer-course", "Demo: staff officer course"),
        ("demo-logistics-seminar", "Demo: logistics seminar"),
    ):
        MenuItem.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "provider": "demo provider",
                "label": label_from_marking("PUBLIC"),
                "owner": "NATO",
            },
        )
    PartnerProgramme.objects.get_or_create(
        partner=State.objects.get(iso3="UKR"),
        cycle=str(date.today().year + 1),
        defaults={
            "title": "Demo: partnership programme of Ukraine",
            "label": label_from_marking("NATO UNCLASSIFIED REL TO PFP, NATO"),
            "owner": "NATO",
        },
    )


#: Real event samples the demo ingests: (file, format, label). The ICEWS sample is public data
#: filed under a NATO label here only so that demo users of different clearances see different
#: series; the others stay PUBLIC.
DEMO_EVENT_SAMPLES = (
    ("gdelt1_georgia_2012H1_dyadic.tsv", "gdelt1", "PUBLIC"),
    ("gdelt1_daily_export_sample_reed9999.tsv", "gdelt1", "PUBLIC"),
    ("gdelt2_export_20191024143000_first400.tsv", "gdelt2", "PUBLIC"),
    ("PLOVER_GSR_CAMEO.json", "plover", "PUBLIC"),
    ("icews_events_2018_sample_first600.tab", "icews", "NATO RESTRICTED REL TO NATO"),
)


def demo_events() -> str:
    """Ingest the shipped real event samples (idempotent: stored events are skipped)."""
    try:
        from comity.events.services import ingest_file
    except ImportError:
        return "event data not ingested: install comity[events]"
    from comity.data import PACKAGE_DATA

    accepted = 0
    for name, fmt, marking in DEMO_EVENT_SAMPLES:
        report = ingest_file(PACKAGE_DATA / "events" / "samples" / name, fmt, label_id=label_from_marking(marking).pk)
        accepted += report.accepted
    return f"event samples ingested: {accepted} new events"


@transaction.atomic
def demo_load() -> list[User]:
    """Create the demo users and notes (idempotent); return the users."""
    from comity.registry.models import CountryNote, State
    from comity.registry.services import country_note_create

    users = []
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
        users.append(user)
    for iso3, title, marking in DEMO_NOTES:
        if not CountryNote.objects.filter(title=title).exists():
            label = label_from_marking(marking)
            country_note_create(
                # Each note is written by the first demo editor who may read its label.
                acting_user=next(
                    user for user in users if may_see_label(user, label) and holds_role(user, Role.EDITOR)
                ),
                state=State.objects.get(iso3=iso3),
                title=title,
                body=DEMO_NOTE_BODY,
                label=label,
                source="comity demo data (not a real record)",
            )
    _demo_exercises()
    _demo_programme()
    return users
