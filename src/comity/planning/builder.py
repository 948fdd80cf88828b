"""The planner input as a form: rows of nations, bases, periods and exercises, days as dates.

The planners take JSON (docs/planning.md). This form builds the same JSON, so a planner who does
not write JSON by hand fills rows instead, sees the JSON it makes and may copy it. Each table is a
Django formset; rows are added and removed by posting the form back (htmx swaps only the form,
and the page works without it). Every row is optional, so a blank or removed row is skipped.

Values are checked here, beside their field (a period that no period row names, an exercise
start outside the calendar, a number too large); the solver checks the JSON again as it checks
pasted JSON, and anything only it finds is listed by path as for pasted input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from django import forms

from comity.planning.periods import FIRST_DAY, LAST_DAY, period_dates
from comity.planning.solvers.calendar_model import MAX_WEEKS
from comity.planning.solvers.fields import MAX_INTEGER, InputError
from comity.planning.solvers.settings import MAX_TIME_LIMIT_S
from comity.registry.models import State

#: The most rows one table takes (the real-data example has 37 offers).
MAX_ROWS = 200
#: The settings form's prefix; the tables use their own names.
SETTINGS = "settings"
_ID = r"^[A-Za-z0-9][A-Za-z0-9 ._/-]*$"


class DateInput(forms.DateInput):
    """A browser date picker; the value is an ISO day either way."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _day(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def _count(label: str, *, minimum: int = 1, required: bool = True, initial: int | None = None) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=minimum, max_value=MAX_INTEGER, required=required, initial=initial)


def _ident(label: str, *, required: bool = True) -> forms.RegexField:
    return forms.RegexField(
        _ID,
        label=label,
        max_length=40,
        required=required,
        error_messages={"invalid": "Letters, digits, spaces and . _ / - only, starting with a letter or digit."},
    )


def _nation(label: str = "Nation") -> forms.RegexField:
    return forms.RegexField(
        r"^[A-Za-z]{3}$",
        label=label,
        max_length=3,
        error_messages={"invalid": "An ISO 3166 alpha-3 code, e.g. DEU."},
        widget=forms.TextInput(attrs={"size": 4}),
    )


def _list(text: str) -> list[str]:
    """``"a, b; c"`` as ``["a", "b", "c"]``, repeats dropped."""
    return list(dict.fromkeys(part.strip() for part in re.split(r"[,;]", text) if part.strip()))


class Row(forms.Form):
    """A table row: each field is labelled for screen readers, as the table's header is not."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))

    def value(self, name: str) -> Any:
        return self.cleaned_data.get(name)


class RowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """Rows that are all optional: none is an "initial" one that must be filled."""

    def initial_form_count(self) -> int:
        return 0

    def rows(self) -> list[Row]:
        """The filled, valid rows in order (after ``is_valid``)."""
        return [form for form in self.forms if form.has_changed() and form.is_valid() and form.cleaned_data]


# -- rotations ----------------------------------------------------------------------------------


class RotationSettingsForm(forms.Form):
    min_gap = _count("Periods between two rotations of one nation", minimum=0, initial=0)
    time_limit_s = forms.FloatField(
        label="Time limit (s)", min_value=0.1, max_value=MAX_TIME_LIMIT_S, initial=10, widget=forms.NumberInput()
    )
    derived_from = forms.CharField(
        label="Derived from (record keys, optional)",
        required=False,
        max_length=1000,
        help_text="Keys of the records the offers come from, comma-separated; a saved plan is labelled at least as "
        "they are.",
    )


class PeriodRow(Row):
    id = _ident("Period")
    start = _day("First day")
    end = _day("Last day")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("start", "end"):
            day = data.get(name)
            if day is not None and not FIRST_DAY <= day <= LAST_DAY:
                self.add_error(name, f"Give a day from {FIRST_DAY} to {LAST_DAY}.")
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The last day comes before the first.")
        return data


class BaseRow(Row):
    id = _ident("Base id")
    name = forms.CharField(label="Name", max_length=80, required=False)
    host = _nation("Host")
    min_aircraft = _count("Aircraft needed")
    lead_required = forms.BooleanField(label="Needs a lead nation", required=False)


class OfferRow(Row):
    nation = _nation()
    periods = forms.CharField(label="Periods offered", max_length=2000, help_text="Period ids, comma-separated")
    bases = forms.CharField(label="Bases", max_length=2000, help_text="Base ids, comma-separated")
    aircraft = _count("Aircraft")
    max_rotations = _count("Most rotations", required=False)
    can_lead = forms.BooleanField(label="Can lead", required=False)
    preferred_base = forms.CharField(label="Preferred base", max_length=40, required=False)


# -- exercise calendar --------------------------------------------------------------------------


class CalendarSettingsForm(forms.Form):
    calendar_start = _day("Week 1 starts")
    planning_date = _day("Planning date (notice counts from it)", required=False)
    weeks = forms.IntegerField(label="Weeks planned", min_value=1, max_value=MAX_WEEKS, initial=52)
    time_limit_s = forms.FloatField(label="Time limit (s)", min_value=0.1, max_value=MAX_TIME_LIMIT_S, initial=10)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("calendar_start", "planning_date"):
            day = data.get(name)
            if day is not None and not FIRST_DAY <= day <= LAST_DAY:
                self.add_error(name, f"Give a day from {FIRST_DAY} to {LAST_DAY}.")
        return data


class NationRow(Row):
    id = _ident("Nation")
    personnel_cap = _count("Personnel cap")
    blackout_from = _day("Blackout from", required=False)
    blackout_to = _day("Blackout to", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("blackout_from"), data.get("blackout_to")
        if (first is None) != (last is None) and not self.errors:
            self.add_error("blackout_to" if first else "blackout_from", "Give both days of the blackout, or neither.")
        elif first and last and last < first:
            self.add_error("blackout_to", "The blackout ends before it starts.")
        return data


class AreaRow(Row):
    id = _ident("Training area")
    capacity = _count("Exercises at once")


class ExerciseRow(Row):
    id = _ident("Exercise")
    name = forms.CharField(label="Name", max_length=120, required=False)
    duration_weeks = forms.IntegerField(label="Weeks", min_value=1, max_value=MAX_WEEKS)
    participants = forms.CharField(
        label="Participants", max_length=2000, help_text="Nation:personnel, comma-separated, e.g. DEU:1500, LTU:2000"
    )
    areas = forms.CharField(label="Areas", max_length=2000, required=False, help_text="Area ids, comma-separated")
    earliest_start = _day("Not before", required=False)
    latest_end = _day("Over by", required=False)
    preferred_start = _day("Preferred start", required=False)
    priority = _count("Priority", required=False)
    tanks = _count("Battle tanks", minimum=0, required=False)
    acvs = _count("Armoured vehicles", minimum=0, required=False)
    artillery = _count("Artillery", minimum=0, required=False)
    optional = forms.BooleanField(label="Optional", required=False)

    def clean_participants(self) -> dict[str, int]:
        people: dict[str, int] = {}
        for part in _list(self.cleaned_data["participants"]):
            nation, _, count = part.partition(":")
            try:
                number = int(count.strip())
            except ValueError:
                number = 0
            if not nation.strip() or not 1 <= number <= MAX_INTEGER:
                raise forms.ValidationError(f"Write nation:personnel, personnel from 1 to {MAX_INTEGER} ({part!r}).")
            people[nation.strip()] = number
        if not people:
            raise forms.ValidationError("Name at least one nation.")
        return people


class PrecedenceRow(Row):
    before = _ident("Runs before")
    after = _ident("This one")


# -- the builders -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    prefix: str
    title: str
    row: type[Row]
    #: Whether the input needs at least one row of it.
    required: bool = True


class InputBuilder:
    """One planner's input form: its settings and its tables, bound to a POST or filled with rows."""

    kind: ClassVar[str]
    settings_form: ClassVar[type[forms.Form]]
    tables: ClassVar[tuple[Table, ...]]

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        rows: Mapping[str, list[dict[str, Any]]] | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        self.bound = data is not None
        self.settings = self.settings_form(data, prefix=SETTINGS, initial=settings)
        self.sections = []
        for table in self.tables:
            initial = list((rows or {}).get(table.prefix, []))
            formset_class = forms.formset_factory(
                table.row,
                formset=RowFormSet,
                extra=0 if data is not None else max(len(initial), 1),
                max_num=MAX_ROWS,
                absolute_max=MAX_ROWS,
                validate_max=True,
            )
            formset = formset_class(data, prefix=table.prefix, initial=initial or None)
            self.sections.append((table, formset))
        self.json: dict[str, Any] | None = None

    def formset(self, prefix: str) -> RowFormSet:
        return next(formset for table, formset in self.sections if table.prefix == prefix)

    def is_valid(self) -> bool:
        """Every field and row valid, and the rows agree with one another; builds ``self.json``.

        The rows are checked against one another (an offer's periods against the period rows)
        even when some row has an error of its own, so one submission names every problem.
        """
        self.settings.is_valid()
        for table, formset in self.sections:
            formset.is_valid()
            if table.required and not any(form.has_changed() for form in formset.forms):
                message = f"Fill at least one row of {table.title.lower()}."
                formset._non_form_errors = formset.error_class([message, *formset.non_form_errors()])  # type: ignore[attr-defined]
        built = self.build() if self.settings.is_valid() else None
        if built is None or not all(formset.is_valid() for _, formset in self.sections):
            return False
        self.json = built
        return True

    def named(self, prefix: str, name: str) -> list[str]:
        """The values of ``name`` in every filled row of a table, the rows with errors included
        (a period row with a bad date still names its period for the offers)."""
        formset = self.formset(prefix)
        return [str(f.cleaned_data[name]) for f in formset.forms if f.has_changed() and name in f.cleaned_data]

    def build(self) -> dict[str, Any]:
        """The input JSON of the valid rows; an error found across rows goes beside its field."""
        raise NotImplementedError

    # -- rows from a POST or from JSON --------------------------------------------------------------

    @classmethod
    def resized(cls, data: Mapping[str, Any], action: str) -> InputBuilder:
        """The posted form with a row added (``add:<table>``) or removed (``remove:<table>:<n>``),
        shown again unchecked: a half-filled row is not an error yet."""
        rows = {table.prefix: _raw_rows(data, table) for table in cls.tables}
        verb, _, rest = action.partition(":")
        prefix, _, index = rest.partition(":")
        if prefix in rows and verb == "add" and len(rows[prefix]) < MAX_ROWS:
            rows[prefix].append({})
        elif prefix in rows and verb == "remove" and index.isdigit() and int(index) < len(rows[prefix]):
            del rows[prefix][int(index)]
        settings = {name: data.get(f"{SETTINGS}-{name}", "") for name in cls.settings_form.base_fields}
        return cls(rows=rows, settings=settings)

    @classmethod
    def from_input(cls, data: Any) -> InputBuilder | None:
        """The form filled from a JSON input, or ``None`` where the form cannot hold it."""
        try:
            rows, settings = cls.rows_of(data)
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            return None
        if any(len(table_rows) > MAX_ROWS for table_rows in rows.values()):
            return None
        return cls(rows=rows, settings=settings)

    @classmethod
    def rows_of(cls, data: Any) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
        """The rows and settings that show ``data``; raises where the form cannot hold it."""
        raise NotImplementedError


def _raw_rows(data: Mapping[str, Any], table: Table) -> list[dict[str, Any]]:
    """The rows as posted (text, unchecked), up to ``MAX_ROWS``; a tampered count reads as none."""
    try:
        total = min(max(int(data.get(f"{table.prefix}-TOTAL_FORMS", 0)), 0), MAX_ROWS)
    except (TypeError, ValueError):
        total = 0
    rows = []
    for i in range(total):
        row = {}
        for name, field in table.row.base_fields.items():
            key = f"{table.prefix}-{i}-{name}"
            row[name] = key in data if isinstance(field, forms.BooleanField) else data.get(key, "")
        rows.append(row)
    return rows


class RotationBuilder(InputBuilder):
    kind = "rotations"
    settings_form = RotationSettingsForm
    tables = (
        Table("periods", "Periods", PeriodRow),
        Table("bases", "Bases", BaseRow),
        Table("offers", "Offers", OfferRow),
    )

    def build(self) -> dict[str, Any]:
        periods, bases, offers = (self.formset(p).rows() for p in ("periods", "bases", "offers"))
        period_ids = _unique(periods, "id", "period")
        _unique(bases, "id", "base")
        codes = {_code(row, "host") for row in bases} | {_code(row, "nation") for row in offers}
        known = set(State.objects.filter(iso3__in=codes).values_list("iso3", flat=True))
        for row, name in [(row, "host") for row in bases] + [(row, "nation") for row in offers]:
            if _code(row, name) not in known:
                row.add_error(name, f"{_code(row, name)} is not a state in the registry.")
        built_offers = []
        known_periods, known_bases = self.named("periods", "id"), self.named("bases", "id")
        for row in offers:
            offer_periods = _members(row, "periods", known_periods, "period")
            offer_bases = _members(row, "bases", known_bases, "base")
            offer: dict[str, Any] = {
                "nation": _code(row, "nation"),
                "periods": offer_periods,
                "bases": offer_bases,
                "aircraft": row.value("aircraft"),
                "can_lead": row.value("can_lead"),
            }
            if row.value("max_rotations") is not None:
                offer["max_rotations"] = row.value("max_rotations")
            preferred = (row.value("preferred_base") or "").strip()
            if preferred and preferred not in offer_bases:
                row.add_error("preferred_base", "Choose one of the offer's bases.")
            elif preferred:
                offer["preference"] = {preferred: 1}
            built_offers.append(offer)
        settings = self.settings.cleaned_data
        built: dict[str, Any] = {
            "periods": period_ids,
            "period_dates": {
                row.value("id"): {"start": row.value("start").isoformat(), "end": row.value("end").isoformat()}
                for row in periods
            },
            "bases": [
                {
                    "id": row.value("id"),
                    "host": _code(row, "host"),
                    "min_aircraft": row.value("min_aircraft"),
                    "lead_required": row.value("lead_required"),
                    **({"name": row.value("name")} if row.value("name") else {}),
                }
                for row in bases
            ],
            "offers": built_offers,
            "rules": {"min_gap_periods_same_nation": settings["min_gap"]},
            "solver": {"time_limit_s": _seconds(settings["time_limit_s"])},
        }
        if _list(settings["derived_from"]):
            built["derived_from"] = _list(settings["derived_from"])
        self._check_order(periods, built)
        return built

    def _check_order(self, periods: list[Row], built: dict[str, Any]) -> None:
        """Periods in order and not overlapping, as ``period_dates`` requires: said beside the row."""
        try:
            period_dates(built)
        except InputError as exc:
            by_id = {row.value("id"): row for row in periods}
            for path, message in exc.errors.items():
                period = path.removeprefix("period_dates.").rsplit(".", 1)[0]
                if period in by_id:
                    problem = message.removeprefix(f"{path} ")
                    by_id[period].add_error("start", f"{problem[:1].upper()}{problem[1:]}.")

    @classmethod
    def rows_of(cls, data: Any) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
        try:
            spans: dict[str, tuple[date, date]] = period_dates(data)
        except InputError:
            spans = {}
        rows = {
            "periods": [
                {"id": p, "start": spans.get(p, (None, None))[0], "end": spans.get(p, (None, None))[1]}
                for p in data["periods"]
            ],
            "bases": [
                {
                    "id": b["id"],
                    "name": b.get("name", ""),
                    "host": b["host"],
                    "min_aircraft": b["min_aircraft"],
                    "lead_required": bool(b.get("lead_required")),
                }
                for b in data["bases"]
            ],
            "offers": [
                {
                    "nation": o["nation"],
                    "periods": ", ".join(o["periods"]),
                    "bases": ", ".join(o["bases"]),
                    "aircraft": o["aircraft"],
                    "max_rotations": o.get("max_rotations"),
                    "can_lead": bool(o.get("can_lead")),
                    "preferred_base": _favourite(o.get("preference") or {}),
                }
                for o in data["offers"]
            ],
        }
        derived = data.get("derived_from") or []
        settings = {
            "min_gap": (data.get("rules") or {}).get("min_gap_periods_same_nation", 0),
            "time_limit_s": (data.get("solver") or {}).get("time_limit_s", 10),
            "derived_from": ", ".join(derived) if isinstance(derived, list) else "",
        }
        return rows, settings


def _code(row: Row, name: str) -> str:
    """A nation code in capitals; empty once an error has taken the field out of the row."""
    return str(row.value(name) or "").upper()


def _favourite(preference: dict[str, int]) -> str:
    """The base an offer prefers most (the form keeps one preferred base)."""
    return max(preference, key=lambda base: preference[base]) if preference else ""


def _seconds(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _unique(rows: list[Row], name: str, what: str) -> list[str]:
    seen: list[str] = []
    for row in rows:
        value = row.value(name)
        if value in seen:
            row.add_error(name, f"Another row already has {what} {value}.")
        else:
            seen.append(value)
    return seen


def _members(row: Row, name: str, known: list[str], what: str) -> list[str]:
    values = _list(row.value(name))
    unknown = [value for value in values if value not in known]
    if unknown:
        row.add_error(name, f"Not a {what} of the table above: {', '.join(unknown[:5])}.")
    if not values:
        row.add_error(name, f"Name at least one {what}.")
    return values


class CalendarBuilder(InputBuilder):
    kind = "calendar"
    settings_form = CalendarSettingsForm
    tables = (
        Table("nations", "Nations", NationRow),
        Table("areas", "Training areas", AreaRow),
        Table("exercises", "Exercises", ExerciseRow),
        Table("precedences", "Order (optional)", PrecedenceRow, required=False),
    )

    def build(self) -> dict[str, Any]:
        settings = self.settings.cleaned_data
        start, weeks = settings["calendar_start"], settings["weeks"]
        week_of = _weeks(start, weeks)
        nations, areas = self.formset("nations").rows(), self.formset("areas").rows()
        exercises = self.formset("exercises").rows()
        precedences = self.formset("precedences").rows()
        _unique(nations, "id", "nation"), _unique(areas, "id", "area"), _unique(exercises, "id", "exercise")
        nation_ids, area_ids = self.named("nations", "id"), self.named("areas", "id")
        exercise_ids = self.named("exercises", "id")
        built_nations = []
        for row in nations:
            nation: dict[str, Any] = {"id": row.value("id"), "personnel_cap": row.value("personnel_cap")}
            if row.value("blackout_from"):
                blackout = _blackout(row, start, weeks)
                if blackout:
                    nation["blackout_weeks"] = blackout
            built_nations.append(nation)
        built_exercises = []
        for row in exercises:
            exercise: dict[str, Any] = {
                "id": row.value("id"),
                "duration_weeks": row.value("duration_weeks"),
                "participants": row.value("participants"),
                "areas": _members(row, "areas", area_ids, "training area") if row.value("areas") else [],
            }
            unknown = [n for n in row.value("participants") if n not in nation_ids]
            if unknown:
                row.add_error("participants", f"Not a nation of the table above: {', '.join(unknown[:5])}.")
            if row.value("name"):
                exercise["name"] = row.value("name")
            for field, key in (
                ("earliest_start", "earliest_start_week"),
                ("latest_end", "latest_end_week"),
                ("preferred_start", "preferred_start_week"),
            ):
                if row.value(field) is not None:
                    week = week_of(row, field)
                    if week is not None:
                        exercise[key] = week
            for field in ("priority", "tanks", "acvs", "artillery"):
                if row.value(field) is not None:
                    exercise[field] = row.value(field)
            if row.value("duration_weeks") > weeks:
                row.add_error("duration_weeks", f"At most the {weeks} weeks planned.")
            if row.value("optional"):
                exercise["optional"] = True
            built_exercises.append(exercise)
        for row in precedences:
            for name in ("before", "after"):
                if row.value(name) not in exercise_ids:
                    row.add_error(name, "Not an exercise of the table above.")
            if row.value("before") == row.value("after"):
                row.add_error("after", "Name two different exercises.")
        built: dict[str, Any] = {"calendar_start": start.isoformat()}
        if settings["planning_date"]:
            built["planning_date"] = settings["planning_date"].isoformat()
        built.update(
            weeks=weeks,
            nations=built_nations,
            areas=[{"id": row.value("id"), "capacity": row.value("capacity")} for row in areas],
            exercises=built_exercises,
        )
        if precedences:
            built["precedences"] = [{"before": row.value("before"), "after": row.value("after")} for row in precedences]
        built["solver"] = {"time_limit_s": _seconds(settings["time_limit_s"])}
        return built

    @classmethod
    def rows_of(cls, data: Any) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
        start = date.fromisoformat(data["calendar_start"])

        def day(week: int | None, last: bool = False) -> date | None:
            return None if week is None else start + timedelta(weeks=week - 1, days=6 if last else 0)

        nations = []
        for n in data["nations"]:
            blackout = sorted(n.get("blackout_weeks") or [])
            if blackout and blackout != list(range(blackout[0], blackout[-1] + 1)):
                raise ValueError("the form holds one blackout span per nation")
            nations.append(
                {
                    "id": n["id"],
                    "personnel_cap": n["personnel_cap"],
                    "blackout_from": day(blackout[0]) if blackout else None,
                    "blackout_to": day(blackout[-1], last=True) if blackout else None,
                }
            )
        exercises = [
            {
                "id": x["id"],
                "name": x.get("name", ""),
                "duration_weeks": x["duration_weeks"],
                "participants": ", ".join(f"{n}:{p}" for n, p in x["participants"].items()),
                "areas": ", ".join(x.get("areas") or []),
                "earliest_start": day(x.get("earliest_start_week")),
                "latest_end": day(x.get("latest_end_week"), last=True),
                "preferred_start": day(x.get("preferred_start_week")),
                "priority": x.get("priority"),
                "tanks": x.get("tanks"),
                "acvs": x.get("acvs"),
                "artillery": x.get("artillery"),
                "optional": bool(x.get("optional")),
            }
            for x in data["exercises"]
        ]
        rows = {
            "nations": nations,
            "areas": [{"id": a["id"], "capacity": a["capacity"]} for a in data.get("areas") or []],
            "exercises": exercises,
            "precedences": [{"before": p["before"], "after": p["after"]} for p in data.get("precedences") or []],
        }
        settings = {
            "calendar_start": start,
            "planning_date": data.get("planning_date") or "",
            "weeks": data.get("weeks", 52),
            "time_limit_s": (data.get("solver") or {}).get("time_limit_s", 10),
        }
        return rows, settings


def _weeks(start: date, weeks: int) -> Callable[[Row, str], int | None]:
    """The week (1..``weeks``) a row's day falls in, or ``None`` with the error beside the field."""
    last = start + timedelta(weeks=weeks) - timedelta(days=1)

    def week_of(row: Row, field: str) -> int | None:
        day: date = row.value(field)
        if not start <= day <= last:
            row.add_error(field, f"Give a day from {start} (week 1) to {last} (week {weeks}).")
            return None
        return (day - start).days // 7 + 1

    return week_of


def _blackout(row: Row, start: date, weeks: int) -> list[int]:
    """The weeks a nation's blackout touches; an error beside it when it misses the calendar."""
    first, last = row.value("blackout_from"), row.value("blackout_to")
    touched = [
        w
        for w in range(1, weeks + 1)
        if first <= start + timedelta(weeks=w - 1, days=6) and start + timedelta(weeks=w - 1) <= last
    ]
    if not touched:
        row.add_error("blackout_from", "The blackout falls outside the weeks planned.")
    return touched


BUILDERS: dict[str, type[InputBuilder]] = {"rotations": RotationBuilder, "calendar": CalendarBuilder}

__all__ = ["BUILDERS", "MAX_ROWS", "CalendarBuilder", "InputBuilder", "RotationBuilder"]
