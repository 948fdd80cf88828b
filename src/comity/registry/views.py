"""Registry pages: states, country profiles, the alliance on a date, the map, country notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
from comity.core.permissions import WriteDenied
from comity.core.selectors import access_or_404
from comity.registry import selectors, services
from comity.registry.filtersets import CountryNoteFilter, StateFilter
from comity.registry.forms import CountryNoteEditForm, CountryNoteForm, OnDateForm
from comity.registry.models import CountryNote, Organisation, State

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.models import User


@require_safe
def state_list(request: HttpRequest) -> HttpResponse:
    """All states, searchable; htmx requests get just the table."""
    filterset = StateFilter(request.GET, queryset=State.objects.all())
    page = Paginator(filterset.qs, 60).get_page(request.GET.get("page"))
    template = "registry/_state_table.html" if request.htmx else "registry/state_list.html"  # type: ignore[attr-defined]
    return render(request, template, {"page": page, "filter": filterset})


@require_safe
def state_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    """A country profile: codes, capital, memberships and partnerships over time, visible notes."""
    state = get_object_or_404(State, iso3=iso3.upper())
    timeline = selectors.state_timeline(state)
    notes = (
        CountryNote.objects.visible_to(request.user)
        .filter(state=state)
        .select_related(*LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH)
    )
    return render(request, "registry/state_detail.html", {"state": state, "notes": notes, **timeline})


@require_safe
def alliance(request: HttpRequest) -> HttpResponse:
    """Time travel: an organisation's members and partners on any date."""
    form = OnDateForm(request.GET or None)
    day = form.day()
    code = (form.cleaned_data.get("organisation") if form.is_valid() else "") or "NATO"
    organisation = get_object_or_404(Organisation, code=code.upper())
    rows = selectors.states_on(organisation.code, day)
    context = {
        "form": form,
        "day": day,
        "organisation": organisation,
        "organisations": Organisation.objects.all(),
        "members": [r for r in rows if r.status == "member"],
        "partners": [(f, [r for r in rows if r.status == f.code]) for f in organisation.frameworks.all()],
    }
    return render(request, "registry/alliance.html", context)


@require_safe
def alliance_map(request: HttpRequest) -> HttpResponse:
    """The world map coloured by members and partners, with a date slider."""
    return render(request, "registry/alliance_map.html", {"organisations": Organisation.objects.all()})


@require_safe
def note_list(request: HttpRequest) -> HttpResponse:
    filterset = CountryNoteFilter(
        request.GET,
        queryset=CountryNote.objects.visible_to(request.user)
        .select_related("state", *LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH),
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "registry/note_list.html", {"page": page, "filter": filterset})


@require_safe
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = access_or_404(CountryNote.objects.select_related("state", "label", "author"), request.user, pk=pk)
    context = {
        "note": note,
        "may_edit": _may(request.user, note, "change"),
        "may_delete": _may(request.user, note, "delete"),
    }
    return render(request, "registry/note_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def note_create(request: HttpRequest) -> HttpResponse:
    form = CountryNoteForm(request.POST or None, initial={"state": request.GET.get("state")}, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            note = services.country_note_create(
                acting_user=request.user,  # type: ignore[arg-type]
                state=form.cleaned_data["state"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                source=form.cleaned_data["source"],
                label=form.cleaned_data["marking"],
            )
        except ValidationError as exc:
            form.add_error("marking", exc.message_dict.get("label", exc.messages))
        else:
            messages.success(request, "Note recorded.")
            return redirect("registry:note-detail", pk=note.pk)
    return render(request, "registry/note_form.html", {"form": form})


def _may(user: User | AnonymousUser, note: CountryNote, action: str) -> bool:
    """Whether the write rule lets ``user`` take ``action`` on ``note`` (the SQL twin of the rule):
    the page offers Edit and Delete only where they would work."""
    return CountryNote.objects.editable_by(user, action).filter(pk=note.pk).exists()  # type: ignore[arg-type]


@require_http_methods(["GET", "HEAD", "POST"])
def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a note's title, body, source or label; a refusal is shown on the form (403)."""
    note = access_or_404(CountryNote.objects.select_related("state", "label"), request.user, pk=pk)
    form = CountryNoteEditForm(request.POST or None, instance=note, initial={"marking": note.label}, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in ("title", "body", "source")}
            if "marking" in form.changed_data:
                changes["label"] = form.cleaned_data["marking"]
            try:
                services.country_note_update(acting_user=request.user, note=note, **changes)  # type: ignore[arg-type]
            except WriteDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            except ValidationError as exc:
                form.add_error("marking", exc.message_dict.get("label", exc.messages))
            else:
                messages.success(request, "Note changed.")
                return redirect("registry:note-detail", pk=note.pk)
    context = {"form": form, "note": note, "may_edit": _may(request.user, note, "change")}
    return render(request, "registry/note_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then delete a note; a refusal is shown on the page (403) and nothing is deleted."""
    note = access_or_404(CountryNote.objects.select_related("state", "label"), request.user, pk=pk)
    refusal = ""
    if request.method == "POST":
        try:
            services.country_note_delete(acting_user=request.user, note=note)  # type: ignore[arg-type]
        except WriteDenied as exc:
            refusal = str(exc)
        else:
            messages.success(request, "Note deleted.")
            return redirect("registry:note-list")
    context = {"note": note, "refusal": refusal, "may_delete": _may(request.user, note, "delete")}
    return render(request, "registry/note_delete.html", context, status=403 if refusal else 200)
