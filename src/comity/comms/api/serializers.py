"""Comms API representations: a linked message is named only when the reader may read it."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from comity.comms.content import MAX_BODY_CHARS, binding_verdict, read_bodies
from comity.comms.models import Conversation, Message
from comity.comms.selectors import messages_visible_to
from comity.core.api.serializers import LabelField


def _readable(context: dict[str, Any]) -> set[int]:
    """The ids of the messages the requesting user may read, read once per response."""
    if "comms_readable" not in context:
        user = context["request"].user
        context["comms_readable"] = set(messages_visible_to(user).values_list("pk", flat=True))
    return context["comms_readable"]  # type: ignore[no-any-return]


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    binding = serializers.SerializerMethodField(
        help_text="ok, or tampered when the label or text is not what its STANAG 4778 binding signed."
    )
    label = LabelField()
    in_reply_to = serializers.SerializerMethodField()
    quotes = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "conversation",
            "author",
            "body",
            "binding",
            "label",
            "in_reply_to",
            "quotes",
            "created",
            "edited",
            "withdrawn",
        ]

    def get_author(self, obj: Message) -> str:
        return obj.author.get_username() if obj.author else ""

    def get_body(self, obj: Message) -> str:
        """The text (empty once withdrawn); a list's bodies are opened together, on first need."""
        if obj.withdrawn:
            return ""
        bodies: dict[int, str] = self.context.setdefault("bodies", {})
        if obj.pk not in bodies:
            page = [m for m in getattr(self.parent, "instance", None) or () if not m.withdrawn]
            bodies.update(read_bodies(page if obj in page else [obj]))
        return bodies[obj.pk]

    def get_binding(self, obj: Message) -> str:
        """The binding's verdict over the message's current label and text ("ok" once withdrawn)."""
        return "ok" if obj.withdrawn else str(binding_verdict(obj, self.get_body(obj)))

    def get_in_reply_to(self, obj: Message) -> int | None:
        """The message answered, when the reader may read it (else absent: null)."""
        return obj.in_reply_to_id if obj.in_reply_to_id in _readable(self.context) else None

    def get_quotes(self, obj: Message) -> list[int]:
        """The messages forwarded in it that the reader may read."""
        readable = _readable(self.context)
        return [quoted.pk for quoted in obj.quotes.all() if quoted.pk in readable]


class ConversationSerializer(serializers.ModelSerializer):
    label = LabelField()
    members = serializers.SerializerMethodField()
    desks = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = ["id", "subject", "label", "members", "desks", "created", "updated"]

    def get_members(self, obj: Conversation) -> list[str]:
        return sorted(member.username for member in obj.members.all())

    def get_desks(self, obj: Conversation) -> list[str]:
        return sorted(desk.code for desk in obj.desks.all())


class SendSerializer(serializers.Serializer):
    """A message sent through the API: text, label (a marking or label JSON), what it answers."""

    body = serializers.CharField(max_length=MAX_BODY_CHARS)
    label = LabelField()
    in_reply_to = serializers.IntegerField(required=False, min_value=1, max_value=2**62)


class NotificationSerializer(serializers.Serializer):
    """One unread message, named by id, conversation and subject, under the message's label."""

    message = serializers.IntegerField(source="pk")
    conversation = serializers.IntegerField(source="conversation_id")
    subject = serializers.CharField(source="conversation.subject")
    author = serializers.CharField(source="author.username", default="")
    label = LabelField()
    created = serializers.DateTimeField()


class NotificationsSerializer(serializers.Serializer):
    """The unread count and the newest unread messages (at most 50)."""

    unread = serializers.IntegerField()
    results = NotificationSerializer(many=True)
