"""The comms write rules: author rules, no write-down, refused sends naming who and why, desks."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from comity.comms import services
from comity.comms.content import read_body
from comity.comms.models import Conversation, Message
from comity.comms.selectors import messages_visible_to
from comity.comms.services import BODY_NOT_LOGGED, SendRefusedError
from comity.comms.tests.helpers import NLD_FIN, NLD_FIN_UNCLASSIFIED, People, label, make_people, start
from comity.core.models import AuditEntry
from comity.core.permissions import WriteDenied
from comity.core.testing.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> People:
    return make_people()


def _nothing_stored(before: tuple[int, int, int]) -> bool:
    return (Conversation.objects.count(), Message.objects.count(), AuditEntry.objects.count()) == before


def _counts() -> tuple[int, int, int]:
    return Conversation.objects.count(), Message.objects.count(), AuditEntry.objects.count()


def test_a_conversation_reaches_its_members_and_nobody_else(people: People) -> None:
    opening = start(people.nld, [people.fin], body="Planning call?")
    assert read_body(opening) == "Planning call?"
    assert list(messages_visible_to(people.fin)) == [opening]
    assert list(messages_visible_to(people.nld)) == [opening]
    assert not messages_visible_to(people.ukr).exists()
    # A SECRET NLD user who is not in it does not see it either: taking part is part of the rule.
    assert not messages_visible_to(make_user("NLD", "SECRET", username="cm-outsider")).exists()


def test_the_body_stays_out_of_the_change_log(people: People) -> None:
    opening = start(people.nld, [people.fin], body="Sensitive wording")
    services.message_edit(acting_user=people.nld, message=opening, body="Corrected wording")
    entries = AuditEntry.objects.filter(object_id=str(opening.pk), content_type__model="message")
    assert entries.count() == 2
    for entry in entries:
        for values in (entry.before, entry.after):
            if values:
                assert values["body"] == BODY_NOT_LOGGED
    assert "wording" not in str(list(entries.values_list("before", "after")))


@pytest.mark.parametrize(
    ("author", "marking", "words"),
    [
        ("nld", "NATO RESTRICTED REL TO FIN", "NLD is not among the nations"),
        ("nld", "COSMIC TOP SECRET REL TO FIN, NLD", "above what you may see"),
        ("fin", "NATO SECRET REL TO FIN, NLD", "above what you may see"),
    ],
)
def test_the_author_gives_only_a_label_they_read_and_that_releases_to_their_nation(
    people: People, author: str, marking: str, words: str
) -> None:
    before = _counts()
    with pytest.raises(ValidationError, match=words):
        start(getattr(people, author), [people.fin if author == "nld" else people.nld], marking=marking)
    assert _nothing_stored(before)


def test_a_viewer_may_not_write_at_all(people: People) -> None:
    with pytest.raises(WriteDenied, match="only an editor of NLD"):
        start(people.viewer, [people.nld], marking="NATO SECRET REL TO NLD")


def test_a_reply_below_what_it_answers_is_refused_and_names_the_label_it_needs(people: People) -> None:
    opening = start(people.nld, [people.fin], marking=NLD_FIN_UNCLASSIFIED)
    raised = services.message_reply(acting_user=people.fin, message=opening, body="Agenda.", label=label(NLD_FIN))
    before = _counts()
    with pytest.raises(ValidationError, match=r"below what it answers or quotes: label it at least NATO RESTRICTED"):
        services.message_reply(acting_user=people.nld, message=raised, body="Ok", label=label(NLD_FIN_UNCLASSIFIED))
    assert _nothing_stored(before)
    # Not below the conversation either.
    with pytest.raises(ValidationError, match="below its conversation"):
        services.message_send(
            acting_user=people.nld,
            conversation=opening.conversation,
            body="Lower",
            label=label("NATO UNCLASSIFIED REL TO NATO"),
        )


def test_a_refused_send_names_every_recipient_who_may_not_read_and_why(people: People) -> None:
    opening = start(people.nld, [people.fin, people.ukr], marking="NATO UNCLASSIFIED REL TO FIN, NLD, UKR")
    before = _counts()
    with pytest.raises(SendRefusedError) as refused:
        services.message_send(
            acting_user=people.nld,
            conversation=opening.conversation,
            body="Restricted detail",
            label=label("NATO RESTRICTED REL TO FIN, NLD, UKR"),
        )
    assert [str(r) for r in refused.value.refused] == ["cm-ukr: holds no clearance for NATO RESTRICTED"]
    with pytest.raises(SendRefusedError, match="cm-ukr: UKR is not among the nations it is releasable to"):
        services.message_send(
            acting_user=people.nld, conversation=opening.conversation, body="x", label=label(NLD_FIN_UNCLASSIFIED)
        )
    assert _nothing_stored(before)
    assert list(messages_visible_to(people.ukr)) == [opening]


def test_a_forward_is_labelled_at_least_what_it_quotes(people: People) -> None:
    restricted = start(people.nld, [people.fin], body="Restricted original")
    with_ukr = start(people.nld, [people.ukr], marking="NATO UNCLASSIFIED REL TO NLD, UKR", subject="Partner")
    before = _counts()
    with pytest.raises(ValidationError, match="below what it answers or quotes"):
        services.message_forward(
            acting_user=people.nld,
            messages=[restricted],
            conversation=with_ukr.conversation,
            body="FYI",
            label=label("NATO UNCLASSIFIED REL TO NLD, UKR"),
        )
    # Releasing the quote further is not covering it either: the bound takes FIN and UKR off.
    with pytest.raises(ValidationError, match="label it at least NATO RESTRICTED REL TO NLD'"):
        services.message_forward(
            acting_user=people.nld,
            messages=[restricted],
            conversation=with_ukr.conversation,
            body="FYI",
            label=label("NATO RESTRICTED REL TO NLD, UKR"),
        )
    # At the bound the partner may not read it: the whole send is refused.
    with pytest.raises(SendRefusedError, match="cm-ukr: holds no clearance for NATO RESTRICTED"):
        services.message_forward(
            acting_user=people.nld,
            messages=[restricted],
            conversation=with_ukr.conversation,
            body="FYI",
            label=label("NATO RESTRICTED REL TO NLD"),
        )
    assert _nothing_stored(before)
    forwarded = services.message_forward(
        acting_user=people.fin,
        messages=[restricted],
        conversation=restricted.conversation,
        body="Back to you",
        label=label(NLD_FIN),
    )
    assert list(forwarded.quotes.all()) == [restricted]


def test_only_the_author_edits_and_withdraws_and_a_hidden_message_answers_404(people: People) -> None:
    from django.http import Http404

    opening = start(people.nld, [people.fin])
    with pytest.raises(WriteDenied):
        services.message_edit(acting_user=people.fin, message=opening, body="Not mine")
    with pytest.raises(WriteDenied):
        services.message_withdraw(acting_user=people.fin, message=opening)
    with pytest.raises(Http404):
        services.message_edit(acting_user=people.ukr, message=opening, body="Hidden from me")
    services.message_withdraw(acting_user=people.nld, message=opening)
    opening.refresh_from_db()
    assert opening.withdrawn is not None


def test_relabelling_takes_a_message_away_from_who_may_no_longer_read_it(people: People) -> None:
    opening = start(people.nld, [people.fin])
    services.message_relabel(acting_user=people.nld, message=opening, label=label("NATO SECRET REL TO FIN, NLD"))
    assert not messages_visible_to(people.fin).exists()
    with pytest.raises(ValidationError, match="below its conversation"):
        services.message_relabel(acting_user=people.nld, message=opening, label=label("PUBLIC"))


def test_a_desk_receives_when_its_nation_is_releasable_and_one_reader_may_read(people: People) -> None:
    desk = services.desk_for("fin")
    message = services.conversation_start(
        acting_user=people.nld,
        subject="To the Finnish desk",
        label=label(NLD_FIN),
        members=[],
        desks=[desk],
        body="For the desk",
    )
    assert list(messages_visible_to(people.fin)) == [message]
    uncleared_fin = make_user("FIN", None, username="cm-fin-guest")
    assert not messages_visible_to(uncleared_fin).exists()  # a desk reader reads under their own clearance
    with pytest.raises(SendRefusedError, match="FIN desk: FIN is not among the nations"):
        services.conversation_start(
            acting_user=people.nld,
            subject="Wrong desk",
            label=label("NATO RESTRICTED REL TO NLD"),
            members=[],
            desks=[desk],
            body="x",
        )
    with pytest.raises(SendRefusedError, match="FIN desk: none of its readers may read it"):
        services.conversation_start(
            acting_user=people.nld,
            subject="Too high",
            label=label("NATO SECRET REL TO FIN, NLD"),
            members=[],
            desks=[desk],
            body="x",
        )
    with pytest.raises(ValidationError, match="no nation or organisation 'ZZZ'"):
        services.desk_for("zzz")
