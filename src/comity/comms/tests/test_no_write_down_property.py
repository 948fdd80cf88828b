"""No write-down, generated: chains of replies and forwards under labels drawn at random; every
message stored is readable only by readers of everything it answers or quotes, and every refused
attempt stores nothing.

The oracle is the access rule itself, not the least-upper-bound code under test: for probe users
of four nations and three clearances, whoever may read a stored message's label must be able to
read the labels of its conversation, of the message it answers and of every message it quotes
(labels, not the messages: a conversation is read by its participants only, and the probes take
no part, so that the delivery rule cannot hide a write-down).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comity.comms import services
from comity.comms.models import Message
from comity.comms.services import SendRefusedError
from comity.comms.tests.helpers import label
from comity.core.models import User
from comity.core.selectors import labels_visible_to, subject_for
from comity.core.testing.factories import make_user

pytestmark = pytest.mark.django_db

#: Labels the NLD author may read, from permissive to restrictive, mixing releasability.
LABELS = (
    "NATO RESTRICTED REL TO FIN, NLD",
    "NATO RESTRICTED REL TO NLD",
    "NATO CONFIDENTIAL REL TO FIN, NLD, UKR",
    "NATO CONFIDENTIAL REL TO NLD",
    "NATO SECRET REL TO FIN, NLD",
    "NATO SECRET REL TO NLD",
)

steps = st.lists(
    st.tuples(
        st.sampled_from(["reply", "forward"]),
        st.integers(0, 50),  # which earlier message (modulo how many there are)
        st.integers(0, 50),  # a second one to quote in a forward
        st.sampled_from(LABELS),
    ),
    min_size=1,
    max_size=8,
)


@pytest.fixture
def cast() -> dict[str, User]:
    people = {
        "author": make_user("NLD", "SECRET", username="wd-author", roles=("editor",)),
        "member": make_user("NLD", "SECRET", username="wd-member"),
    }
    for nation in ("NLD", "FIN", "UKR", "DEU"):
        for clearance in ("RESTRICTED", "CONFIDENTIAL", "SECRET"):
            people[f"{nation}-{clearance}"] = make_user(nation, clearance, username=f"wd-{nation}-{clearance}")
    return people


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(opening=st.sampled_from(LABELS), chain=steps)
def test_no_stored_message_is_readable_by_someone_who_may_not_read_its_inputs(
    cast: dict[str, User], opening: str, chain: list[tuple[str, int, int, str]]
) -> None:
    author = cast["author"]
    first = services.conversation_start(
        acting_user=author, subject="Chain", label=label(opening), members=[cast["member"]], body="Opening."
    )
    conversation, messages = first.conversation, [first]
    for kind, which, other, marking in chain:
        before = Message.objects.count()
        try:
            if kind == "reply":
                sent = services.message_reply(
                    acting_user=author, message=messages[which % len(messages)], body="Reply.", label=label(marking)
                )
            else:
                quoted = list({messages[which % len(messages)], messages[other % len(messages)]})
                sent = services.message_forward(
                    acting_user=author, messages=quoted, conversation=conversation, body="Fwd.", label=label(marking)
                )
        except (ValidationError, SendRefusedError):
            assert Message.objects.count() == before  # refused whole: nothing stored
            continue
        messages.append(sent)
    stored = list(Message.objects.filter(conversation=conversation).prefetch_related("quotes"))
    label_of = {message.pk: message.label_id for message in stored}
    probes = [user for name, user in cast.items() if name not in ("author", "member")]
    for probe in probes:
        readable = set(labels_visible_to(subject_for(probe)).values_list("pk", flat=True))
        for message in stored:
            if message.label_id not in readable:
                continue
            inputs = [conversation.label_id, *(label_of[q.pk] for q in message.quotes.all())]
            if message.in_reply_to_id:
                inputs.append(label_of[message.in_reply_to_id])
            assert all(pk in readable for pk in inputs), (probe.username, message.label.marking)
