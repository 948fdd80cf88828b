"""Registry models: public reference data, so unlabelled (every user may see them).

Dates follow one convention everywhere: ``start`` is the first day in, ``end`` the first day
out, so a state is a member on day D when ``start <= D < end`` (or ``end`` is empty). Finland
joined NATO on 2023-04-04, so its Partnership for Peace participation ends on 2023-04-04: a
partner on the 3rd, a member on the 4th.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from comity.core.models import LabelledModel
from comity.registry.choices import DatePrecision, OrganisationKind, ParticipationEnd


class State(models.Model):
    """A state or territory with an ISO 3166-1 code, and its codes in other systems."""

    iso3 = models.CharField("ISO 3166 alpha-3", max_length=3, unique=True)
    iso2 = models.CharField("ISO 3166 alpha-2", max_length=2, unique=True)
    iso_numeric = models.CharField("ISO 3166 numeric", max_length=3, unique=True)
    name = models.CharField(max_length=128)
    cow_code = models.PositiveSmallIntegerField("Correlates of War code", null=True, blank=True, unique=True)
    cow_alpha = models.CharField("Correlates of War abbreviation", max_length=3, blank=True)
    cameo_code = models.CharField("CAMEO country code", max_length=6, blank=True, db_index=True)
    stanag_code = models.CharField("STANAG 1059 code", max_length=3, blank=True)
    capital = models.CharField(max_length=128, blank=True)
    capital_lat = models.FloatField(null=True, blank=True)
    capital_lng = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=512)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.iso3})"


class StateName(models.Model):
    """The name (and Correlates of War identity) a state bore over a period.

    A state's own row carries today's name and codes; an answer given "as of" a date must use
    the ones in force then: the Federal Republic of Germany (COW 260) joined NATO in 1955, and
    "the former Yugoslav Republic of Macedonia" joined the Partnership for Peace. ``start`` and
    ``end`` follow the registry's convention (first day in, first day out; empty = open).
    """

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=128)
    cow_code = models.PositiveSmallIntegerField("Correlates of War code", null=True, blank=True)
    cow_alpha = models.CharField("Correlates of War abbreviation", max_length=3, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True, help_text="First day the name was no longer in force.")
    usage = models.TextField(blank=True)
    source = models.CharField(max_length=512)

    class Meta:
        ordering = ["state__name", "start"]
        constraints = [
            models.UniqueConstraint(fields=["state", "start"], name="state_name_unique_start"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gt=models.F("start")),
                name="state_name_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.state.iso3}) from {self.start or 'the start'}"


class Organisation(models.Model):
    """An international organisation whose membership the registry tracks (NATO, EU, ...)."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=128)
    kind = models.CharField(max_length=16, choices=OrganisationKind.choices, default=OrganisationKind.OTHER)
    established = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=512)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Membership(models.Model):
    """A spell of a state's membership of an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="memberships")
    joined = models.DateField()
    left = models.DateField(null=True, blank=True, help_text="First day no longer a member.")
    note = models.TextField(blank=True)
    source = models.CharField(max_length=512)

    class Meta:
        ordering = ["organisation__code", "joined", "state__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "state", "joined"], name="membership_unique_spell"),
            models.CheckConstraint(
                condition=models.Q(left__isnull=True) | models.Q(left__gt=models.F("joined")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state.iso3} in {self.organisation.code} from {self.joined}"


class PartnershipFramework(models.Model):
    """A partnership framework of an organisation (Partnership for Peace, ...)."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=128, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="frameworks")
    established = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=512)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Participation(models.Model):
    """A spell of a state's participation in a partnership framework.

    ``start`` may be unknown (the sources list some partners without dates); such a spell counts
    from the framework's establishment when that is known, and on any date otherwise, and says
    so through ``start_precision``.
    """

    framework = models.ForeignKey(PartnershipFramework, on_delete=models.CASCADE, related_name="participations")
    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="participations")
    start = models.DateField(null=True, blank=True)
    start_precision = models.CharField(max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY)
    end = models.DateField(null=True, blank=True, help_text="First day no longer a participant.")
    end_reason = models.CharField(max_length=16, choices=ParticipationEnd.choices, blank=True)
    note = models.TextField(blank=True)
    #: Text, not a bounded string: a participation cites its start and its end, each with its own source.
    source = models.TextField()

    class Meta:
        ordering = ["framework__code", "start", "state__name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "state", "start"], name="participation_unique_spell"),
        ]

    def __str__(self) -> str:
        return f"{self.state.iso3} in {self.framework.code} from {self.start or 'unknown date'}"


class CountryNote(LabelledModel):
    """A labelled note on a country: an attaché's or analyst's assessment, shared by label."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="notes")
    title = models.CharField(max_length=200)
    body = models.TextField()
    source = models.CharField(max_length=512, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated", "-id"]

    def __str__(self) -> str:
        return self.title
