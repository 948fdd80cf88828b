"""Choice lists of engagements."""

from django.db import models


class EngagementKind(models.TextChoices):
    EXERCISE = "exercise", "Joint exercise"
    AGREEMENT = "agreement", "Defence agreement"
    TRAINING = "training", "Education and training"
    MEETING = "meeting", "Diplomatic meeting"
    ATTACHE = "attache", "Attaché accreditation"
    CBM = "cbm", "Confidence-building measure"
    PROGRAMME = "programme", "Partnership programme activity"
    POSTURE = "posture", "Posture and presence"


class Status(models.TextChoices):
    """The engagement lifecycle; transitions are listed in ``lifecycle.TRANSITIONS``."""

    PROPOSED = "proposed", "Proposed"
    PLANNED = "planned", "Planned"
    APPROVED = "approved", "Approved"
    ONGOING = "ongoing", "Ongoing"
    COMPLETED = "completed", "Completed"
    ASSESSED = "assessed", "Assessed"
    CANCELLED = "cancelled", "Cancelled"


class ParticipantRole(models.TextChoices):
    LEAD = "lead", "Lead"
    HOST = "host", "Host"
    PARTICIPANT = "participant", "Participant"
    OBSERVER = "observer", "Observer"


class Domain(models.TextChoices):
    LAND = "land", "Land"
    AIR = "air", "Air"
    MARITIME = "maritime", "Maritime"
    CYBER = "cyber", "Cyber"
    SPACE = "space", "Space"
    JOINT = "joint", "Joint"


class Scenario(models.TextChoices):
    COLLECTIVE_DEFENCE = "collective_defence", "Collective defence"
    CRISIS_RESPONSE = "crisis_response", "Crisis response"


class ObjectiveLevel(models.TextChoices):
    GOAL = "goal", "Strategic goal"
    LINE_OF_EFFORT = "line_of_effort", "Line of effort"
    OBJECTIVE = "objective", "Objective"


class Workflow(models.TextChoices):
    """NATO's PRIME steps for a partnership activity: propose, approve, invite, register, report."""

    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    INVITED = "invited", "Invitations sent"
    REGISTERED = "registered", "Participants registered"
    REPORTED = "reported", "Feedback reported"


class ActivityRole(models.TextChoices):
    PROPOSER = "proposer", "Proposer"
    APPROVER = "approver", "Approver"
    INVITEE = "invitee", "Invitee"
    REGISTRANT = "registrant", "Registrant"


class AgreementType(models.TextChoices):
    DCA = "dca", "Defence cooperation agreement"
    SOFA = "sofa", "Status of forces agreement"
    HNS = "hns", "Host-nation support"
    MOU = "mou", "Memorandum of understanding"
    TECHNICAL = "technical_arrangement", "Technical arrangement"


class AgreementStatus(models.TextChoices):
    SIGNED = "signed", "Signed"
    IN_FORCE = "in_force", "In force"
    TERMINATED = "terminated", "Terminated"


class MeetingLevel(models.TextChoices):
    SUMMIT = "summit", "Summit"
    DEFENCE_MINISTERS = "defence_ministers", "Ministers of defence"
    MILITARY_COMMITTEE = "military_committee", "Military Committee / chiefs of defence"
    STAFF_TALKS = "staff_talks", "Bilateral staff talks"


class Service(models.TextChoices):
    DEFENCE = "defence", "Defence (all services)"
    ARMY = "army", "Army"
    NAVY = "navy", "Navy"
    AIR = "air", "Air force"


class MeasureType(models.TextChoices):
    """Confidence- and security-building measures of the Vienna Document 2011."""

    ANNUAL_EXCHANGE = "annual_exchange", "Annual exchange of military information"
    PRIOR_NOTIFICATION = "prior_notification", "Prior notification"
    OBSERVATION = "observation", "Observation"
    INSPECTION = "inspection", "Inspection"
    EVALUATION_VISIT = "evaluation_visit", "Evaluation visit"


class Achievement(models.TextChoices):
    """How far an engagement met one of its objectives, as its after-action report judges.

    A four-step scale rather than a score: reports are written by staff officers, not measured,
    and "not assessed" keeps an objective the report did not judge apart from one it judged unmet.
    """

    ACHIEVED = "achieved", "Achieved"
    PARTLY = "partly_achieved", "Partly achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"
    NOT_ASSESSED = "not_assessed", "Not assessed"
