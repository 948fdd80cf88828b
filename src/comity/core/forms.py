"""Form support shared by the apps' pages."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import transaction

from comity.core.access import PUBLIC_POLICY
from comity.core.labels import LabelError, classification_marking, label_get_or_create, parse_marking, render_marking
from comity.core.models import Classification, ConfidentialityLabel
from comity.core.permissions import WriteDenied
from comity.core.selectors import may_see_label, subject_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.models import User


class RefusedFormRollsBack(forms.BaseForm):
    """A form whose errors undo what was stored since it was cleaned (a new label, say).

    Cleaning may store rows (``label_get_or_create`` for a marking) before another field, or the
    service the view then calls, refuses the write. A refused page answers with the form again
    instead of raising, so the request's transaction (``ATOMIC_REQUESTS``) would keep them.
    ``full_clean`` therefore opens a savepoint and rolls back to it when the form ends up
    invalid, as does every later error (the view reporting the service's refusal with
    ``add_error``); the page is then rendered in a transaction that is still usable.
    """

    _savepoint: str | None = None

    def full_clean(self) -> None:
        if transaction.get_connection().in_atomic_block:
            self._savepoint = transaction.savepoint()
        super().full_clean()
        if self._errors:
            self._roll_back()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        self._roll_back()

    def _roll_back(self) -> None:
        if self._savepoint is not None:
            transaction.savepoint_rollback(self._savepoint)


#: The releasability groups as a staff officer reads them (the registry expands each into nations).
GROUP_NAMES = {
    "NATO": "NATO (the Allies)",
    "EU": "EU (its member states)",
    "PFP": "PFP (Partnership for Peace)",
    "MD": "MD (Mediterranean Dialogue)",
    "ICI": "ICI (Istanbul Cooperation Initiative)",
    "PATG": "PATG (partners across the globe)",
}


class LabelWidget(forms.MultiWidget):
    """A classification list, releasability group boxes and a line for nations.

    The parts POST as ``<name>_classification``, ``<name>_groups`` and ``<name>_nations``. A
    marking sent whole as ``<name>`` (``NATO RESTRICTED REL TO NATO``) is read too, so a script
    or a test that types the marking keeps working.
    """

    template_name = "core/widgets/label.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = {
            "classification": forms.Select(),
            "groups": forms.CheckboxSelectMultiple(choices=list(GROUP_NAMES.items())),
            "nations": forms.TextInput(attrs={"placeholder": "e.g. FIN, SWE", "size": 30, "autocomplete": "off"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        """A stored label (or a marking) as its parts: classification marking, groups, nations."""
        if not value:
            return [None, [], ""]
        if isinstance(value, ConfidentialityLabel):
            spec = value.to_spec()
            release = spec.category("Releasable To")
            head, values = classification_marking(spec.policy, spec.classification), release.values if release else ()
        else:  # a marking as typed, perhaps a wrong one: split as written, so the page shows it back
            head, _, rel = " ".join(str(value).upper().split()).partition(" REL TO ")
            values = tuple(v for v in re.split(r"[\s,;]+", rel) if v)
        groups = sorted(v for v in values if v in GROUP_NAMES)
        return [head, groups, ", ".join(sorted(v for v in values if v not in GROUP_NAMES))]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        """The parts, and the stored label's full marking (it may hold more than the parts show)."""
        context = super().get_context(name, value, attrs)
        context["widget"]["current"] = value.marking if isinstance(value, ConfidentialityLabel) else ""
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if name in data:
            return data[name]
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)


class LabelField(forms.Field):
    """The confidentiality label of a record, picked from what the user may assign.

    It offers the classifications up to the user's clearance (PUBLIC always) and releasability to
    groups and nations, and cleans to a stored ``ConfidentialityLabel``. The server checks what
    the browser offered: a label the user could not read themselves is refused, whatever was
    posted. Call ``offer(user)`` before use (the form's ``__init__`` does). Cleaning stores the
    label row, so forms using it inherit ``RefusedFormRollsBack``.
    """

    widget = LabelWidget
    default_error_messages = {
        "required": "Choose a classification.",
        "above": "You may not give a label above what you may see ({marking}).",
        "public": "PUBLIC is open to everyone: clear the groups and nations, or choose a classification.",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Label")
        kwargs.setdefault(
            "help_text",
            "Classification, then whom it is releasable to: groups, and nations by ISO code. "
            "You may give only a label you may read yourself.",
        )
        super().__init__(**kwargs)
        self.user: User | AnonymousUser | None = None

    def offer(self, user: User | AnonymousUser) -> None:
        """Offer ``user``'s classifications: PUBLIC and each policy's up to their clearance."""
        self.user = user
        cleared = subject_for(user).clearances
        rows = sorted(
            Classification.objects.select_related("policy"),
            key=lambda row: (row.policy.name != PUBLIC_POLICY, row.policy.name, row.rank),
        )
        choices = [("", "—")]
        for row in rows:
            policy = row.policy.name
            if policy == PUBLIC_POLICY or (policy in cleared and row.rank <= cleared[policy]):
                marking = classification_marking(policy, row.name)
                choices.append((marking, marking))
        self.widget.widgets[0].choices = choices

    def marking(self, value: Any) -> str:
        """The marking the posted value spells (a marking sent whole, or the picker's parts)."""
        if isinstance(value, ConfidentialityLabel):
            return value.marking
        if not isinstance(value, (list, tuple)):
            return " ".join(str(value or "").split())
        head, groups, nations = [*value, None, None, None][:3]
        values = {*(groups or []), *(n.upper() for n in re.split(r"[\s,;]+", nations or "") if n)}
        if not head:
            return ""
        return f"{head} REL TO {', '.join(sorted(values))}" if values else str(head)

    def clean(self, value: Any) -> ConfidentialityLabel | None:
        marking = self.marking(value)
        if not marking:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        try:
            spec = parse_marking(marking)
            if spec.policy == PUBLIC_POLICY and spec.categories:
                raise forms.ValidationError(self.error_messages["public"], code="public")
            label = label_get_or_create(spec)
        except LabelError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc
        if self.user is None or not may_see_label(self.user, label):
            raise forms.ValidationError(self.error_messages["above"], code="above", params={"marking": label.marking})
        return label

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Changed when the posted value spells another marking than the picker showed at first.

        A label with categories the picker does not show (``ONLY``, say) therefore stays whole
        unless the user changes the picker.
        """
        return self._canonical(self.widget.decompress(initial)) != self._canonical(data)

    def _canonical(self, value: Any) -> str:
        marking = self.marking(value)
        try:
            return render_marking(parse_marking(marking)) if marking else ""
        except LabelError:
            return marking


def refusal_on_form(form: forms.Form, exc: Exception) -> int:
    """Put a service's refusal on the form, beside its field when it names one the form has, and
    return the page's status: 403 for the write rule's refusal, 400 for bad input."""
    if isinstance(exc, WriteDenied):
        form.add_error(None, str(exc))
        return 403
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, str(exc))
    return 400
