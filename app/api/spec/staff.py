"""OpenAPI part: see app/api/spec/__init__.py."""
SCHEMAS: dict = {}


def paths() -> dict:
    return {}
