"""The engagement kinds by code, and what each adds to the base (for the API and pages)."""

from __future__ import annotations

from comity.engagements.choices import EngagementKind
from comity.engagements.models import (
    AttacheAccreditation,
    ConfidenceBuildingMeasure,
    DefenceAgreement,
    DiplomaticMeeting,
    Engagement,
    Exercise,
    ProgrammeActivity,
    TrainingActivity,
)
from comity.registry.models import State

#: Kinds with a child table, by their ``EngagementKind`` code. Posture records use the base only.
KIND_MODELS: dict[str, type[Engagement]] = {
    EngagementKind.EXERCISE: Exercise,
    EngagementKind.AGREEMENT: DefenceAgreement,
    EngagementKind.TRAINING: TrainingActivity,
    EngagementKind.MEETING: DiplomaticMeeting,
    EngagementKind.ATTACHE: AttacheAccreditation,
    EngagementKind.CBM: ConfidenceBuildingMeasure,
    EngagementKind.PROGRAMME: ProgrammeActivity,
}


def kind_fields(model: type[Engagement]) -> list[str]:
    """The fields a kind adds to ``Engagement`` (its child table's own columns)."""
    if model is Engagement:
        return []
    return [
        f.name
        for f in model._meta.get_fields()
        if getattr(f, "model", None) is model and f.concrete and not f.auto_created and f.name != "engagement_ptr"
    ]


def state_fields(model: type[Engagement]) -> list[str]:
    """The fields a kind adds that link registry states (an attaché's sending, host and embassy
    states): the ones named as of the record's date (``selectors.with_names_as_of``)."""
    return [name for name in kind_fields(model) if model._meta.get_field(name).related_model is State]
