"""What each stored value is called on screen, in the reader's language (glossary.md terms)."""
from flask_babel import lazy_gettext as _l

from app.catalog.enums import Audience, CertificationType, CourseKind, CourseStatus, DeliveryMode, SessionStatus
from app.providers.labels import ORGANISATION_KIND

SORT = {"relevance": _l("Relevance"), "soonest": _l("Soonest session"), "newest": _l("Newest")}
REGION = {"eu_eea": _l("EU/EEA"), "japan": _l("Japan"), "other": _l("Other")}

ALL = {
    "kind": CourseKind.labels(),
    "mode": DeliveryMode.labels(),
    "audience": Audience.labels(),
    "certification": CertificationType.labels(),
    "session_status": SessionStatus.labels(),
    "course_status": CourseStatus.labels(),
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
