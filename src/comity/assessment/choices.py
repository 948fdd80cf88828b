"""Choice lists of the assessment app: where a measurement came from, and an objective's status."""

from django.db import models


class MeasurementOrigin(models.TextChoices):
    """Entered by a person (with evidence) or computed by one of comity's indicator functions."""

    ENTERED = "entered", "Entered"
    COMPUTED = "computed", "Computed"


class ProgressStatus(models.TextChoices):
    """The answer of ``assessment.status.objective_status``."""

    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    NO_DATA = "no_data", "No data"
