"""Planner pages: edit an input, solve through the services, see the plan as a Gantt view.

The rotation page keeps the current and the previous plan in the session, so a what-if edit of
one offer shows what changed; either planner's accepted plan can be saved as dated engagements.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from comity.engagements import exporting
from comity.engagements.choices import EngagementKind
from comity.planning import selectors, services
from comity.planning.builder import BUILDERS, InputBuilder
from comity.planning.examples import EXAMPLE_BASELINES, EXAMPLE_TITLES, examples
from comity.planning.forms import PlanInputForm, PlanSaveForm, WhatIfForm
from comity.planning.gantt import calendar_gantt, rotation_gantt
from comity.planning.solvers import InputError

SESSION_KEY = "planning:{kind}"
DEFAULT_EXAMPLE = {"rotations": "rotation-sample", "calendar": "calendar-sample"}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "planning/home.html", {"examples": _examples_for("rotations")})


def _examples_for(kind: str) -> list[tuple[str, str]]:
    return [(key, title) for key, (page, title) in EXAMPLE_TITLES.items() if page == kind]


def _stored(request: HttpRequest, kind: str) -> dict[str, Any]:
    return dict(request.session.get(SESSION_KEY.format(kind=kind)) or {})


def _store(request: HttpRequest, solved: services.Solved) -> dict[str, Any] | None:
    """Keep the new plan as current and the old current one as previous; return the previous one."""
    key = SESSION_KEY.format(kind=solved.kind)
    previous = (request.session.get(key) or {}).get("current")
    request.session[key] = {"current": solved.as_session(), "previous": previous}
    return previous


def _page(request: HttpRequest, kind: str) -> HttpResponse:
    """GET shows the editors (an example, or the last input); POST solves pasted JSON or the input
    form, applies a what-if, or adds or removes a row of the input form."""
    stored = _stored(request, kind)
    every = examples()
    example = request.GET.get("example") or request.POST.get("example") or ""
    context: dict[str, Any] = {
        "kind": kind,
        "examples": _examples_for(kind),
        "example_data": {k: v for k, v in every.items() if EXAMPLE_TITLES[k][0] == kind},
    }
    solved: services.Solved | None = None
    whatif_form = WhatIfForm()
    builder_class = BUILDERS[kind]
    builder: InputBuilder | None = None
    shown_input: Any = stored["current"]["input"] if stored.get("current") else every[DEFAULT_EXAMPLE[kind]]
    form = PlanInputForm(initial={"data": _text(shown_input)})
    if request.method == "POST":
        action = request.POST.get("action", "solve")
        if action.startswith(("add:", "remove:")):
            builder = builder_class.resized(request.POST, action)
        elif action == "build":
            builder = builder_class(request.POST)
            if builder.is_valid():
                built = builder.json
                context["built_json"] = _text(built)
                form = PlanInputForm(initial={"data": _text(built)})
                solved = _solve(request, context, lambda: built)
        elif action == "whatif" and kind == "rotations" and stored.get("current"):
            whatif_form = WhatIfForm(request.POST)
            if whatif_form.is_valid():
                solved = _solve(
                    request,
                    context,
                    lambda: services.rotation_offer_edit(
                        stored["current"]["input"], offer=whatif_form.cleaned_data["offer"], **whatif_form.edits()
                    ),
                    compare_previous=True,
                )
                if solved is not None:
                    shown_input = solved.input
                    form = PlanInputForm(initial={"data": _text(solved.input)})
        elif example in every and EXAMPLE_TITLES[example][0] == kind:
            shown_input = every[example]
            form = PlanInputForm(initial={"data": _text(shown_input)})
            solved = _solve(request, context, lambda: every[example], baseline=EXAMPLE_BASELINES.get(example))
        else:
            form = PlanInputForm(request.POST)
            if form.is_valid():
                shown_input = form.cleaned_data["data"]
                solved = _solve(request, context, lambda: form.cleaned_data["data"])
        context["builder_open"] = action == "build" or action.startswith(("add:", "remove:"))
    else:
        if example in every and EXAMPLE_TITLES[example][0] == kind:
            shown_input = every[example]
        elif stored.get("current"):
            data, output = stored["current"]["input"], stored["current"]["output"]
            solved = services.Solved(kind, data, output, services.plan_violations(kind, data, output))
            context["shown"] = _shown(kind, solved, None, "")
        form = PlanInputForm(initial={"data": _text(shown_input)})
    if builder is None:
        builder = builder_class.from_input(shown_input)
        context["builder_partial"] = builder is None
        builder = builder or builder_class()
    save_form = PlanSaveForm(initial={"title_prefix": SAVERS[kind].suggested_name})
    context.update(form=form, whatif_form=whatif_form, save_form=save_form, solved=solved, builder=builder)
    return render(request, f"planning/{kind}.html", context)


def _text(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _solve(
    request: HttpRequest,
    context: dict[str, Any],
    data: Any,
    *,
    compare_previous: bool = False,
    baseline: tuple[str, Any] | None = None,
) -> Any:
    """Solve ``data()`` through the service; field errors go to ``context['errors']``.

    A what-if compares with the previous plan of the session; an example with a reference plan
    (the real rotations) compares with that.
    """
    kind = context["kind"]
    try:
        solved = services.plan_solve(kind=kind, data=data())
    except InputError as exc:
        context["errors"] = exc.errors
        return None
    previous = _store(request, solved)
    diff, against = None, ""
    if compare_previous and previous:
        diff, against = services.rotation_plan_diff(previous["output"], solved.output), "the previous plan"
    elif baseline is not None and solved.has_plan:
        against, build = baseline
        diff = services.rotation_plan_diff(build(solved.input), solved.output)
    context["shown"] = _shown(kind, solved, diff, against)
    return solved


def _shown(kind: str, solved: services.Solved, diff: services.PlanDiff | None, against: str) -> dict[str, Any]:
    gantt = rotation_gantt if kind == "rotations" else calendar_gantt
    args = (solved.input, solved.output, diff) if kind == "rotations" else (solved.input, solved.output)
    offers = solved.input.get("offers", []) if kind == "rotations" else []
    return {
        "output": solved.output,
        "has_plan": solved.has_plan,
        "violations": solved.violations,
        "gantt": gantt(*args),  # type: ignore[operator]
        "diff": diff,
        "diff_against": against,
        "offers": list(enumerate(offers)),
        "output_json": json.dumps(solved.output, indent=2, ensure_ascii=False),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def rotations(request: HttpRequest) -> HttpResponse:
    return _page(request, "rotations")


@require_http_methods(["GET", "HEAD", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    return _page(request, "calendar")


@require_safe
def saved_plans_ics(request: HttpRequest) -> HttpResponse:
    """The saved plans the user may see as an iCalendar feed (``?plan=<name>``: one plan).

    The engagement exports go by kind and have none for posture records, so the planner serves
    its own, with the calendar planner's exercises beside the rotations; it is marked like them
    (``exporting.to_ics``: the feed's bound and each event's label).
    """
    name = request.GET.get("plan", "")[:200]
    records = list(selectors.saved_plan_records(request.user, name=name))
    response = HttpResponse(exporting.to_ics(records), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="comity-plans.ics"'
    response["X-Comity-Marking"] = exporting.export_marking(records)
    return response


@dataclass(frozen=True)
class _Saver:
    """A planner's save: its service, the name its form suggests, the kind of records it makes."""

    save: Callable[..., services.SaveReport]
    suggested_name: str
    record_kind: str


SAVERS = {
    "rotations": _Saver(services.rotation_plan_save, "Rotation plan", EngagementKind.POSTURE),
    "calendar": _Saver(services.calendar_plan_save, "Exercise calendar", EngagementKind.EXERCISE),
}


def _save(request: HttpRequest, kind: str) -> HttpResponse:
    """Save the current plan of ``kind`` in the session through its service; the page says what
    was saved or why not."""
    page = f"planning:{kind}"
    form = PlanSaveForm(request.POST)
    plan = _stored(request, kind).get("current") or {}
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(page)
    saver = SAVERS[kind]
    try:
        report = saver.save(
            acting_user=request.user,  # type: ignore[arg-type]
            plan=plan,
            label=form.cleaned_data["marking"],
            title_prefix=form.cleaned_data["title_prefix"],
        )
    except services.PlanSaveError as exc:
        messages.error(request, str(exc))
        transaction.set_rollback(True)  # the refused write leaves nothing, not even its label
        return redirect(page)
    marking = report.label.marking if report.label else ""
    raised = (
        f" under the label {marking}, which covers the plan's sources"
        if report.label != form.cleaned_data["marking"]
        else ""
    )
    messages.success(
        request,
        f"Saved {len(report.created)} engagement(s){raised}; {len(report.unchanged)} were saved before.",
    )
    query = urlencode({"kind": saver.record_kind, "q": form.cleaned_data["title_prefix"].strip()})
    return redirect(f"{reverse('engagements:list')}?{query}")


@require_POST
def rotations_save(request: HttpRequest) -> HttpResponse:
    """Save the current rotation plan of the session as dated posture engagements."""
    return _save(request, "rotations")


@require_POST
def calendar_save(request: HttpRequest) -> HttpResponse:
    """Save the current exercise calendar of the session as dated exercises."""
    return _save(request, "calendar")
