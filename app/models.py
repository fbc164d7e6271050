"""Every feature's models in one import, for Alembic autogenerate and `flask shell`."""
from app.accounts.models import Consent, RecoveryCode, User, UserSession  # noqa: F401
from app.api.models import ApiToken  # noqa: F401
from app.audit.models import AuditEntry  # noqa: F401
from app.catalog import session_days  # noqa: F401  (gives new sessions their days on flush)
from app.catalog.models import (  # noqa: F401
    CatalogueState,
    Course,
    CourseGram,
    CourseLanguage,
    CourseSearch,
    CourseSession,
    SessionDay,
    SkillArea,
)
from app.certifications.models import Certification, SigningKey  # noqa: F401
from app.enrolment.models import Enrolment  # noqa: F401
from app.exchanges.models import Exchange, ExchangeImport  # noqa: F401
from app.platform.cache import CacheEntry  # noqa: F401
from app.platform.ratelimit import RateCounter  # noqa: F401
from app.pricing.models import TaxRate  # noqa: F401
from app.providers.models import (  # noqa: F401
    Membership,
    Organisation,  # noqa: F401
    ProviderApplication,
)
