"""Comms pages: the inbox, a conversation's thread with its reply form, compose, forward, edit.

Every read goes through ``comms.selectors`` and every write through ``comms.services``; a refusal
is shown on the form to the author (403 for the write rule, 400 for the author rules and for a
send some recipient may not receive). Message text is rendered by the templates, escaped; the
thread fragment (``thread``) is what the page fetches when the websocket says something changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from comity.comms import selectors, services
from comity.comms.content import binding_verdict, read_bodies, read_body
from comity.comms.forms import ComposeForm, EditForm, ForwardForm, MessageForm
from comity.comms.models import Conversation, Message
from comity.core.crypto.binding import Verdict
from comity.core.derivation import least_upper_bound
from comity.core.labels import LabelError, render_marking
from comity.core.permissions import WriteDenied

#: Status of a page whose write was refused, by kind of refusal.
FORBIDDEN, BAD = 403, 400


def _refuse(form: Any, exc: Exception) -> int:
    """Put a service's refusal on the form and return the page's status."""
    if isinstance(exc, WriteDenied):
        form.add_error(None, str(exc))
        return FORBIDDEN
    assert isinstance(exc, ValidationError)
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
    return BAD


def _default_marking(conversation: Conversation, answering: Message | None) -> str:
    """The lowest label a new message or reply may carry: the least upper bound of its
    conversation's label and the label of what it answers, as a marking (nothing is stored)."""
    try:
        bound = least_upper_bound([conversation.label.to_spec(), *([answering.label.to_spec()] if answering else [])])
    except LabelError:  # labels of two national policies have no bound: the author picks
        return conversation.label.marking
    return render_marking(bound) if bound is not None else conversation.label.marking


def _rendered(messages: list[Message]) -> list[dict[str, Any]]:
    """The thread as the templates draw it: each message with its text from ``comms.content``
    (the thread's and its quotes' bodies opened together)."""
    quoted = [q for m in messages for q in m.visible_quotes]  # type: ignore[attr-defined]
    texts = read_bodies([m for m in [*messages, *quoted] if not m.withdrawn])
    return [
        {
            "message": m,
            "text": texts.get(m.pk, ""),
            "tampered": not m.withdrawn and binding_verdict(m, texts[m.pk]) != Verdict.OK,
            "reply_to": m.visible_reply_to,  # type: ignore[attr-defined]
            "quotes": [(q, texts.get(q.pk, "")) for q in m.visible_quotes],  # type: ignore[attr-defined]
        }
        for m in messages
    ]


@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's conversations, newest first, with unread counts; ``?q=`` searches them."""
    query = request.GET.get("q", "")[:200]
    conversations = list(selectors.inbox(request.user, query)[:200])
    unread = selectors.unread_by_conversation(request.user)
    rows = [(c, unread.get(c.pk, 0)) for c in conversations]
    return render(request, "comms/inbox.html", {"rows": rows, "q": query})


@require_http_methods(["GET", "HEAD", "POST"])
def compose(request: HttpRequest) -> HttpResponse:
    """Start a conversation with people and desks."""
    form = ComposeForm(request.POST or None, user=request.user, initial={"people": request.GET.get("to", "")[:200]})
    status = 200
    if request.method == "POST":
        status = BAD
        if form.is_valid():
            try:
                desks = [services.desk_for(code) for code in form.cleaned_data["desks"]]
                message = services.conversation_start(
                    acting_user=request.user,  # type: ignore[arg-type]
                    subject=form.cleaned_data["subject"],
                    label=form.cleaned_data["marking"],
                    members=form.cleaned_data["people"],
                    desks=desks,
                    body=form.cleaned_data["body"],
                )
            except (WriteDenied, ValidationError) as exc:
                status = _refuse(form, exc)
            else:
                flash.success(request, "Sent.")
                return redirect("comms:conversation", pk=message.conversation_id)
    return render(request, "comms/compose.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread and its form: a new message, or with ``?reply=N`` a reply to message N."""
    found = selectors.conversation_or_404(request.user, pk)
    answering = _answering(request, found)
    form = MessageForm(
        request.POST or None,
        user=request.user,
        initial={"marking": _default_marking(found, answering), "in_reply_to": answering.pk if answering else None},
    )
    status = 200
    if request.method == "POST":
        status = BAD
        if form.is_valid():
            try:
                _send(request, found, answering, form)
            except (WriteDenied, ValidationError) as exc:
                status = _refuse(form, exc)
            else:
                return redirect("comms:conversation", pk=found.pk)
    elif request.method == "GET":
        services.conversation_mark_read(user=request.user, conversation=found)  # type: ignore[arg-type]
    context = {
        "conversation": found,
        "form": form,
        "answering": answering,
        "thread": _rendered(selectors.thread(request.user, found)),
    }
    return render(request, "comms/conversation.html", context, status=status)


def _answering(request: HttpRequest, conversation: Conversation) -> Message | None:
    """The message a reply answers (``?reply=`` or the form's ``in_reply_to``), if the user may read it."""
    raw = request.POST.get("in_reply_to") or request.GET.get("reply") or ""
    if not raw.isdigit() or len(raw) > 18:
        return None
    return (
        selectors.messages_visible_to(request.user)
        .filter(conversation=conversation, pk=int(raw))
        .select_related("label")
        .first()
    )


def _send(request: HttpRequest, conversation: Conversation, answering: Message | None, form: MessageForm) -> Message:
    body, label = form.cleaned_data["body"], form.cleaned_data["marking"]
    if answering is not None:
        return services.message_reply(acting_user=request.user, message=answering, body=body, label=label)  # type: ignore[arg-type]
    return services.message_send(acting_user=request.user, conversation=conversation, body=body, label=label)  # type: ignore[arg-type]


@require_safe
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread alone: what the page swaps in when the websocket says a message changed."""
    found = selectors.conversation_or_404(request.user, pk)
    if request.GET.get("read") == "1":
        services.conversation_mark_read(user=request.user, conversation=found)  # type: ignore[arg-type]
    context = {"conversation": found, "thread": _rendered(selectors.thread(request.user, found)), "fragment": True}
    return render(request, "comms/_thread.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    """Forward a message the user may read into one of their conversations."""
    original = selectors.message_or_404(request.user, pk)
    form = ForwardForm(request.POST or None, user=request.user, initial={"marking": original.label})
    status = 200
    if request.method == "POST":
        status = BAD
        if form.is_valid():
            try:
                message = services.message_forward(
                    acting_user=request.user,  # type: ignore[arg-type]
                    messages=[original],
                    conversation=form.cleaned_data["conversation"],
                    body=form.cleaned_data["body"],
                    label=form.cleaned_data["marking"],
                )
            except (WriteDenied, ValidationError) as exc:
                status = _refuse(form, exc)
            else:
                return redirect("comms:conversation", pk=message.conversation_id)
    context = {"form": form, "original": original, "text": "" if original.withdrawn else read_body(original)}
    return render(request, "comms/forward.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a message's text (its author) or relabel it (an editor of its scope)."""
    message = selectors.message_or_404(request.user, pk)
    form = EditForm(
        request.POST or None,
        user=request.user,
        initial={"body": "" if message.withdrawn else read_body(message), "marking": message.label},
    )
    status = 200
    if request.method == "POST":
        status = BAD
        if form.is_valid():
            try:
                _change(request, message, form)
            except (WriteDenied, ValidationError) as exc:
                status = _refuse(form, exc)
            else:
                return redirect("comms:conversation", pk=message.conversation_id)
    return render(request, "comms/edit.html", {"form": form, "message": message}, status=status)


def _change(request: HttpRequest, message: Message, form: EditForm) -> None:
    """The edit page's writes: the text, then the label, each through its own service."""
    user = request.user
    if "body" in form.changed_data:
        services.message_edit(acting_user=user, message=message, body=form.cleaned_data["body"])  # type: ignore[arg-type]
    if "marking" in form.changed_data:
        services.message_relabel(acting_user=user, message=message, label=form.cleaned_data["marking"])  # type: ignore[arg-type]
    if not form.changed_data:
        raise ValidationError({"body": "nothing changed"})


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw one's own message; a refusal goes back to the thread with the reason (403)."""
    message = selectors.message_or_404(request.user, pk)
    try:
        services.message_withdraw(acting_user=request.user, message=message)  # type: ignore[arg-type]
    except WriteDenied as exc:
        return HttpResponse(str(exc), status=FORBIDDEN, content_type="text/plain; charset=utf-8")
    return redirect("comms:conversation", pk=message.conversation_id)


@require_safe
def badge(request: HttpRequest) -> HttpResponse:
    """The header's unread count, fetched again whenever the websocket speaks (the page draws it
    first, ``comms.context_processors``)."""
    return render(request, "comms/_badge.html", {"unread": selectors.unread_count(request.user)})
