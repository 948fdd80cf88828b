"""Accounts: Argon2, throttled sign-in, CSRF, security headers, deactivation ends sessions."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from comity.core.services import user_deactivate, user_token
from comity.core.testing.factories import make_user
from comity.settings import base

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def test_shipped_settings_hash_with_argon2() -> None:
    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert make_password("x", hasher="argon2").startswith("argon2$")


def test_sign_in_and_out(client: Client) -> None:
    make_user("NLD", "SECRET", username="alice")
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("my-access")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("my-access")).status_code == 302


def test_pages_need_sign_in(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_repeated_failures_lock_the_account(client: Client) -> None:
    make_user("NLD", username="bob")
    for _ in range(5):
        client.post(reverse("login"), {"username": "bob", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert locked.status_code == 429
    assert b"Too many failed sign-ins" in locked.content


def test_login_form_needs_csrf_token() -> None:
    make_user("NLD", username="carol")
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("login"), {"username": "carol", "password": PASSWORD}).status_code == 403


def test_security_headers(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_sessions_expire() -> None:
    assert base.SESSION_COOKIE_AGE <= 8 * 3600
    assert base.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_deactivation_ends_every_session_and_token_at_once() -> None:
    user = make_user("NLD", "SECRET", username="dave")
    laptop, phone = Client(), Client()
    laptop.force_login(user)
    phone.force_login(user)
    token = user_token(acting_user=None, user=user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/core/me/").status_code == 200
    assert user_deactivate(acting_user=None, user=user) == 2
    assert Session.objects.count() == 0
    for client in (laptop, phone):
        assert client.get(reverse("my-access")).status_code == 302
    assert api.get("/api/core/me/").status_code == 401
