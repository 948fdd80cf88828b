"""Remember which session keys each user signed in with.

Django's ``user_logged_in`` signal is the documented hook for this; it only records a fact, so
no business logic hides in it. ``services.user_deactivate`` uses the record to end every
session of a user at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from comity.core.models import LoginSession, User


@receiver(user_logged_in, dispatch_uid="comity-remember-session")
def remember_session(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if request.session.session_key is None:
        request.session.save()
    LoginSession.objects.update_or_create(session_key=request.session.session_key, defaults={"user": user})
