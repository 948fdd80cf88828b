"""The record pages that write: create and edit every kind in the browser through the services,
with errors beside their fields, refusals on the form, and nothing kept from a refused write."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from comity.core.models import AuditEntry, ConfidentialityLabel
from comity.core.testing.factories import make_user
from comity.engagements.models import Engagement, Exercise
from comity.engagements.tests.helpers import EXAMPLES, PAGE_KINDS, create, logged_in
from comity.registry.models import CountryNote

pytestmark = pytest.mark.django_db


def form_data(prefix: str = "exercises", **extra: Any) -> dict[str, Any]:
    own = {name: str(value) for name, value in EXAMPLES[prefix].items() if value is not False}
    return {
        "title": "Form record",
        "start_date": "2031-02-01",
        "end_date": "2031-02-10",
        "date_precision": "day",
        "location": "Tbilisi",
        "lead": "NLD",
        "participants": "GEO:host:30\nFIN",
        "objectives": ["partnerships"],
        "owner": "NLD",
        "label_classification": "NATO RESTRICTED",
        "label_groups": ["NATO"],
        "label_nations": "geo",
        **own,
        **extra,
    }


@pytest.fixture
def editor() -> Client:
    return logged_in("NLD", "form-editor", clearance="RESTRICTED")


@pytest.mark.parametrize("prefix", list(PAGE_KINDS))
def test_an_editor_creates_a_record_of_each_kind(editor: Client, prefix: str) -> None:
    url = reverse("engagements:record-create", args=[PAGE_KINDS[prefix]])
    assert editor.get(url).status_code == 200
    response = editor.post(url, form_data(prefix, key=f"form-{prefix}"))
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Engagement.objects.get(key=f"form-{prefix}")
    assert record.kind == PAGE_KINDS[prefix] and record.owner == "NLD"
    assert record.label.marking == "NATO RESTRICTED REL TO GEO, NATO"
    assert sorted((p.state.iso3, p.role, p.personnel) for p in record.participants.all()) == [
        ("FIN", "participant", None),
        ("GEO", "host", 30),
    ]
    assert [o.code for o in record.objectives.all()] == ["partnerships"]
    assert AuditEntry.objects.filter(object_id=str(record.pk), action="create").exists()
    page = editor.get(response["Location"])
    assert page.status_code == 200 and 'id="edit"' in page.content.decode()


def test_month_precision_keeps_the_first_of_the_month(editor: Client) -> None:
    data = form_data(key="form-month", date_precision="month", start_date="2031-03-17", end_date="2031-04-09")
    assert editor.post(reverse("engagements:record-create", args=["exercise"]), data).status_code == 302
    record = Exercise.objects.get(key="form-month")
    assert (str(record.start_date), str(record.end_date), record.date_precision) == (
        "2031-03-01",
        "2031-04-01",
        "month",
    )


def test_errors_stand_beside_their_fields_and_keep_what_was_typed(editor: Client) -> None:
    assert create(editor, "exercises", "form-taken", label="PUBLIC").status_code == 201
    url = reverse("engagements:record-create", args=["exercise"])
    data = form_data(
        key="form-taken",
        title="Typed title kept",
        end_date="2031-01-01",
        participants="GEO:host:30\nXXX:lead\nFIN:captain",
        lead="NOWHERE",
    )
    response = editor.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    errors = response.context["form"].errors
    assert "ends (2031-01-01) before it starts" in errors["end_date"][0]
    assert errors["participants"] == [
        "line 2: 'XXX' is not a state in the registry (use its ISO3 code)",
        "line 3: 'captain' is not a role; roles are lead, host, participant, observer",
    ]
    assert "neither an organisation nor a state" in errors["lead"][0]
    assert 'value="Typed title kept"' in page and "XXX:lead" in page
    assert re.search(r'id="field-end_date">.*?ends \(2031-01-01\)', page, re.S)
    # Once the fields are right, the service says the key is taken, beside the key.
    fixed = editor.post(url, {**data, "end_date": "2031-02-10", "participants": "GEO:host", "lead": "NLD"})
    assert fixed.status_code == 400
    assert "is not available" in fixed.context["form"].errors["key"][0]
    assert Engagement.objects.filter(key="form-taken").count() == 1


def test_edit_changes_the_record_and_a_validation_error_keeps_the_input(editor: Client) -> None:
    assert create(editor, "exercises", "form-edit", label="PUBLIC").status_code == 201
    url = reverse("engagements:record-edit", args=["form-edit"])
    page = editor.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert "key" not in form.fields and form.initial["participants"] == "GEO:host:3"
    public = {"label_classification": "PUBLIC", "label_groups": [], "label_nations": ""}
    mixed = editor.post(url, form_data(label_classification="PUBLIC"))
    assert "PUBLIC is open to everyone" in mixed.context["form"].errors["label"][0]
    bad = editor.post(url, form_data(title="Retitled", battle_tanks="-3", **public))
    assert bad.status_code == 400 and 'value="Retitled"' in bad.content.decode()
    assert "battle_tanks" in bad.context["form"].errors
    assert Exercise.objects.get(key="form-edit").title == "Test exercises"
    good = editor.post(url, form_data(title="Retitled", battle_tanks="12", **public))
    assert good.status_code == 302, good.context["form"].errors
    record = Exercise.objects.get(key="form-edit")
    assert (record.title, record.battle_tanks, record.label.marking) == ("Retitled", 12, "PUBLIC")
    entry = AuditEntry.objects.filter(object_id=str(record.pk), action="update").latest("time")
    assert entry.before["title"] == "Test exercises" and entry.after["title"] == "Retitled"


def test_an_untouched_picker_keeps_a_label_it_cannot_show(editor: Client) -> None:
    """A label with an ONLY category stays whole when the edit leaves the picker as it was."""
    marking = "NATO RESTRICTED REL TO NLD"
    assert create(editor, "exercises", "form-keep", label=marking).status_code == 201
    record = Exercise.objects.get(key="form-keep")
    only = {"policy": "NATO", "classification": "RESTRICTED", "categories": []}
    only["categories"] = [
        {"tag_name": "Releasable To", "type": "PERMISSIVE", "values": ["NLD"]},
        {"tag_name": "Only", "type": "PERMISSIVE", "values": ["NLD"]},
    ]
    from comity.core.labels import label_get_or_create, spec_from_dict

    Exercise.objects.filter(pk=record.pk).update(label=label_get_or_create(spec_from_dict(only)))
    url = reverse("engagements:record-edit", args=["form-keep"])
    assert "Now: <strong>NATO RESTRICTED NLD ONLY REL TO NLD</strong>" in editor.get(url).content.decode()
    data = form_data(title="Kept label", label_classification="NATO RESTRICTED", label_groups=[], label_nations="NLD")
    assert editor.post(url, data).status_code == 302
    record.refresh_from_db()
    assert record.title == "Kept label" and record.label.marking == "NATO RESTRICTED NLD ONLY REL TO NLD"


def test_another_nations_editor_is_refused_with_the_reason_and_nothing_changes() -> None:
    owner = logged_in("NLD", "form-owner")
    assert create(owner, "exercises", "form-theirs", label="PUBLIC").status_code == 201
    other = logged_in("FIN", "form-other")
    detail = other.get(reverse("engagements:detail", args=["form-theirs"])).content.decode()
    assert 'id="edit"' not in detail  # the rule in SQL offers no edit
    url = reverse("engagements:record-edit", args=["form-theirs"])
    assert "not change it" in other.get(url).content.decode()
    labels, entries = ConfidentialityLabel.objects.count(), AuditEntry.objects.count()
    data = form_data(title="Taken over", label_classification="NATO SECRET", label_groups=[], label_nations="FIN")
    response = other.post(url, data)
    assert response.status_code == 403
    assert "editor" in response.context["form"].non_field_errors()[0]
    assert 'id="form-errors"' in response.content.decode()
    assert Exercise.objects.get(key="form-theirs").title == "Test exercises"
    assert (ConfidentialityLabel.objects.count(), AuditEntry.objects.count()) == (labels, entries)


def test_the_picker_offers_no_classification_above_the_clearance(editor: Client) -> None:
    page = editor.get(reverse("engagements:record-create", args=["exercise"]))
    offered = [value for value, _ in page.context["form"].fields["label"].widget.widgets[0].choices if value]
    assert offered == ["PUBLIC", "NATO UNCLASSIFIED", "NATO RESTRICTED"]
    assert "NATO SECRET" not in page.content.decode()
    # Posted anyway, the server refuses it beside the field, and stores no label.
    labels = ConfidentialityLabel.objects.count()
    response = editor.post(
        reverse("engagements:record-create", args=["exercise"]),
        form_data(key="form-too-high", label_classification="NATO SECRET", label_groups=["NATO"], label_nations=""),
    )
    assert response.status_code == 400
    assert "above what you may see" in response.context["form"].errors["label"][0]
    assert ConfidentialityLabel.objects.count() == labels
    assert not Engagement.objects.filter(key="form-too-high").exists()
    # A label the user could not read (released to another nation only) is refused too.
    response = editor.post(
        reverse("engagements:record-create", args=["exercise"]),
        form_data(key="form-not-mine", label_groups=[], label_nations="FIN"),
    )
    assert "above what you may see" in response.context["form"].errors["label"][0]


def test_owner_and_objectives_offer_only_the_users_own(editor: Client) -> None:
    form = editor.get(reverse("engagements:record-create", args=["exercise"])).context["form"]
    assert form.fields["owner"].choices == [("NLD", "NLD")]
    response = editor.post(
        reverse("engagements:record-create", args=["exercise"]), form_data(key="form-fin", owner="FIN")
    )
    assert response.status_code == 400 and "owner" in response.context["form"].errors


def test_who_may_create_sees_the_new_record_links() -> None:
    assert 'id="new-exercise"' in logged_in("NLD", "form-e").get(reverse("engagements:list")).content.decode()
    viewer = logged_in("NLD", "form-v", roles=("viewer",))
    assert 'id="new-records"' not in viewer.get(reverse("engagements:list")).content.decode()
    response = viewer.get(reverse("engagements:record-create", args=["exercise"]))
    assert response.status_code == 403 and "editor for no nation" in response.content.decode()
    assert viewer.get(reverse("engagements:record-create", args=["programme"])).status_code == 404


def test_edit_is_offered_on_the_record_page_of_other_kinds(editor: Client) -> None:
    assert create(editor, "attaches", "form-attache", label="PUBLIC").status_code == 201
    page = editor.get(reverse("engagements:record", args=["form-attache"])).content.decode()
    assert reverse("engagements:record-edit", args=["form-attache"]) in page
    form = editor.get(reverse("engagements:record-edit", args=["form-attache"])).context["form"]
    assert form.initial["sending_state"].iso3 == "NLD" and form.fields["host_state"].to_field_name == "iso3"


def test_country_note_edit_and_delete_pages() -> None:
    author = make_user("NLD", "SECRET", username="note-author", roles=("editor",))
    client = Client()
    client.force_login(author)
    created = client.post(
        reverse("registry:note-create"),
        {
            "state": "GEO",
            "title": "Note",
            "body": "b",
            "marking_classification": "NATO SECRET",
            "marking_nations": "NLD",
        },
    )
    note = CountryNote.objects.get(title="Note")
    assert created["Location"] == reverse("registry:note-detail", args=[note.pk])
    assert note.label.marking == "NATO SECRET REL TO NLD"
    detail = client.get(created["Location"]).content.decode()
    assert 'id="edit"' in detail and 'id="delete"' in detail
    edit_url = reverse("registry:note-edit", args=[note.pk])
    assert client.get(edit_url).status_code == 200
    bad = client.post(edit_url, {"title": "", "body": "kept body", "marking_classification": "NATO SECRET"})
    assert bad.status_code == 400 and "kept body" in bad.content.decode()
    edited = {"title": "Renamed", "body": "b2", "marking_classification": "NATO SECRET", "marking_nations": "NLD"}
    assert client.post(edit_url, edited).status_code == 302
    note.refresh_from_db()
    assert (note.title, note.body, note.label.marking) == ("Renamed", "b2", "NATO SECRET REL TO NLD")

    other = logged_in("NLD", "note-viewer", roles=("viewer",))
    assert 'id="edit"' not in other.get(created["Location"]).content.decode()
    refused = other.post(edit_url, {**edited, "title": "Not mine"})
    assert refused.status_code == 403 and "editor" in refused.content.decode()
    refused = other.post(reverse("registry:note-delete", args=[note.pk]))
    assert refused.status_code == 403 and "editor" in refused.content.decode()
    note.refresh_from_db()
    assert note.title == "Renamed"

    delete_url = reverse("registry:note-delete", args=[note.pk])
    assert "Delete the note" in client.get(delete_url).content.decode()
    assert client.post(delete_url)["Location"] == reverse("registry:note-list")
    assert not CountryNote.objects.filter(pk=note.pk).exists()
