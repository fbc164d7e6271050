"""The catalogue's fixed vocabularies (stored as their values; labels in app/catalog/labels.py)."""
import enum


class CourseKind(enum.StrEnum):
    TRAINING = "training"
    WORKSHOP = "workshop"
    CONFERENCE = "conference"
    EXHIBITION = "exhibition"


class DeliveryMode(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    BLENDED = "blended"


class Audience(enum.StrEnum):
    OPERATOR = "operator"
    TECHNICIAN = "technician"
    ENGINEER = "engineer"
    RESEARCHER = "researcher"
    MANAGER = "manager"


class CertificationType(enum.StrEnum):
    NONE = "none"
    ATTENDANCE = "attendance"
    COMPLETION = "completion"
    ASSESSED = "assessed"


class CourseStatus(enum.StrEnum):
    DRAFT = "draft"
    PENDING_REVIEW = "pending_review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class Currency(enum.StrEnum):
    EUR = "EUR"
    JPY = "JPY"
