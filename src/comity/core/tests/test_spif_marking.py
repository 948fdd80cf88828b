"""Markings and validity rules read from SPIFs: the shipped NATO and PUBLIC policies, and a test
SPIF (``data/labels/rules.spif``) that uses every rule the shipped ones do not."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from comity.core.access import CategorySpec, CategoryType, LabelSpec
from comity.core.labels import LabelError, LabelPolicyError, label_get_or_create, render_marking
from comity.core.markings import display_marking, shipped_policies, validate_against_policy
from comity.core.spif_marking import read_spif_marking
from comity.data import PACKAGE_DATA

FIXTURES = Path(__file__).parent / "data" / "labels"
RULES = read_spif_marking(FIXTURES / "rules.spif")
P, R, INF = CategoryType.PERMISSIVE, CategoryType.RESTRICTIVE, CategoryType.INFORMATIVE


def cat(tag: str, kind: CategoryType, *values: str) -> CategorySpec:
    return CategorySpec(tag, kind, frozenset(values))


def nato(classification: str, *categories: CategorySpec) -> LabelSpec:
    return LabelSpec("NATO", classification, 0, categories)


def test_the_fixture_spif_is_valid_against_the_spif_schema() -> None:
    checker = etree.XMLSchema(etree.parse(str(PACKAGE_DATA / "labels" / "xmlspif.xsd")))
    assert checker.validate(etree.parse(str(FIXTURES / "rules.spif"))), checker.error_log


def test_the_nato_spif_gives_english_and_french_phrases_in_its_order() -> None:
    policy = shipped_policies()["NATO"]
    assert policy.oid == "1.3.26.1.3.1"
    restricted = policy.classification("RESTRICTED")
    assert restricted is not None
    assert restricted.marking.phrase("en", "?") == "RESTRICTED"
    assert restricted.marking.phrase("fr", "?") == "DIFFUSION RESTREINTE"
    assert [t.name for t in policy.tag_sets] == [
        "Special Category Designators",
        "Releasable To",
        "Administrative",
        "Context",
        "Only",
        "Limited",
    ]
    release = policy.tag_set("Releasable To")
    assert release is not None
    assert [v.name for v in release.values[:3]] == ["ALB", "BEL", "BGR"]
    assert release.qualifiers_for("en").prefix == "Releasable To"
    assert release.qualifiers_for("fr").separator == ", "
    only = policy.tag_set("Only")
    assert only is not None and only.qualifiers_for("en").suffix == "Only"


def test_the_portion_marking_is_not_a_page_phrase() -> None:
    unclassified = shipped_policies()["NATO"].classification("UNCLASSIFIED")
    assert unclassified is not None
    assert ("", "NU") not in unclassified.marking.phrases


def test_the_public_spif_hides_its_classification_and_suffixes_its_tag() -> None:
    policy = shipped_policies()["PUBLIC"]
    unmarked = policy.classification("UNMARKED")
    assert unmarked is not None and unmarked.marking.hidden
    assert display_marking(LabelSpec("PUBLIC", "UNMARKED", 0)) == "PUBLIC"
    confidence = cat("In Confidence", INF, "STAFF", "COMMERCIAL")
    assert (
        display_marking(LabelSpec("PUBLIC", "UNMARKED", 0, (confidence,))) == "PUBLIC COMMERCIAL, STAFF In Confidence"
    )


@pytest.mark.parametrize(
    ("spec", "en", "fr"),
    [
        (
            nato("RESTRICTED", cat("Releasable To", P, "JPN", "CHE", "UKR")),
            "NATO RESTRICTED Releasable To Switzerland, Ukraine, Japan",
            "NATO DIFFUSION RESTREINTE Releasable To Suisse, Ukraine, Japon",
        ),
        (nato("TOP SECRET"), "NATO TOP SECRET", "NATO TRES SECRET"),
        (
            nato("SECRET", cat("Only", P, "SWE", "FIN"), cat("Special Category Designators", R, "CRYPTO", "ATOMAL")),
            "NATO SECRET ATOMAL CRYPTO Finland, Sweden Only",
            "NATO SECRET ATOMAL CRYPTO Finlande, Suède Only",
        ),
        (
            nato("CONFIDENTIAL", cat("Releasable To", P, "EU", "NATO", "FIN"), cat("Context", P, "Releasable")),
            "NATO CONFIDENTIAL Releasable To Finland, NATO, EU",
            "NATO CONFIDENTIEL Releasable To Finlande, NATO, EU",
        ),
    ],
)
def test_display_marking_follows_the_nato_spif(spec: LabelSpec, en: str, fr: str) -> None:
    assert display_marking(spec) == en
    assert display_marking(spec, "fr") == fr


def test_the_compact_marking_is_unchanged() -> None:
    spec = nato("RESTRICTED", cat("Releasable To", P, "UKR", "JPN", "CHE"))
    assert render_marking(spec) == "NATO RESTRICTED REL TO CHE, JPN, UKR"
    assert display_marking(spec) == "NATO RESTRICTED Releasable To Switzerland, Ukraine, Japan"


def test_qualifiers_follow_the_language_and_hidden_values_are_left_out() -> None:
    spec = LabelSpec(
        "TEST",
        "SECRET",
        3,
        (cat("Administrative", INF, "STAFF", "DRAFT"), cat("Releasable To", P, "NOR", "SWE")),
    )
    assert display_marking(spec, policy=RULES) == "TEST SECRET Releasable To Sweden, Norway STAFF In Confidence"
    assert display_marking(spec, "fr", policy=RULES) == "ESSAI SECRET Diffusable à Suède / Norvège STAFF In Confidence"


def test_a_value_holding_a_line_break_stays_on_one_line() -> None:
    assert display_marking(nato("SECRET", cat("Releasable To", P, "A\nB"))) == "NATO SECRET Releasable To A B"


def test_a_policy_without_a_spif_is_marked_by_its_names() -> None:
    spec = LabelSpec("DEU", "GEHEIM", 1, (cat("Nur", P, "X"),))
    assert display_marking(spec) == "DEU GEHEIM Nur X"
    assert validate_against_policy(spec) == []


def test_the_shipped_spifs_hold_no_rule_a_valid_label_breaks() -> None:
    spec = nato("TOP SECRET", cat("Releasable To", P, "NATO"), cat("Special Category Designators", R, "ATOMAL"))
    assert validate_against_policy(spec) == []


def rules(classification: str, *categories: CategorySpec) -> list[str]:
    return validate_against_policy(LabelSpec("TEST", classification, 0, categories), policy=RULES)


RELEASE_SWE = cat("Releasable To", P, "SWE")


def test_a_valid_label_under_the_rules_has_no_reason() -> None:
    assert rules("SECRET", RELEASE_SWE, cat("Special Category Designators", R, "ATOMAL", "CRYPTO")) == []
    assert rules("UNCLASSIFIED") == []


@pytest.mark.parametrize(
    ("classification", "categories", "reason"),
    [
        ("SECRET", (), "SECRET requires at least one of any Releasable To value"),
        ("CONFIDENTIAL", (), "CONFIDENTIAL is obsolete in policy TEST"),
        (
            "UNCLASSIFIED",
            (cat("Special Category Designators", R, "ATOMAL"),),
            "Special Category Designators ATOMAL may not be used with UNCLASSIFIED",
        ),
        (
            "UNCLASSIFIED",
            (cat("Special Category Designators", R, "CRYPTO"),),
            "Special Category Designators CRYPTO may only be used with SECRET, not UNCLASSIFIED",
        ),
        (
            "SECRET",
            (RELEASE_SWE, cat("Special Category Designators", R, "CRYPTO"), cat("Administrative", INF, "STAFF")),
            "Special Category Designators CRYPTO may not be combined with any Administrative value",
        ),
        (
            "SECRET",
            (cat("Releasable To", P, "FIN"),),
            "Releasable To FIN requires exactly one of Administrative STAFF, Administrative MEDICAL",
        ),
        (
            "UNCLASSIFIED",
            (cat("Administrative", INF, "STAFF", "MEDICAL"),),
            "Administrative allows at most 1 value(s), not 2",
        ),
        (
            "SECRET",
            (cat("Releasable To", P, "SWE", "NOR", "FIN"), cat("Administrative", INF, "STAFF")),
            "Releasable To allows at most 2 value(s), not 3",
        ),
        ("UNCLASSIFIED", (cat("Special Category Designators", R, "SIOP"),), "SIOP is obsolete"),
        ("UNCLASSIFIED", (cat("Eyes", P, "X"),), "policy TEST has no category 'Eyes'"),
    ],
)
def test_a_label_breaking_a_rule_is_refused_with_the_rule(
    classification: str, categories: tuple[CategorySpec, ...], reason: str
) -> None:
    reasons = rules(classification, *categories)
    assert any(reason in found for found in reasons), reasons


def test_the_one_required_value_is_satisfied_by_exactly_one() -> None:
    assert rules("SECRET", cat("Releasable To", P, "FIN"), cat("Administrative", INF, "MEDICAL")) == []


@pytest.mark.usefixtures("rules_policy")
def test_validate_spec_refuses_a_label_its_spif_forbids() -> None:
    bad = LabelSpec("TEST", "UNCLASSIFIED", 0, (cat("Special Category Designators", R, "ATOMAL"),))
    with pytest.raises(LabelPolicyError, match="ATOMAL may not be used with UNCLASSIFIED") as refused:
        label_get_or_create(bad)
    assert isinstance(refused.value, LabelError)
    assert refused.value.reasons == ["Special Category Designators ATOMAL may not be used with UNCLASSIFIED"]
    assert label_get_or_create(LabelSpec("TEST", "SECRET", 0, (RELEASE_SWE,))).marking == "TEST SECRET REL TO SWE"


@pytest.mark.usefixtures("rules_policy")
def test_the_api_answers_a_forbidden_label_with_a_validation_error() -> None:
    from rest_framework.exceptions import ValidationError

    from comity.core.api.serializers import LabelField

    with pytest.raises(ValidationError, match="SECRET requires at least one of any Releasable To value"):
        LabelField().to_internal_value({"policy": "TEST", "classification": "SECRET", "categories": []})
