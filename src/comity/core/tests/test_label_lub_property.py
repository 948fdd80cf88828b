"""``high_water_mark`` is the least upper bound of labels: whoever may read it may read every input.

The properties run without the database, over a fixed group membership; one test stores the
bounds of real labels to show that they pass ``validate_spec`` with the registry's expansion.
"""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comity.core.access import CategorySpec, CategoryType, LabelSpec, Subject, decide, nation_holdings
from comity.core.labels import high_water_mark, label_get_or_create, parse_marking, render_marking
from comity.core.testing.scale import scaled
from comity.registry.selectors import group_members

#: A fixed membership: NATO and PFP share no nation (as today), EU overlaps both, ICI is empty.
MEMBERS: dict[str, frozenset[str]] = {
    "NATO": frozenset({"NLD", "FIN", "SWE", "USA", "TUR"}),
    "PFP": frozenset({"AUT", "MLT", "UKR", "IRL", "CHE"}),
    "EU": frozenset({"NLD", "FIN", "SWE", "AUT", "MLT", "IRL"}),
    "MD": frozenset({"DZA", "EGY"}),
    "PATG": frozenset({"AUS", "JPN"}),
    "ICI": frozenset(),
}
NATIONS = sorted(set().union(*MEMBERS.values()) | {"RUS"})
NATO_LEVELS = ["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET"]
SPECIAL = ["ATOMAL", "CRYPTO", "SIOP", "BOHEMIA"]
CONTEXT = ["NATO", "EAPC", "PFP", "KFOR"]


def expand(group: str) -> frozenset[str]:
    return MEMBERS[group]


def lub(specs: list[LabelSpec]) -> LabelSpec:
    result = high_water_mark(specs, expand=expand)
    assert result is not None
    return result


nation_values = st.frozensets(st.sampled_from(NATIONS + sorted(MEMBERS)), min_size=1, max_size=4)


@st.composite
def labels(draw: st.DrawFn) -> LabelSpec:
    if draw(st.integers(0, 4)) == 0:
        informative = draw(st.booleans())
        categories = (CategorySpec("In Confidence", CategoryType.INFORMATIVE, frozenset({"STAFF"})),)
        return LabelSpec("PUBLIC", "UNMARKED", 0, categories if informative else ())
    rank = draw(st.integers(1, 5))
    categories = []
    if draw(st.integers(0, 3)):
        categories.append(CategorySpec("Releasable To", CategoryType.PERMISSIVE, draw(nation_values)))
    if draw(st.integers(0, 3)) == 0:
        categories.append(CategorySpec("Only", CategoryType.PERMISSIVE, draw(nation_values)))
    if draw(st.booleans()):
        special = draw(st.frozensets(st.sampled_from(SPECIAL), min_size=1, max_size=2))
        categories.append(CategorySpec("Special Category Designators", CategoryType.RESTRICTIVE, special))
    if draw(st.integers(0, 3)) == 0:
        context = draw(st.frozensets(st.sampled_from(CONTEXT), min_size=1, max_size=3))
        categories.append(CategorySpec("Context", CategoryType.PERMISSIVE, context))
    if draw(st.integers(0, 3)) == 0:
        categories.append(CategorySpec("Administrative", CategoryType.INFORMATIVE, frozenset({"MANAGEMENT"})))
    return LabelSpec("NATO", NATO_LEVELS[rank - 1], rank, tuple(categories))


@st.composite
def subjects(draw: st.DrawFn) -> list[Subject]:
    """Subjects as ``subject_for`` builds them, one of every nationality (and none) with the same
    random clearance and grants: a nation's groups come from the same membership; grants are
    under tags that are not nation-valued (``user_grant_category`` refuses those)."""
    clearance = draw(st.one_of(st.none(), st.integers(1, 5)))
    special = draw(st.frozensets(st.sampled_from(SPECIAL)))
    context = draw(st.frozensets(st.sampled_from(CONTEXT)))
    grants = {("Special Category Designators", v) for v in special} | {("Context", v) for v in context}
    return [
        Subject(
            nation,
            {"NATO": clearance} if clearance else {},
            nation_holdings(nation, {g for g, members in MEMBERS.items() if nation in members}) | grants,
        )
        for nation in [*NATIONS, None]
    ]


def every_nation_and_clearance() -> list[Subject]:
    """Every nationality at every clearance, holding every grant: the widest readers there are."""
    grants = {("Special Category Designators", v) for v in SPECIAL} | {("Context", v) for v in CONTEXT}
    return [
        Subject(nation, {"NATO": 5}, nation_holdings(nation, {g for g, m in MEMBERS.items() if nation in m}) | grants)
        for nation in NATIONS
    ]


inputs = st.lists(labels(), min_size=2, max_size=3)


@settings(max_examples=scaled(400), deadline=None)
@given(specs=inputs, readers=subjects())
def test_every_reader_of_the_bound_reads_every_input(specs: list[LabelSpec], readers: list[Subject]) -> None:
    bound = lub(specs)
    for subject in readers:
        if decide(subject, bound):
            assert all(decide(subject, spec) for spec in specs), (subject.nation, render_marking(bound))


@settings(max_examples=200, deadline=None)
@given(specs=inputs)
def test_the_bound_does_not_depend_on_the_order_of_its_inputs(specs: list[LabelSpec]) -> None:
    bounds = {lub(list(order)) for order in itertools.permutations(specs)}
    assert len(bounds) == 1


@settings(max_examples=200, deadline=None)
@given(spec=labels(), others=st.lists(labels(), max_size=2))
def test_the_bound_is_idempotent(spec: LabelSpec, others: list[LabelSpec]) -> None:
    assert lub([spec, spec]) == lub([spec])
    assert lub([spec, *others, spec, *others]) == lub([spec, *others])
    for subject in every_nation_and_clearance():
        assert decide(subject, lub([spec])) == decide(subject, spec)


@settings(max_examples=200, deadline=None)
@given(specs=inputs)
def test_nations_in_every_input_keep_reading(specs: list[LabelSpec]) -> None:
    """Least, not just upper: a fully cleared national of a nation every input releases to
    still reads the bound, unless a non-nation category leaves no common value."""
    context_sets = [c.values for s in specs for c in s.categories if c.tag_name == "Context"]
    if context_sets and not frozenset.intersection(*context_sets):
        return
    for subject in every_nation_and_clearance():
        if all(decide(subject, spec) for spec in specs):
            assert decide(subject, lub(specs))


def _spec(policy: str, level: str, rank: int, **tags: frozenset[str]) -> LabelSpec:
    names = {"rel": ("Releasable To", CategoryType.PERMISSIVE), "only": ("Only", CategoryType.PERMISSIVE)}
    categories = tuple(CategorySpec(*names[key], values) for key, values in tags.items())
    return LabelSpec(policy, level, rank, categories)


def test_a_move_from_pfp_to_nato_is_readable_by_neither_list_alone() -> None:
    old = _spec("NATO", "RESTRICTED", 2, rel=frozenset({"PFP"}))
    new = _spec("NATO", "RESTRICTED", 2, rel=frozenset({"NATO"}))
    bound = lub([old, new])
    assert bound == lub([new, old])
    assert render_marking(bound) == "NATO RESTRICTED PFP ONLY REL TO NATO"
    assert not any(decide(subject, bound) for subject in every_nation_and_clearance())


def test_overlapping_lists_meet_at_their_common_nations() -> None:
    bound = lub(
        [_spec("NATO", "SECRET", 4, rel=frozenset({"NATO"})), _spec("NATO", "SECRET", 4, rel=frozenset({"FIN", "UKR"}))]
    )
    assert render_marking(bound) == "NATO SECRET REL TO FIN"
    eu_and_nato = lub(
        [
            _spec("NATO", "SECRET", 4, rel=frozenset({"NATO", "UKR"})),
            _spec("NATO", "SECRET", 4, rel=frozenset({"EU", "UKR"})),
        ]
    )
    assert render_marking(eu_and_nato) == "NATO SECRET REL TO FIN, NLD, SWE, UKR"


def test_lowering_secret_to_restricted_stays_secret() -> None:
    bound = lub([_spec("NATO", "SECRET", 4), _spec("NATO", "RESTRICTED", 2)])
    assert (bound.classification, bound.rank) == ("SECRET", 4)
    assert lub([LabelSpec("PUBLIC", "UNMARKED", 0), _spec("NATO", "RESTRICTED", 2)]).classification == "RESTRICTED"


def test_labels_of_two_national_policies_have_no_bound() -> None:
    from comity.core.labels import LabelError

    with pytest.raises(LabelError, match="policies"):
        lub([_spec("NATO", "SECRET", 4), _spec("FIN", "SALAINEN", 3)])
    assert high_water_mark([], expand=expand) is None


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(markings=st.lists(st.sampled_from([
    "PUBLIC", "NATO UNCLASSIFIED", "NATO RESTRICTED REL TO PFP", "NATO SECRET REL TO NATO",
    "NATO CONFIDENTIAL REL TO FIN, SWE", "NATO SECRET REL TO EU", "NATO RESTRICTED REL TO MD, UKR",
    "COSMIC TOP SECRET REL TO USA",
]), min_size=2, max_size=3))  # fmt: skip
def test_bounds_of_stored_labels_pass_validation(markings: list[str]) -> None:
    """With the registry's real membership, every bound is a label the policy accepts."""
    today = timezone.localdate()
    bound = high_water_mark([parse_marking(m) for m in markings], expand=lambda g: group_members(g, today))
    with transaction.atomic():
        assert label_get_or_create(bound).marking == render_marking(bound)  # type: ignore[arg-type]
        transaction.set_rollback(True)


def test_the_banner_names_each_policy_when_no_single_label_covers_the_page() -> None:
    from comity.core.banner import page_bound

    nato = _spec("NATO", "SECRET", 4, rel=frozenset({"NATO"}))
    national = _spec("FIN", "SALAINEN", 3)
    assert page_bound([nato, national, LabelSpec("PUBLIC", "UNMARKED", 0)], expand) == (
        "FIN SALAINEN + NATO SECRET REL TO NATO",
        nato,
    )
    assert page_bound([nato, _spec("NATO", "SECRET", 4, rel=frozenset({"FIN"}))], expand)[0] == "NATO SECRET REL TO FIN"
    assert page_bound([], expand) == ("PUBLIC", None)


@pytest.mark.django_db
def test_nation_values_cannot_be_granted() -> None:
    """The bound relies on nation tags being held through nationality only."""
    from comity.core.services import UserError, user_grant_category
    from comity.core.testing.factories import make_user

    user = make_user("SWE", username="granted")
    with pytest.raises(UserError, match="nationality"):
        user_grant_category(acting_user=None, user=user, tag_name="Releasable To", value="FIN")
    assert user_grant_category(acting_user=None, user=user, tag_name="Context", value="NATO").value == "NATO"
