"""What each stored exchange value is called on screen, in the reader's language (glossary.md terms)."""
from flask_babel import LazyString, lazy_gettext as _l, pgettext

from app.i18n.filters import field_text

# pgettext where the same English names something else elsewhere ("Staff member" of a provider organisation,
# the catalogue kind "Training course", the enrolment outcome "Completed"): glossary terms differ in Japanese.
PARTICIPANT_TYPE = {"learner": _l("Learner"),
                    "staff": LazyString(lambda: pgettext("participant type", "Staff member")),
                    "trainer": _l("Trainer")}
DIRECTION = {
    "eu_to_jp": _l("EU → Japan"),
    "jp_to_eu": _l("Japan → EU"),
    "within_eu": _l("Within the EU"),
    "within_jp": _l("Within Japan"),
    "other": _l("Other"),
}
ACTIVITY = {
    "training_course": LazyString(lambda: pgettext("activity type", "Training course")),
    "job_shadowing": _l("Job shadowing"),
    "placement": _l("Placement or secondment"),
    "teaching": _l("Teaching assignment"),
    "study_visit": _l("Study visit"),
    "joint_event": _l("Joint workshop, exhibition or conference"),
    "research_visit": _l("Research visit"),
}
AREA = {
    "recycling": _l("Recycling and circularity (black mass)"),
    "data-sharing": _l("Battery data-sharing"),
    "human-resources": _l("Human resources and skills"),
    "joint-events": _l("Joint exhibitions, conferences and workshops"),
}
STATUS = {"planned": _l("Planned"), "ongoing": _l("Ongoing"),
          "completed": LazyString(lambda: pgettext("exchange status", "Completed")), "cancelled": _l("Cancelled")}
APPROVAL = {"submitted": _l("Awaiting approval"), "approved": _l("Approved"), "rejected": _l("Rejected")}
CURRENCY = {"EUR": _l("Euro (EUR)"), "JPY": _l("Japanese yen (JPY)")}

ALL = {"participant_type": PARTICIPANT_TYPE, "direction": DIRECTION, "activity": ACTIVITY, "area": AREA,
       "status": STATUS, "approval": APPROVAL, "currency": CURRENCY}


def label(group: str, value) -> str:
    """The label of `value` in `group`; the raw value when unknown."""
    value = getattr(value, "value", value)
    return ALL.get(group, {}).get(value, value or "")


def org_label(org) -> str:
    return f"{field_text(org, 'name')} ({org.country})"
