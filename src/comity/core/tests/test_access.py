"""The pure access decision, case by case."""

from comity.core.access import CategorySpec, CategoryType, LabelSpec, Subject, decide, nation_holdings

REL = "Releasable To"


def label(policy: str = "NATO", rank: int = 2, *categories: CategorySpec) -> LabelSpec:
    return LabelSpec(policy, "X", rank, tuple(categories))


def subject(nation: str | None = "NLD", nato: int | None = 4, groups: frozenset[str] = frozenset({"NATO"})) -> Subject:
    clearances = {"NATO": nato} if nato is not None else {}
    return Subject(nation, clearances, nation_holdings(nation, groups))


def test_public_is_open_to_anyone_signed_in() -> None:
    assert decide(Subject(None), LabelSpec("PUBLIC", "UNMARKED", 0))


def test_classification_needs_clearance_in_the_policy_at_or_above() -> None:
    assert decide(subject(nato=2), label(rank=2))
    assert not decide(subject(nato=1), label(rank=2))
    assert not decide(subject(nato=None), label(rank=1))
    assert not decide(subject(), label(policy="DEU", rank=1))


def test_permissive_needs_one_value() -> None:
    rel = CategorySpec(REL, CategoryType.PERMISSIVE, frozenset({"FIN", "NLD"}))
    assert decide(subject("NLD"), label("NATO", 2, rel))
    assert not decide(subject("DEU"), label("NATO", 2, rel))


def test_permissive_group_value_matches_current_members() -> None:
    rel = CategorySpec(REL, CategoryType.PERMISSIVE, frozenset({"NATO"}))
    assert decide(subject("FIN", groups=frozenset({"NATO", "EU"})), label("NATO", 2, rel))
    assert not decide(subject("FIN", groups=frozenset({"PFP", "EU"})), label("NATO", 2, rel))


def test_restrictive_needs_every_value() -> None:
    special = CategorySpec("Special Category Designators", CategoryType.RESTRICTIVE, frozenset({"ATOMAL", "CRYPTO"}))
    one = Subject("NLD", {"NATO": 4}, frozenset({("Special Category Designators", "ATOMAL")}))
    both = Subject("NLD", {"NATO": 4}, one.holdings | {("Special Category Designators", "CRYPTO")})
    assert not decide(one, label("NATO", 2, special))
    assert decide(both, label("NATO", 2, special))


def test_informative_does_not_restrict() -> None:
    admin = CategorySpec("Administrative", CategoryType.INFORMATIVE, frozenset({"STAFF"}))
    assert decide(subject(), label("NATO", 2, admin))


def test_tag_names_keep_values_apart() -> None:
    only = CategorySpec("Context", CategoryType.PERMISSIVE, frozenset({"NLD"}))
    assert not decide(subject("NLD"), label("NATO", 2, only))
