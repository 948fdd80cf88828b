"""People and markings shared by the comms tests."""

from __future__ import annotations

from dataclasses import dataclass

from comity.comms import services
from comity.comms.models import Message
from comity.core.labels import label_from_marking
from comity.core.models import ConfidentialityLabel, User
from comity.core.testing.factories import make_user

NLD_FIN = "NATO RESTRICTED REL TO FIN, NLD"
NLD_FIN_UNCLASSIFIED = "NATO UNCLASSIFIED REL TO FIN, NLD"


def label(marking: str) -> ConfidentialityLabel:
    return label_from_marking(marking)


@dataclass
class People:
    nld: User  # NLD editor, SECRET
    fin: User  # FIN editor, RESTRICTED
    ukr: User  # UKR editor, UNCLASSIFIED
    viewer: User  # NLD viewer, SECRET: reads, may not write


def make_people(prefix: str = "cm") -> People:
    return People(
        nld=make_user("NLD", "SECRET", username=f"{prefix}-nld", roles=("editor",)),
        fin=make_user("FIN", "RESTRICTED", username=f"{prefix}-fin", roles=("editor",)),
        ukr=make_user("UKR", "UNCLASSIFIED", username=f"{prefix}-ukr", roles=("editor",)),
        viewer=make_user("NLD", "SECRET", username=f"{prefix}-viewer", roles=("viewer",)),
    )


def start(
    author: User, members: list[User], marking: str = NLD_FIN, body: str = "Opening.", subject: str = "Liaison"
) -> Message:
    """A conversation of ``author`` with ``members`` and its first message, under ``marking``."""
    return services.conversation_start(
        acting_user=author, subject=subject, label=label(marking), members=members, body=body
    )
