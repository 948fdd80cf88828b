"""Core API: labels visible to the caller, the change log, and who the caller is."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comity.core.api.serializers import AuditEntrySerializer, ConfidentialityLabelSerializer, MeSerializer
from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
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
