"""``/api/core/attachments/``: list, upload (multipart), read, relabel, delete and download files
on labelled records.

Reads go through ``attachments_visible`` (the file's label and its record's); a missing, hidden
or hidden-record attachment answers the same 404. Writes are the services', decided by the
record's write rule.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from comity.core.api.parsers import DepthLimitedJSONParser
from comity.core.api.serializers import LabelField
from comity.core.attachments import services
from comity.core.attachments.selectors import (
    BadReferenceError,
    attachment_or_404,
    attachments_of,
    attachments_visible,
    record_from_reference,
)
from comity.core.attachments.views import download_response
from comity.core.models import Attachment

RECORD_HELP = "The record, as app_label.model:id (e.g. engagements.engagement:42)."


class AttachmentSerializer(serializers.ModelSerializer):
    record = serializers.SerializerMethodField()
    label = LabelField(read_only=True)
    uploaded_by = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "record",
            "filename",
            "media_type",
            "size",
            "sha256",
            "label",
            "owner",
            "uploaded",
            "uploaded_by",
            "download",
        ]
        read_only_fields = fields

    def get_record(self, obj: Attachment) -> str:
        meta = obj.content_type
        return f"{meta.app_label}.{meta.model}:{obj.object_id}"

    def get_uploaded_by(self, obj: Attachment) -> str:
        return obj.uploaded_by.get_username() if obj.uploaded_by else ""

    def get_download(self, obj: Attachment) -> str:
        return reverse("core-api:attachment-download", args=[obj.pk])


class AttachmentUploadSerializer(serializers.Serializer):
    record = serializers.CharField(help_text=RECORD_HELP)
    file = serializers.FileField(allow_empty_file=True, use_url=False)
    label = LabelField(required=False, help_text="At least the record's label; the record's when left out.")


class AttachmentRelabelSerializer(serializers.Serializer):
    label = LabelField()


def _as_bad_request(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(exc.message_dict)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("record", OpenApiTypes.STR, description=f"Only this record's files. {RECORD_HELP}")
        ]
    ),
    create=extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer}, responses={201: AttachmentSerializer}
    ),
    partial_update=extend_schema(request=AttachmentRelabelSerializer, responses=AttachmentSerializer),
)
class AttachmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Files on labelled records; each read by who may read it and its record."""

    queryset = Attachment.objects.none()  # for the schema's types only; reads use get_queryset
    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser, DepthLimitedJSONParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Attachment]:
        reference = (self.request.query_params.get("record") or None) if self.action == "list" else None
        if reference is None:
            return attachments_visible(self.request.user).order_by("-uploaded", "-id")
        try:
            record = record_from_reference(self.request.user, reference)
        except BadReferenceError as exc:
            raise serializers.ValidationError({"record": str(exc)}) from exc
        return attachments_of(self.request.user, record).order_by("-uploaded", "-id")

    def get_object(self) -> Attachment:
        return attachment_or_404(self.request.user, self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        upload = AttachmentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        try:
            record = record_from_reference(request.user, data["record"])
        except BadReferenceError as exc:
            raise serializers.ValidationError({"record": str(exc)}) from exc
        try:
            attachment = services.attachment_upload(
                acting_user=request.user, record=record, upload=data["file"], label=data.get("label")
            )
        except DjangoValidationError as exc:
            raise _as_bad_request(exc) from exc
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        change = AttachmentRelabelSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        try:
            attachment = services.attachment_relabel(
                acting_user=request.user, attachment=self.get_object(), label=change.validated_data["label"]
            )
        except DjangoValidationError as exc:
            raise _as_bad_request(exc) from exc
        return Response(AttachmentSerializer(attachment).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.attachment_delete(acting_user=request.user, attachment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")}
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """The file itself, with ``X-Comity-Marking`` and as a download (``Content-Disposition: attachment``)."""
        return download_response(self.get_object())
