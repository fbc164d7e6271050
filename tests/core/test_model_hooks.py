"""Relationships one part adds to a lower part's model exist as soon as the app does (issue 15).

User.memberships is declared from Membership's side (accounts does not import providers). SQLAlchemy adds
such a backref when the mappers are configured; the factory configures them, so a fresh worker's first
request (loading the signed-in person with their memberships) does not meet a missing attribute."""
from __future__ import annotations

import subprocess
import sys

from config import ROOT


def test_user_memberships_exists_in_a_fresh_process_before_any_query():
    code = (
        "from app import create_app\n"
        "create_app('config.TestConfig')\n"
        "from app.accounts.models import User\n"
        "print(User.memberships.property.cascade.delete_orphan)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
