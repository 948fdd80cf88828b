"""Conversations between users and national desks, and their labelled messages.

A ``Desk`` is a shared inbox of a nation or an organisation (not a record: it holds no text and
is not labelled, like the registry it names). A ``Conversation`` is labelled: its subject and
participant list are read under its label. A ``Message`` is labelled on its own, at least as high
as its conversation and everything it answers or quotes (``comms.services``), so a reader of a
message always reads the thread it belongs to. The body is read and written only through
``comms.content`` (it will be sealed there); nothing else touches the column.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from comity.core.models import LabelledModel


class DeskKind(models.TextChoices):
    NATION = "nation", "nation"
    ORGANISATION = "organisation", "organisation"


class Desk(models.Model):
    """A nation's or an organisation's shared inbox.

    A nation desk (``FIN``) is read by every active user of that nationality, and by the users
    added as ``members``; an organisation desk (``NATO``) only by its ``members``. Each member
    reads a desk's messages under their own clearance (``docs/comms.md``, "Desks").
    """

    code = models.CharField(max_length=16, unique=True, help_text="ISO 3166 alpha-3 or organisation code.")
    kind = models.CharField(max_length=16, choices=DeskKind.choices)
    name = models.CharField(max_length=128)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="comms_desks")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} desk"


class Conversation(LabelledModel):
    """A labelled thread among users and desks; its subject is read under its label."""

    subject = models.CharField(max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="comms_conversations")
    desks = models.ManyToManyField(Desk, blank=True, related_name="conversations")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now_add=True, db_index=True, help_text="When its last message came.")

    class Meta:
        ordering = ["-updated", "-id"]

    def __str__(self) -> str:
        return self.subject


class Message(LabelledModel):
    """One labelled message of a conversation.

    ``in_reply_to`` and ``quotes`` (a forward) link other messages; each link is shown only to a
    reader of the linked message, and the message is labelled at least as high as them.
    ``body`` is stored and read through ``comms.content`` only.
    """

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.BinaryField(editable=False, help_text="Sealed by comms.content; opened nowhere else.")
    body_id = models.UUIDField(
        default=uuid.uuid4, editable=False, unique=True, help_text="Binds the sealed body to this message."
    )
    binding_key = models.CharField(max_length=24, blank=True, editable=False, help_text="The signing key's id.")
    binding_signature = models.BinaryField(
        default=b"", editable=False, help_text="Ed25519 over the canonical label and the body's SHA-256 (STANAG 4778)."
    )
    in_reply_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies")
    quotes = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="forwarded_in")
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    edited = models.DateTimeField(null=True, blank=True)
    withdrawn = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"message {self.pk} in conversation {self.conversation_id}"


class ReadMark(models.Model):
    """How far a user has read a conversation: messages after ``read_up_to`` are unread.

    Not audited; were it ever, its entries would be read under the conversation's label.
    """

    label_from = "conversation"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    read_up_to = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "conversation"], name="comms_one_read_mark")]

    def __str__(self) -> str:
        return f"read mark of user {self.user_id} in conversation {self.conversation_id}"
