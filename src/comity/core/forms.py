"""Form support shared by the apps' pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction


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
