"""The engagements' demo step: labelled demo exercises and a demo PRIME programme (see
``core.steps``). Every record is clearly marked as demonstration content, not a real one."""

from __future__ import annotations

from datetime import date

from comity.core.labels import label_from_marking
from comity.engagements import reports
from comity.engagements.choices import Achievement, Status
from comity.engagements.importing import ParsedFile, check_row
from comity.engagements.models import AfterActionReport, Exercise, MenuItem, Objective, PartnerProgramme
from comity.engagements.services import engagement_transition, exercises_import
from comity.registry.models import State

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


#: The demo exercise that has run: it gets the demo after-action report and is assessed on it.
DEMO_REPORTED = "demo-completed-command-post-exercise"


def _demo_report() -> None:
    """A completed demo exercise (last year), its demo after-action report, and the move to
    assessed that the report allows. Made once: a later run leaves them as they are."""
    if not Exercise.objects.filter(key=DEMO_REPORTED).exists():
        last_year = date.today().year - 1
        row = {
            "key": DEMO_REPORTED,
            "title": "Demo: command post exercise (completed, with its after-action report)",
            "label": "NATO CONFIDENTIAL REL TO NATO",  # the NLD analyst reads it, the RESTRICTED attaché not
            "participants": "NLD;BEL",
            "lead": "NLD",
            "status": "completed",
            "start_date": f"{last_year}-03-02",
            "end_date": f"{last_year}-03-06",
            "domain": "joint",
            "objectives": "interoperability",
            "source": "comity demo data (not a real record)",
        }
        exercises_import(acting_user=None, parsed=ParsedFile(rows=[check_row(1, row, date.today())]))
    exercise = Exercise.objects.get(key=DEMO_REPORTED)
    if AfterActionReport.objects.filter(engagement=exercise).exists():
        return
    reports.report_create(
        acting_user=None,
        engagement=exercise,
        label=exercise.label,
        summary="Demo report (not a real event): a demo command post exercise, written to show the report's parts.",
        achievements=[
            reports.AchievementInput(
                objective=objective,
                rating=Achievement.PARTLY,
                text="Demo text: the demo staffs exchanged orders on the demo network on the second day.",
            )
            for objective in Objective.objects.filter(code="interoperability")
        ],
        observations=[
            reports.ObservationInput(
                observation="Demo observation: the demo liaison officers arrived after the first briefing.",
                discussion="Demo discussion: the demo joining instructions gave no arrival time.",
                conclusion="Demo conclusion: the demo briefing started without them.",
                recommendation="Demo recommendation: joining instructions name an arrival time.",
            )
        ],
    )
    if exercise.status == Status.COMPLETED:
        engagement_transition(acting_user=None, engagement=exercise, to=Status.ASSESSED)


def demo_engagements_load() -> None:
    """Create the demo exercises, the demo programme and the demo after-action report (idempotent)."""
    _demo_exercises()
    _demo_programme()
    _demo_report()
