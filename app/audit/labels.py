"""What each audit action means, in the reader's language (the code stays beside it, for filtering)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "account.create": _l("Account created"),
    "account.delete": _l("Account deleted by its owner"),
    "account.disabled": _l("Account disabled"),
    "account.enabled": _l("Account enabled again"),
    "account.staff_granted": _l("Association staff role granted"),
    "account.staff_withdrawn": _l("Association staff role withdrawn"),
    "account.admin_granted": _l("Admin role granted"),
    "account.admin_withdrawn": _l("Admin role withdrawn"),
    "account.two_factor_enabled": _l("Two-step sign-in turned on"),
    "account.two_factor_disabled": _l("Two-step sign-in turned off"),
    "account.recovery_codes_regenerated": _l("New recovery codes made"),
    "account.recovery_code_used": _l("Recovery code used to sign in"),
    "api_token.create": _l("API token created"),
    "api_token.revoke": _l("API token revoked"),
    "audit.search": _l("Audit log searched by person"),
    "certificate.issue": _l("Certificate issued"),
    "certificate.renew": _l("Certificate renewed"),
    "certificate.revoke": _l("Certificate revoked"),
    "course.approve": _l("Course approved and published"),
    "course.archive": _l("Course archived"),
    "course.create": _l("Course created"),
    "course.send_back": _l("Course sent back to its provider"),
    "course.submit": _l("Course submitted for review"),
    "course.update": _l("Course changed"),
    "enrolment.approve": _l("Enrolment request approved"),
    "enrolment.decline": _l("Enrolment request declined"),
    "enrolment.outcome": _l("Completion recorded"),
    "exchange.approve": _l("Exchange approved"),
    "exchange.create": _l("Exchange recorded"),
    "exchange.import": _l("Exchanges imported"),
    "exchange.reject": _l("Exchange rejected"),
    "exchange.update": _l("Exchange changed"),
    "membership.add": _l("Member added to an organisation"),
    "membership.remove": _l("Member removed from an organisation"),
    "organisation.create": _l("Organisation created"),
    "person.view": _l("Personal data viewed"),
    "provider_application.approve": _l("Provider application approved"),
    "provider_application.reject": _l("Provider application rejected"),
    "provider_application.submit": _l("Provider application submitted"),
    "roster.export": _l("Roster downloaded"),
    "session.cancel": _l("Session cancelled"),
    "session.create": _l("Session added"),
    "session.update": _l("Session changed"),
    "tax_rate.create": _l("Tax rate added"),
}


def action_label(code: str) -> str:
    label = ACTIONS.get(code)
    return str(label) if label is not None else code
