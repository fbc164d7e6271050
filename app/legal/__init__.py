"""Privacy notice, terms of use and legal notice, each written in full in English and in Japanese."""
from __future__ import annotations

from datetime import date

# The version of the terms of use and privacy notice that consent records (Consent.version) refer to.
# Change it, and the text, together; a new version means asking for consent again.
CONSENT_VERSION = "2026-11-26"
CONSENT_DATE = date.fromisoformat(CONSENT_VERSION)
