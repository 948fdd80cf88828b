"""Fuzzing the planners' input: damaged examples are an ``InputError`` naming the field, never a crash.

Each example takes one of the shipped inputs (the samples and the Baltic Air Policing replan built
from the shipped records), replaces one value anywhere in it (by a scalar, a nested structure, a
huge number, deep nesting) and parses it. What the parser accepts must also be solvable without
an exception, which a few examples check with the solvers themselves.
"""

from __future__ import annotations

import contextlib
import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comity.core.testing.mutations import DEEP, json_text, json_values
from comity.core.testing.scale import scaled
from comity.planning.examples import CALENDAR_SAMPLE, ROTATION_SAMPLE, baltic_air_policing_replanned
from comity.planning.forms import PlanInputForm
from comity.planning.solvers import PLANNERS, InputError
from comity.planning.solvers.calendar_model import parse_calendar
from comity.planning.solvers.rotation_model import parse_rotations

PARSERS = {"rotations": parse_rotations, "calendar": parse_calendar}
SAMPLES = {"rotations": ROTATION_SAMPLE, "calendar": CALENDAR_SAMPLE}
FUZZ = settings(max_examples=scaled(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value (object keys and list positions), the root excluded."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


@st.composite
def damaged(draw: Any, sample: dict[str, Any]) -> dict[str, Any]:
    """The sample with one value replaced, or one key dropped."""
    data = copy.deepcopy(sample)
    *parents, last = draw(st.sampled_from(_paths(data)))
    holder = data
    for step in parents:
        holder = holder[step]
    if draw(st.booleans()) and isinstance(holder, dict):
        del holder[last]
    else:
        value = draw(json_values())
        holder[last] = [[[[]]]] * 3 if value is DEEP else value
    return data


@pytest.mark.parametrize("kind", list(PARSERS))
@FUZZ
@given(data=st.data())
def test_a_damaged_input_parses_or_names_its_fields(kind: str, data: st.DataObject) -> None:
    errors: dict[str, str] = {}
    try:
        PARSERS[kind](data.draw(damaged(SAMPLES[kind])))
    except InputError as exc:
        errors = exc.errors or {"": ""}
    assert all(path and message.startswith(path) for path, message in errors.items())


@settings(max_examples=scaled(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_baltic_air_policing_replan_damaged(data: st.DataObject) -> None:
    with contextlib.suppress(InputError):
        parse_rotations(data.draw(damaged(baltic_air_policing_replanned())))


@pytest.mark.parametrize("kind", list(PARSERS))
@settings(max_examples=scaled(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_the_parser_accepts_the_solver_runs(kind: str, data: st.DataObject) -> None:
    value = data.draw(damaged(SAMPLES[kind]))
    try:
        PARSERS[kind](value)
    except InputError:
        return
    if isinstance(value.get("solver"), dict):
        value["solver"].update(time_limit_s=0.5, num_workers=1)
    assert "status" in PLANNERS[kind](value)


@pytest.mark.parametrize("big", [10**30, 10**18, 2**63])
def test_numbers_no_solver_holds_are_input_errors(big: int) -> None:
    rotation = copy.deepcopy(ROTATION_SAMPLE)
    rotation["offers"][0]["aircraft"] = big
    rotation["solver"].update(seed=big, num_workers=big)
    with pytest.raises(InputError) as caught:
        parse_rotations(rotation)
    assert set(caught.value.errors) == {"offers[0].aircraft", "solver.seed", "solver.num_workers"}
    calendar = copy.deepcopy(CALENDAR_SAMPLE)
    calendar["nations"][0]["personnel_cap"] = big
    calendar["exercises"][0]["participants"]["LTU"] = big
    calendar["exercises"][1]["areas"] = [["DRAWSKO"]]
    with pytest.raises(InputError) as caught:
        parse_calendar(calendar)
    assert set(caught.value.errors) == {
        "nations[0].personnel_cap",
        "exercises[0].participants.LTU",
        "exercises[1].areas[0]",
    }


@FUZZ
@given(value=json_values())
def test_the_input_form_never_raises(value: Any) -> None:
    PlanInputForm(data={"data": json_text({"periods": value})}).is_valid()


def test_the_input_form_refuses_deep_nesting() -> None:
    deep = PlanInputForm(data={"data": json_text([DEEP])})
    assert not deep.is_valid() and "nested" in str(deep.errors) and "deep" in str(deep.errors)
