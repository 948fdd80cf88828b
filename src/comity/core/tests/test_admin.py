"""The Django admin holds only reference data without a label, and changes nothing by hand.

Labelled records are written through the pages and the API, which apply the label and write
rules; the admin may show reference data (read-only: ``comity setup`` loads it from shipped
files) and users, whose only changes are actions that call ``core.services``.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse

from comity.core.labels import label_from_marking
from comity.core.models import AuditEntry, Clearance, ConfidentialityLabel, LabelledModel, User
from comity.core.testing.factories import make_user
from comity.engagements.models import Exercise, Objective

pytestmark = pytest.mark.django_db

#: Reference data loaded from shipped files: the admin shows it and changes none of it.
READ_ONLY = [
    "registry.state",
    "registry.organisation",
    "registry.membership",
    "registry.partnershipframework",
    "registry.participation",
    "core.securitypolicy",
    "core.classification",
    "core.categorytag",
]

HIDDEN_TITLE = "Zq hidden objective title"


def _labelled_models() -> list[type[models.Model]]:
    """Every model that carries a label or shares one, and the label rows themselves."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, LabelledModel) or getattr(model, "label_from", None) or model is ConfidentialityLabel
    ]


@pytest.fixture
def superuser() -> User:
    """A superuser of a nation the hidden objective is not released to, without clearance."""
    return make_user("AUT", username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def root(superuser: User) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def hidden_objective() -> Objective:
    return Objective.objects.create(
        code="zq-hidden", title=HIDDEN_TITLE, label=label_from_marking("NATO SECRET REL TO NLD")
    )


def test_no_labelled_model_is_registered() -> None:
    registered = set(admin.site._registry)
    assert registered.isdisjoint(_labelled_models())
    assert AuditEntry not in registered
    assert Exercise not in registered


@pytest.mark.parametrize("model", _labelled_models(), ids=lambda m: m._meta.label_lower)
def test_every_labelled_models_admin_pages_answer_404(root: Client, model: type[models.Model]) -> None:
    opts = model._meta
    base = f"/admin/{opts.app_label}/{opts.model_name}/"
    for url in (base, base + "add/", base + "1/change/", base + "1/delete/", base + "1/history/"):
        assert root.get(url).status_code == 404, url
    assert root.post(base + "add/", {"title": "x"}).status_code == 404


@pytest.mark.parametrize("name", READ_ONLY)
def test_reference_data_is_shown_but_not_changed(root: Client, name: str) -> None:
    model = apps.get_model(name)
    opts = model._meta
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"{name} has no shipped rows"
    before = list(model.objects.order_by("pk").values())
    changelist = root.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    page = changelist.content.decode()
    assert "addlink" not in page and "delete_selected" not in page
    change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    view = root.get(change_url)
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    assert root.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
    assert root.post(change_url, {"name": "Renamed"}).status_code == 403
    delete_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    assert root.post(delete_url, {"post": "yes"}).status_code == 403
    bulk_delete = {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    root.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), bulk_delete)
    assert list(model.objects.order_by("pk").values()) == before


def test_every_registered_admin_refuses_raw_writes(superuser: User) -> None:
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), inline
            assert not inline.has_change_permission(request), inline
            assert not inline.has_delete_permission(request), inline


def test_the_user_admin_shows_users_and_refuses_raw_changes(root: Client) -> None:
    target = make_user("NLD", "SECRET", username="target")
    changelist = root.get(reverse("admin:core_user_changelist"))
    assert changelist.status_code == 200 and "target" in changelist.content.decode()
    change_url = reverse("admin:core_user_change", args=[target.pk])
    assert root.get(change_url).status_code == 200
    assert root.post(change_url, {"username": "target", "is_superuser": "on"}).status_code == 403
    assert root.get(reverse("admin:core_user_add")).status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[target.pk])
    assert root.post(password_url, {"password1": "x" * 20, "password2": "x" * 20}).status_code == 403
    assert root.post(reverse("admin:core_user_delete", args=[target.pk]), {"post": "yes"}).status_code == 403
    target.refresh_from_db()
    assert not target.is_superuser and target.check_password("a-long-test-password")


def test_the_deactivate_action_calls_the_service_and_logs_it(root: Client, superuser: User) -> None:
    target = make_user("NLD", username="target")
    response = root.post(
        reverse("admin:core_user_changelist"), {"action": "deactivate", "_selected_action": [target.pk]}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    entry = AuditEntry.objects.get(content_type__model="user", object_id=str(target.pk), action="update")
    assert entry.user == superuser
    assert entry.before["is_active"] is True and entry.after["is_active"] is False


def test_the_clearance_action_calls_the_service_and_logs_it(root: Client, superuser: User) -> None:
    target = make_user("NLD", "RESTRICTED", username="target")
    changelist = reverse("admin:core_user_changelist")
    chosen = {"action": "set_clearance", "_selected_action": [target.pk]}
    form = root.post(changelist, chosen)
    assert form.status_code == 200 and 'value="NATO/SECRET"' in form.content.decode()
    # An unknown level is refused on the form; nothing changes.
    assert root.post(changelist, {**chosen, "apply": "1", "clearance": "NATO/BOGUS"}).status_code == 200
    assert Clearance.objects.get(user=target).classification.name == "RESTRICTED"
    response = root.post(changelist, {**chosen, "apply": "1", "clearance": "NATO/SECRET"})
    assert response.status_code == 302
    assert Clearance.objects.get(user=target).classification.name == "SECRET"
    entry = AuditEntry.objects.get(content_type__model="clearance", action="update", user=superuser)
    assert entry.after["user_id"] == target.pk
    root.post(changelist, {**chosen, "apply": "1", "clearance": "NATO/"})
    assert not Clearance.objects.filter(user=target).exists()
    assert AuditEntry.objects.filter(content_type__model="clearance", action="delete", user=superuser).exists()


def test_the_admin_is_for_administrators_only() -> None:
    staff = make_user("NLD", "SECRET", username="staff", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("admin:core_user_changelist")).status_code == 403
    assert HIDDEN_TITLE not in client.get("/admin/").content.decode()


def _admin_links(html: str, page: str) -> set[str]:
    """The admin pages a page links to, without query strings (sort orders and filters of a
    list show its rows again, and their combinations would never end)."""
    links = set()
    for href in re.findall(r'href="([^"#?]+)', html):
        url = urljoin(page, href)
        if url.startswith("/admin/") and "logout" not in url:
            links.add(url)
    return links


def test_no_admin_page_names_a_labelled_record(root: Client, hidden_objective: Objective) -> None:
    exercise = Exercise.objects.order_by("pk").first()
    assert exercise is not None
    exercise.objectives.add(hidden_objective)
    seen: set[str] = set()
    queue = ["/admin/"]
    per_changelist: dict[str, int] = {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = root.get(url)
        assert response.status_code in (200, 302, 403, 404), url
        body = response.content.decode()
        assert HIDDEN_TITLE not in body, url
        assert hidden_objective.code not in body, url
        for link in _admin_links(body, url):
            parts = link.split("/")
            # Follow every list and a few records of each, not all 250 states.
            if len(parts) > 5 and parts[4].isdigit():
                listing = "/".join(parts[:4])
                per_changelist[listing] = per_changelist.get(listing, 0) + 1
                if per_changelist[listing] > 3:
                    continue
            queue.append(link)
    assert any("/admin/registry/state/" in url for url in seen)
    assert any("/admin/core/user/" in url for url in seen)
    autocomplete = root.get(
        "/admin/autocomplete/",
        {"app_label": "engagements", "model_name": "engagement", "field_name": "objectives", "term": "Zq"},
    )
    assert autocomplete.status_code in (403, 404) and HIDDEN_TITLE not in autocomplete.content.decode()
