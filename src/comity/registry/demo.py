"""The registry's demo step: labelled demo country notes, each readable by a different set of
demo users (see ``core.steps``). They are clearly marked as demonstration content."""

from __future__ import annotations

from comity.core.authority import Role
from comity.core.demo import demo_users
from comity.core.labels import label_from_marking
from comity.core.permissions import holds_role
from comity.core.selectors import may_see_label
from comity.registry.models import CountryNote, State
from comity.registry.services import country_note_create

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


def demo_notes_load() -> None:
    """Create the demo notes (idempotent); core's demo step has created their authors."""
    users = demo_users()
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
