"""The bulk check the websocket uses agrees with the selectors every page uses, user by user."""

from __future__ import annotations

import pytest

from comity.comms.content import store_body
from comity.comms.models import Conversation, Desk, DeskKind, Message
from comity.comms.recheck import readers_among, subjects_now
from comity.comms.selectors import messages_visible_to
from comity.comms.tests.helpers import label, make_people
from comity.core.selectors import subject_for
from comity.core.testing.factories import make_user

pytestmark = pytest.mark.django_db

MARKINGS = (
    "PUBLIC",
    "NATO UNCLASSIFIED REL TO FIN, NLD",
    "NATO RESTRICTED REL TO NATO",
    "NATO RESTRICTED REL TO PFP",
    "NATO SECRET REL TO FIN, NLD",
    "NATO SECRET REL TO NLD",
    "COSMIC TOP SECRET",
    "NATO UNCLASSIFIED REL TO UKR",
)


def test_readers_among_and_subjects_now_agree_with_the_selectors() -> None:
    people = make_people("rc")
    inactive = make_user("NLD", "SECRET", username="rc-inactive", is_active=False)
    fin_desk_only = make_user("FIN", "SECRET", username="rc-fin-desk")  # reads through the FIN desk
    staff = make_user("BEL", "SECRET", username="rc-nato-staff")  # a member of the NATO desk
    outsider = make_user("NLD", "COSMIC TOP SECRET", username="rc-outsider")  # takes no part
    users = [people.nld, people.fin, people.ukr, people.viewer, inactive, fin_desk_only, staff, outsider]
    nato = Desk.objects.create(code="NATO", kind=DeskKind.ORGANISATION, name="NATO")
    nato.members.add(staff)
    conversations = []
    for with_desks in (False, True):
        conversation = Conversation.objects.create(subject="Checked", label=label("PUBLIC"), owner="NLD")
        conversation.members.set([people.nld, people.fin, people.ukr, people.viewer, inactive])
        if with_desks:
            conversation.desks.set([Desk.objects.create(code="FIN", kind=DeskKind.NATION, name="Finland"), nato])
        conversations.append(conversation)
    raised = Conversation.objects.create(subject="Raised", label=label("NATO SECRET REL TO NLD"), owner="NLD")
    raised.members.set([people.nld, people.fin, people.viewer])
    conversations.append(raised)
    messages = []
    for conversation in conversations:
        for marking in MARKINGS:
            message = Message(conversation=conversation, label=label(marking), owner="NLD")
            store_body(message, marking)
            message.save()
            messages.append(message)
    ids = [user.pk for user in users]
    subjects = subjects_now(ids)
    assert inactive.pk not in subjects
    for user in users:
        if user.is_active:
            assert subjects[user.pk] == subject_for(user), user.username
    for message in messages:
        expected = {user.pk for user in users if messages_visible_to(user).filter(pk=message.pk).exists()}
        assert readers_among(message.pk, ids) == expected, (message.conversation.subject, message.label.marking)
    assert readers_among(10**12, ids) == set()
    # The desks count: the FIN desk's reader and the NATO desk's member read the PUBLIC message.
    public_with_desks = messages[len(MARKINGS)]
    assert {people.nld.pk, staff.pk, fin_desk_only.pk} <= readers_among(public_with_desks.pk, ids)
