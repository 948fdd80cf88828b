"""Comms API: conversations and messages a user may read, unread notifications, and sending."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comity.comms import selectors, services
from comity.comms.api.serializers import (
    ConversationSerializer,
    MessageSerializer,
    NotificationsSerializer,
    SendSerializer,
)
from comity.comms.models import Conversation, Message
from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT


class ConversationViewSet(viewsets.ReadOnlyModelViewSet):
    """Conversations the user takes part in and may read; ``messages`` lists or sends messages."""

    serializer_class = ConversationSerializer

    def get_queryset(self) -> QuerySet[Conversation]:
        return (
            selectors.conversations_visible_to(self.request.user)
            .select_related(*LABEL_SELECT)
            .prefetch_related("members", "desks", *LABEL_PREFETCH)
        )

    @extend_schema(request=SendSerializer, responses={201: MessageSerializer})
    @action(detail=True, methods=["post"])
    def messages(self, request: Request, pk: str | None = None) -> Response:
        """Send a message to the conversation (a reply when ``in_reply_to`` names one)."""
        conversation = self.get_object()
        body = SendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            if data.get("in_reply_to"):
                answered = selectors.messages_visible_to(request.user).filter(
                    pk=data["in_reply_to"], conversation=conversation
                )
                if not answered.exists():
                    raise NotFound("No such message in this conversation.")
                message = services.message_reply(
                    acting_user=request.user, message=answered.get(), body=data["body"], label=data["label"]
                )
            else:
                message = services.message_send(
                    acting_user=request.user, conversation=conversation, body=data["body"], label=data["label"]
                )
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        return Response(MessageSerializer(message, context={"request": request}).data, status=status.HTTP_201_CREATED)


class MessageViewSet(viewsets.ReadOnlyModelViewSet):
    """Messages the user may read, in conversations they see, newest first."""

    serializer_class = MessageSerializer

    def get_queryset(self) -> QuerySet[Message]:
        return (
            selectors.messages_visible_to(self.request.user)
            .select_related("author", *LABEL_SELECT)
            .prefetch_related("quotes", *LABEL_PREFETCH)
            .order_by("-created", "-id")
        )


class NotificationsView(APIView):
    """``GET /api/comms/notifications/``: the unread count and the newest unread messages."""

    @extend_schema(responses={200: NotificationsSerializer})
    def get(self, request: Request) -> Response:
        body = {"unread": selectors.unread_count(request.user), "results": selectors.notifications(request.user)}
        return Response(NotificationsSerializer(body).data)
