"""Provider endpoints (token scopes provider:read / provider:write): see the brief in the helper's task."""
