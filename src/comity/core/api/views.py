"""Core API: labels visible to the caller, the change log, and who the caller is."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comity.core.api.params import checked_query
from comity.core.api.serializers import (
    AuditEntrySerializer,
    ConfidentialityLabelSerializer,
    DeskQuerySerializer,
    DeskSerializer,
    MeSerializer,
)
from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT, bound_marking
from comity.core.desk import DESK_LIMIT, desk_read
from comity.core.models import AuditEntry, ConfidentialityLabel
from comity.core.selectors import audit_entries_visible, labels_visible_to, subject_for


class LabelViewSet(viewsets.ReadOnlyModelViewSet):
    """Labels the caller may see, as JSON and STANAG 4774 XML."""

    serializer_class = ConfidentialityLabelSerializer

    def get_queryset(self) -> QuerySet[ConfidentialityLabel]:
        return labels_visible_to(subject_for(self.request.user)).select_related("policy", "classification")


class AuditEntryFilter(filters.FilterSet):
    object_type = filters.CharFilter(field_name="content_type__model", lookup_expr="iexact")
    since = filters.IsoDateTimeFilter(field_name="time", lookup_expr="gte")

    class Meta:
        model = AuditEntry
        fields = ["action", "object_id", "username"]


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The change log; each entry is visible under the label of the record it describes, and
    entries about accounts to administrators only (``core.selectors.audit_entries_visible``)."""

    queryset = AuditEntry.objects.none()  # the model, for the schema (no caller there); rows: get_queryset
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter

    def get_queryset(self) -> QuerySet[AuditEntry]:
        return (
            audit_entries_visible(self.request.user)
            .select_related("content_type", *LABEL_SELECT)
            .prefetch_related(*LABEL_PREFETCH)
        )


class MeView(APIView):
    """The caller's nationality, clearances and current releasability groups."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class DeskView(APIView):
    """The caller's desk: every panel the apps offer, each item with its marking (``core.desk``)."""

    @extend_schema(parameters=[DeskQuerySerializer], responses=DeskSerializer)
    def get(self, request: Request) -> Response:
        query = checked_query(DeskQuerySerializer, request.query_params)
        limit = None if query.get("all") else query.get("limit", DESK_LIMIT)
        views = desk_read(request.user, limit=limit, attention_only=query.get("attention", False))
        labels = [label for view in views for item in view.items for label in item.labels]
        marking = bound_marking(labels)[0]
        return Response(DeskSerializer({"marking": marking, "panels": views}).data)
