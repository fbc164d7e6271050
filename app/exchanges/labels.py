"""What each stored exchange value is called on screen, in the reader's language (glossary.md terms)."""
from app.catalog.models import Currency
from app.exchanges.models import ActivityType, Approval, CooperationArea, Direction, ExchangeStatus, ParticipantType
from app.i18n.filters import field_text

PARTICIPANT_TYPE = ParticipantType.labels()
DIRECTION = Direction.labels()
ACTIVITY = ActivityType.labels()
AREA = CooperationArea.labels()
STATUS = ExchangeStatus.labels()
APPROVAL = Approval.labels()
CURRENCY = Currency.labels()

ALL = {"participant_type": PARTICIPANT_TYPE, "direction": DIRECTION, "activity": ACTIVITY, "area": AREA,
       "status": STATUS, "approval": APPROVAL, "currency": CURRENCY}


def label(group: str, value) -> str:
    """The label of `value` in `group`; the raw value when unknown."""
    value = getattr(value, "value", value)
    return ALL.get(group, {}).get(value, value or "")


def org_label(org) -> str:
    return f"{field_text(org, 'name')} ({org.country})"
