"""The burden-sharing API's query and answer; the query serializer also checks the page's and the
CLI's ``year``, so the three accept and refuse exactly the same input."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from comity.assessment.burden import EQUIPMENT_GUIDELINE, GDP_GUIDELINE, BurdenRow
from comity.assessment.selectors import BurdenTable, burden_years


class BurdenQuerySerializer(serializers.Serializer):
    """``year``: a whole number within the years the shipped figures cover."""

    year = serializers.IntegerField(help_text="A year the shipped figures cover (2012 to 2024).")

    def validate_year(self, year: int) -> int:
        years = burden_years()
        if year not in years:
            raise serializers.ValidationError(
                f"{year} is outside the years the shipped figures cover ({years[0]} to {years[-1]})"
            )
        return year


class FigureSerializer(serializers.Serializer):
    value = serializers.FloatField(help_text="Per cent.")
    source = serializers.CharField(source="provenance.source")
    edition = serializers.CharField(source="provenance.edition", help_text="YYYY-MM or YYYY of the publication.")
    estimate = serializers.BooleanField(source="provenance.estimate", help_text="The publisher's own estimate.")
    verified = serializers.BooleanField(
        source="provenance.verified", help_text="Checked against the publisher's release; see note."
    )
    note = serializers.CharField(source="provenance.note")


class BurdenRowSerializer(serializers.Serializer):
    iso3 = serializers.CharField()
    name = serializers.SerializerMethodField()
    defence_share_gdp = FigureSerializer(allow_null=True, help_text="NATO: defence expenditure, % of GDP.")
    equipment_share = FigureSerializer(allow_null=True, help_text="NATO: major equipment, % of defence expenditure.")
    sipri_share_gdp = FigureSerializer(allow_null=True, help_text="SIPRI's % of GDP, a cross-check.")
    meets_2pct = serializers.BooleanField(allow_null=True, help_text="Null when the figure is missing.")
    meets_20pct = serializers.BooleanField(allow_null=True, help_text="Null when the figure is missing.")

    def get_name(self, row: BurdenRow) -> str:
        names: dict[str, str] = self.context["names"]
        return names[row.iso3]


class BurdenSerializer(serializers.Serializer):
    """One year of the indicator; the view passes the Allies' names in the context (``names``)."""

    year = serializers.IntegerField()
    gdp_guideline = serializers.FloatField(help_text="Per cent of GDP (Wales Summit, 2014).")
    equipment_guideline = serializers.FloatField(help_text="Per cent of defence expenditure on major equipment.")
    rows = BurdenRowSerializer(many=True, help_text="One per Ally with a NATO figure that year, by ISO code.")


def burden_answer(table: BurdenTable) -> dict[str, Any]:
    """The API's answer for one year: the guidelines beside the rows, every figure with its provenance."""
    data = {
        "year": table.year,
        "gdp_guideline": GDP_GUIDELINE,
        "equipment_guideline": EQUIPMENT_GUIDELINE,
        "rows": table.rows,
    }
    return BurdenSerializer(data, context={"names": table.names}).data
