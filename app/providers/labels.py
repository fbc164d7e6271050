"""The kinds of organisation, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

ORGANISATION_KIND = {
    "training_provider": _l("Training provider"),
    "company": _l("Company"),
    "university": _l("University"),
    "research_institute": _l("Research institute"),
    "association": _l("Association"),
}
