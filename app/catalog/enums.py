"""The catalogue's fixed vocabularies: each stored value with what it is called on screen (glossary.md terms)."""
from flask_babel import LazyString, pgettext
from flask_babel import lazy_gettext as _l

from app.i18n.vocabulary import Vocabulary


class CourseKind(Vocabulary):
    TRAINING = "training", _l("Training course")
    WORKSHOP = "workshop", _l("Workshop")
    CONFERENCE = "conference", _l("Conference")
    EXHIBITION = "exhibition", _l("Exhibition")


class DeliveryMode(Vocabulary):
    IN_PERSON = "in_person", _l("In person")
    ONLINE = "online", _l("Online")
    BLENDED = "blended", _l("Blended")


class Audience(Vocabulary):
    OPERATOR = "operator", _l("Operator")
    TECHNICIAN = "technician", _l("Technician")
    ENGINEER = "engineer", _l("Engineer")
    RESEARCHER = "researcher", _l("Researcher")
    MANAGER = "manager", _l("Manager")


class CertificationType(Vocabulary):
    NONE = "none", _l("No certificate")
    ATTENDANCE = "attendance", _l("Certificate of attendance")
    COMPLETION = "completion", _l("Certificate of completion")
    ASSESSED = "assessed", _l("Assessed certificate")


class CourseStatus(Vocabulary):
    DRAFT = "draft", _l("Draft")
    PENDING_REVIEW = "pending_review", _l("Pending review")
    PUBLISHED = "published", _l("Published")
    ARCHIVED = "archived", _l("Archived")


class SessionStatus(Vocabulary):
    SCHEDULED = "scheduled", _l("Scheduled")
    CANCELLED = "cancelled", _l("Cancelled")
    # Context: a session that has taken place is 終了 in Japanese, while a learner who completed it is 修了
    # (the enrolment outcome "Completed" in app/enrolment). Lazy like _l; pgettext is a keyword babel extracts.
    COMPLETED = "completed", LazyString(lambda: pgettext("session status", "Completed"))


class Currency(Vocabulary):
    EUR = "EUR", _l("Euro (EUR)")
    JPY = "JPY", _l("Japanese yen (JPY)")
