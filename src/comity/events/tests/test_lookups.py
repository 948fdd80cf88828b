"""The reference lookups agree with the real data they are used on."""

from __future__ import annotations

from comity.events import lookups
from comity.events.schema import QUAD_BY_ROOT
from comity.events.tests.conftest import DATA, GEORGIA


def test_quad_class_by_root_matches_every_gdelt_sample_row() -> None:
    checked = 0
    for name in (GEORGIA.name, "gdelt1_daily_export_sample_reed9999.tsv", "gdelt2_export_20191024143000_first400.tsv"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            assert QUAD_BY_ROOT[fields[28]] == int(fields[29]), line[:40]
            checked += 1
    assert checked == 2836 + 710 + 400


def test_gdelt_goldstein_equals_the_cameo_table() -> None:
    scale = lookups.goldstein_scale()
    for line in (DATA / "gdelt2_export_20191024143000_first400.tsv").read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        assert scale[fields[26]] == float(fields[30])


def test_cameo_codebook_is_complete() -> None:
    codes = lookups.cameo_codes()
    assert len(codes) == 311
    assert set(codes) == set(lookups.goldstein_scale())
    assert {c[:2] for c in codes} == set(QUAD_BY_ROOT)


def test_country_codes_invert_the_corrected_crosswalk() -> None:
    to_iso = lookups.cameo_country_to_iso3()
    assert to_iso["USA"] == "USA"
    assert to_iso["GTM"] == "GTM"  # CountryInfo says GLP; the registry's correction applies
    assert to_iso["USAGUM"] == "GUM"  # territory codes keep their territory
    assert to_iso["FRA"] == "FRA"  # one CAMEO code for France, Mayotte, St Barthelemy
    assert to_iso["GBR"] == "GBR"
    for regional in ("AFR", "EUR", "WST", "MEA", "SEA"):  # region codes have no ISO code
        assert regional not in to_iso


def test_fips_codes_listed_twice_map_to_nothing() -> None:
    fips = lookups.fips_to_iso3()
    assert fips["RS"] == "RUS"
    assert fips["GG"] == "GEO"
    assert "SA" not in fips  # CountryInfo lists SA for Saudi Arabia and South Africa
    assert "CG" not in fips


def test_every_icews_sample_country_name_maps() -> None:
    names = lookups.country_name_to_iso3()
    lines = (DATA / "icews_events_2018_sample_first600.tab").read_text(encoding="utf-8").splitlines()[1:]
    found = {f.split("\t")[i] for f in lines for i in (4, 10, 17)} - {"NA"}
    assert {n for n in found if n.upper() not in names} == set()


def test_plover_types_use_the_longest_listed_prefix() -> None:
    assert lookups.plover_type("0312") == "AGREE"
    assert lookups.plover_type("190") == "ASSAULT"
    assert lookups.plover_type("010") is None  # "make a statement" has no PLOVER category


def test_plover_quad_class_only_where_unambiguous() -> None:
    quads = lookups.plover_quad_class()
    assert quads["AGREE"] == 1
    assert quads["ASSAULT"] == 4
    assert "DEMAND" not in quads  # a PLOVER 0.5 type the 2021 table does not list
