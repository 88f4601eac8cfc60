"""The workbook app's models, defined by domain in its subpackages and gathered here for Django.

Tables keep the `workbook` app label and their names; import models from here or from their
domain's module, whichever reads better.
"""

from workbook.answers.models import (
    AIType,
    Answer,
    SectionProgress,
    SectionStatus,
    UseCase,
    UseCaseStage,
)
from workbook.audit.models import AuditEvent, AuditKind
from workbook.comments.models import Comment
from workbook.content.models import ActiveManager, FieldType, Question, Section, Workbook
from workbook.notifications.models import Frequency, Notification, NotificationSetting
from workbook.security.models import UserSession
from workbook.teams.models import (
    Invitation,
    Jurisdiction,
    JurisdictionKind,
    JurisdictionQuerySet,
    Membership,
    PopulationBand,
    Role,
)

__all__ = [
    "AIType",
    "ActiveManager",
    "Answer",
    "AuditEvent",
    "AuditKind",
    "Comment",
    "FieldType",
    "Frequency",
    "Invitation",
    "Jurisdiction",
    "JurisdictionKind",
    "JurisdictionQuerySet",
    "Membership",
    "Notification",
    "NotificationSetting",
    "PopulationBand",
    "Question",
    "Role",
    "Section",
    "SectionProgress",
    "SectionStatus",
    "UseCase",
    "UseCaseStage",
    "UserSession",
    "Workbook",
]
