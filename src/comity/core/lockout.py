"""Sign-in lockout limits for django-axes: a username at an address, and an address alone.

django-axes counts failures for each entry of ``AXES_LOCKOUT_PARAMETERS`` and locks when the
largest count reaches ``AXES_FAILURE_LIMIT``. With ``[["username", "ip_address"], "ip_address"]``
the largest is always the address's (a pair's failures are some of its address's), so one fixed
limit would lock a whole address (an office behind one gateway) at the pair's limit.
``failure_limit`` is the documented callable form of the limit: the pair's limit once the pair
has reached it, the address's higher limit otherwise. Nobody locks an account out for others:
failures count against the address they came from.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

#: Failures of one username from one address before that pair is locked (a guessed password).
PAIR_LIMIT = 5
#: Failures from one address, over every username, before the address is locked (a spray).
ADDRESS_LIMIT = 20


def pair_failures(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """Failures of this username from this address within the cool-off period."""
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    attempts = AccessAttempt.objects.filter(username=username, ip_address=address)
    cool_off = get_cool_off(request)
    if cool_off is not None:
        since = getattr(request, "axes_attempt_time", None) or timezone.now()
        attempts = attempts.filter(attempt_time__gte=since - cool_off)
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """``AXES_FAILURE_LIMIT``: the pair's limit once the pair reached it, else the address's."""
    return PAIR_LIMIT if pair_failures(request, credentials) >= PAIR_LIMIT else ADDRESS_LIMIT
