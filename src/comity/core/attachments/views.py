"""Attachment pages: the download, and the upload and delete forms of a record's page.

Thin: the reads are ``attachments.selectors``', the writes ``attachments.services``'. The forms
post back to the page they are on (``next``, checked to be this site's); a refusal is shown there
as a message and leaves nothing behind (the request's transaction is rolled back, a label the
form's marking created with it).
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from comity.core.attachments import services
from comity.core.attachments.files import attachment_storage
from comity.core.attachments.selectors import MISSING, BadReferenceError, attachment_or_404, record_from_reference
from comity.core.crypto.errors import CryptoError
from comity.core.labels import LabelError, label_from_marking
from comity.core.models import Attachment
from comity.core.permissions import WriteDenied

logger = logging.getLogger(__name__)


def download_response(attachment: Attachment) -> FileResponse:
    """The file, streamed, as a download that no browser renders in place or re-types: marked
    with the attachment's label. A file the storage has lost, or whose sealed bytes do not open
    (changed on disk, copied from another attachment, its key gone), answers like a missing
    attachment; the second is logged as an error, since it means the store was tampered with
    or its keys are misconfigured."""
    try:
        handle = attachment_storage().open(attachment.storage_name, "rb")
    except FileNotFoundError as exc:
        logger.warning("attachment %s: its file %s is missing from the storage", attachment.pk, attachment.storage_name)
        raise Http404(MISSING) from exc
    except CryptoError as exc:
        logger.error("attachment %s: its file %s does not open: %s", attachment.pk, attachment.storage_name, exc)
        raise Http404(MISSING) from exc
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.filename, content_type=attachment.media_type
    )
    response["X-Comity-Marking"] = attachment.label.marking
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """404, worded as for a missing one, unless the user may read the attachment and its record."""
    return download_response(attachment_or_404(request.user, pk))


def _back(request: HttpRequest) -> HttpResponse:
    """To the page the form was on, if it is one of this site's; else home."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("home")


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    messages.error(request, f"Not attached: {reason}")
    transaction.set_rollback(True)
    return _back(request)


def _reason(exc: ValidationError) -> str:
    return "; ".join(message for messages_ in exc.message_dict.values() for message in messages_)


@require_POST
def attachment_add(request: HttpRequest) -> HttpResponse:
    """Attach the posted file to the posted record (``record``: ``app_label.model:id``)."""
    try:
        record = record_from_reference(request.user, request.POST.get("record", ""))
    except BadReferenceError as exc:
        return _refused(request, str(exc))
    upload = request.FILES.get("file")
    if upload is None:
        return _refused(request, "choose a file to attach")
    marking = request.POST.get("label", "").strip()
    try:
        label = label_from_marking(marking) if marking else None
        attachment = services.attachment_upload(
            acting_user=request.user,  # type: ignore[arg-type]
            record=record,
            upload=upload,
            label=label,
        )
    except LabelError as exc:
        return _refused(request, f"label: {exc}")
    except (WriteDenied, ValidationError) as exc:
        return _refused(request, str(exc) if isinstance(exc, WriteDenied) else _reason(exc))
    messages.success(request, f"Attached {attachment.filename}.")
    return _back(request)


@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an attachment from its record's page (404 when it is not readable)."""
    attachment = attachment_or_404(request.user, pk)
    try:
        services.attachment_delete(acting_user=request.user, attachment=attachment)  # type: ignore[arg-type]
    except WriteDenied as exc:
        messages.error(request, f"Not deleted: {exc}")
        return _back(request)
    messages.success(request, f"Deleted {attachment.filename}.")
    return _back(request)
