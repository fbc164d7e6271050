"""What each stored value is called on screen, in the reader's language (glossary.md terms)."""
from flask_babel import LazyString, lazy_gettext as _l, pgettext

from app.providers.labels import ORGANISATION_KIND

KIND = {
    "training": _l("Training course"),
    "workshop": _l("Workshop"),
    "conference": _l("Conference"),
    "exhibition": _l("Exhibition"),
}
MODE = {"in_person": _l("In person"), "online": _l("Online"), "blended": _l("Blended")}
AUDIENCE = {
    "operator": _l("Operator"),
    "technician": _l("Technician"),
    "engineer": _l("Engineer"),
    "researcher": _l("Researcher"),
    "manager": _l("Manager"),
}
CERTIFICATION = {
    "none": _l("No certificate"),
    "attendance": _l("Certificate of attendance"),
    "completion": _l("Certificate of completion"),
    "assessed": _l("Assessed certificate"),
}
SESSION_STATUS = {
    "scheduled": _l("Scheduled"),
    "cancelled": _l("Cancelled"),
    # Context: a session that has taken place is 終了 in Japanese, while a learner who completed it is 修了
    # (the enrolment outcome "Completed" in app/enrolment). Lazy like _l; pgettext is a keyword babel extracts.
    "completed": LazyString(lambda: pgettext("session status", "Completed")),
}
COURSE_STATUS = {
    "draft": _l("Draft"),
    "pending_review": _l("Pending review"),
    "published": _l("Published"),
    "archived": _l("Archived"),
}
SORT = {"relevance": _l("Relevance"), "soonest": _l("Soonest session"), "newest": _l("Newest")}
REGION = {"eu_eea": _l("EU/EEA"), "japan": _l("Japan"), "other": _l("Other")}

ALL = {
    "kind": KIND,
    "mode": MODE,
    "audience": AUDIENCE,
    "certification": CERTIFICATION,
    "session_status": SESSION_STATUS,
    "course_status": COURSE_STATUS,
    "sort": SORT,
    "organisation_kind": ORGANISATION_KIND,
    "region": REGION,
}


def label(group: str, value) -> str:
    """label('kind', course.kind) in templates; an unknown value shows as itself rather than failing."""
    value = getattr(value, "value", value)
    return str(ALL[group].get(value, value))


def label_options(group: str) -> list[tuple[str, str]]:
    return [(value, str(text)) for value, text in ALL[group].items()]


def level_options() -> list[tuple[int, str]]:
    return [(n, str(_l("EQF level %(n)s", n=n))) for n in range(1, 9)]


def language_options(codes, lang: str) -> list[tuple[str, str]]:
    from app.i18n.countries import language_name

    from app.i18n.reading import sort_named

    return sort_named(((c, language_name(c, lang)) for c in codes), lang)


def country_options(codes, lang: str) -> list[tuple[str, str]]:
    from app.i18n.countries import country_name

    from app.i18n.reading import sort_named

    return sort_named(((c, country_name(c, lang)) for c in codes), lang)
