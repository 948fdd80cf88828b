"""Forms of the comms pages: the label is picked with ``core.forms.LabelField`` (only labels the
author may read are offered or accepted) and defaults to the least upper bound of what the
message answers, so the form starts at the lowest label the service will take."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms

from comity.comms.content import MAX_BODY_CHARS
from comity.comms.models import Conversation
from comity.comms.selectors import conversations_visible_to
from comity.core.forms import LabelField, RefusedFormRollsBack
from comity.core.models import User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

_SPLIT = re.compile(r"[\s,;]+")


def _names(text: str) -> list[str]:
    return [name for name in _SPLIT.split(text or "") if name]


class MessageForm(RefusedFormRollsBack, forms.Form):
    """A message's text and label (a reply names what it answers in ``in_reply_to``).

    No ``required`` attributes in the page: the label picker's parts would each carry one (every
    group box, the nations line), and the browser would then refuse a label without a group. The
    server checks every field.
    """

    use_required_attribute = False

    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_BODY_CHARS, label="Message")
    marking = LabelField()
    in_reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["marking"].offer(user)  # type: ignore[attr-defined]


class ComposeForm(MessageForm):
    """A new conversation: subject, recipients (user names and desk codes), its first message."""

    subject = forms.CharField(max_length=200)
    people = forms.CharField(
        required=False, max_length=2000, help_text="User names, separated by commas.", label="To people"
    )
    desks = forms.CharField(
        required=False,
        max_length=500,
        help_text="Desks by nation (ISO 3166 alpha-3, e.g. FIN) or organisation code (NATO).",
        label="To desks",
    )
    field_order = ["subject", "people", "desks", "body", "marking"]

    def clean_people(self) -> list[User]:
        names = _names(self.cleaned_data.get("people", ""))
        found = {u.username: u for u in User.objects.filter(username__in=names)}
        unknown = [name for name in names if name not in found]
        if unknown:
            raise forms.ValidationError(f"No user named {', '.join(unknown)}.")
        return [found[name] for name in dict.fromkeys(names)]

    def clean_desks(self) -> list[str]:
        codes = [code.upper() for code in _names(self.cleaned_data.get("desks", ""))]
        bad = [code for code in codes if not re.fullmatch(r"[A-Z0-9]{2,16}", code)]
        if bad:
            raise forms.ValidationError(f"Not a nation or organisation code: {', '.join(bad)}.")
        return list(dict.fromkeys(codes))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("people") and not cleaned.get("desks"):
            raise forms.ValidationError("Name at least one recipient: a user or a desk.")
        return cleaned


class ForwardForm(MessageForm):
    """Forward a message into one of the user's conversations, with a covering note."""

    conversation = forms.ModelChoiceField(queryset=Conversation.objects.none(), label="Into conversation")
    field_order = ["conversation", "body", "marking"]

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["conversation"].queryset = conversations_visible_to(user)  # type: ignore[attr-defined]
        self.fields.pop("in_reply_to")


class EditForm(MessageForm):
    """Change a message's text (its author) or its label (an editor of its scope)."""

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields.pop("in_reply_to")
