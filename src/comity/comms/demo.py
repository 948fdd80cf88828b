"""The comms demo step (``core.steps``): a conversation between the Netherlands analyst and the
Finnish attaché. Its label releases it to their two nations only, so the Ukrainian officer (and
the Austrian guest) see neither the conversation nor its messages, nor an unread count for them.
Clearly demonstration content: no real exchange is reproduced."""

from __future__ import annotations

from django.db import transaction

from comity.comms import services
from comity.comms.models import Conversation
from comity.core.labels import label_from_marking
from comity.core.models import User

SUBJECT = "Demo: liaison for the staff exercise"


@transaction.atomic
def demo_comms_load() -> str | None:
    """Create the demo conversation once (idempotent): a line when it is made, ``None`` after
    (or when the demo users are missing)."""
    users = User.objects.in_bulk(["analyst.nld", "attache.fin"], field_name="username")
    if len(users) < 2:
        return None
    analyst, attache = users["analyst.nld"], users["attache.fin"]
    if Conversation.objects.filter(subject=SUBJECT).exists():
        return None
    opening = services.conversation_start(
        acting_user=analyst,
        subject=SUBJECT,
        label=label_from_marking("NATO UNCLASSIFIED REL TO FIN, NLD"),
        members=[attache],
        body="Demo message: could your staff join the planning call next week?",
    )
    services.message_reply(
        acting_user=attache,
        message=opening,
        body="Demo reply: yes. The agenda follows under NATO RESTRICTED.",
        label=label_from_marking("NATO RESTRICTED REL TO FIN, NLD"),
    )
    return "Comms: a demo conversation between analyst.nld and attache.fin (not releasable to officer.ukr)"
