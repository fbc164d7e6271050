"""Every feature's models in one import, for Alembic autogenerate and `flask shell`."""
from app.catalog.models import (  # noqa: F401
    Course,
    CourseGram,
    CourseLanguage,
    CourseSearch,
    CourseSession,
    SkillArea,
    CatalogueState,
)
from app.providers.models import Organisation  # noqa: F401
from app.cache import CacheEntry  # noqa: F401
