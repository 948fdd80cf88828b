"""Choice lists of the registry."""

from django.db import models


class DatePrecision(models.TextChoices):
    """How much of a date the source gives: a day, only a month, or nothing."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    UNKNOWN = "unknown", "Unknown"


class ParticipationEnd(models.TextChoices):
    """Why a state's participation in a partnership framework ended."""

    JOINED_ALLIANCE = "joined_alliance", "Joined the alliance"
    WITHDREW = "withdrew", "Withdrew"
    SUSPENDED = "suspended", "Cooperation suspended"


class OrganisationKind(models.TextChoices):
    ALLIANCE = "alliance", "Alliance"
    UNION = "union", "Union"
    OTHER = "other", "Other"
