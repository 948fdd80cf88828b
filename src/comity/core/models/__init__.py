"""Core models: security policies and labels, users and clearances, the change log, idempotency keys,
attachments, data keys."""

from comity.core.models.attachments import Attachment
from comity.core.models.audit import AuditEntry
from comity.core.models.base import LabelledModel, LabelledQuerySet
from comity.core.models.crypto import DataKey
from comity.core.models.idempotency import IdempotencyKey
from comity.core.models.labels import (
    CategoryTag,
    Classification,
    ConfidentialityLabel,
    LabelCategory,
    LabelCategoryValue,
    SecurityPolicy,
)
from comity.core.models.roles import RoleAssignment
from comity.core.models.users import CategoryGrant, Clearance, LoginSession, User

__all__ = [
    "Attachment",
    "AuditEntry",
    "CategoryGrant",
    "CategoryTag",
    "Classification",
    "Clearance",
    "ConfidentialityLabel",
    "DataKey",
    "IdempotencyKey",
    "LabelCategory",
    "LabelCategoryValue",
    "LabelledModel",
    "LabelledQuerySet",
    "LoginSession",
    "RoleAssignment",
    "SecurityPolicy",
    "User",
]
