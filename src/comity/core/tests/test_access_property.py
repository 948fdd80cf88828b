"""``decide`` (Python) and ``visible_to`` (SQL) agree on random users, labels and records."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comity.core.access import CategorySpec, CategoryType, LabelSpec, Subject, decide, nation_holdings
from comity.core.labels import label_get_or_create
from comity.core.models import ConfidentialityLabel, User
from comity.core.selectors import labels_visible_to, subject_for
from comity.core.services import user_grant_category, user_set_clearance
from comity.registry.models import CountryNote, State

NATIONS = ["NLD", "FIN", "SWE", "UKR", "AUT", "USA", "RUS", "MLT"]
GROUPS = ["NATO", "PFP", "EU", "MD"]
SPECIAL = ["ATOMAL", "CRYPTO", "SIOP"]
NATO_LEVELS = ["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET"]

rel_values = st.frozensets(st.sampled_from(NATIONS + GROUPS), min_size=1, max_size=3)
special_values = st.frozensets(st.sampled_from(SPECIAL), min_size=1, max_size=2)


@st.composite
def labels(draw: st.DrawFn) -> LabelSpec:
    if draw(st.booleans()) and draw(st.booleans()):
        return LabelSpec("PUBLIC", "UNMARKED", 0)
    rank = draw(st.integers(1, 5))
    categories = []
    if draw(st.booleans()):
        categories.append(CategorySpec("Releasable To", CategoryType.PERMISSIVE, draw(rel_values)))
    if draw(st.booleans()):
        categories.append(CategorySpec("Special Category Designators", CategoryType.RESTRICTIVE, draw(special_values)))
    if draw(st.booleans()):
        categories.append(CategorySpec("Administrative", CategoryType.INFORMATIVE, frozenset({"STAFF"})))
    return LabelSpec("NATO", NATO_LEVELS[rank - 1], rank, tuple(categories))


@st.composite
def subjects(draw: st.DrawFn) -> Subject:
    nation = draw(st.sampled_from([*NATIONS, None]))
    groups = draw(st.frozensets(st.sampled_from(GROUPS), max_size=3))
    clearance = draw(st.one_of(st.none(), st.integers(1, 5)))
    grants = draw(st.frozensets(st.sampled_from(SPECIAL), max_size=3))
    holdings = nation_holdings(nation, groups) | {("Special Category Designators", g) for g in grants}
    return Subject(nation, {"NATO": clearance} if clearance else {}, frozenset(holdings))


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subject=subjects(), specs=st.lists(labels(), min_size=1, max_size=6))
def test_sql_filter_agrees_with_decide(subject: Subject, specs: list[LabelSpec]) -> None:
    with transaction.atomic():
        stored = {label_get_or_create(spec).pk: spec for spec in specs}
        visible = set(labels_visible_to(subject).filter(pk__in=stored).values_list("pk", flat=True))
        expected = {pk for pk, spec in stored.items() if decide(subject, spec)}
        transaction.set_rollback(True)
    assert visible == expected


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    nation=st.sampled_from(NATIONS),
    level=st.one_of(st.none(), st.sampled_from(NATO_LEVELS)),
    grants=st.frozensets(st.sampled_from(SPECIAL), max_size=2),
    specs=st.lists(labels(), min_size=1, max_size=5),
)
def test_records_visible_to_user_match_decide(
    nation: str, level: str | None, grants: frozenset[str], specs: list[LabelSpec]
) -> None:
    """End to end: a real user, real records, the registry's group expansion."""
    with transaction.atomic():
        user = User.objects.create(username="prop", nationality=nation)
        if level:
            user_set_clearance(acting_user=None, user=user, policy="NATO", level=level)
        for grant in grants:
            user_grant_category(acting_user=None, user=user, tag_name="Special Category Designators", value=grant)
        state = State.objects.get(iso3="NLD")
        notes = [
            CountryNote.objects.create(state=state, title=f"n{i}", body="b", label=label_get_or_create(spec))
            for i, spec in enumerate(specs)
        ]
        subject = subject_for(User.objects.get(pk=user.pk))
        visible = set(CountryNote.objects.visible_to(user).values_list("pk", flat=True))
        expected = {n.pk for n in notes if decide(subject, ConfidentialityLabel.objects.get(pk=n.label_id).to_spec())}
        transaction.set_rollback(True)
    assert visible == expected
