"""The OpenAPI 3.1 document of the API (served at /api/v1/openapi.json), joined from app/api/spec/."""
from __future__ import annotations

from importlib import import_module

PARTS = ("public", "learner", "provider", "staff")


def document() -> dict:
    paths, schemas = {}, {}
    for name in PARTS:
        part = import_module(f"app.api.spec.{name}")
        for path, operations in part.paths().items():
            paths.setdefault(path, {}).update(operations)
        schemas.update(part.SCHEMAS)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Battery Talent Bridge API", "version": "1.0.0",
                 "description": "Public reads of the catalogue, providers and certificates, and, with a personal "
                                "API token (Authorization: Bearer ...), a person's own data as their roles allow. "
                                "Every text field carries both languages as {\"en\": ..., \"ja\": ...}, null "
                                "where missing. Errors are application/problem+json with a stable code."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"token": {
                "type": "http", "scheme": "bearer",
                "description": "A personal API token, created in the profile (Account → API tokens) with the "
                               "scopes it needs. Scopes: learning:read, provider:read, provider:write, "
                               "exchanges:read, exchanges:write, reports:read."}},
        },
    }
