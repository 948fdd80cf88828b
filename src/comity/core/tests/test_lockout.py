"""Sign-in lockout: failures from one address cannot lock a known account out elsewhere."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from comity.core.lockout import ADDRESS_LIMIT, PAIR_LIMIT
from comity.core.testing.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def sign_in(address: str, username: str, password: str) -> int:
    client = Client(REMOTE_ADDR=address)
    return client.post(reverse("login"), {"username": username, "password": password}).status_code


def test_failures_from_one_address_do_not_lock_the_account_out_from_another() -> None:
    make_user("NLD", username="admin")
    for _ in range(PAIR_LIMIT + 3):
        sign_in("198.51.100.7", "admin", "guess")
    assert sign_in("198.51.100.7", "admin", TEST_PASSWORD) == 429
    assert sign_in("203.0.113.20", "admin", TEST_PASSWORD) == 302


def test_a_spray_from_one_address_is_locked_and_others_still_sign_in() -> None:
    make_user("NLD", username="victim")
    for n in range(ADDRESS_LIMIT):
        sign_in("198.51.100.9", f"name{n}", "guess")
    assert sign_in("198.51.100.9", "victim", TEST_PASSWORD) == 429
    assert sign_in("203.0.113.21", "victim", TEST_PASSWORD) == 302


def test_a_few_failures_at_a_shared_address_do_not_lock_its_other_users() -> None:
    make_user("NLD", username="colleague")
    for _ in range(PAIR_LIMIT):
        sign_in("192.0.2.50", "typo-prone", "guess")
    assert sign_in("192.0.2.50", "colleague", TEST_PASSWORD) == 302


def test_a_valid_sign_in_does_not_wash_out_an_address_record() -> None:
    """One account of the sprayer's own must not reset the count of the address it sprays from."""
    make_user("NLD", username="insider")
    for n in range(ADDRESS_LIMIT - 1):
        sign_in("198.51.100.10", f"name{n}", "guess")
    assert sign_in("198.51.100.10", "insider", TEST_PASSWORD) == 302
    sign_in("198.51.100.10", "another", "guess")
    assert sign_in("198.51.100.10", "insider", TEST_PASSWORD) == 429
