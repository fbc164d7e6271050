"""Association staff endpoints (exchanges:read|write, reports:read)."""
